// The core evaluator: expands vertices by processing their conjuncts,
// resolves references lexically, splits struct disjunctions per disjunct and
// checks closedness. Evaluation is lazy per vertex and memoised.
import type { Comprehension, Decl, Expr, Field, Label, ListLit, Pos, StructLit } from '../ast.js';
import { inDisjunct, disjunctFor, inlineInDisjunct } from './disjunct-scope.js';
import { isolated, nodeFlag, nodeKid, nodeLabel, nodeOwn, nodePush, replay, type Change } from './closetrail.js';
import { CueError } from '../errors.js';
import { evalBinary, evalUnary, evalInterpolation, concreteDefault } from './operators.js';
import { callExpr } from './builtin-calls.js';
import { recordComprehensionError, runComprehension } from './comprehension.js';
import { mkDisj, type Term, unifyDisj } from './disjunction.js';
import { Dec, parseNumber } from './numbers.js';
import { bareValidator, compare, conflict, mkCons, posOf, setDeepEqual, unifyScalar, checkBound, runValidator } from './unify.js';
import {
  ALL,
  BOOL,
  BYTES,
  type Bottom,
  bottom,
  FLOAT,
  INT,
  incomplete,
  isBottom,
  isScalar,
  kindName,
  missingField,
  kindOf,
  LIST,
  NULL,
  NUMBER,
  show,
  STRING,
  STRUCT,
  TOP,
  type Val,
} from './values.js';
import {
  cloneConj,
  type CloseNode,
  hasRegularLabel,
  Conj,
  type Conjunct,
  dataArcValue,
  type Env,
  isDefLabel,
  isRegularLabel,
  fieldLabel,
  labelName,
  listElems,
  newNode,
  type Scope,
  Vertex,
} from './vertex.js';
import { checkRepeat, settleCycles } from './cycle.js';
import { grow, limits, tick } from './limits.js';
import { applyOrder, type LitOrder, needsOrder, noteCreated, setSlot, slotOf } from './order.js';
import { flushShareable, mayShare, shareOrCopy, shareState, unshare } from './share.js';
import { evalOptionalRef } from './try.js';
import { declareAhead, isFieldOf, keyNewArcs, restoreOrder } from './ahead.js';

// ---------------------------------------------------------------- runtime limits (limits.ts)

export { limits, resetWork } from './limits.js';

/** Switches for debugging and tests: `sharing` off copies plain data and referenced structs instead of sharing them (like CUE_DEBUG=sharing=0 in Go). */
export const debug = { sharing: true };

/**
 * Anonymous values (struct literals in expressions, call results) hang below
 * the vertex being evaluated, so that structural cycle detection sees them
 * nested in the value that produced them.
 */
export function anonParent(env: Env): Vertex {
  return stack.length ? stack[stack.length - 1]! : env.vertex;
}

/** Vertices currently being expanded, innermost last. */
const stack: Vertex[] = [];
/**
 * Anonymous vertices being expanded, by their expression. Entries are reset
 * to undefined rather than deleted: deleting on every expansion made the
 * table shrink and grow again all the time.
 */
const anonOnStack = new WeakMap<Expr, Vertex | undefined>();
/** Lets being evaluated (by their cycle marker): where on the stack they started, and who saw them unfinished. */
const letsInProgress = new Map<Bottom, { depth: number; deps: Set<Vertex> }>();
/** Vertices that observed an in-progress vertex, to be re-evaluated once it is done. */
const taintedBy = new Map<Vertex, Set<Vertex>>();

// ---------------------------------------------------------------- scopes

const scopeCache = new WeakMap<object, Scope>();

export function scopeOf(lit: StructLit | { decls: Decl[] }): Scope {
  let s = scopeCache.get(lit);
  if (s) return s;
  s = new Map();
  for (const d of lit.decls) addDeclToScope(s, d);
  scopeCache.set(lit, s);
  return s;
}

/** Gives a literal a scope other than its own declarations (a package file sees the fields of its sibling files). */
export function presetScope(lit: StructLit, s: Scope): void {
  scopeCache.set(lit, s);
}

export function addDeclToScope(s: Scope, d: Decl): void {
  if (d.type === 'Field') {
    let l: Label = d.label;
    if (l.type === 'AliasLabel') {
      const inner = l.label;
      const name = staticLabel(inner);
      if (name !== undefined) s.set(l.alias.name, { kind: 'alias', label: name });
      else if (inner.type !== 'PatternLabel') s.set(l.alias.name, { kind: 'alias', label: '', expr: dynamicLabelExpr(inner), pos: l.pos });
      l = inner;
    }
    // A pattern's K is bound per matched field instead (PatternLabel.alias).
    const k = d.postfixAlias?.label;
    if (k && l.type !== 'PatternLabel') {
      const name = staticLabel(l);
      if (name !== undefined) s.set(k.name, { kind: 'label', label: name });
      else s.set(k.name, { kind: 'label', label: '', expr: dynamicLabelExpr(l), pos: k.pos });
    }
    if (l.type === 'Ident') s.set(l.name, { kind: 'field', label: l.name });
  } else if (d.type === 'LetClause') {
    s.set(d.ident.name, { kind: 'let', label: d.ident.name, expr: d.expr });
  }
}

/** The expression computing a dynamic label: `(expr)` or an interpolation. */
function dynamicLabelExpr(l: Label): Expr {
  return l.type === 'ParenLabel' ? l.expr : (l as Expr);
}

export function staticLabel(l: Label): string | undefined {
  switch (l.type) {
    case 'Ident':
      return l.name;
    case 'BasicLit':
      if (l.kind === 'string') return fieldLabel(l.value ?? '');
      if (l.kind === 'int') return l.raw;
      return l.raw;
    case 'AliasLabel':
      return staticLabel(l.label);
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------- vertex access

/** The arc of v named `label`, created if missing, for adding to or changing it (borrowed arcs are copied first). */
export function getArc(v: Vertex, label: string): Vertex {
  if (v.borrow) v.arcMap();
  let a = v.arcs.get(label);
  if (!a) {
    grow();
    a = new Vertex(v, label);
    v.arcMap().set(label, a);
    for (const p of v.patterns) applyPattern(p, a);
  }
  return a;
}

/**
 * What some conjuncts admit, evaluated in a vertex of their own below `parent`
 * but not one of its arcs (a list's element constraint, a pattern's value), so
 * that it can be printed; the parent is left as it was.
 */
export function detachedConstraint(parent: Vertex, label: string, conjs: readonly Conjunct[]): Vertex {
  const v = new Vertex(parent, label);
  for (const c of conjs) addArcConj(v, cloneConj(c));
  expand(v);
  return v;
}

function addArcConj(arc: Vertex, c: Conjunct): void {
  arc.addConjunct(c);
  if (c.pos) arc.addPosition(c.pos);
  if (c.attrs && c.attrs.length) arc.pushAttrs(...c.attrs);
  if (arc.status >= 2) resetVertex(arc);
}

function applyPattern(p: Vertex['patterns'][number], arc: Vertex): void {
  if (!isRegularLabel(arc.label) || arc.parent?.isList) return;
  if (!labelMatches(p.pattern, arc.label)) return;
  let env = p.conj.env;
  if (p.alias || p.fieldAlias) {
    const binds = new Map<string, { val?: Val; vertex?: Vertex }>();
    if (p.alias) binds.set(p.alias, { val: { t: 'string', s: labelName(arc.label) } });
    if (p.fieldAlias) binds.set(p.fieldAlias, { vertex: arc });
    env = { up: env, vertex: env.vertex, binds };
  }
  const c = cloneConj(p.conj);
  c.env = env;
  arc.addConjunct(c);
  // A field made by a pattern carries the pattern's attributes (`[string]: string @secret()`),
  // as it would had it been declared with them (once, however often the pattern is applied).
  const attrs = c.attrs?.filter((a) => !arc.attrs.includes(a));
  if (attrs?.length) arc.pushAttrs(...attrs);
  if (arc.status >= 2) resetVertex(arc);
}

export function labelMatches(pattern: Val, label: string): boolean {
  const lv: Val = { t: 'string', s: labelName(label) };
  if (pattern.t === 'vertex') {
    // A reference (`[#Name]: T`) may be to a field not evaluated yet.
    if (pattern.status === 0) expand(pattern);
    if (pattern.disjuncts) return pattern.disjuncts.some((d) => labelMatches(d, label));
    if (pattern.err) return false;
    const d = pattern.base;
    // A struct or list matches no label (an embedded scalar decides, as in `{"a"}`).
    if (d.t === 'top' && (pattern.isStruct || pattern.isList)) return false;
    if (!d) return false;
    return labelMatches(d, label);
  }
  if (pattern.t === 'disj') return pattern.terms.some((t) => labelMatches(t, label));
  const r = unifyScalar(pattern, lv);
  return !isBottom(r);
}

export function resetVertex(v: Vertex): void {
  if (v.onStack) return;
  v.status = 0;
  v.clearArcs();
  v.base = TOP;
  v.isStruct = false;
  v.isList = false;
  v.listParts = [];
  v.listOpen = false;
  v.listElem = [];
  v.roots = [];
  v.declNode = undefined;
  v.inlineNode = undefined;
  v.cursor = undefined;
  v.later = undefined;
  v.ahead = undefined;
  v.patterns = [];
  v.err = undefined;
  v.disjuncts = undefined;
  v.disjMarks = undefined;
  v.disjMarked = false;
  v.disjMulti = undefined;
  v.comprehensions = [];
  v.tainted = false;
  v.pending = undefined;
  v.incompleteErr = undefined;
  v.refs = undefined;
  v.cyclicConjs = undefined;
  v.added = undefined;
  v.scalarDirect = undefined;
  v.scalarEmbedded = undefined;
  v.structEmbedded = undefined;
  v.listEmbedded = undefined;
  v.listDirect = undefined;
  v.structDirect = undefined;
  v.incompletes = undefined;
  if (v.shareable) v.shareable = undefined;
}

// ---------------------------------------------------------------- expansion

/** Ensures the vertex's own conjuncts are processed (arcs known, scalar value computed). */
export function expand(v: Vertex): void {
  if (v.status >= 2) return;
  if (v.status === 1) {
    // A reference back into a vertex still being evaluated: everything
    // evaluated since then saw partial data and must be redone later.
    const i = stack.lastIndexOf(v);
    let list = taintedBy.get(v);
    if (!list) taintedBy.set(v, (list = new Set()));
    for (let j = stack.length - 1; j > i; j--) {
      stack[j]!.tainted = true;
      list.add(stack[j]!);
    }
    return;
  }
  tick();
  if (stack.length > limits.maxDepth) {
    v.err = bottom('structural cycle', 'structural cycle (evaluation too deep)', v.positions.slice(0, 1));
    v.status = 2;
    return;
  }
  // An anonymous value (e.g. `a & {x: 1}` as a disjunct) whose expression is
  // already being evaluated further up is a reference cycle through
  // expressions; it contributes nothing new (like a cyclic reference).
  const key = v.label === '' && v.conjuncts.length === 1 && !v.choices ? v.conjuncts[0]!.expr : undefined;
  const busy = key && anonOnStack.get(key);
  if (busy) {
    const i = stack.indexOf(busy);
    let list = taintedBy.get(stack[i]!);
    if (!list) taintedBy.set(stack[i]!, (list = new Set()));
    for (let j = stack.length - 1; j > i; j--) {
      stack[j]!.tainted = true;
      list.add(stack[j]!);
    }
    v.status = 2;
    v.isStruct = true;
    v.base = TOP;
    v.cyclic = true;
    return;
  }
  v.status = 1;
  stack.push(v);
  v.onStack = true;
  if (key) anonOnStack.set(key, v);
  try {
    doExpand(v);
  } catch (e) {
    if (e instanceof CueError) {
      // A blown limit aborts the evaluation: every vertex it was in holds
      // the error, so that no later read takes what it had so far for its value.
      v.err ??= bottom(e.code, e.detail, e.positions.length ? e.positions : v.positions.slice(0, 1));
      throw e;
    }
    if (e instanceof RangeError) {
      v.err = bottom('structural cycle', 'structural cycle (stack overflow)', v.positions.slice(0, 1));
    } else throw e;
  } finally {
    stack.pop();
    v.onStack = false;
    if (key && anonOnStack.get(key) === v) anonOnStack.set(key, undefined);
    v.status = 2;
    const deps = taintedBy.size ? taintedBy.get(v) : undefined;
    if (deps) {
      taintedBy.delete(v);
      for (const d of deps) {
        // Bounded: nested cycles would otherwise re-evaluate exponentially often.
        if (d !== v && !d.onStack && d.status >= 2 && (d.resets ?? 0) < 2) {
          // A scalar computed while the cycle was open stays (CUE does not
          // evaluate a value twice); only its cyclic conjuncts are checked
          // against the now known value.
          if (keepsScalar(d)) {
            recheckWaiting(d);
            continue;
          }
          d.resets = (d.resets ?? 0) + 1;
          resetVertex(d);
        }
      }
    }
    if (v.incompletes && isScalar(v.base) && !v.err) recheckCycles(v);
    else if (v.incompletes && (v.isList || v.isStruct) && !v.err && !v.cycleVals && !v.onStack) redoCycles(v);
    if (v.tainted && !v.onStack) {
      // Keep the partial result for the current caller; ensure a later
      // request recomputes it once the cycle has been resolved.
      v.tainted = false;
    }
  }
}

/**
 * A list or struct some of whose conjuncts needed the vertex itself
 * (`a: ben: [{}]` with `a: [rn=string]: _Q[0:len(a[rn])]`): evaluate those
 * conjuncts against the first result, then evaluate the vertex again with them.
 */
function redoCycles(v: Vertex): void {
  const vals = new Map<Expr, { env: Env; val: Val }[]>();
  for (const x of v.incompletes!) {
    if (!x.b.cycle || !x.c?.expr) continue;
    const val = evalExpr(x.c.expr, x.c.env);
    if (isBottom(val)) continue;
    let l = vals.get(x.c.expr);
    if (!l) vals.set(x.c.expr, (l = []));
    l.push({ env: x.c.env, val });
  }
  if (!vals.size) return;
  resetVertex(v);
  v.cycleVals = vals;
  expand(v);
}

/** A vertex whose value is a concrete scalar that did not itself depend on an unfinished conjunct. */
function keepsScalar(d: Vertex): boolean {
  return !d.err && !d.disjuncts && !d.pending && !d.isStruct && !d.isList && d.arcs.size === 0 && isScalar(d.base);
}

/** Checks the cyclic conjuncts a kept scalar set aside (recheckCycles) against the values now known. */
function recheckWaiting(d: Vertex): void {
  const w = d.cycleWait;
  if (!w) return;
  d.cycleWait = undefined;
  d.incompletes = w;
  recheckCycles(d);
}

/** Re-evaluates conjuncts that were incomplete because of a cycle through this vertex, now that its value is known. */
function recheckCycles(v: Vertex): void {
  const list = v.incompletes!.filter((x) => x.b.cycle && x.c?.expr);
  v.incompletes = undefined;
  for (const item of list) {
    const c = item.c;
    const x = concreteDefault(evalExpr(c!.expr!, c!.env));
    if (isBottom(x)) {
      // Still incomplete without the cycle (`min: <max` with `max: >min`):
      // the value is not decided after all.
      if (x.code !== 'incomplete' || !x.cycle) v.err = x;
      // Still part of an open cycle: checked again when the cycle closes.
      else (v.cycleWait ??= []).push(item);
      continue;
    }
    if (isScalar(x) || x.t === 'cons') {
      // The value found late comes first in the message, as in CUE.
      const r = unifyScalar(x, v.base);
      if (isBottom(r)) {
        v.err = r;
        return;
      }
    }
  }
}

type Attempt = { conj: Conjunct; expr: Comprehension; err?: Bottom };

/** Runs one comprehension of `v`; one that produced nothing comes back, to be retried. */
function attemptComprehension(v: Vertex, conj: Conjunct, expr: Comprehension): Attempt | undefined {
  const slot = slotOf(conj);
  const n0 = v.arcs.size;
  const r = runComprehension(v, expr, conj, undefined, { quiet: true });
  if (slot && noteCreated(v, slot.rec, n0, slot.idx)) applyOrder(v, slot.rec);
  if (r.n === 0) return { conj, expr, err: r.err };
  if (r.err) recordComprehensionError(v, r.err);
  return undefined;
}

function doExpand(v: Vertex): void {
  if (v.notAllowed) {
    v.err = bottom('eval', 'field not allowed', v.notAllowed);
  }
  const outer = shareState.collecting;
  shareState.collecting = v;
  try {
    for (let i = 0; i < v.conjuncts.length; i++) {
      const c = v.conjuncts[i]!;
      if (v.ahead?.conjs.has(c)) continue;
      v.cursor = i;
      addConj(v, c);
      if (v.ahead) keyNewArcs(v.ahead, v, i);
    }
  } finally {
    shareState.collecting = outer;
  }
  const lists = v.deferredLists;
  if (lists) {
    v.deferredLists = undefined;
    for (const d of lists) addList(v, d.lit, d.c);
  }
  if (v.shareable) {
    const slot = slotOf(v.shareable.c);
    const n0 = v.arcs.size;
    shareOrCopy(v, v.shareable);
    if (slot && noteCreated(v, slot.rec, n0, slot.idx)) applyOrder(v, slot.rec);
    if (v.ahead) keyNewArcs(v.ahead, v, v.conjuncts.length);
  }
  v.cursor = undefined;
  if (v.later) {
    // Fields of v itself that v's value includes: complete now (addVal),
    // their fields standing where the conjunct that brought them stands.
    const later = v.later;
    v.later = undefined;
    for (const x of later) {
      addVal(v, x.w, x.c, x.src);
      if (v.ahead) keyNewArcs(v.ahead, v, x.at);
    }
  }
  if (v.ahead) {
    restoreOrder(v, v.ahead);
    v.ahead = undefined;
  }
  settleCycles(v, v.comprehensions.length === 0, addVal);
  // Comprehensions and dynamic fields may depend on the fields above.
  // Comprehensions that produced nothing may depend on fields that later
  // comprehensions add: run those again (a small fixpoint, bounded).
  let retry: Attempt[] = [];
  // A retried comprehension may yield comprehensions of its own (`for k, v in
  // x { for k1, v1 in v.y {...} }`): those run in a further pass (bounded).
  let start = 0;
  for (let pass = 0; pass < 8 && start < v.comprehensions.length; pass++) {
    const end = v.comprehensions.length;
    let produced = false;
    for (let i = start; i < end; i++) {
      const { conj, expr } = v.comprehensions[i]!;
      if (expr.type === 'Comprehension') {
        const x = attemptComprehension(v, conj, expr);
        if (x) retry.push(x);
        else produced = true;
      } else {
        const slot = slotOf(conj);
        const n0 = v.arcs.size;
        addDynamicField(v, expr as unknown as Field, conj);
        if (slot && noteCreated(v, slot.rec, n0, slot.idx)) applyOrder(v, slot.rec);
        produced = true;
      }
    }
    start = end;
    for (let round = 0; round < 2 && produced && retry.length; round++) {
      const next = retry.map((x) => attemptComprehension(v, x.conj, x.expr)).filter((x): x is Attempt => x !== undefined);
      const stuck = next.length === retry.length;
      retry = next;
      if (stuck) break;
    }
  }
  for (const x of retry) if (x.err) recordComprehensionError(v, x.err);
  settleCycles(v, true, addVal);
  if (v.incompletes) {
    // Conjuncts that were incomplete before later conjuncts, comprehensions
    // and dynamic fields were added may refer to what those added
    // (`funcs["0"]` embedded next to `if c { funcs: "0": x }`; `#a + #b`
    // embedded in `sum`, with `sum & {#a: 1, #b: 3}`): evaluate them once more.
    const again = v.incompletes.filter((x) => !x.b.cycle && x.c?.expr);
    if (again.length) {
      v.incompletes = v.incompletes.filter((x) => !again.includes(x));
      if (!v.incompletes.length) v.incompletes = undefined;
      for (const x of again) addConj(v, x.c!);
    }
  }
  if (v.isList) finishList(v);
  if (v.pending && v.pending.length) {
    splitDisjunctions(v);
    return;
  }
  finishStruct(v);
}

function finishStruct(v: Vertex): void {
  if (v.err) {
    const k = cycleKinds.get(v.err);
    if (k && isScalar(v.base)) {
      // A scalar conflicts with the list or struct the cycle would repeat
      // (`x: a: [a]`, `x & {a: [1]}`): that conflict is the error, as in CUE.
      v.err = bottom(
        'eval',
        `conflicting values ${show(v.base)} and ${k === LIST ? '[...]' : '{...}'} (mismatched types ${kindName(kindOf(v.base))} and ${kindName(k)})`,
        [posOf(v.base), ...v.positions.slice(0, 1)],
      );
    }
    return;
  }
  if (v.frozen) {
    const err = frozenFieldError(v, v.frozen);
    if (err) {
      v.err = err;
      return;
    }
  }
  if (v.incompletes && !isBottom(v.base)) {
    const concrete = isScalar(v.base) || v.isStruct || v.isList;
    if (!concrete) {
      if (!v.isStruct && !v.isList) {
        // Nothing else decides the value: it is incomplete.
        v.base = v.incompletes[0]!.b;
      }
    } else {
      const rest = v.incompletes.filter((x) => !x.b.cycle);
      if (rest.length) v.incompleteErr ??= rest[0]!.b;
    }
  }
  // Closedness: regular fields must be allowed by every closed root.
  let closed: CloseNode[] | undefined;
  // A shared struct's fields were checked where they are declared (see Share).
  if (v.isStruct && !v.borrow?.share) closed = closingRoots(v.roots);
  if (closed) {
    for (const l of v.arcs.keys()) {
      if (!isRegularLabel(l)) continue;
      // The elements of an embedded list (`{[1]}`) are no struct fields.
      if (v.isList && v.listEmbedded && isIndexLabel(l)) continue;
      if (!allowedByAll(closed, l)) {
        // An optional field a closed struct does not allow is a constraint
        // that can never apply: it is dropped, not an error (`#A & #B` with
        // `#A: {a?: int}`, `#B: {b: 1}` is `{b: 1}`, as in CUE).
        if (v.arcs.get(l)!.fieldKind === 'optional') {
          v.arcMap().delete(l);
          continue;
        }
        // Marks the arc: it must be v's own, not a borrowed data arc (the loop goes on over the keys of the map it started with).
        const a = v.arcMap().get(l)!;
        a.notAllowed = a.positions.length ? a.positions : v.positions;
        if (a.status >= 2) a.err = bottom('eval', 'field not allowed', a.notAllowed);
        // A struct with a field it does not allow is itself in error (as in CUE's v3 evaluator).
        if (!v.err) {
          v.err = bottom('eval', 'field not allowed', a.notAllowed);
          v.err.sub = [l];
        }
      }
    }
  }
  // Structs, lists and scalars cannot mix (except scalars embedded with only definitions/hidden fields).
  const hasRegular = hasRegularArc(v);
  if (v.isList && v.isStruct && (hasRegular || (v.listDirect && v.structDirect))) {
    v.err = bottom('eval', 'conflicting values list and struct (mismatched types list and struct)', v.positions);
    arcsKept.add(v.err);
    return;
  }
  // An embedded empty struct (`{#y, {}}`) makes v a struct: no embedded scalar with it.
  const forced = v.structEmbedded && v.scalarEmbedded;
  if (v.base.t !== 'top' && !isBottom(v.base) && (v.isList || (v.isStruct && (hasRegular || forced || (v.scalarDirect && !v.scalarEmbedded) || !isConcreteBase(v.base))))) {
    const k = v.isList ? LIST : STRUCT;
    if (v.base.t === 'cons' && !v.isList && !hasRegular && v.scalarEmbedded && !v.structEmbedded && !v.scalarDirect && v.base.kinds & ~STRUCT) {
      // `{!=null}`: an embedded constraint and no fields is that constraint, not a struct.
      return;
    }
    if (v.base.t === 'cons' && v.base.kinds & k) {
      for (const b of v.base.bounds) {
        const e = checkBound(b, v);
        if (e) {
          v.err = e;
          return;
        }
      }
      const validators = v.base.validators;
      v.base = TOP;
      if (validators.length) {
        // Validators see the finished struct/list.
        v.status = 2;
        for (const x of validators) {
          const e = runValidator(x, v);
          if (e) {
            if (e.code === 'incomplete') v.incompleteErr ??= e;
            else v.err = e;
            return;
          }
        }
      }
      return;
    }
    if (v.base.t === 'disj') {
      // A scalar disjunction where a struct/list is present: keep the struct.
      const terms = v.base.terms.filter((t) => t.t === 'cons' && t.kinds & k);
      if (terms.length) {
        v.base = TOP;
        return;
      }
    }
    if (v.isStruct && !hasRegular && !forced && !v.isList && !(v.scalarDirect && !v.scalarEmbedded)) {
      // `{int, #x: 1}`: an embedded non-concrete scalar with definitions.
      return;
    }
    v.err = bottom(
      'eval',
      `conflicting values ${show(v.base)} and ${v.isList ? '[...]' : '{...}'} (mismatched types ${kindName(kindOf(v.base))} and ${kindName(k)})`,
      [posOf(v.base), ...v.positions.slice(0, 1)],
    );
  }
  if (isBottom(v.base)) v.err = v.base;
}

/**
 * A comprehension that ranges over a struct while that struct is still being
 * evaluated (`a: {x: 1, for k, v in a {(k+"q"): v}}`) saw its field set; a
 * field added after that would change what it ranged over: an error, as in
 * CUE, rather than a result that depends on evaluation order.
 */
const frozenErrors = new WeakSet<Bottom>();
/** Errors of a vertex whose fields are still its own (a list and a struct met): a lookup below it finds them. */
const arcsKept = new WeakSet<Bottom>();

/** Whether v's fields can be looked up although v is in error (see arcsKept). */
export function keepsArcs(b: Bottom): boolean {
  return arcsKept.has(b);
}
/** Structural cycle errors through a reference to an unfinished list or struct ancestor, with that ancestor's kind. */
const cycleKinds = new WeakMap<Bottom, number>();

/** Whether b is v's error for fields added after its field set was ranged over: v's other fields are still what was ranged over. */
export function isFrozenError(v: Vertex, b: Bottom): boolean {
  return !!v.frozen && frozenErrors.has(b);
}

function frozenFieldError(v: Vertex, frozen: Set<string>): Bottom | undefined {
  const added: string[] = [];
  for (const [l, a] of v.arcs) if (isRegularLabel(l) && a.fieldKind === 'regular' && !frozen.has(l)) added.push(l);
  if (!added.length) return undefined;
  const errs = added.map((l) => bottom('eval', `adding field ${labelName(l)} not allowed as field set was already referenced`, v.arcs.get(l)!.positions.slice(0, 1)));
  let b = errs[0]!;
  if (errs.length > 1) {
    b = bottom('eval', errs.map((e) => e.msg).join('; '), errs.flatMap((e) => e.pos));
    b.more = errs;
  }
  frozenErrors.add(b);
  return b;
}

function isIndexLabel(l: string): boolean {
  return /^\d+$/.test(l);
}

/**
 * The roots that restrict a vertex's fields: the closed ones, except a
 * definition's own declarations when something else closes the vertex too
 * (CloseNode.inline). Undefined when none does.
 */
function closingRoots(roots: CloseNode[]): CloseNode[] | undefined {
  let closed: CloseNode[] | undefined;
  let inline = 0;
  for (const n of roots) {
    if (!isClosedNode(n)) continue;
    (closed ??= []).push(n);
    if (n.inline) inline++;
  }
  if (closed && inline > 0 && inline < closed.length) closed = closed.filter((n) => !n.inline);
  return closed;
}

function allowedByAll(nodes: CloseNode[], l: string): boolean {
  for (const n of nodes) if (!allowedBy(n, l)) return false;
  return true;
}

/** A regular field (list indices excepted). */
function hasRegularArc(v: Vertex): boolean {
  for (const l of v.arcs.keys()) if (isRegularLabel(l) && !(v.isList && /^\d+$/.test(l))) return true;
  return false;
}

function isConcreteBase(b: Val): boolean {
  return isScalar(b);
}

export function isClosedNode(n: CloseNode): boolean {
  if (n.open || n.opened) return false;
  return n.closed || (n.embeds?.some(isClosedNode) ?? false);
}

export function allowedBy(n: CloseNode, l: string): boolean {
  if (n.open) return true;
  if (n.strict) {
    const closed = n.embeds?.filter(isClosedNode);
    if (closed?.length) return closed.every((e) => allowedBy(e, l));
  }
  if (n.labels?.has(l)) return true;
  if (n.patterns) for (const p of n.patterns) if (labelMatches(p, l)) return true;
  if (n.unions?.some((u) => allowedBy(u, l))) return true;
  // Fields declared by open embeddings belong to the enclosing literal;
  // closed embeddings are unified with each other, so each must allow it.
  const closed: CloseNode[] = [];
  if (n.embeds) for (const e of n.embeds) {
    if (isClosedNode(e)) closed.push(e);
    else if (!n.and && declares(e, l)) return true;
  }
  // The operands of `&` intersect; embeddings of one literal are one group
  // whose closed members allow what any of them allows (`{#A, #B}`).
  if (n.and) return closed.length > 0 && closed.every((e) => allowedBy(e, l));
  return closed.some((e) => allowedBy(e, l));
}

function declares(n: CloseNode, l: string, opened = false): boolean {
  if (!opened && n.and && isClosedNode(n)) return allowedBy(n, l);
  if (n.open || n.labels?.has(l)) return true;
  if (n.patterns) for (const p of n.patterns) if (labelMatches(p, l)) return true;
  // Below `X...` every label of X counts as declared, closed or not.
  const inOpened = opened || !!n.opened;
  return n.embeds?.some((e) => (inOpened || !isClosedNode(e)) && declares(e, l, inOpened)) ?? false;
}

export function vertexAllows(v: Vertex, l: string): boolean {
  expand(v);
  if (v.disjuncts) return v.disjuncts.some((d) => vertexAllows(d, l));
  if (!isRegularLabel(l)) return true;
  const closed = closingRoots(v.roots);
  if (!closed) return true;
  return closed.every((n) => allowedBy(n, l));
}

export function vertexClosed(v: Vertex): boolean {
  expand(v);
  if (v.disjuncts) return v.disjuncts.every(vertexClosed);
  // `close({x: int, ...})` still counts as closed, although it allows anything.
  const closedFlag = (n: CloseNode): boolean => n.closed || (n.embeds?.some(closedFlag) ?? false);
  return v.roots.some(closedFlag);
}

// ---------------------------------------------------------------- conjuncts

export function addConj(v: Vertex, c: Conjunct): void {
  tick();
  // A struct set aside for sharing is added first when anything but `_`
  // follows it: then v would not share it anyway, and its fields and
  // conflicts keep the order of the conjuncts.
  if (v.shareable && !(c.expr?.type === 'Ident' && c.expr.name === '_')) flushShareable(v);
  const known = c.expr && v.cycleVals?.get(c.expr)?.find((k) => k.env === c.env);
  if (known) {
    addVal(v, known.val, c, c.expr);
    return;
  }
  if (c.val) {
    addVal(v, c.val, c, undefined);
    return;
  }
  if (c.disj) {
    const rest = cloneConj(c);
    rest.disj = undefined;
    pushDisjunction(v, c.disj.key, c.disj.terms, c.disj.marked, rest);
    return;
  }
  const e = c.expr!;
  switch (e.type) {
    case 'ParenExpr':
      addConj(v, withExpr(c, e.expr));
      return;
    case 'StructLit':
      addStruct(v, e, c);
      return;
    case 'ListLit':
      addList(v, e, c);
      return;
    case 'BinaryExpr':
      if (e.op === '&') {
        // In a definition, `#Ref & {...}` takes its closedness from the
        // referenced definitions; the literal operand adds fields to the
        // definition rather than restricting the reference's fields.
        const node = c.node === v.declNode ? undefined : c.node;
        let embedIn = c.embedIn;
        if (node && !embedIn && !c.def) {
          // `a: {#foo} & {b: int}`: the operands are separate closedness
          // groups that intersect (an operand closed by an embedded
          // definition restricts the other's fields), not one literal.
          // The group is a root of this vertex rather than part of the
          // field's shared node, which every disjunct clone re-evaluates.
          const and = newNode();
          and.and = true;
          if (node.closed) {
            // `close(a & b)`: the closed group is made of the operands.
            and.embedded = true;
            and.parent = node;
            nodePush(node, 'embeds', and);
          } else v.pushRoot(and);
          const operand = (): CloseNode => {
            const o = newNode();
            o.embedded = true;
            o.parent = and;
            nodePush(and, 'embeds', o);
            return o;
          };
          const cx = withExpr(c, e.x);
          cx.node = operand();
          addConj(v, cx);
          const cy = withExpr(c, e.y);
          cy.node = operand();
          addConj(v, cy);
          return;
        }
        if (embedIn && !embedIn.and) {
          // An embedded conjunction is one embedding whose operands intersect.
          const and = newNode();
          and.and = true;
          and.embedded = true;
          and.embedding = true;
          and.parent = embedIn;
          nodePush(embedIn, 'embeds', and);
          embedIn = and;
        }
        for (const operand of [e.x, e.y]) {
          const co = withExpr(c, operand);
          co.node = node;
          co.embedIn = embedIn;
          co.noClose = c.noClose || isStructLit(operand);
          addConj(v, co);
        }
        return;
      }
      if (e.op === '|') {
        addDisjunction(v, e, c);
        return;
      }
      break;
    case 'UnaryExpr':
      if (e.op === '*') {
        // A default marker outside a disjunction has no effect.
        addConj(v, withExpr(c, e.x));
        return;
      }
      break;
    case 'Comprehension':
      v.isStruct = true;
      v.addComprehension({ conj: c, expr: e });
      return;
    case 'BottomLit':
      setBase(v, bottom('user', 'explicit error (_|_ literal) in source', [e.pos]));
      return;
    case 'Alias': {
      // `f: X=value`: X is the value of f, visible within that value only.
      const env: Env = { up: c.env, vertex: c.env.vertex, binds: new Map([[e.ident.name, { vertex: v }]]) };
      const inner = withExpr(c, e.expr);
      inner.env = env;
      addConj(v, inner);
      return;
    }
    case 'Ellipsis':
      if (e.elem) {
        // `X...` (explicitopen): X with its top level opened.
        const opened = cloneConj(c);
        opened.openAll = true;
        addVal(v, evalExpr(e.elem, c.env), opened, e.elem);
        return;
      }
      break;
  }
  const val = evalExpr(e, c.env);
  addVal(v, val, c, e);
}

/** c with another expression (a part of c's). */
function withExpr(c: Conjunct, e: Expr): Conj {
  const x = cloneConj(c);
  x.expr = e;
  return x;
}

function isStructLit(e: Expr): boolean {
  while (e.type === 'ParenExpr') e = e.expr;
  return e.type === 'StructLit';
}

function setBase(v: Vertex, x: Val, c?: Conjunct): void {
  if (isBottom(v.base)) return;
  if (c && x.t !== 'top' && x.t !== 'bottom' && x.t !== 'vertex') {
    if (c.embedIn) v.scalarEmbedded = true;
    else v.scalarDirect = true;
  }
  if (x.t === 'bottom' && x.code === 'incomplete') {
    // An incomplete conjunct does not decide the value when other conjuncts
    // do (e.g. one side of a resolvable reference cycle); keep it aside.
    (v.incompletes ??= []).push({ b: x, c });
    // An embedding that is not known yet may still be a scalar (`{==(self + 1)}`).
    if (x.cycle && c?.embedIn) v.scalarEmbedded = true;
    return;
  }
  if (x.t === 'vertex') return;
  if (x.t === 'func') x = bareValidator(x);
  if (v.base.t === 'disj' || x.t === 'disj') v.base = unifyDisj(v.base, x, unifyValues);
  else v.base = unifyScalar(v.base, x);
}

/** Unifies two values without a target vertex (struct values produce a fresh vertex). */
export function unifyValues(a: Val, b: Val, detached = false): Val {
  if (a.t === 'top') return b;
  if (b.t === 'top') return a;
  if (a.t === 'vertex' || b.t === 'vertex') {
    // Detached: the result hangs nowhere, so that unifying a value with a
    // schema found below it (a validator's argument) is no structural cycle.
    const parent = detached ? undefined : a.t === 'vertex' ? a.parent : b.t === 'vertex' ? b.parent : undefined;
    const anon = new Vertex(parent, '');
    const env = a.t === 'vertex' ? a.conjuncts[0]?.env ?? rootlessEnv(anon) : (b as Vertex).conjuncts[0]?.env ?? rootlessEnv(anon);
    anon.addConjunct({ val: a, env, def: false }, { val: b, env, def: false });
    expand(anon);
    return anon.err ?? anon;
  }
  if (a.t === 'disj' || b.t === 'disj') return unifyDisj(a, b, unifyValues);
  return unifyScalar(a, b);
}

export function rootlessEnv(v: Vertex): Env {
  return { vertex: v };
}

export function addVal(v: Vertex, val: Val, c: Conjunct, src: Expr | undefined): void {
  if (val.t !== 'vertex') {
    setBase(v, val, c);
    return;
  }
  const w = val;
  // A disjunct of w referring to w itself adds nothing new (like `x: x`).
  if (v !== w && standsFor(v, w)) return;
  if (w === v || isStructuralAncestor(w, v)) {
    if (w.status === 1 && w === v) {
      // `x: x` style self reference: contributes nothing.
      return;
    }
    if (w.status === 1 || isStructuralAncestor(w, v)) {
      v.err = bottom('structural cycle', 'structural cycle', [c.pos ?? src?.pos]);
      if (w.isList || w.isStruct) cycleKinds.set(v.err, w.isList ? LIST : STRUCT);
      return;
    }
  }
  expand(w);
  // Reference cycle: a vertex in progress contributes what is known once it
  // is done; a struct among its conjuncts is known already, and its fields
  // may be what the cycle needs (`z: x.b, x: b: {d: b: 2}, x: b: y.c, y: c: z.d`).
  const partial = w.status === 1;
  if (partial && !(w.isStruct || w.conjuncts.some((wc) => wc.expr?.type === 'StructLit'))) {
    inlineInDisjunct(v, w, () => {
      for (const wc of w.conjuncts) addConj(v, cloneConj(wc));
    });
    return;
  }
  if (v.cursor !== undefined && !c.embedIn && (w.isStruct || partial) && isFieldOf(v, w)) {
    // A field of v that v's value includes (`z: x.b` where x.b refers to
    // z.d): v's conjuncts not added yet may still add to it, so it is
    // added once they are in.
    (v.later ??= []).push({ w, c, src, at: v.cursor });
    v.ahead ??= { conjs: new Set(), keys: new Map(), seen: v.arcs.size };
    return;
  }
  if (w.borrow?.share) {
    // w shares a struct that v is part of: a structural cycle once copied
    // (`r: a.b` and `a: b: c: t: r`); w copies it, to report it as such.
    let s = w.borrow.share.w;
    while (s.borrow?.share) s = s.borrow.share.w;
    if (s === v || isAncestor(s, v)) {
      unshare(w);
      if (v.shareable === undefined) v.shareable = null;
    }
  }
  if (w.err && !w.isStruct && !w.isList) {
    setBase(v, w.err);
    return;
  }
  if (c.embedIn && c.expr && shareState.collecting === v && !w.isStruct && !w.isList && w.arcs.size === 0 && !w.disjuncts && !isConcreteBase(w.base) && isAncestor(v, w)) {
    // An embedded field of v itself that is not concrete yet (`{#a, #a: _}`,
    // `{#in.c1, #in: c1: string}`) may get its value from conjuncts of v not
    // added yet (`#a: "s"`): embed it once they are in (doExpand retries incompletes).
    (v.incompletes ??= []).push({ b: incomplete(`embedded ${w.label} not known yet`, c.pos ? [c.pos] : []), c });
    return;
  }
  if (w.disjuncts && !w.disjMulti) {
    const key = src ?? (w as unknown as Expr);
    const terms = w.disjuncts.map((d, i) => ({ v: d as Val, mark: w.disjMarked ? w.disjMarks![i]! : false, src }));
    pushDisjunction(v, key, terms, w.disjMarked, c, w);
    return;
  }
  if (w.isStruct || w.isList || w.arcs.size > 0 || partial) {
    if (v.borrow?.share) unshare(v);
    if (mayShare(v, w, c)) {
      if (v.shareable === undefined) {
        // Decided once all of v's conjuncts are in (doExpand): v may get more.
        v.shareable = { w, c, src };
        return;
      }
      // A second struct: neither is shared.
      flushShareable(v);
    }
    // Adding the same value twice in the same way is idempotent; skipping it
    // also ends mutual embeddings (`x: {Y}`, `Y: x`) that would re-add forever.
    // (A definition's own declarations are a group apart: CloseNode.inline.)
    const where: object = c.embedIn ?? c.node ?? (c.inline ? INLINE_GROUP : v);
    const mode = c.closeAll ? 'c' : c.openAll ? 'o' : c.embedIn ? 'e' : 'u';
    if (!c.opt && alreadyAdded(v, w, where, mode)) return;
    if (src && w.label !== '') {
      // The same reference re-entered along the ancestor chain (cycle.ts).
      const r = checkRepeat(v, w, c, src);
      if (r === 'cycle') {
        v.err = bottom('structural cycle', 'structural cycle', [src.pos]);
        return;
      }
      if (r === 'deferred') return;
    }
    if (c.opt && alreadyAdded(v, w, where, mode)) return;
    if (w.choices) {
      v.choices ??= new Map();
      for (const [k, i] of w.choices) if (!v.choices.has(k)) v.choices.set(k, i);
    }
    const node = newNode(!!c.closeAll);
    // `#A...` drops #A's closedness but an enclosing definition still only
    // allows #A's labels; `x...` of a value that was open anyway keeps it
    // open to any label, also under __reclose (builtins/reclose.txtar noClose).
    if (c.openAll) {
      if (vertexClosed(w)) node.opened = true;
      else node.open = true;
    }
    const member = !c.embedIn && c.def && !c.closeAll && (!isDefValue(w) || (!w.conjuncts.some((wc) => wc.closeAll) && sameDefinition(v, w)));
    if (c.embedIn) {
      node.embedded = true;
      node.embedding = true;
      node.parent = c.embedIn;
      nodePush(c.embedIn, 'embeds', node);
    } else if (c.node?.embedded && !member) {
      node.embedded = true;
      node.parent = c.node;
      nodePush(c.node, 'embeds', node);
      // In a definition, the declarations of one group widen what it allows (as for roots below).
      if (c.def) nodePush(c.node, 'unions', node);
      const r = rootOf(c.node);
      if (!r.embedded && !r.member && !v.roots.includes(r)) v.pushRoot(r);
    } else {
      if (member) node.member = true;
      else v.pushRoot(node);
      if (c.node) {
        const r = rootOf(c.node);
        if (!r.embedded && !r.member && !v.roots.includes(r)) v.pushRoot(r);
      }
      // A field declared in one group (e.g. `x: #S, x: {a: 1}` in a
      // definition) allows the union of what its declarations bring, while
      // the referenced value still restricts on its own as a root.
      let group = c.node;
      if (!group && c.def) group = groupNode(v, c);
      // The definition itself closes what its members declare.
      if (member && group) nodeFlag(group, 'closed');
      if (group && group !== node) {
        if (!group.unions?.includes(node)) nodePush(group, 'unions', node);
      }
    }
    if (w.isStruct) v.isStruct = true;
    if (w.isList && c.embedIn) v.listEmbedded = true;
    const slot = slotOf(c);
    for (const wc of w.conjuncts) {
      const x = cloneConj(wc);
      x.def = wc.def || c.def;
      if (c.opt) x.opt = true;
      if (slot) setSlot(x, slot.rec, slot.idx);
      x.node = node;
      x.embedIn = undefined;
      // A non-definition value or an embedding in a definition's own declarations is one of them.
      x.inline = member || c.embedIn ? c.inline : undefined;
      addConj(v, x);
    }
    if (w.conjuncts.length === 0) {
      // Values built programmatically (encode/fill) carry arcs but no conjuncts.
      copyArcs(v, w, c, node);
    }
    return;
  }
  setBase(v, w.base, c);
}

/** The `where` of alreadyAdded for values added to a vertex's inlineNode. */
const INLINE_GROUP = {};

/**
 * Records that w's conjuncts are added to v at `where` in `mode`; true when
 * they already were (or w was added four times already). Most vertices get
 * one value: that record needs no map.
 */
function alreadyAdded(v: Vertex, w: Vertex, where: object, mode: string): boolean {
  const a = v.added;
  if (a === undefined) {
    v.added = { w, where, mode };
    return false;
  }
  let m: Map<Vertex, { where: object; mode: string }[]>;
  if (a instanceof Map) m = a;
  else {
    if (a.w === w && a.where === where && a.mode === mode) return true;
    m = new Map([[a.w, [{ where: a.where, mode: a.mode }]]]);
    v.added = m;
  }
  let seen = m.get(w);
  if (!seen) m.set(w, (seen = []));
  if (seen.length >= 4 || seen.some((x) => x.where === where && x.mode === mode)) return true;
  seen.push({ where, mode });
  return false;
}

/**
 * Whether v refers to w from within the definition that declares w
 * (`#S: {f: {n: 3} & g, g: {}}`): closedness comes from referencing a
 * definition, so such a reference widens #S's group instead of closing f.
 */
function sameDefinition(v: Vertex, w: Vertex): boolean {
  const up = new Set<Vertex>();
  for (let p: Vertex | undefined = v; p; p = p.parent) up.add(p);
  // The reference reaches w from the common ancestor without crossing a definition.
  for (let p: Vertex | undefined = w; p; p = p.parent) {
    if (up.has(p)) return p !== w;
    if (isDefLabel(p.label)) return false;
  }
  return false;
}

/** A value that closes by itself when referenced: one declared in a definition, or a close() result (data never is). */
function isDefValue(w: Vertex): boolean {
  for (const wc of w.conjuncts) if (wc.def || wc.closeAll) return true;
  return false;
}


function copyArcs(v: Vertex, w: Vertex, c: Conjunct, node: CloseNode): void {
  if (w.isList) {
    v.isList = true;
    v.pushListPart({ n: w.arcs.size, open: w.listOpen });
  }
  if (debug.sharing && w.plainData && w.arcs.size > 0 && v.arcs.size === 0 && !v.borrow && v.patterns.length === 0) {
    // Structure sharing: nothing else has added arcs here yet, so v reads
    // the data's arcs until something changes them (Vertex.borrow).
    for (const l of w.arcs.keys()) nodeLabel(node, l);
    v.arcs = w.arcs;
    v.borrow = { env: c.env, def: c.def };
    setBase(v, w.base);
    return;
  }
  for (const [l, a] of w.arcs) {
    const arc = getArc(v, l);
    nodeLabel(node, l);
    arc.fieldKind = a.fieldKind;
    const cj = new Conj(c.env, c.def);
    cj.val = dataArcValue(a);
    addArcConj(arc, cj);
  }
  setBase(v, w.base);
}

/** Whether v is w itself or a disjunct clone of w. */
function standsFor(v: Vertex, w: Vertex): boolean {
  return v === w || (!!v.choices && v.label !== '' && v.label === w.label && v.parent === w.parent);
}

function isAncestor(a: Vertex, v: Vertex): boolean {
  // Disjunct clones stand for the vertex they were cloned from.
  for (let p = v.parent; p; p = p.parent) if (standsFor(p, a)) return true;
  return false;
}

/**
 * Whether a is an ancestor of v in the value's structure. An inline value
 * that is selected from (`{a: x}.a`, `(X & {in: root}).out`) hangs below the
 * vertex that evaluates it but is no part of that vertex's value: a reference from inside it to an
 * enclosing field is a reference cycle (resolved by the field's other
 * conjuncts), not a structural one, unless what it selects is put back into
 * the field (which the field then detects itself).
 */
function isStructuralAncestor(a: Vertex, v: Vertex): boolean {
  for (let p = v.parent; p; p = p.parent) {
    if (standsFor(p, a)) return true;
    if (p.inline) return false;
  }
  return false;
}

function addStruct(v: Vertex, lit: StructLit, c: Conjunct): void {
  v.isStruct = true;
  let n: CloseNode;
  if (c.embedIn) {
    if (lit.decls.length === 0) v.structEmbedded = true;
    n = newNode();
    n.embedded = true;
    n.embedding = true;
    n.parent = c.embedIn;
    nodePush(c.embedIn, 'embeds', n);
  } else if (c.node) {
    n = c.node;
    const r = rootOf(n);
    if (!r.embedded && !r.member && !v.roots.includes(r)) v.pushRoot(r);
  } else n = groupNode(v, c);
  if (!embeddedConj(c) && lit.decls.every((d) => d.type === 'Field')) v.structDirect = true;
  if ((c.def && !c.noClose) || c.closeAll) nodeFlag(n, 'closed');
  if (!c.def && lit.decls.some((d) => d.type === 'Embed' || d.type === 'Comprehension')) nodeFlag(n, 'mixed');
  const env: Env = { up: c.env, vertex: v, scope: scopeOf(lit), lit };
  // Fields first: embeddings may refer to fields declared after them. What
  // embeddings and comprehensions create is put in declaration order (order.ts).
  const rec: LitOrder | undefined = needsOrder(lit, isStaticField) ? { items: [] } : undefined;
  for (let i = 0; i < lit.decls.length; i++) {
    const d = lit.decls[i]!;
    if (d.type !== 'Field') continue;
    if (!rec) {
      addField(v, d, env, c, n);
      continue;
    }
    const n0 = v.arcs.size;
    const k0 = v.comprehensions.length;
    addField(v, d, env, c, n);
    noteCreated(v, rec, n0, i);
    if (v.comprehensions.length > k0) setSlot(v.comprehensions[k0]!.conj, rec, i);
  }
  let embedded = false;
  for (let i = 0; i < lit.decls.length; i++) {
    const d = lit.decls[i]!;
    switch (d.type) {
      case 'Embed': {
        if (d.explicitOpen) nodeFlag(n, 'strict');
        const n0 = v.arcs.size;
        const ec: Conjunct = { expr: d.expr, env, def: c.def, embedIn: n, pos: d.pos, inline: c.inline };
        // An embedded struct whose sharing is decided later creates its arcs then (doExpand).
        if (rec) setSlot(ec, rec, i);
        addConj(v, ec);
        if (rec && noteCreated(v, rec, n0, i)) embedded = true;
        break;
      }
      case 'Comprehension': {
        const cc: Conjunct = { expr: d, env, def: c.def, embedIn: n, inline: c.inline };
        if (rec) setSlot(cc, rec, i);
        v.addComprehension({ conj: cc, expr: d });
        break;
      }
      case 'Ellipsis':
        nodeFlag(n, 'open');
        if (d.elem) {
          const pat = { pattern: TOP as Val, conj: { expr: d.elem, env, def: c.def, opt: true, inline: c.inline } };
          v.pushPattern(pat);
          if (v.borrow) v.arcMap();
          for (const a of v.arcs.values()) applyPattern(pat, a);
        }
        break;
      default:
        break;
    }
  }
  if (embedded) applyOrder(v, rec!);
}

/** An embedding, or a value an embedding brought (not an operand of `&`, whose node is embedded in the `&` group). */
function embeddedConj(c: Conjunct): boolean {
  if (c.embedIn) return true;
  for (let n = c.node; n?.embedded; n = n.parent) if (n.embedding) return true;
  return false;
}

/**
 * The group of v's declarations that came with no node of their own: a
 * definition's own declarations (Conjunct.inline) form one, the others
 * (declared in a definition reached by a reference, top-level values) another.
 */
function groupNode(v: Vertex, c: Conjunct): CloseNode {
  if (c.inline) {
    if (!v.inlineNode) {
      v.inlineNode = newNode();
      v.inlineNode.inline = true;
      v.pushRoot(v.inlineNode);
    }
    return v.inlineNode;
  }
  if (!v.declNode) {
    v.declNode = newNode();
    v.pushRoot(v.declNode);
  }
  return v.declNode;
}

function isStaticField(d: Decl): boolean {
  if (d.type !== 'Field') return false;
  const l = d.label.type === 'AliasLabel' ? d.label.label : d.label;
  return l.type !== 'PatternLabel' && staticLabel(l) !== undefined;
}

function addField(v: Vertex, d: Field, env: Env, c: Conjunct, n: CloseNode): void {
  let label: Label = d.label;
  let alias: string | undefined;
  if (label.type === 'AliasLabel') {
    alias = label.alias.name;
    label = label.label;
  }
  if (label.type === 'PatternLabel') {
    const pv = evalExpr(label.expr, env);
    if (isBottom(pv)) {
      // A pattern that fails to evaluate makes the struct an error (fulleval/049).
      v.err ??= pv;
      return;
    }
    const pat = { pattern: pv, conj: { expr: d.value, env, def: c.def, attrs: d.attrs, pos: d.pos, opt: true, inline: c.inline }, alias: label.alias?.name, fieldAlias: alias };
    v.pushPattern(pat);
    nodePush(n, 'patterns', pv);
    if (v.borrow) v.arcMap();
    for (const a of v.arcs.values()) applyPattern(pat, a);
    return;
  }
  if (label.type === 'ParenLabel' || (label as { type: string }).type === 'Interpolation' || (label.type === 'BasicLit' && label.kind === 'string' && label.value === undefined)) {
    // Dynamic labels are resolved after the static fields, like comprehensions.
    const conj = cloneConj(c);
    conj.env = env;
    conj.embedIn = n;
    // Produced by a comprehension's body: its fields stand where the comprehension does.
    const slot = slotOf(c);
    if (slot) setSlot(conj, slot.rec, slot.idx);
    v.addComprehension({ conj, expr: d as unknown as Expr });
    return;
  }
  const name = staticLabel(label);
  if (name === undefined) {
    v.err = bottom('eval', `not supported yet: label of type ${label.type}`, [label.pos]);
    return;
  }
  declareField(v, name, d, env, c, n);
}

function declareField(v: Vertex, name: string, d: Field, env: Env, c: Conjunct, n: CloseNode): void {
  const arc = getArc(v, name);
  if (d.constraint === '') arc.fieldKind = 'regular';
  else if (arc.conjuncts.length === 0 || arc.fieldKind !== 'regular') {
    if (d.constraint === '!') arc.fieldKind = 'required';
    else if (arc.fieldKind !== 'required') arc.fieldKind = 'optional';
  }
  if (d.constraint === '' && arc.fieldKind !== 'regular') arc.fieldKind = 'regular';
  nodeLabel(n, name);
  // The field's value belongs to this group's closedness context for the label.
  // A definition declared in several places is one definition: its
  // declarations share the arc's node (their fields are unioned).
  // Outside definitions each declaration is its own closedness context
  // (`a: {#A}` stays closed when `a: c: 1` is declared elsewhere); inside a
  // definition repeated declarations are one context.
  // A scalar literal never declares fields: it needs no node (most fields are such leaves).
  const scalar = d.value.type === 'BasicLit' || d.value.type === 'Interpolation';
  // A definition embedded in a literal that declares fields of its own:
  // what the literal declares for its fields joins the definition's groups
  // for them (spec: embedding bypasses the definition's closedness).
  // (Repeated declarations in a definition are one group: they share the node.)
  // A definition declared outside definitions is one group per literal (its
  // declarations there union), intersecting with the same definition brought
  // in by a reference (`a: #D, a: {#foo: b: int}` with #D: #foo: a: int).
  // A definition's own declarations (at the top of a file, or of a definition
  // field in a regular struct: `x: {#d: v: b: 1}`) form one group per field,
  // which reports the field closed but lets through what a reference to a
  // definition there allows (`#d: #D` restricts x.#d.v to what #D.v declares),
  // as CUE typo-checks references to definitions and not inline structs.
  const inline = isDefLabel(name) ? !c.def || !!c.inline : !!c.inline && c.def;
  const kid = inline || isDefLabel(name) || scalar || (c.def && !(n.embedded && rootOf(n).mixed)) ? undefined : kidOf(n, name, !c.def);
  const cj = new Conj(env, c.def || isDefLabel(name));
  if (inline && !scalar) cj.inline = true;
  cj.expr = d.value;
  cj.attrs = d.attrs;
  cj.pos = d.label.pos ?? d.pos;
  cj.node = kid;
  if (c.opt || d.constraint === '?') cj.opt = true;
  addArcConj(arc, cj);
}

/**
 * The closedness node for field `name` below node `n`. Below an embedding the
 * field's node is itself embedded in the enclosing literal's node for that
 * field, mirroring the struct structure.
 */
function kidOf(n: CloseNode, name: string, fresh = false): CloseNode {
  if (fresh && n.mixed && !n.embedded) {
    // A literal with embeddings: its own declarations of the field (which
    // intersect, as separate declarations do) form one group with what the
    // embeddings declare for it (`{#A, a: b: 1}` with #A: a?: #B allows a.b,
    // as the embedding's closedness does not restrict the literal's fields).
    const p = kidOf(n, name);
    let own = p.own;
    if (!own) {
      own = newNode();
      own.and = true;
      own.embedded = true;
      own.parent = p;
      nodePush(p, 'embeds', own);
      nodeOwn(p, own);
    }
    const k = newNode();
    k.embedded = true;
    k.parent = own;
    nodePush(own, 'embeds', k);
    return k;
  }
  let k = fresh ? undefined : n.kids?.get(name);
  if (!k) {
    k = newNode();
    // The fields of intersecting operands intersect as well.
    if (n.and) k.and = true;
    if (!fresh) nodeKid(n, name, k);
    if (n.embedded && n.parent) {
      // Several declarations of a field within one embedded value (`{X}` with
      // `X: f: a: 1` and `X: f: #F`) intersect, as they do in X itself; the
      // embedding's groups are then united with the enclosing literal's.
      let pk: CloseNode;
      if (fresh) {
        pk = kidOf(n, name);
        nodeFlag(pk, 'and');
      } else pk = kidOf(n.parent, name);
      k.embedded = true;
      k.parent = pk;
      nodePush(pk, 'embeds', k);
    }
  }
  return k;
}

function rootOf(n: CloseNode): CloseNode {
  while (n.embedded && n.parent) n = n.parent;
  return n;
}

function addDynamicField(v: Vertex, d: Field, conj: Conjunct): void {
  let label: Label = d.label;
  if (label.type === 'AliasLabel') label = label.label;
  const lexpr: Expr = label.type === 'ParenLabel' ? label.expr : (label as Expr);
  const lv = concreteDefault(evalExpr(lexpr, conj.env));
  if (lv.t !== 'string') {
    if (isBottom(lv)) {
      if (lv.code === 'incomplete') v.incompleteErr ??= lv;
      else v.err ??= lv;
      return;
    }
    if (lv.t === 'cons' || lv.t === 'top' || lv.t === 'disj') {
      v.incompleteErr ??= incomplete(`invalid non-ground value ${show(lv)} (must be concrete string)`, [lexpr.pos]);
      return;
    }
    v.err ??= bottom('eval', `invalid label type ${kindName(kindOf(lv))}`, [lexpr.pos]);
    return;
  }
  declareField(v, fieldLabel(lv.s), d, conj.env, conj, conj.embedIn ?? v.declNode ?? newNode());
}

function addList(v: Vertex, lit: ListLit, c0: Conjunct): void {
  v.isList = true;
  if (shareState.collecting === v && lit.elts.some((e) => e.type === 'Comprehension')) {
    // Its comprehensions may range over v itself (`panels: [for i, _ in
    // panels {id: i}]`, `panels: [{}, {}]`): they run once v's other
    // conjuncts are in (doExpand).
    (v.deferredLists ??= []).push({ lit, c: c0 });
    return;
  }
  if (c0.embedIn) v.listEmbedded = true;
  else if (!embeddedConj(c0)) v.listDirect = true;
  const c = { ...c0, env: { up: c0.env, vertex: v, list: true } };
  let n = 0;
  let open = false;
  let elem: Conjunct | undefined;
  const base = v.listParts.length ? v.listParts.reduce((m, p) => Math.max(m, p.n), 0) : 0;
  void base;
  for (const e of lit.elts) {
    if (e.type === 'Ellipsis') {
      open = true;
      if (e.elem) elem = { expr: e.elem, env: c.env, def: c.def, pos: e.pos, opt: true, inline: c.inline };
      continue;
    }
    // An element written outside a definition is a closedness group of its
    // own: `#L: [{a: int}]` & `[{b: 2}]` does not let b into the definition's
    // closed element. Elements declared in definitions form one group per
    // element (the vertex's), which allows what all of them declare.
    if (e.type === 'Comprehension') {
      const yields = collectYields(v, e, c.env);
      for (const y of yields) {
        const arc = getArc(v, String(n++));
        addArcConj(arc, { expr: y.body, env: y.env, def: c.def, pos: e.pos, node: c.def ? undefined : newNode(), opt: c.opt, inline: c.inline });
      }
      continue;
    }
    const arc = getArc(v, String(n++));
    addArcConj(arc, { expr: e, env: c.env, def: c.def, pos: e.pos, node: c.def ? undefined : newNode(), opt: c.opt, inline: c.inline });
  }
  v.pushListPart({ n, open, elem, pos: lit.pos });
}

function collectYields(v: Vertex, e: Comprehension, env: Env): { env: Env; body: StructLit }[] {
  const out: { env: Env; body: StructLit }[] = [];
  runComprehension(v, e, { expr: e, env, def: false }, (y, body) => out.push({ env: y, body }));
  return out;
}

function finishList(v: Vertex): void {
  const parts = v.listParts;
  let max = 0;
  for (const p of parts) max = Math.max(max, p.n);
  const closed = parts.filter((p) => !p.open);
  for (const p of closed) {
    if (p.n !== max) {
      const other = parts.find((q) => q.n === max)!;
      v.err = bottom('eval', `incompatible list lengths (${p.n} and ${max})`, [p.pos, other.pos]);
      return;
    }
  }
  v.listOpen = closed.length === 0;
  v.listElem = [];
  for (const p of parts) {
    if (!p.open) continue;
    if (p.elem) {
      if (v.listOpen) v.pushListElem(p.elem);
      for (let i = p.n; i < max; i++) addArcConj(getArc(v, String(i)), cloneConj(p.elem));
    }
  }
}

// ---------------------------------------------------------------- disjunctions

function addDisjunction(v: Vertex, e: Expr, c: Conjunct): void {
  const raw = flattenSyntax(e, false);
  const terms: (Term & { src: Expr })[] = raw.map((t) => ({ v: scalarOf(evalExpr(t.expr, c.env)), star: t.star, src: t.expr }));
  if (terms.every((t) => t.v.t !== 'vertex')) {
    setBase(v, mkDisj(terms, e.pos));
    return;
  }
  // Struct or list disjuncts: flatten nested disjunctions and split the vertex.
  const outerMarked = terms.some((t) => t.star);
  const flat: { v: Val; mark: boolean; src?: Expr }[] = [];
  for (const t of terms) {
    let inner: { v: Val; mark: boolean }[] | undefined;
    let innerMarked = false;
    if (t.v.t === 'disj') {
      inner = t.v.terms.map((x, i) => ({ v: x, mark: (t.v as { marks: boolean[] }).marks[i]! }));
      innerMarked = t.v.marked;
    } else if (t.v.t === 'vertex' && t.v.conjuncts.length && t.v.label !== '' && !standsFor(v, t.v)) {
      // (A self reference is not flattened: once the vertex is split, its
      // disjuncts would shift the term indices that the clones chose by.)
      expand(t.v);
      if (t.v.disjuncts) {
        inner = t.v.disjuncts.map((x, i) => ({ v: x as Val, mark: t.v.t === 'vertex' ? t.v.disjMarks![i]! : false }));
        innerMarked = t.v.disjMarked;
      }
    }
    if (isBottom(t.v)) continue;
    if (inner) {
      for (const x of inner) {
        const m = t.star ? (innerMarked ? x.mark : true) : outerMarked ? false : innerMarked && x.mark;
        flat.push({ v: x.v, mark: m, src: t.src });
      }
    } else flat.push({ v: t.v, mark: t.star, src: t.src });
  }
  if (flat.length === 0) {
    setBase(v, mkDisj(terms, e.pos));
    return;
  }
  pushDisjunction(v, e, flat, flat.some((f) => f.mark), c);
}

/**
 * A reference to a field whose value is a scalar or scalar constraint
 * (`core.#PortType | *8080`) stands for that value: the disjunction stays a
 * scalar one instead of splitting the vertex into a clone per term.
 */
function scalarOf(x: Val): Val {
  if (x.t !== 'vertex' || x.label === '' || x.status === 1) return x;
  expand(x);
  if (x.status < 2 || x.err || x.disjuncts || x.pending || x.isStruct || x.isList || x.arcs.size || x.incompleteErr || x.tainted) return x;
  const b = x.base;
  return b.t === 'top' || isBottom(b) ? x : b;
}

function pushDisjunction(v: Vertex, key: Expr, terms: { v: Val; mark: boolean; src?: Expr }[], marked: boolean, c: Conjunct, from?: Vertex): void {
  // Every reference to one disjunction value, added the same way, is one
  // choice: X & X is X, and a combination of different terms of X is an
  // instance of each of them (`foo: #Value` declared many times).
  const same = from && !c.embedIn;
  const choice = v.choices?.get(key) ?? (same ? v.choiceFrom?.get(from) : undefined);
  if (choice !== undefined && terms[choice]) {
    // A disjunct is an optional path: a repeat through it must be fed (cycle.ts).
    const oc = cloneConj(c);
    oc.opt = true;
    addVal(v, terms[choice]!.v, oc, terms[choice]!.src);
    return;
  }
  if (terms.length === 1) {
    addVal(v, terms[0]!.v, c, terms[0]!.src);
    return;
  }
  if (same && v.pending?.some((p) => p.from === from && sameMode(p.c, c))) return;
  (v.pending ??= []).push({ key, terms, marked, c, from: same ? from : undefined });
}

/** Conjuncts that add a value with the same closedness. */
function sameMode(a: Conjunct, b: Conjunct): boolean {
  return a.def === b.def && !a.closeAll === !b.closeAll && !a.openAll === !b.openAll && !a.opt === !b.opt;
}

/** The terms of a disjunction expression depend on its syntax only: computed once per expression. */
const flatCache = new WeakMap<Expr, { expr: Expr; star: boolean }[]>();

function flattenSyntax(e: Expr, star: boolean): { expr: Expr; star: boolean }[] {
  if (e.type === 'BinaryExpr' && e.op === '|') {
    let terms = flatCache.get(e);
    if (!terms) flatCache.set(e, (terms = [...flattenSyntax(e.x, false), ...flattenSyntax(e.y, false)]));
    return terms;
  }
  if (e.type === 'UnaryExpr' && e.op === '*') return [{ expr: e.x, star: true }];
  return [{ expr: e, star }];
}

function splitDisjunctions(v: Vertex): void {
  const pend = v.pending!;
  let total = 1;
  for (const p of pend) total *= p.terms.length;
  if (total > limits.maxDisjuncts) {
    v.err = bottom('eval', `not supported yet: disjunction with ${total} combinations`, v.positions.slice(0, 1));
    return;
  }
  const survivors: { x: Vertex; mark: boolean; idx: number[]; inner: boolean; changes: Change[] }[] = [];
  const errs: Bottom[] = [];
  const idx = pend.map(() => 0);
  const anyMarked = pend.some((p) => p.marked);
  for (let n = 0; n < total; n++) {
    let r = n;
    for (let k = pend.length - 1; k >= 0; k--) {
      idx[k] = r % pend[k]!.terms.length;
      r = Math.floor(r / pend[k]!.terms.length);
    }
    tick();
    const clone = new Vertex(v.parent, v.label);
    clone.fieldKind = v.fieldKind;
    clone.conjuncts = v.conjuncts;
    clone.positions = v.positions;
    clone.attrs = v.attrs;
    clone.notAllowed = v.notAllowed;
    clone.choices = new Map(v.choices ?? []);
    if (v.choiceFrom) clone.choiceFrom = new Map(v.choiceFrom);
    for (let k = 0; k < pend.length; k++) {
      clone.choices.set(pend[k]!.key, idx[k]!);
      const from = pend[k]!.from;
      if (from) (clone.choiceFrom ??= new Map()).set(from, idx[k]!);
    }
    // Each disjunct sees the shared closedness nodes as they were before any disjunct.
    let err: Bottom | undefined;
    let readers: Set<Vertex> | undefined;
    const changes = isolated(() => {
      readers = inDisjunct(v, clone, () => {
        expand(clone);
        err = deepError(clone, 0);
      });
    });
    // What was computed outside the disjunct from it holds for it only.
    for (const r of readers!) if (!r.onStack && r.status >= 2) resetVertex(r);
    if (err) {
      errs.push(err);
      continue;
    }
    if (clone.disjuncts) {
      clone.disjuncts.forEach((d, i) => survivors.push({ x: d, mark: !clone.disjMarked || clone.disjMarks![i]!, idx: idx.slice(), inner: true, changes }));
    } else survivors.push({ x: clone, mark: true, idx: idx.slice(), inner: false, changes });
  }
  // Defaults: a disjunction whose marked terms were all eliminated counts as
  // unmarked; the others require their marked term.
  const alive = pend.map((p, k) => p.marked && survivors.some((s) => p.terms[s.idx[k]!]!.mark));
  for (const s of survivors) {
    for (let k = 0; k < pend.length; k++) if (alive[k] && !pend[k]!.terms[s.idx[k]!]!.mark) s.mark = false;
  }
  // Deduplicate equal disjuncts.
  const uniq: { x: Vertex; mark: boolean; changes: Change[] }[] = [];
  for (const s of survivors) {
    const same = uniq.find((u) => sameDisjunct(u.x, s.x));
    if (same) same.mark = same.mark || s.mark;
    else uniq.push(s);
  }
  if (uniq.length === 0) {
    if (errs.length === 1) v.err = errs[0]!;
    else {
      const code = errs.every((e) => e.code === 'incomplete') ? 'incomplete' : 'eval';
      const b = bottom(code, `${errs.length} errors in empty disjunction: ${errs.map((e) => e.msg).join('; ')}`, errs.flatMap((e) => e.pos).slice(0, 8));
      b.more = errs;
      v.err = b;
    }
    return;
  }
  const marked = (anyMarked || survivors.some((s) => s.inner)) && uniq.some((u) => u.mark) && !uniq.every((u) => u.mark);
  if (uniq.length === 1) {
    replay(uniq[0]!.changes);
    adopt(v, uniq[0]!.x);
    return;
  }
  v.disjuncts = uniq.map((u) => u.x);
  v.disjMarks = uniq.map((u) => u.mark);
  v.disjMarked = marked;
  if (pend.filter((p) => p.marked).length > 1) v.disjMulti = true;
}

function adopt(v: Vertex, x: Vertex): void {
  if (x.borrow?.share) {
    // The disjunct shares a struct: so does v (its arcs stay the struct's).
    v.arcs = x.arcs;
    v.borrow = x.borrow;
  } else {
    v.arcs = x.arcMap();
    // v's own arcs now: whatever v borrowed before the split is gone.
    v.borrow = undefined;
  }
  v.base = x.base;
  v.scalarDirect = x.scalarDirect;
  v.scalarEmbedded = x.scalarEmbedded;
  v.structEmbedded = x.structEmbedded;
  v.listEmbedded = x.listEmbedded;
  v.listDirect = x.listDirect;
  v.structDirect = x.structDirect;
  v.isStruct = x.isStruct;
  v.isList = x.isList;
  v.listOpen = x.listOpen;
  v.listElem = x.listElem;
  v.listParts = x.listParts;
  v.roots = x.roots;
  v.declNode = x.declNode;
  v.inlineNode = x.inlineNode;
  v.patterns = x.patterns;
  v.err = x.err;
  v.incompleteErr = x.incompleteErr;
  v.disjuncts = x.disjuncts;
  v.disjMarks = x.disjMarks;
  v.disjMarked = x.disjMarked;
  v.disjMulti = x.disjMulti;
  v.choices = x.choices;
  v.choiceFrom = x.choiceFrom;
  v.pending = undefined;
  if (!v.borrow?.share) for (const a of v.arcs.values()) a.parent = v;
}

/** The first permanent (non-incomplete) error in a vertex or its regular/definition arcs. */
export function deepError(v: Vertex, depth: number): Bottom | undefined {
  expand(v);
  if (v.err) return v.err.code === 'incomplete' ? undefined : v.err;
  if (isBottom(v.base)) return v.base.code === 'incomplete' ? undefined : v.base;
  if (depth > 40 || v.disjuncts) return undefined;
  for (const [, a] of v.arcs) {
    if (a.fieldKind === 'optional') continue;
    const e = deepError(a, depth + 1);
    if (e) return e;
  }
  return undefined;
}

// ---------------------------------------------------------------- equality

/** `{2, #x: 1}`: a scalar (or scalar constraint) with only definitions or hidden fields. */
export function isEmbeddedScalar(v: Vertex): boolean {
  if (v.isList || v.disjuncts || v.err) return false;
  if (v.base.t === 'top' || v.base.t === 'bottom') return false;
  return !hasRegularLabel(v);
}

function isPlainScalarVertex(v: Vertex): boolean {
  return !v.isStruct && !v.isList && !v.disjuncts && v.arcs.size === 0;
}

export function vertexEqual(a: Vertex, b: Vertex): boolean {
  return valEqual(a, b, 0);
}

/**
 * Disjuncts are duplicates only when they are the same value in every
 * respect: regular fields and also optional and required ones and openness
 * (`{a?: int} | {b?: int}` keeps both; `{a: 1} | #b` with `#b: {a: 1}` too).
 */
function sameDisjunct(a: Vertex, b: Vertex): boolean {
  if (!vertexEqual(a, b)) return false;
  return structurallyEqual(a, b, 0);
}

function structurallyEqual(a: Vertex, b: Vertex, depth: number): boolean {
  if (depth > 20) return true;
  expand(a);
  expand(b);
  if (a.disjuncts || b.disjuncts || a.err || b.err) return true;
  // Scalars (also embedded in a struct, `{string}`) were compared by value.
  if (isEmbeddedScalar(a) || isPlainScalarVertex(a) || isEmbeddedScalar(b) || isPlainScalarVertex(b)) return true;
  if (a.isStruct !== b.isStruct) return false;
  if (a.isStruct && vertexClosed(a) !== vertexClosed(b)) return false;
  let na = 0;
  for (const [l, x] of a.arcs) {
    na++;
    const y = b.arcs.get(l);
    if (!y || y.fieldKind !== x.fieldKind) return false;
    if (x.fieldKind === 'regular') {
      if (!structurallyEqual(x, y, depth + 1)) return false;
    } else if (!valEqual(x, y, depth + 1)) return false;
  }
  return na === b.arcs.size;
}

export function valEqual(a: Val, b: Val, depth: number): boolean {
  if (a === b) return true;
  if (depth > 50) return false;
  if (a.t === 'vertex') {
    expand(a);
    if (a.err) return b.t === 'bottom' || (b.t === 'vertex' && !!(expand(b), b.err));
    if (isEmbeddedScalar(a) || isPlainScalarVertex(a)) return valEqual(a.base, b, depth);
  }
  if (b.t === 'vertex') {
    expand(b);
    if (isEmbeddedScalar(b) || isPlainScalarVertex(b)) return valEqual(a, b.base, depth);
  }
  if (a.t === 'vertex' && b.t === 'vertex') {
    if (a.disjuncts || b.disjuncts) {
      if (!a.disjuncts || !b.disjuncts || a.disjuncts.length !== b.disjuncts.length) return false;
      return a.disjuncts.every((x, i) => valEqual(x, b.disjuncts![i]!, depth + 1));
    }
    if (a.isList !== b.isList) return false;
    if (!valEqual(a.base, b.base, depth + 1)) return false;
    const la = [...a.arcs.entries()].filter(([, x]) => x.fieldKind === 'regular');
    const lb = [...b.arcs.entries()].filter(([, x]) => x.fieldKind === 'regular');
    if (la.length !== lb.length) return false;
    for (const [l, x] of la) {
      const y = b.arcs.get(l);
      if (!y || y.fieldKind !== 'regular') return false;
      if (!valEqual(x, y, depth + 1)) return false;
    }
    return true;
  }
  if (a.t === 'vertex' || b.t === 'vertex') return false;
  if (isScalar(a) && isScalar(b)) return a.t === b.t && compareEq(a, b);
  if (a.t === 'disj' && b.t === 'disj') return a.terms.length === b.terms.length && a.terms.every((t, i) => valEqual(t, b.terms[i]!, depth + 1));
  if (a.t === 'cons' && b.t === 'cons') return show(a) === show(b);
  if (a.t === 'top' && b.t === 'top') return true;
  if (a.t === 'bottom' && b.t === 'bottom') return true;
  return false;
}

function compareEq(a: Val, b: Val): boolean {
  if (a.t === 'null') return true;
  if (a.t === 'bool' && b.t === 'bool') return a.b === b.b;
  if ((a.t === 'string' || a.t === 'bytes') && (b.t === 'string' || b.t === 'bytes')) return a.s === b.s;
  return compare(a, b) === 0;
}

/** Data equality used by `==` on lists and structs: regular fields only, recursively. */
export function dataEqual(a: Val, b: Val): boolean {
  a = concreteDefault(a);
  b = concreteDefault(b);
  if (a.t === 'vertex' && b.t === 'vertex') {
    expand(a);
    expand(b);
    if (a.isList !== b.isList) return false;
    const la = regularArcs(a);
    const lb = regularArcs(b);
    if (la.length !== lb.length) return false;
    for (const [l, x] of la) {
      const y = b.arcs.get(l);
      if (!y || y.fieldKind !== 'regular') return false;
      if (!dataEqual(x, y)) return false;
    }
    return true;
  }
  if (a.t === 'vertex' || b.t === 'vertex') return false;
  if (isScalar(a) && isScalar(b)) {
    if ((a.t === 'int' || a.t === 'float') && (b.t === 'int' || b.t === 'float')) return compare(a, b) === 0;
    return a.t === b.t && compareEq(a, b);
  }
  return false;
}

export function regularArcs(v: Vertex): [string, Vertex][] {
  return [...v.arcs.entries()].filter(([l, x]) => x.fieldKind === 'regular' && isRegularLabel(l));
}

setDeepEqual(dataEqual);

// ---------------------------------------------------------------- values of vertices

/** The value a reference to this vertex stands for in expressions (not unification). */
export function vertexValue(v: Vertex): Val {
  expand(v);
  if (v.status === 1) return cycleErr(v);
  if (v.err) return v.err;
  if (v.disjuncts || v.isStruct || v.isList) return v;
  if (v.arcs.size > 0 && v.base.t === 'top') return v;
  return v.base;
}

// ---------------------------------------------------------------- expressions

export function evalExpr(e: Expr, env: Env): Val {
  tick();
  switch (e.type) {
    case 'BasicLit':
      return evalLit(e);
    case 'Ident':
      if (e.optional) return evalOptionalRef(e, env);
      if (e.self) return resolveSelf(env, e.pos);
      return resolveIdent(e.name, env, e.pos);
    case 'ParenExpr':
      return evalExpr(e.expr, env);
    case 'BottomLit':
      return bottom('user', 'explicit error (_|_ literal) in source', [e.pos]);
    case 'StructLit':
    case 'ListLit':
    case 'Comprehension': {
      const anon = new Vertex(anonParent(env), '');
      anon.addConjunct({ expr: e, env, def: false, pos: e.pos });
      anon.addPosition(e.pos);
      return anon;
    }
    case 'Interpolation':
      return evalInterpolation(e, env);
    case 'SelectorExpr': {
      if (e.optional) return evalOptionalRef(e, env);
      const x = evalOperand(e.x, env);
      const sel = e.sel.type === 'Ident' ? e.sel.name : fieldLabel(e.sel.value ?? e.sel.raw);
      return selectField(x, sel, e.sel.pos, e.x);
    }
    case 'IndexExpr': {
      if (e.optional) return evalOptionalRef(e, env);
      const x = evalOperand(e.x, env);
      const i = concreteDefault(evalExpr(e.index, env));
      return indexValue(x, i, e);
    }
    case 'SliceExpr':
      return sliceValue(e, env);
    case 'CallExpr':
      return callExpr(e, env);
    case 'UnaryExpr':
      return evalUnary(e, env);
    case 'BinaryExpr':
      if (e.op === '&' || e.op === '|') return evalStructural(e, env);
      return evalBinary(e, env);
    case 'Alias':
      return evalExpr(e.expr, env);
    case 'Ellipsis': {
      if (!e.elem) return bottom('eval', 'not supported yet: ellipsis in expression position', [e.pos]);
      const anon = new Vertex(anonParent(env), '');
      anon.addConjunct({ expr: e, env, def: false, pos: e.pos });
      anon.addPosition(e.pos);
      return anon;
    }
  }
}

/** `&` and `|` in expression position: scalars combine directly, structs get an anonymous vertex. */
/** The operand of a selector or index: an inline struct, list or `&` is marked `inline` (see isStructuralAncestor). */
function evalOperand(e: Expr, env: Env): Val {
  let x = e;
  while (x.type === 'ParenExpr') x = x.expr;
  if (x.type === 'StructLit' || x.type === 'ListLit') {
    const v = evalExpr(x, env);
    if (v.t === 'vertex') v.inline = true;
    return v;
  }
  if (x.type === 'BinaryExpr' && (x.op === '&' || x.op === '|')) return evalStructural(x, env, true);
  return evalExpr(x, env);
}

function evalStructural(e: Expr & { type: 'BinaryExpr' }, env: Env, inline = false): Val {
  if (e.op === '|') {
    const raw = flattenSyntax(e, false);
    const terms: Term[] = raw.map((t) => ({ v: evalExpr(t.expr, env), star: t.star }));
    if (terms.every((t) => t.v.t !== 'vertex')) return mkDisj(terms, e.pos);
  } else {
    const a = evalExpr(e.x, env);
    const b = evalExpr(e.y, env);
    if (a.t !== 'vertex' && b.t !== 'vertex') {
      if (a.t === 'disj' || b.t === 'disj') return unifyDisj(a, b, unifyValues);
      const r = unifyScalar(a, b);
      return r;
    }
  }
  const anon = new Vertex(anonParent(env), '');
  if (inline) anon.inline = true;
  anon.addConjunct({ expr: e, env, def: false, pos: e.pos });
  anon.addPosition(e.pos);
  expand(anon);
  if (anon.err) return anon.err;
  if (!anon.isStruct && !anon.isList && !anon.disjuncts && anon.arcs.size === 0) return anon.base;
  return anon;
}

function evalLit(e: Expr & { type: 'BasicLit' }): Val {
  switch (e.kind) {
    case 'null':
      return { t: 'null', pos: e.pos };
    case 'bool':
      return { t: 'bool', b: e.raw === 'true', pos: e.pos };
    case 'string':
      return { t: 'string', s: e.value ?? '', pos: e.pos };
    case 'bytes':
      return { t: 'bytes', s: e.value ?? '', pos: e.pos };
    case 'int':
    case 'float': {
      const n = parseNumber(e.raw);
      if (!n) return bottom('eval', `invalid number literal ${e.raw}`, [e.pos]);
      return n.kind === 'int' ? { t: 'int', i: n.int, pos: e.pos } : { t: 'float', d: n.float, raw: e.raw, pos: e.pos };
    }
  }
}

const predeclaredTypes: Record<string, number> = {
  int: INT,
  float: FLOAT,
  number: NUMBER,
  string: STRING,
  bytes: BYTES,
  bool: BOOL,
};

export const coreFuncs = new Set(['len', 'close', 'and', 'or', 'div', 'mod', 'quo', 'rem', 'error', 'matchN', 'matchIf', 'closeAll', 'reclose']);

const intRanges: Record<string, [bigint, bigint]> = {
  int8: [-(2n ** 7n), 2n ** 7n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  int128: [-(2n ** 127n), 2n ** 127n - 1n],
  uint8: [0n, 2n ** 8n - 1n],
  byte: [0n, 2n ** 8n - 1n],
  uint16: [0n, 2n ** 16n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  uint128: [0n, 2n ** 128n - 1n],
  rune: [0n, 0x10ffffn],
};

function predeclared(name: string, pos: Pos): Val | undefined {
  if (name in predeclaredTypes) return mkCons(predeclaredTypes[name]!, [], [], pos);
  if (name === 'uint') return mkCons(INT, [{ op: '>=', v: { t: 'int', i: 0n }, pos }], [], pos);
  const r = intRanges[name];
  if (r) {
    return mkCons(INT, [
      { op: '>=', v: { t: 'int', i: r[0] }, pos },
      { op: '<=', v: { t: 'int', i: r[1] }, pos },
    ], [], pos);
  }
  if (name === 'float32' || name === 'float64') {
    const max = name === 'float32' ? '3.40282346638528859811704183484516925440e+38' : '1.797693134862315708145274237317043567981e+308';
    return mkCons(NUMBER, [
      { op: '>=', v: { t: 'float', d: new Dec(max).neg() }, pos },
      { op: '<=', v: { t: 'float', d: new Dec(max) }, pos },
    ], [], pos);
  }
  if (name === 'null') return { t: 'null', pos };
  if (name === 'true' || name === 'false') return { t: 'bool', b: name === 'true', pos };
  if (name === '_') return { t: 'top', pos };
  if (coreFuncs.has(name)) return { t: 'func', name, core: name, pos };
  return undefined;
}

/** Whether an identifier is predeclared (`int`, `len`, `__int`, `_`, ...). */
export function isPredeclared(name: string): boolean {
  const p = { file: '', line: 0, col: 0, offset: 0 };
  if (name === '_' || name === NO_SHARING) return true;
  if (name.startsWith('__') && predeclared(name.slice(2), p)) return true;
  return predeclared(name, p) !== undefined;
}

/** CUE's marker that a value must not be shared (structure sharing is an optimisation): `_` here. */
const NO_SHARING = '__no_sharing';

export function resolveIdent(name: string, env: Env, pos: Pos): Val {
  if (name === '_' || name === NO_SHARING) return { t: 'top', pos };
  if (name.startsWith('__')) {
    const p = predeclared(name.slice(2), pos);
    if (p) return p;
  }
  for (let e: Env | undefined = env; e; e = e.up) {
    const b = e.binds?.get(name);
    if (b) {
      if (b.vertex) return b.vertex;
      return b.val ?? TOP;
    }
    const s = e.scope?.get(name);
    if (s) {
      if (s.kind === 'let') return evalLet(name, s.expr!, e);
      if (s.kind === 'label') {
        if (!s.expr) return { t: 'string', s: labelName(s.label), pos };
        const lv = concreteDefault(evalExpr(s.expr, e));
        return lv.t === 'string' || isBottom(lv) ? lv : incomplete(`unresolved dynamic label alias ${name}`, [pos]);
      }
      if (s.kind === 'alias') {
        let label = s.label;
        if (s.expr) {
          const lv = concreteDefault(evalExpr(s.expr, e));
          if (lv.t !== 'string') return incomplete(`unresolved dynamic label alias ${name}`, [pos]);
          label = fieldLabel(lv.s);
        }
        let arc = e.vertex.arcs.get(label);
        if (!arc && !s.expr) {
          expand(e.vertex);
          arc = e.vertex.arcs.get(label);
        }
        if (!arc) return missingField(`reference "${name}" not found`, [pos]);
        // Like a selector, an alias does not reach into optional or required fields.
        if (arc.fieldKind !== 'regular') {
          return missingField(`cannot reference ${arc.fieldKind} field: ${label}`, [pos]);
        }
        return arc;
      }
      let arc = e.vertex.arcs.get(s.label);
      if (!arc) {
        expand(e.vertex);
        arc = e.vertex.arcs.get(s.label);
      }
      if (!arc) return missingField(`reference "${name}" not found`, [pos]);
      // As through a selector or alias: an optional or required field has no value to refer to yet.
      if (arc.fieldKind !== 'regular') {
        return missingField(`cannot reference ${arc.fieldKind} field: ${s.label}`, [pos]);
      }
      return arc;
    }
    const imp = e.imports?.get(name);
    if (imp) {
      const b = typeof imp === 'function' ? imp() : imp;
      return b.vertex ?? b.val ?? TOP;
    }
  }
  const p = predeclared(name, pos);
  if (p) return p;
  return missingField(`reference "${name}" not found`, [pos]);
}

/**
 * `self` (@experiment(aliasv2)): the value of the innermost struct or list
 * literal around the reference, i.e. the vertex that literal is evaluated
 * into. A declaration named `self` met on the way shadows it.
 */
function resolveSelf(env: Env, pos: Pos): Val {
  for (let e: Env | undefined = env; e; e = e.up) {
    if (e.binds?.has('self') || e.scope?.has('self')) return resolveIdent('self', env, pos);
    if (e.lit || e.list || !e.up) return e.vertex;
  }
  return incomplete('reference "self" not found', [pos]);
}

function evalLet(name: string, expr: Expr, e: Env): Val {
  e.lets ??= new Map();
  const cached = e.lets.get(name);
  if (cached) {
    const open = isBottom(cached) ? letsInProgress.get(cached) : undefined;
    if (open) {
      // Fields evaluated since this let started saw it unfinished: redo them once it is known.
      for (let j = stack.length - 1; j >= open.depth; j--) open.deps.add(stack[j]!);
    }
    return cached;
  }
  // Like a reference to a field still being evaluated, a let that refers
  // back to itself is a reference cycle: incomplete, so that other conjuncts
  // of the fields on the way may still decide their values.
  const marker = incomplete(`cyclic let ${name}`, [expr.pos]);
  marker.cycle = true;
  e.lets.set(name, marker);
  const open = { depth: stack.length, deps: new Set<Vertex>() };
  letsInProgress.set(marker, open);
  let v: Val;
  try {
    v = evalExpr(expr, e);
    if (v.t === 'vertex' && v.label === '') {
      // Let values are shared within the instance; evaluate once.
      expand(v);
    }
  } finally {
    letsInProgress.delete(marker);
  }
  for (const d of open.deps) {
    if (!d.onStack && d.status >= 2 && (d.resets ?? 0) < 2) {
      d.resets = (d.resets ?? 0) + 1;
      resetVertex(d);
    }
  }
  // A value computed while a field it depends on was still being evaluated
  // (a cycle) is not final: compute it again when next asked.
  if (isBottom(v) && v.cycle) e.lets.delete(name);
  else e.lets.set(name, v);
  return v;
}

export function cycleErr(v: Vertex): Bottom {
  const b = incomplete('cycle', v.positions.slice(0, 1));
  b.cycle = true;
  return b;
}

/** Resolves a vertex or disjunction to its default for selection. */
export function selectable(x: Val): Val {
  if (x.t === 'vertex') {
    if (x.status === 1) x = disjunctFor(x, stack) ?? x;
    expand(x);
    if (x.err) return x.err;
    if (x.disjuncts) {
      const d = vertexDefault(x);
      if (d === x) return incomplete(`unresolved disjunction ${x.shortString()} (type ${kindName(x.kindMask())})`, x.positions.slice(0, 1));
      return selectable(d);
    }
    return x;
  }
  if (x.t === 'disj') {
    const d = concreteDefault(x);
    return d;
  }
  return x;
}

export function vertexDefault(v: Vertex): Val {
  expand(v);
  if (v.disjuncts) {
    if (!v.disjMarked) return v;
    const ds = v.disjuncts.filter((_, i) => v.disjMarks![i]);
    if (ds.length === 1) return ds[0]!;
    return v;
  }
  return v;
}

/** x is evaluated and nothing still in progress (a comprehension of an enclosing struct) may add to it. */
function settled(x: Vertex): boolean {
  if (x.status < 2 || x.tainted) return false;
  for (let p = x.parent; p; p = p.parent) if (p.status < 2) return false;
  return true;
}

export function selectField(x0: Val, sel: string, pos: Pos, xe?: Expr): Val {
  const x = selectable(x0);
  if (isBottom(x)) return x;
  if (x.t !== 'vertex') {
    if (x.t === 'top' || x.t === 'cons' || x.t === 'disj') {
      return incomplete(`${xe ? exprStr(xe) : show(x)}.${sel} undefined as ${show(x)} is incomplete`, [pos]);
    }
    return bottom('eval', `invalid selector ${sel}: ${show(x)} is not a struct`, [pos]);
  }
  if (x.isList) return bottom('eval', `invalid selector ${sel} for list`, [pos]);
  const a = x.arcs.get(sel) ?? declareAhead(x, sel);
  if (!a) {
    if (!x.isStruct && x.base.t !== 'top') return bottom('eval', `invalid selector ${sel}: ${show(x.base)} is not a struct`, [pos]);
    // A closed struct that does not allow the label will never have it: a
    // permanent error, not an incomplete one.
    if (settled(x) && x.isStruct && isRegularLabel(sel) && vertexClosed(x) && !vertexAllows(x, sel)) return bottom('eval', `undefined field: ${sel}`, [pos]);
    return missingField(`undefined field: ${sel}`, [pos]);
  }
  if (a.fieldKind !== 'regular') {
    expand(a);
    if (a.fieldKind === 'optional') return missingField(`cannot reference optional field: ${sel}`, [pos]);
    return missingField(`cannot reference required field: ${sel}`, [pos]);
  }
  return a;
}

export function exprStr(e: Expr): string {
  if (e.type === 'Ident') return e.name;
  if (e.type === 'SelectorExpr') return `${exprStr(e.x)}.${e.sel.type === 'Ident' ? e.sel.name : e.sel.raw}`;
  return '_';
}

export function indexValue(x0: Val, i: Val, e: Expr): Val {
  const x = selectable(x0);
  if (isBottom(x)) return x;
  if (isBottom(i)) return i;
  if (x.t !== 'vertex') {
    if (x.t === 'top' || x.t === 'cons' || x.t === 'disj') return incomplete(`incomplete value ${show(x)} in index`, [e.pos]);
    if ((x.t === 'string' || x.t === 'bytes') && i.t === 'int') {
      return bottom('eval', `invalid operation: ${show(x)}[${i.i}] (cannot index ${x.t})`, [e.pos]);
    }
    return bottom('eval', `invalid operation: ${show(x)}[${show(i)}] (type ${kindName(kindOf(x))} does not support indexing)`, [e.pos]);
  }
  const ix = e.type === 'IndexExpr' ? e : undefined;
  // `_` can never become an index (it is no kind of value in particular); `int` may still.
  if (i.t === 'top') return bottom('eval', `invalid index ${ix ? exprStr(ix.index) : '_'} (invalid type _)`, [e.pos, ix?.index.pos]);
  if (i.t === 'cons' || i.t === 'disj') return incomplete(`invalid non-ground index ${show(i)}`, [e.pos]);
  if (!x.isStruct && !x.isList && x.arcs.size === 0 && x.base.t === 'top') {
    // Nothing is known of x yet: it may still become a struct or list.
    const xs = ix ? exprStr(ix.x) : '_';
    return incomplete(`${xs}[${show(i)}] undefined as ${xs} is incomplete`, [e.pos]);
  }
  if (x.isList) {
    if (i.t !== 'int') return bottom('eval', `invalid index ${show(i)} (type ${kindName(kindOf(i))}) for list`, [e.pos]);
    const a = x.arcs.get(i.i.toString());
    if (!a) {
      if (i.i < 0n) return bottom('eval', `invalid index ${i.i} (index must be non-negative)`, [e.pos]);
      const msg = `index out of range [${i.i}] with length ${listElems(x).length}`;
      return x.listOpen ? missingField(msg, [e.pos]) : bottom('eval', msg, [e.pos]);
    }
    return a;
  }
  if (i.t !== 'string') return bottom('eval', `invalid struct selector ${show(i)} (type ${kindName(kindOf(i))})`, [e.pos]);
  return selectField(x, fieldLabel(i.s), e.pos);
}

function sliceValue(e: Expr & { type: 'SliceExpr' }, env: Env): Val {
  const x = selectable(evalExpr(e.x, env));
  if (isBottom(x)) return x;
  const lo = e.low ? concreteDefault(evalExpr(e.low, env)) : undefined;
  const hi = e.high ? concreteDefault(evalExpr(e.high, env)) : undefined;
  for (const b of [lo, hi]) {
    if (b && isBottom(b)) return b;
    if (b && b.t !== 'int') return b.t === 'cons' || b.t === 'top' ? incomplete('non-concrete slice index', [e.pos]) : bottom('eval', `invalid slice index ${show(b)}`, [e.pos]);
  }
  if (x.t === 'vertex' && x.isList) {
    const n = listElems(x).length;
    const l = lo && lo.t === 'int' ? Number(lo.i) : 0;
    const h = hi && hi.t === 'int' ? Number(hi.i) : n;
    if (l < 0 || h > n || l > h) return bottom('eval', `invalid slice index: ${l}:${h} (length ${n})`, [e.pos]);
    const out = new Vertex(anonParent(env), '');
    out.isList = true;
    out.status = 2;
    for (let k = l; k < h; k++) {
      const a = x.arcs.get(String(k))!;
      const arc = new Vertex(out, String(k - l));
      arc.addConjunct({ val: a, env, def: false });
      out.arcMap().set(String(k - l), arc);
    }
    out.listParts = [{ n: h - l, open: false }];
    return out;
  }
  if (x.t === 'string' || x.t === 'bytes') {
    const chars = x.t === 'string' ? [...x.s] : x.s.split('');
    const l = lo && lo.t === 'int' ? Number(lo.i) : 0;
    const h = hi && hi.t === 'int' ? Number(hi.i) : chars.length;
    if (l < 0 || h > chars.length || l > h) return bottom('eval', `invalid slice index: ${l}:${h}`, [e.pos]);
    return { t: x.t, s: chars.slice(l, h).join(''), pos: e.pos };
  }
  if (x.t === 'top' || x.t === 'cons') return incomplete(`non-concrete value ${show(x)} in slice`, [e.pos]);
  return bottom('eval', `cannot slice ${show(x)} (type ${kindName(kindOf(x))})`, [e.pos]);
}

// Re-exports used by sibling modules.
export { Dec, ALL, NULL, LIST, STRUCT, conflict };
export type { Bottom };
export type { Env, Conjunct };
export function topEnv(v: Vertex, scope?: Scope): Env {
  return { vertex: v, scope };
}
export type DeclList = Decl[];
