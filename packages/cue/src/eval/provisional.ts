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
// scalar computed from them. Resolvable cycles stay resolved (`#T & {start:
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
  if (!own.has(w) && !readers.has(w)) return;
  const r = reader ?? settlingFor ?? stack[stack.length - 1];
  if (!r || r === w) return;
  let s = readers.get(w);
  if (!s) readers.set(w, (s = new Set()));
  s.add(r);
  if (!readers.has(r)) readers.set(r, new Set());
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
  try {
    for (let round = 0; round < 4 && own.size; round++) {
      const todo = [...own];
      own.clear();
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
      // Incompleteness flows to every scalar computed from an incomplete one.
      for (let i = 0; i < incomplete.length; i++) {
        const w = incomplete[i]!;
        const e = w.err ?? w.incompleteErr;
        const rs = readers.get(w);
        if (!e || !rs) continue;
        for (const r of rs) {
          if (r.err || r.incompleteErr || !scalarLike(r)) continue;
          if (e.code === 'incomplete') r.incompleteErr = { ...e };
          else r.err = e;
          incomplete.push(r);
        }
      }
      readers.clear();
    }
  } finally {
    settling = false;
    readers.clear();
  }
}
