// Structural cycles through re-occurring references (CUE's cycle detection,
// internal/core/adt/cycle.go; spec, "Structural cycles").
//
// A reference whose struct conjuncts a vertex or one of its ancestors
// already received (the same reference expression, met again on the way
// from the root) repeats structure. A value that keeps repeating is a
// structural cycle, and a repeat count bounds that (STRUCTURAL_REPEAT: a few
// rounds, so that a recursive value unfolds a little before the cycle is
// reported, and errors land where CUE reports them).
//
// Depth alone is no cycle, though. A conjunct that reached the vertex
// through an optional field or a pattern constraint (`next?: #N`,
// `[string]: #T`) only continues when something else gives that field a
// value: `#N: {v: int, next?: #N}` unified with data ten levels deep meets
// `#N` at every level and is fed by the data at every level. Such a
// conjunct is put aside once its count is reached (`deferCyclic`); when the
// vertex's other conjuncts are in, `settleCycles` adds it if they gave the
// vertex structure (fields, list elements or a concrete value), and
// otherwise reports the structural cycle. As in CUE, a conjunct from an
// optional path may go on as long as it is fed; one from regular fields
// (`#L: {tail: #L}`) may not, since it would repeat even without data.
import type { Expr } from '../ast.js';
import { bottom } from './values.js';
import type { Conjunct, Vertex } from './vertex.js';

/** How often one reference may recur among a vertex's ancestors before it is a structural cycle. */
const STRUCTURAL_REPEAT = 4;

/** Conjuncts being re-added by settleCycles: they passed the check once. */
const settling = new WeakSet<Conjunct>();

function hasRef(v: Vertex, src: Expr): boolean {
  const r = v.refs;
  return r !== undefined && (r === src || (r instanceof Set && r.has(src)));
}

function recordRef(v: Vertex, src: Expr): void {
  const r = v.refs;
  if (r === undefined) v.refs = src;
  else if (r instanceof Set) r.add(src);
  else if (r !== src) v.refs = new Set([r, src]);
}

/** Vertices where a repeat of a reference was fed by other conjuncts: counting starts again below them. */
const fedAt = new WeakMap<Vertex, Set<Expr>>();

/**
 * Checks a struct-valued reference `src` about to add w's conjuncts to v
 * (conjunct c): 'cycle' when it is a structural cycle, 'deferred' when it
 * was put aside for settleCycles, 'ok' to go on.
 */
export function checkRepeat(v: Vertex, w: Vertex, c: Conjunct, src: Expr): 'ok' | 'cycle' | 'deferred' {
  if (settling.has(c)) return 'ok';
  let seen = 0;
  for (let p: Vertex | undefined = v; p; p = p.parent) {
    if (hasRef(p, src)) seen++;
    if (c.opt && fedAt.get(p)?.has(src)) break;
  }
  if (c.opt && seen > 0) {
    (v.cyclicConjs ??= []).push({ c, w, src, seen });
    return 'deferred';
  }
  if (seen >= STRUCTURAL_REPEAT) return 'cycle';
  recordRef(v, src);
  return 'ok';
}

/** Whether v has structure of its own, from its other conjuncts. */
function fed(v: Vertex): boolean {
  if (v.arcs.size > 0 || v.isList) return true;
  const b = v.base;
  return b.t !== 'top' && b.t !== 'cons' && b.t !== 'disj' && b.t !== 'bottom';
}

/**
 * Decides v's deferred conjuncts once its other conjuncts are in (`final`:
 * comprehensions too; before that, a vertex not fed yet waits for them).
 * Fed, a conjunct goes on, and the count of its repeats starts again. Not
 * fed, it is allowed one more level (as CUE affords optional conjuncts one
 * more cycle, so that `tail: list | {}` unfolds once), then it is a
 * structural cycle.
 */
export function settleCycles(v: Vertex, final: boolean, add: (v: Vertex, w: Vertex, c: Conjunct, src: Expr) => void): void {
  const list = v.cyclicConjs;
  if (!list) return;
  const isFed = fed(v);
  if (!isFed && !final) return;
  v.cyclicConjs = undefined;
  for (const x of list) {
    if (!isFed && x.seen > 1) {
      v.err ??= bottom('structural cycle', 'structural cycle', [x.src.pos]);
      continue;
    }
    if (isFed) {
      let s = fedAt.get(v);
      if (!s) fedAt.set(v, (s = new Set()));
      s.add(x.src);
    }
    settling.add(x.c);
    recordRef(v, x.src);
    add(v, x.w, x.c, x.src);
  }
}
