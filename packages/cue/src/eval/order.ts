// Field order. CUE orders a struct's fields by their first appearance in its
// declarations, and the fields an embedding or a comprehension (`if c {b: 1}`)
// or a dynamic field produces stand at the position of that declaration:
// `{a: 1, if true {b: 2}, c: 3}` is a, b, c. The evaluator declares a
// literal's fields first and evaluates embeddings and comprehensions after
// them (they may refer to fields declared later), so arcs are created out of
// that order. For a literal that mixes the two, the arcs it creates are
// noted with their declaration index and put back in declaration order
// among the places they hold in the vertex's arcs; arcs other conjuncts
// created keep their places.
import type { Decl, StructLit } from '../ast.js';
import { Conj, type Conjunct, type Vertex } from './vertex.js';

export interface LitOrder {
  items: { label: string; idx: number }[];
}

/** Whether a static field of lit follows an embedding, comprehension or dynamic field (fields.ts keeps the answer per literal). */
export function needsOrder(lit: StructLit, isStatic: (d: Decl) => boolean): boolean {
  let seenOther = false;
  for (let i = 0, xs = lit.decls; i < xs.length; i++) {
    const d = xs[i];
    if (d.type === 'Field' && isStatic(d)) {
      if (seenOther) return true;
    } else if (d.type === 'Embed' || d.type === 'Comprehension' || d.type === 'Field') seenOther = true;
  }
  return false;
}

/**
 * The declaration slot of a comprehension or dynamic field, for the arcs it
 * creates when it runs: on the conjunct (Conj.slot, not copied with it), or,
 * for a conjunct of another shape, in a table.
 */
const slots = new WeakMap<Conjunct, { rec: LitOrder; idx: number }>();

export function setSlot(c: Conjunct, rec: LitOrder, idx: number): void {
  if (c instanceof Conj) c.slot = { rec, idx };
  else slots.set(c, { rec, idx });
}

export function slotOf(c: Conjunct): { rec: LitOrder; idx: number } | undefined {
  return c instanceof Conj ? c.slot : slots.get(c);
}

/** Notes the arcs created since v had n0 of them as declared at idx. */
export function noteCreated(v: Vertex, rec: LitOrder, n0: number, idx: number): boolean {
  if (v.arcs.size <= n0) return false;
  let i = 0;
  for (const l of v.arcs.keys()) if (i++ >= n0) rec.items.push({ label: l, idx });
  return true;
}

/** Puts the arcs rec noted back in declaration order, in the places they hold. */
export function applyOrder(v: Vertex, rec: LitOrder): void {
  const items = rec.items.filter((x) => v.arcs.has(x.label));
  if (items.length < 2) return;
  const want = items.slice().sort((a, b) => a.idx - b.idx);
  const mine = new Set(items.map((x) => x.label));
  const now: string[] = [];
  for (const l of v.arcs.keys()) if (mine.has(l)) now.push(l);
  if (now.every((l, i) => l === want[i]!.label)) return;
  const m = v.arcMap();
  const entries = [...m];
  const byLabel = new Map(entries);
  let k = 0;
  m.clear();
  for (let i = 0; i < entries.length; i++) {
    const kv = entries[i];
    const l = kv[0];
    const a = kv[1];
    if (!mine.has(l)) m.set(l, a);
    else {
      const w = want[k++]!.label;
      m.set(w, byLabel.get(w)!);
    }
  }
}
