// Incomplete values met while a reference cycle is open (CUE re-evaluates the
// conjuncts of a cycle once it closes; here only what may be stale is).
//
// While some vertex still being evaluated has been referred to again
// (`taintedBy` in sched.ts), values computed from it may be partial: in
// `start: end - duration`, `end: start + duration`, end reads start
// unfinished, and start reads that end. An incomplete conjunct recorded then
// is provisional: it does not make its scalar incomplete for the operators
// and references that read it (they take the scalar, optimistically), but
// each such read is noted (reader -> read). Once no cycle is open, the
// provisional vertices are decided together: their provisional errors are
// dropped, their incomplete conjuncts evaluated again (a value is checked
// against theirs, an error is theirs, an incomplete result makes them
// incomplete), and incompleteness then flows along the noted reads to every
// scalar computed from them; a struct or list that read one (a
// comprehension's condition) is evaluated again, and what read a field of it
// is incomplete too. Resolvable cycles stay resolved (`#T & {start:
// 10.0, duration: 2.1}` gives end 12.1), and a scalar unified with an
// incomplete expression is incomplete wherever it is read (`#c: 1 & (#b +
// 1)`, `e: #c + 1` inside a struct with a cycle).
import { type Bottom, isBottom, isScalar } from './values.js';
import type { Conjunct, Vertex } from './vertex.js';
import { concreteDefault } from './operators.js';
import { evalExpr } from './expr.js';
import { isEmbeddedScalar } from './equality.js';
import { stack } from './sched.js';
import { unifyScalar } from './unify.js';
import { resetVertex } from './arcs.js';

type Item = { b: Bottom; c?: Conjunct };

/** Vertices with incomplete conjuncts recorded while a cycle was open. */
const own = new Map<Vertex, Item[]>();
/** Provisional vertices (own or readers) -> the vertices that read them. */
const readers = new Map<Vertex, Set<Vertex>>();
const provisionalErrs = new WeakSet<Bottom>();
/** The vertex whose conjuncts are being evaluated again (reads are noted for it). */
let settlingFor: Vertex | undefined;
let settling = false;

/** Records an incomplete conjunct result met while a reference cycle is open. */
export function markProvisional(v: Vertex, item: Item): void {
  provisionalErrs.add(item.b);
  let l = own.get(v);
  if (!l) own.set(v, (l = []));
  l.push(item);
}

/**
 * The incomplete error that makes v's scalar incomplete for what reads it:
 * any but one recorded while a reference cycle was open and not decided yet
 * (a missing field always counts).
 */
export function decidingIncomplete(v: Vertex): Bottom | undefined {
  const ie = v.incompleteErr;
  return ie && (ie.missing || !provisionalErrs.has(ie)) ? ie : undefined;
}

/**
 * Notes that `reader` (by default the vertex being evaluated) took w's scalar
 * while w's completeness is not decided: reader is then not decided either.
 */
export function noteRead(w: Vertex, reader?: Vertex): void {
  if (!own.has(w) && !readers.has(w)) {
    const above = readerAbove(w);
    if (!above) return;
    w = above;
  }
  const r = reader ?? settlingFor ?? stack[stack.length - 1];
  if (!r || r === w) return;
  let s = readers.get(w);
  if (!s) readers.set(w, (s = new Set()));
  s.add(r);
  if (!readers.has(r)) readers.set(r, new Set());
}

/**
 * The struct or list enclosing w that read an undecided value, if any: w's
 * value may come from what it read (`s: {if #c > 0 {z: 0}}`, then `s.z`),
 * so a read of w is a read of it.
 */
function readerAbove(w: Vertex): Vertex | undefined {
  for (let p = w.parent; p; p = p.parent) if (readers.has(p) && !scalarLike(p)) return p;
  return undefined;
}

/** Whether any read may need noting (cheap check for the hot paths). */
export function undecided(): boolean {
  return own.size > 0;
}

/** Whether v's value is a scalar: on its own or embedded in a struct with no regular fields. */
export function scalarLike(v: Vertex): boolean {
  return !v.err && !v.disjuncts && !v.isList && isScalar(v.base) && (!v.isStruct || isEmbeddedScalar(v));
}

/** Decides the provisional vertices once no reference cycle is open (see the file comment). */
export function settleProvisional(): void {
  if (settling || own.size === 0) return;
  settling = true;
  // Vertices still being evaluated are decided by a later call, once done.
  const later: [Vertex, Item[]][] = [];
  try {
    for (let round = 0; round < 4 && own.size; round++) {
      const todo = [...own];
      own.clear();
      for (const x of todo) if (x[0].onStack) later.push(x);
      // Only a finished scalar (a vertex reset since recorded its conjuncts
      // anew), optimistic first: a provisional error may be stale.
      const redo = todo.filter(([v]) => !v.err && v.status >= 2 && !v.onStack && isScalar(v.base));
      for (const [v] of redo) if (v.incompleteErr && provisionalErrs.has(v.incompleteErr)) v.incompleteErr = undefined;
      const incomplete: Vertex[] = [];
      for (const [v, items] of redo) {
        for (const item of items) {
          const c = item.c;
          if (!c?.expr) {
            v.incompleteErr ??= { ...item.b };
            continue;
          }
          settlingFor = v;
          let x;
          try {
            x = concreteDefault(evalExpr(c.expr, c.env));
          } finally {
            settlingFor = undefined;
          }
          if (isBottom(x)) {
            if (x.code !== 'incomplete') {
              v.err = x;
              break;
            }
            v.incompleteErr ??= provisionalErrs.has(x) ? { ...x } : x;
            continue;
          }
          if (isScalar(x) || x.t === 'cons') {
            const r = unifyScalar(x, v.base);
            if (isBottom(r)) {
              v.err = r;
              break;
            }
          }
        }
        if (v.err || v.incompleteErr) incomplete.push(v);
      }
      // Incompleteness flows to every scalar computed from an incomplete
      // one. A struct or list that read one (a comprehension's condition, a
      // dynamic label) is evaluated again, now that the value is decided;
      // what read it meanwhile (`s.z`) is incomplete as it is.
      const errs = new Map<Vertex, Bottom>();
      for (let i = 0; i < incomplete.length; i++) {
        const w = incomplete[i]!;
        const e = errs.get(w) ?? w.err ?? w.incompleteErr;
        const rs = readers.get(w);
        if (!e || !rs) continue;
        for (const r of rs) {
          if (r.err || r.incompleteErr || errs.has(r)) continue;
          if (!scalarLike(r)) {
            if ((r.isStruct || r.isList) && r.status >= 2 && !r.onStack && (r.resets ?? 0) < 2) {
              r.resets = (r.resets ?? 0) + 1;
              resetVertex(r);
              errs.set(r, e);
              incomplete.push(r);
            }
            continue;
          }
          if (e.code === 'incomplete') r.incompleteErr = { ...e };
          else r.err = e;
          incomplete.push(r);
        }
      }
      readers.clear();
    }
    // Still undecided after the last round (each evaluating again met an
    // open cycle anew): incomplete, and nothing is carried into later
    // evaluations (undecided() would stay true, and the errors would never
    // count).
    for (const [v, items] of own) {
      if (v.err || !items.length) continue;
      if (!v.incompleteErr || provisionalErrs.has(v.incompleteErr)) v.incompleteErr = { ...items[0]!.b };
    }
    own.clear();
  } finally {
    settling = false;
    readers.clear();
    for (const [v, items] of later) {
      const l = own.get(v);
      own.set(v, l ? [...items, ...l] : items);
    }
  }
}
