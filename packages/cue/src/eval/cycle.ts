// Structural cycles through re-occurring references (CUE's cycle detection,
// internal/core/adt/cycle.go; spec, "Structural cycles").
//
// A reference whose struct conjuncts a vertex or one of its ancestors
// already received (the same reference expression resolved to the same
// vertex, met again on the way from the root) repeats structure.
//
// A repeat counts only along the conjunct's own chain of references
// (Conjunct.refs, as CUE tracks cycles per conjunct): `out: Foo & {sub: Foo}`
// gives out.sub a conjunct that reached it through `Foo` twice and one that
// reached it through `Foo` once, and each unfolds as far as its own chain
// allows, whatever the other brought to the ancestors. (The count is the
// smaller of the two: the ancestors' references still bound what a chain
// loses track of, e.g. a repeat let through by settleCycles.) Inline values
// continue the chain of the conjunct they are evaluated for (evalRefs), so
// `#X: or([#A, #B])` with #A embedding #X still ends. The vertex matters as
// well as the expression: `in: x` in `#T: {in: x, x: _}` refers to a
// different field at each place #T is used, which is no repeat.
//
// A repeated conjunct is cyclic, and a structural cycle is reported only
// where the vertex has nothing but cyclic conjuncts (CUE: "a node is
// considered non-cyclic if any of its conjuncts is non-cyclic"). It is put
// aside (cyclicConjs); once the vertex's other conjuncts are in,
// `settleCycles` adds it if they gave the vertex structure (fields, list
// elements or a concrete value; `b: a & [[1]]`, `a: [a]`: b.0.0 is 1 and
// the list a brings, a conflict), as a cyclic conjunct that feeds no repeat
// itself (Conjunct.cyc), and otherwise reports the structural cycle. A
// repeat at the vertex itself, not below it, is a reference cycle and adds
// nothing (`Y: x & x`, `x: {Y}`).
//
// A conjunct that reached the vertex through an optional field or a pattern
// constraint (`next?: #N`, `[string]: #T`) only continues when something
// else gives that field a value: `#N: {v: int, next?: #N}` unified with data
// ten levels deep meets `#N` at every level and is fed by the data at every
// level, and the count starts again below each vertex that fed it (fedAt).
// Not fed, it is allowed one more level (as CUE affords optional conjuncts
// one more cycle, so that `tail: list | {}` unfolds once); a conjunct from
// regular fields (`#L: {tail: #L}`) is not, since it would repeat even
// without data; fed, it goes on a few rounds at most (STRUCTURAL_REPEAT).
import type { Expr } from '../ast.js';
import { type Bottom, type Val, bottom, incomplete, isBottom, isScalar } from './values.js';
import { type Conjunct, type Env, type RefChain, type Vertex, cloneConj } from './vertex.js';
import { concreteDefault } from './operators.js';
import { evalExpr } from './expr.js';
import { expand } from './sched.js';
import { resetVertex } from './arcs.js';
import { unifyScalar } from './unify.js';

/** One reference of a conjunct's chain (Conjunct.refs), interned: see extendRefs. */
class RefNode implements RefChain {
  /** The chains that continue this one: one, or a map by reference once there are several. */
  kids: RefNode | Map<Expr, RefNode> | undefined = undefined;
  constructor(
    readonly src: object,
    readonly next: RefNode | undefined,
  ) {}
}

/** Chains of one reference, by that reference (their roots). */
const roots = new WeakMap<Expr, RefNode>();

/**
 * The chain `src` then `next`. Chains are interned: conjuncts reached along
 * the same references share one node, so evaluating a program again (a warm
 * render) allocates no chain at all, and a chain costs each conjunct one
 * pointer (Conj.refs).
 */
export function extendRefs(next: RefChain | undefined, src: Expr): RefChain {
  if (next === undefined) {
    let r = roots.get(src);
    if (r === undefined) roots.set(src, (r = new RefNode(src, undefined)));
    return r;
  }
  const n = next as RefNode;
  const k = n.kids;
  if (k === undefined) return (n.kids = new RefNode(src, n));
  if (k instanceof RefNode) {
    if (k.src === src) return k;
    const r = new RefNode(src, n);
    // (Interned nodes are keyed by reference expressions: disjunctionRef's are not interned.)
    n.kids = new Map([
      [k.src as Expr, k],
      [src, r],
    ]);
    return r;
  }
  let r = k.get(src);
  if (r === undefined) k.set(src, (r = new RefNode(src, n)));
  return r;
}

/**
 * The chain of a conjunct that refers to the disjunction w, which v splits
 * on (or takes the term it chose already): a node of its own, not interned,
 * as it is told apart by identity (v's disjuncts keep it, Vertex.viaChains)
 * and its key, a vertex, lives for one evaluation only.
 */
export function disjunctionRef(next: RefChain | undefined, w: Vertex): RefChain {
  return new RefNode(w, next as RefNode | undefined);
}

/**
 * Whether conjunct c, referring to the disjunction w at disjunct v, came
 * through the term v chose for a reference to w here: then it is a
 * reference cycle, which adds nothing (CUE's detectCycle: the reference
 * recurs in the conjunct's chain at the same node). `#A: string | {#A}`
 * declared twice, `x: #A`: x's disjunct `{#A}` embeds #A again. Split anew
 * each time, its struct disjunct went on until a structural cycle eliminated
 * it, and x lost `{}`. (With #A declared once, #A's conjuncts are split at x
 * instead: checkAgain.)
 */
export function reachedThroughOwnChoice(v: Vertex, c: Conjunct, w: Vertex): boolean {
  const via = v.viaChains!;
  for (let r = c.refs; r; r = r.next) if (r.src === w && via.includes(r)) return true;
  return false;
}

/** The reference chain of the conjunct being added (addConj): inline values evaluated meanwhile start from it. */
let evalRefs: RefChain | undefined;

/** Sets the chain of the conjunct being added, returning the one it replaces. */
export function setEvalRefs(r: RefChain | undefined): RefChain | undefined {
  const old = evalRefs;
  evalRefs = r;
  return old;
}

/** The chain an inline value's conjunct starts with (expr.ts). */
export function evalRefsNow(): RefChain | undefined {
  return evalRefs;
}

/**
 * How often a reference expression may recur among a vertex's ancestors
 * before it is a structural cycle, whatever it resolved to and however it
 * was fed: a bound for what the per-vertex rule does not see, e.g.
 * `(#h & {n: i + 1}).out` in #h, which selects from a new inline value at
 * each level (where CUE's rewrite of inline values into helper fields finds
 * the cycle).
 */
const STRUCTURAL_REPEAT = 4;

/** Conjuncts being re-added by settleCycles: they passed the check once. */
const settling = new WeakSet<Conjunct>();

/** The vertex reference src resolved to when it was added at v, if it was. */
function refAt(v: Vertex, src: Expr): Vertex | undefined {
  const r = v.refs;
  if (r === undefined) return undefined;
  return r instanceof Map ? r.get(src) : r === src ? v.refTo : undefined;
}

function recordRef(v: Vertex, src: Expr, w: Vertex): void {
  const r = v.refs;
  if (r === undefined) {
    v.refs = src;
    v.refTo = w;
  } else if (r instanceof Map) r.set(src, w);
  else if (r !== src || v.refTo !== w) {
    v.refs = new Map([
      [r, v.refTo!],
      [src, w],
    ]);
    v.refTo = undefined;
  }
}

/** Vertices where a repeat of a reference was fed by other conjuncts: counting starts again below them. */
const fedAt = new WeakMap<Vertex, Set<Expr>>();

/**
 * Checks a struct-valued reference `src` (resolved to w) about to add w's
 * conjuncts to v (conjunct c): 'deferred' when it repeats and was put aside
 * for settleCycles, 'skip' when it repeats at v itself (a reference cycle,
 * which adds nothing), 'cycle' when it was fed too often already, 'ok' to
 * go on.
 */
export function checkRepeat(v: Vertex, w: Vertex, c: Conjunct, src: Expr): 'ok' | 'deferred' | 'skip' | 'cycle' {
  if (settling.has(c)) return 'ok';
  // (By expression alone, the count that bounds every repeat; with the same
  // vertex too, a repeat in CUE's sense.)
  let seen = 0;
  let same = 0;
  for (let p: Vertex | undefined = v; p; p = p.parent) {
    const to = refAt(p, src);
    if (to !== undefined) {
      seen++;
      if (to === w) same++;
    }
    if (c.opt && fedAt.get(p)?.has(src)) break;
  }
  if (seen > 0) {
    // (How often c's own chain went through src: see the header.)
    let own = 0;
    for (let r = c.refs; r && own < seen; r = r.next) if (r.src === src) own++;
    seen = own;
    if (same > own) same = own;
  }
  if (c.opt && seen > 0) {
    (v.cyclicConjs ??= []).push({ c, w, src, seen });
    return 'deferred';
  }
  if (seen >= STRUCTURAL_REPEAT) return 'cycle';
  if (same > 0) {
    if (refAt(v, src) === w) return 'skip';
    (v.cyclicConjs ??= []).push({ c, w, src, seen: same, regular: true });
    return 'deferred';
  }
  recordRef(v, src, w);
  return 'ok';
}

/**
 * A field whose disjuncts depend on where it stands (Vertex.disjCyclic) is
 * given to v as its conjuncts, to be split at v. Met again below a vertex
 * that was given it that way (`#A: string | [#A]`, `x: #A`: x.0 refers to
 * #A again), it repeats structure: it goes on only when v's other conjuncts
 * feed it (`y: x & [[string]]`), else it is a structural cycle and the
 * disjunct that led there is eliminated, as it was where the field stands.
 */
export function checkAgain(v: Vertex, w: Vertex, c: Conjunct, src: Expr | undefined): 'ok' | 'deferred' {
  if (!src || settling.has(c)) return mark(v, w);
  for (let p = v.parent; p; p = p.parent) {
    if (p.againOf?.has(w)) {
      (v.cyclicConjs ??= []).push({ c, w, src, seen: 2, again: true });
      return 'deferred';
    }
  }
  return mark(v, w);
}

function mark(v: Vertex, w: Vertex): 'ok' {
  (v.againOf ??= new Set()).add(w);
  return 'ok';
}

/**
 * Whether v has structure of its own from its other conjuncts, one of which
 * at least is no repeat let through itself (Conjunct.cyc): repeats that only
 * feed each other (`y: c?: c: y`, `x: y`, `x: c: y`) are a structural cycle.
 */
function fed(v: Vertex, list: readonly { c: Conjunct }[]): boolean {
  if (!(v.arcs.size > 0 || v.isList || hasValue(v))) return false;
  return v.conjuncts.some((c) => !c.cyc && !list.some((x) => x.c === c));
}

function hasValue(v: Vertex): boolean {
  const b = v.base;
  return b.t !== 'top' && b.t !== 'cons' && b.t !== 'disj' && b.t !== 'bottom';
}

/**
 * Decides v's deferred conjuncts once its other conjuncts are in (`final`:
 * comprehensions too; before that, a vertex not fed yet waits for them).
 * Fed, a conjunct goes on, and the count of its repeats starts again. Not
 * fed, one from an optional path is allowed one more level (as CUE affords
 * optional conjuncts one more cycle, so that `tail: list | {}` unfolds
 * once), then it is a structural cycle; one from regular fields is one at once.
 */
export function settleCycles(v: Vertex, final: boolean, add: (v: Vertex, w: Vertex, c: Conjunct, src: Expr) => void): void {
  const list = v.cyclicConjs;
  if (!list) return;
  const isFed = fed(v, list);
  if (!isFed && !final) return;
  v.cyclicConjs = undefined;
  // (Other than the repeats themselves: `c: [#a] & [#a]` gives an element
  // two references to #a, neither of which decides the other.)
  const others = v.conjuncts.length > 1 && v.conjuncts.some((vc) => !list.some((x) => x.again && (x.c === vc || (vc.expr !== undefined && vc.expr === x.src))));
  for (const x of list) {
    // A field given again (checkAgain) goes on with any other conjunct: a
    // type (`string`) decides its disjunction as well as data does.
    if (!isFed && (x.seen > 1 || x.regular) && !(x.again && others)) {
      v.err ??= bottom('structural cycle', 'structural cycle', [x.src.pos]);
      continue;
    }
    if (isFed) {
      let s = fedAt.get(v);
      if (!s) fedAt.set(v, (s = new Set()));
      s.add(x.src);
    }
    // What it brings is a repeat let through: it feeds no further repeat.
    const c = cloneConj(x.c);
    c.cyc = true;
    settling.add(c);
    recordRef(v, x.src, x.w);
    add(v, x.w, c, x.src);
  }
}

/**
 * A list or struct some of whose conjuncts needed the vertex itself
 * (`a: ben: [{}]` with `a: [rn=string]: _Q[0:len(a[rn])]`): evaluate those
 * conjuncts against the first result, then evaluate the vertex again with them.
 */
export function redoCycles(v: Vertex): void {
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
export function keepsScalar(d: Vertex): boolean {
  return !d.err && !d.disjuncts && !d.pending && !d.isStruct && !d.isList && d.arcs.size === 0 && isScalar(d.base);
}

/** Checks the cyclic conjuncts a kept scalar set aside (recheckCycles) against the values now known. */
export function recheckWaiting(d: Vertex): void {
  const w = d.cycleWait;
  if (!w) return;
  d.cycleWait = undefined;
  d.incompletes = w;
  recheckCycles(d);
}

/** Re-evaluates conjuncts that were incomplete because of a cycle through this vertex, now that its value is known. */
export function recheckCycles(v: Vertex): void {
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
      else {
        (v.cycleWait ??= []).push(item);
        waiting.add(v);
      }
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

/** Kept scalars with cyclic conjuncts still waiting on an open cycle (see closeWaiting). */
const waiting = new Set<Vertex>();

/**
 * Once the outermost evaluation is done no cycle is open any more: a kept
 * scalar whose cyclic conjunct still cannot be evaluated (`end: 10.0` and
 * `end: start + duration`, with `start: end - duration` and
 * `duration: end - start`) is not decided by its other conjuncts: it is
 * incomplete, as CUE reports it, whatever field was evaluated first.
 */
export function closeWaiting(): void {
  if (waiting.size === 0) return;
  const vs = [...waiting];
  waiting.clear();
  for (const v of vs) {
    const w = v.cycleWait;
    if (!w || v.err) continue;
    v.cycleWait = undefined;
    for (const item of w) {
      const x = concreteDefault(evalExpr(item.c!.expr!, item.c!.env));
      if (isBottom(x) && x.code === 'incomplete') {
        v.err = x;
        break;
      }
    }
  }
}

/** Structural cycle errors through a reference to an unfinished list or struct ancestor, with that ancestor's kind. */
export const cycleKinds = new WeakMap<Bottom, number>();

/** The ancestor a structural cycle error's vertex referred to (its value repeats that ancestor's). */
export const cycleTargets = new WeakMap<Bottom, Vertex>();

/**
 * A lookup into a value that repeats an enclosing one is evidence against the
 * cycle (CUE's cycle.go, "Lookups in inline cycles"): `{p: {x: p, y: 1}}.p.x.y`
 * is p.y, 1. Only for a value that hangs in an inline struct (a rooted one
 * reports the cycle where it stands) and that nothing else gives a value:
 * the lookup is then made in the ancestor it repeats.
 */
export function lookupThroughCycle(x: Vertex): Vertex | undefined {
  const e = x.err;
  if (!e || e.code !== 'structural cycle' || x.conjuncts.length !== 1) return undefined;
  const w = cycleTargets.get(e);
  if (!w) return undefined;
  for (let p = x.parent; p; p = p.parent) if (p.label === '' && p.parent) return w;
  return undefined;
}

/** The vertex each reference-cycle error was met at (the vertex still being evaluated). */
export const cycleAt = new WeakMap<Bottom, Vertex>();

export function cycleErr(v: Vertex): Bottom {
  const b = incomplete('cycle', v.positions.slice(0, 1));
  b.cycle = true;
  cycleAt.set(b, v);
  return b;
}
