// Fields a vertex declares before it evaluates the references among its
// conjuncts. doExpand adds a vertex's conjuncts in order, evaluating each
// reference as it comes; CUE knows a struct's declared fields first, so the
// value of a reference cycle through a field declared by a later conjunct
// (`z: x.b, x: b: y.c, y: c: z.d, z: d: {a: 1}`) must not depend on the
// order fields are written in. Two things make it so:
// - a field looked up on a vertex whose conjuncts are still being added, and
//   declared by a struct literal among those not added yet, comes from adding
//   that literal at once (declareAhead);
// - the value of one of the vertex's own fields that the vertex includes (z's
//   conjunct y.c is z.d) is added once all of its conjuncts are in, as they
//   may still add to that field (addVal puts it on Vertex.later).
// Both would change the order of the vertex's fields; restoreOrder puts them
// back where the conjuncts that created them stand.
import type { StructLit } from '../ast.js';
import { unparen } from '../syntax.js';
import { addConj, addVal, staticLabel } from './evaluator.js';
import type { Conjunct, Vertex } from './vertex.js';
import { shareState } from './share.js';
import { forgetAdded } from './conjuncts.js';
import { expand } from './sched.js';

/**
 * A field of a vertex whose conjuncts are still being added, declared by a
 * struct literal among the conjuncts not added yet (`z: x.b, z: d: {a: 1}`
 * where x.b needs z.d), or among the operands of `&` not added yet
 * (`#sub & {#a: "aaa"}` where an embedding of #sub reads #a): that literal is
 * added now, as CUE knows a struct's declared fields before it evaluates the
 * references among its conjuncts. The result then does not depend on the
 * order in which fields or operands are written. Called also for a field that
 * exists already: a later literal may still add to it.
 */
export function declareAhead(x: Vertex, sel: string): Vertex | undefined {
  if (!x.onStack || x.borrow) return undefined;
  if (operandsLeft.length) {
    const a = operandAhead(x, sel);
    if (a) return a;
  }
  if (x.cursor === undefined) return undefined;
  // The conjunct at the cursor counts when x is adding a struct it set aside
  // for sharing just before that conjunct (flushShareable).
  const f = shareState.flushing;
  const from = f?.v === x && x.conjuncts[x.cursor] === f.before ? x.cursor : x.cursor + 1;
  for (let i = from; i < x.conjuncts.length; i++) {
    const c = x.conjuncts[i]!;
    if (x.ahead?.conjs.has(c) || !c.expr || c.expr.type !== 'StructLit' || !declaresStatic(c.expr, sel)) continue;
    const ah = (x.ahead ??= { conjs: new Set(), keys: new Map(), seen: x.arcs.size });
    ah.conjs.add(c);
    keyNewArcs(ah, x, x.cursor);
    addConj(x, c);
    keyNewArcs(ah, x, i);
    const a = x.arcs.get(sel);
    if (a) return a;
  }
  return undefined;
}

/** Whether a lookup of a field of x may have to add a later conjunct or operand first (declareAhead). */
export function mayDeclareAhead(x: Vertex): boolean {
  return (x.cursor !== undefined || operandsLeft.length > 0) && x.onStack;
}

/** The operands of `&` being added to a vertex, innermost last: `next` is the first one not reached yet. */
const operandsLeft: { v: Vertex; conjs: Conjunct[]; added: boolean[]; next: number }[] = [];

/**
 * Adds the operands of a conjunction to v in order; while one is added, a
 * lookup of a field of v that a later literal operand declares adds that
 * operand first (declareAhead).
 */
export function addOperands(v: Vertex, conjs: Conjunct[]): void {
  const o = { v, conjs, added: conjs.map(() => false), next: 0 };
  operandsLeft.push(o);
  try {
    for (let i = 0; i < conjs.length; i++) {
      o.next = i + 1;
      if (o.added[i]) continue;
      o.added[i] = true;
      addConj(v, conjs[i]!);
    }
  } finally {
    operandsLeft.pop();
  }
}

function operandAhead(x: Vertex, sel: string): Vertex | undefined {
  for (let k = operandsLeft.length - 1; k >= 0; k--) {
    const o = operandsLeft[k]!;
    if (o.v !== x) continue;
    for (let i = o.next; i < o.conjs.length; i++) {
      const e = o.conjs[i]!.expr && unparen(o.conjs[i]!.expr!);
      if (o.added[i] || e?.type !== 'StructLit' || !declaresStatic(e, sel)) continue;
      o.added[i] = true;
      if (x.ahead) keyNewArcs(x.ahead, x, x.cursor ?? 0);
      addConj(x, o.conjs[i]!);
      if (x.ahead) keyNewArcs(x.ahead, x, x.cursor ?? 0);
      const a = x.arcs.get(sel);
      if (a) return a;
    }
  }
  return undefined;
}

/** Records, for the arcs created since the last call, the index of the conjunct that created them. */
export function keyNewArcs(ah: NonNullable<Vertex['ahead']>, v: Vertex, i: number): void {
  let k = 0;
  for (const l of v.arcs.keys()) if (k++ >= ah.seen) ah.keys.set(l, i);
  ah.seen = v.arcs.size;
}

/** Puts the arcs in the order in which the conjuncts creating them would have created them without declareAhead. */
export function restoreOrder(v: Vertex, ah: NonNullable<Vertex['ahead']>): void {
  if (v.borrow) return;
  const arcs = [...v.arcs].map(([l, a], n) => ({ l, a, n, k: ah.keys.get(l) ?? -1 }));
  arcs.sort((x, y) => x.k - y.k || x.n - y.n);
  const m = v.arcMap();
  m.clear();
  for (let i = 0; i < arcs.length; i++) {
    const x = arcs[i];
    m.set(x.l, x.a);
  }
}

function declaresStatic(lit: StructLit, sel: string): boolean {
  for (let i = 0, xs = lit.decls; i < xs.length; i++) {
    const d = xs[i];
    if (d.type !== 'Field') continue;
    const l = d.label.type === 'AliasLabel' ? d.label.label : d.label;
    if (l.type !== 'PatternLabel' && staticLabel(l) === sel) return true;
  }
  return false;
}

/** Whether w is a field of v or below one (not an anonymous value evaluated within v). */
export function isFieldOf(v: Vertex, w: Vertex): boolean {
  let p: Vertex | undefined = w;
  for (; p && p !== v; p = p.parent) if (p.label === '') return false;
  return p === v && w !== v;
}


/**
 * Adds the fields of v that v's value includes (Vertex.later): once all of
 * v's conjuncts are in, as they may still add to those fields, each field's
 * arcs standing where the conjunct that brought it stands. Including one may
 * add to it (`{c.d, c: d: c: d: e: g: 1}` adds to c.d, through c): then it
 * is included again, as it now is (bounded). An embedded field was included
 * at once (`seen`: the conjuncts it had then) and is only included again.
 */
export function includeOwnFields(v: Vertex): void {
  const items = v.later!;
  v.later = undefined;
  const seen = items.map((x) => x.seen);
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < items.length; i++) {
      if (seen[i]) continue;
      const x = items[i]!;
      seen[i] = conjKeys(x.w);
      if (round > 0) forgetAdded(v, x.w);
      addVal(v, x.w, x.c, x.src);
      if (v.ahead) keyNewArcs(v.ahead, v, x.at);
    }
    let changed = false;
    for (let i = 0; i < items.length; i++) {
      const now = arcAt(v, items[i]!.w);
      if (!now || !now.conjuncts.some((c) => !seen[i]!.has(conjKey(c)))) continue;
      items[i] = { ...items[i]!, w: now };
      seen[i] = undefined;
      changed = true;
    }
    if (!changed) return;
  }
}

function conjKey(c: Conjunct): unknown {
  return c.expr ?? c.val ?? c.disj;
}

/** What identifies a vertex's conjuncts: their expressions (or values). */
export function conjKeys(w: Vertex): Set<unknown> {
  const s = new Set<unknown>();
  for (let i = 0, xs = w.conjuncts; i < xs.length; i++) {
    const c = xs[i];
    s.add(conjKey(c));
  }
  return s;
}

/** The arc of v at w's path below v now (evaluated up to its parent). */
function arcAt(v: Vertex, w: Vertex): Vertex | undefined {
  const labels: string[] = [];
  for (let p: Vertex | undefined = w; p !== v; p = p.parent) {
    if (!p) return undefined;
    labels.push(p.label);
  }
  let cur: Vertex | undefined = v;
  for (let i = labels.length - 1; i >= 0 && cur; i--) {
    // (An ancestor evaluated again has its arcs once it is expanded.)
    if (cur !== v) expand(cur);
    cur = cur.arcs.get(labels[i]!);
  }
  return cur;
}
