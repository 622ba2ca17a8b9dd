// The evaluator's entry point. Each mechanism has a file of its own, as in
// CUE's internal/core/adt; this module re-exports what callers use.
import type { Decl } from '../ast.js';
import { setDeepEqual } from './unify.js';
import { dataEqual } from './equality.js';
import type { Scope, Env, Conjunct, Vertex } from './vertex.js';
import { newEnv } from './vertex.js';
import type { Bottom } from './values.js';

// scopes of struct literals and static labels
export { addDeclToScope, presetScope, scopeOf, staticLabel } from './scope.js';

// expansion of a vertex: its conjuncts, then comprehensions, lists, disjunctions (CUE: sched.go)
export { anonParent, expand } from './sched.js';

// adding conjuncts and values to a vertex
export { addConj, addVal, rootlessEnv, unifyValues } from './conjuncts.js';

// arcs of a vertex, patterns applied to them
export { detachedConstraint, getArc, labelMatches, resetVertex } from './arcs.js';

// closedness (CUE: closed.go, typocheck.go)
export { allowedBy, isClosedNode, vertexAccepts, vertexAllows, vertexClosed } from './closed.js';

// finishing a vertex: struct/list/scalar kinds, closedness errors, frozen field sets
export { deepError, isFrozenError, keepsArcs } from './finish.js';

// default values (CUE: default.go)
export { vertexDefault } from './default.js';

// reference and structural cycles (CUE: cycle.go)
export { cycleErr } from './cycle.js';

// equality of values
export { dataEqual, isEmbeddedScalar, regularArcs, valEqual, vertexEqual } from './equality.js';

// evaluation of expressions
export { evalExpr, vertexValue } from './expr.js';

// identifiers, predeclared names, lets
export { coreFuncs, isPredeclared, resolveIdent } from './resolve.js';

// selectors, indices and slices
export { exprStr, indexValue, selectField, selectable } from './select.js';

// structure sharing (CUE: share.go)
export { debug } from './share.js';

export { limits, resetWork } from './limits.js';
export { Dec } from './numbers.js';
export { ALL, NULL, LIST, STRUCT } from './values.js';
export { conflict } from './unify.js';
export type { Bottom, Env, Conjunct };

setDeepEqual(dataEqual);

export function topEnv(v: Vertex, scope?: Scope): Env {
  const env = newEnv(v);
  env.scope = scope;
  return env;
}
export type DeclList = Decl[];
