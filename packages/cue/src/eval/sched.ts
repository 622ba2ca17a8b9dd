// Expansion of a vertex (CUE: sched.go, much simplified): its conjuncts are
// added in order, then deferred lists, shared structs, fields that refer to
// the vertex itself, comprehensions and dynamic fields (a small bounded
// fixpoint), then pending disjunctions split the vertex, else it is finished.
// A vertex referred to while it is being expanded marks what saw it partial
// (tainted) to be evaluated again once it is done.
import { type Bottom, TOP, bottom, isScalar } from './values.js';
import { type Comprehension, type Expr, type Field } from '../ast.js';
import { type Conjunct, type Env, Vertex } from './vertex.js';
import { CueError } from '../errors.js';
import { addConj, addVal } from './conjuncts.js';
import { addDynamicField } from './fields.js';
import { addList, finishList } from './lists.js';
import { applyOrder, noteCreated, slotOf } from './order.js';
import { finishStruct } from './finish.js';
import { closeWaiting, keepsScalar, recheckCycles, recheckWaiting, redoCycles, settleCycles } from './cycle.js';
import { runPostChecks } from './postcheck.js';
import { forgetInline } from './inline.js';
import { settleProvisional } from './provisional.js';
import { includeOwnFields, keyNewArcs, restoreOrder } from './ahead.js';
import { limits, tick } from './limits.js';
import { recordComprehensionError, runComprehension } from './comprehension.js';
import { resetVertex } from './arcs.js';
import { shareOrCopy, shareState } from './share.js';
import { splitDisjunctions } from './disjunct.js';
import { beginPass, dropPass, endPass, type Pass } from './closetrail.js';

/**
 * Anonymous values (struct literals in expressions, call results) hang below
 * the vertex being evaluated, so that structural cycle detection sees them
 * nested in the value that produced them.
 */
export function anonParent(env: Env): Vertex {
  return stack.length ? stack[stack.length - 1]! : env.vertex;
}

/** Vertices currently being expanded, innermost last. */
export const stack: Vertex[] = [];

/**
 * Anonymous vertices being expanded, by their expression. Entries are reset
 * to undefined rather than deleted: deleting on every expansion made the
 * table shrink and grow again all the time.
 */
const anonOnStack = new WeakMap<Expr, Vertex | undefined>();

/**
 * Whether two evaluations of one expression see the same comprehension
 * values: the same expression evaluated again for another element
 * (`for rn, rd in p.r { let s = #sub & {#p: rd.a} }`, recursing into data
 * that ends) is a new value, not a repeat of the one in progress.
 */
function sameBindings(a: Env | undefined, b: Env | undefined): boolean {
  for (; a && b; a = a.up, b = b.up) {
    if (a === b) return true;
    const x = a.binds;
    const y = b.binds;
    if (!x || !y) {
      if (x !== y) return false;
      continue;
    }
    for (const [k, bx] of x) {
      const by = y.get(k);
      if (!by || (bx.vertex ?? bx.val) !== (by.vertex ?? by.val)) return false;
    }
  }
  return a === b;
}

/** Vertices that observed an in-progress vertex, to be re-evaluated once it is done. */
const taintedBy = new Map<Vertex, Set<Vertex>>();

/**
 * Whether w was evaluated while `x` (a vertex still in progress) was, and
 * referred to it, for some such x that `within` says holds: then w's value
 * so far is what x had when w looked (CUE's cycle with field).
 */
export function taintedWhile(w: Vertex, within: (x: Vertex) => boolean): boolean {
  if (taintedBy.size === 0) return false;
  for (const [x, set] of taintedBy) if (set.has(w) && within(x)) return true;
  return false;
}

/** Whether a reference cycle is open: a vertex still being evaluated was referred to again. */
export function cycleOpen(): boolean {
  return taintedBy.size > 0;
}

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
  if (busy && sameBindings(busy.conjuncts[0]!.env, v.conjuncts[0]!.env)) {
    const i = stack.indexOf(busy);
    let list = taintedBy.get(stack[i]!);
    if (!list) taintedBy.set(stack[i]!, (list = new Set()));
    for (let j = stack.length - 1; j > i; j--) {
      stack[j]!.tainted = true;
      list.add(stack[j]!);
    }
    v.status = 2;
    v.isStruct = true;
    if (v.embedOnlyStruct) v.embedOnlyStruct = false;
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
    forgetInline(v);
    if (key && anonOnStack.get(key) === v) anonOnStack.set(key, undefined);
    v.status = 2;
    const deps = taintedBy.size ? taintedBy.get(v) : undefined;
    if (deps) {
      taintedBy.delete(v);
      // v itself saw a vertex still in progress and is redone once that one
      // is: what saw v is redone then too, not now (a reset now would
      // evaluate it against v's partial value and spend its bounded resets).
      // (Structs only: a scalar keeps what it computed, keepsScalar.)
      const now = v.tainted && !v.onStack && v.isStruct ? deferToOuter(v, deps) : deps;
      for (const d of now) {
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
    if (taintedBy.size === 0) settleProvisional();
    if (stack.length === 0) {
      closeWaiting();
      runPostChecks();
    }
    if (v.tainted && !v.onStack) {
      // Keep the partial result for the current caller; ensure a later
      // request recomputes it once the cycle has been resolved.
      v.tainted = false;
    }
  }
}

/**
 * Adds the structs among deps to what is redone when the vertices v saw in
 * progress are done; returns the deps left to redo now (all of them when
 * there are no such vertices).
 */
function deferToOuter(v: Vertex, deps: Set<Vertex>): Iterable<Vertex> {
  const outer: Set<Vertex>[] = [];
  for (const [x, set] of taintedBy) if (x !== v && x.onStack && set.has(v)) outer.push(set);
  if (!outer.length) return deps;
  const now: Vertex[] = [];
  for (const d of deps) {
    if (!d.isStruct) now.push(d);
    else for (const set of outer) set.add(d);
  }
  return now;
}

type Attempt = { conj: Conjunct; expr: Comprehension | Field; err?: Bottom };

function attempt(v: Vertex, x: Attempt): Attempt | undefined {
  return x.expr.type === 'Comprehension' ? attemptComprehension(v, x.conj, x.expr) : attemptDynamicField(v, x.conj, x.expr);
}

/** Adds one dynamic field of `v`; one whose label is not known yet comes back, to be retried. */
function attemptDynamicField(v: Vertex, conj: Conjunct, expr: Field): Attempt | undefined {
  const slot = slotOf(conj);
  const n0 = v.arcs.size;
  const err = addDynamicField(v, expr, conj);
  if (slot && noteCreated(v, slot.rec, n0, slot.idx)) applyOrder(v, slot.rec);
  return err ? { conj, expr, err } : undefined;
}

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
  // A vertex that splits takes back the closedness groups its pass attached
  // to shared nodes: each disjunct attaches its own (closetrail.ts dropPass).
  const outer = beginPass();
  let split: boolean;
  let pass: Pass;
  try {
    split = addConjuncts(v);
  } finally {
    // (The enclosing pass is current again on a throw too.)
    pass = endPass(outer);
  }
  if (split) {
    dropPass(pass);
    splitDisjunctions(v);
    return;
  }
  finishStruct(v);
}

/** Adds v's conjuncts, comprehensions and dynamic fields; whether v has disjunctions to split. */
function addConjuncts(v: Vertex): boolean {
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
  if (v.later) includeOwnFields(v);
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
      // (A dynamic field is kept with the comprehensions: its label may depend on what they add.)
      const x = expr.type === 'Comprehension' ? attemptComprehension(v, conj, expr) : attemptDynamicField(v, conj, expr as unknown as Field);
      if (x) retry.push(x);
      else produced = true;
    }
    start = end;
    // Each round that is not stuck settles one attempt at least: bounded.
    for (let round = 0; produced && retry.length; round++) {
      const next = retry.map((x) => attempt(v, x)).filter((x): x is Attempt => x !== undefined);
      const stuck = next.length === retry.length;
      retry = next;
      if (stuck || round >= 1 && !retry.some((x) => x.expr.type !== 'Comprehension')) break;
    }
  }
  for (let i = 0; i < retry.length; i++) {
    const x = retry[i];
    if (x.expr.type !== 'Comprehension') v.incompleteErr ??= x.err;
    else if (x.err) recordComprehensionError(v, x.err);
  }
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
  return !!v.pending?.length;
}
