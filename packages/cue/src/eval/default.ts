// Default values of disjunctions (CUE: default.go). Scalar disjunctions keep
// their marks in the value (disjunction.ts); a vertex split into disjuncts
// keeps one mark per disjunct (disjMarks).
import { type Val } from './values.js';
import { Vertex } from './vertex.js';
import { expand } from './sched.js';

/** The default of a vertex: its only marked disjunct, else the vertex itself. */
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

/**
 * Marks which combinations of the disjunctions of a vertex (`pend`, one term
 * index per disjunction in `idx`) are defaults. A disjunction whose marked
 * terms were all eliminated counts as unmarked; the others require their
 * marked term.
 */
export function markDefaults(pend: readonly { marked: boolean; terms: readonly { mark: boolean }[] }[], survivors: { mark: boolean; idx: number[] }[]): void {
  const alive = pend.map((p, k) => p.marked && survivors.some((s) => p.terms[s.idx[k]!]!.mark));
  for (const s of survivors) {
    for (let k = 0; k < pend.length; k++) if (alive[k] && !pend[k]!.terms[s.idx[k]!]!.mark) s.mark = false;
  }
}

/**
 * Vertices whose marked disjunctions left one disjunct, their default
 * (`s: *{a: 1} | ({a: 1} & {a: 2})`): the value-default pair ⟨v, v⟩, which
 * as a term of a later disjunction keeps its default (`s | null` is {a: 1}),
 * as a scalar's does (disjunction.ts soleDefaults).
 */
export const soleDefaultVertices = new WeakSet<Vertex>();

/** Whether survivor `idx` chose the marked term of a marked disjunction whose marked terms survive. */
export function choseDefault(pend: readonly { marked: boolean; terms: readonly { mark: boolean }[] }[], idx: readonly number[]): boolean {
  return pend.some((p, k) => p.marked && p.terms[idx[k]!]!.mark);
}
