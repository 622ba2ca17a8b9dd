// Tests that found a field missing (`a.b.c == _|_`) while a struct enclosing
// the tested one was still being evaluated. A field arriving afterwards
// contradicts the test: finish.ts reports it (Vertex.missed). The tested
// struct may have been evaluated already, and the comprehension that adds the
// field resets it (or a struct above it) to evaluate it again: what was
// recorded below the reset vertex is carried over to the arcs made anew.
import type { Vertex } from './vertex.js';

/** Vertices with a recorded test somewhere below them. */
const below = new WeakSet<Vertex>();

/** Recorded tests of arcs a reset dropped, by the parent that will make those arcs again. */
interface Tree {
  missed?: Set<string>;
  kids?: Map<string, Tree>;
}
const pending = new WeakMap<Vertex, Map<string, Tree>>();
let pendingCount = 0;

/** x has no field `label` yet, as a test found. */
export function recordMissed(x: Vertex, label: string): void {
  (x.missed ??= new Set()).add(label);
  for (let p = x.parent; p && !below.has(p); p = p.parent) {
    below.add(p);
    if (p.onStack) break;
  }
}

function collect(v: Vertex): Map<string, Tree> | undefined {
  if (!below.has(v)) return undefined;
  let out: Map<string, Tree> | undefined;
  for (const kv of v.arcs) {
    const l = kv[0];
    const a = kv[1];
    const kids = collect(a);
    if (a.missed || kids) (out ??= new Map()).set(l, { missed: a.missed, kids });
  }
  return out;
}

/** What v and its arcs recorded, to survive resetting v (see restoreMissed). */
export function saveMissed(v: Vertex): Tree | undefined {
  const kids = v.arcs.size ? collect(v) : undefined;
  return v.missed || kids ? { missed: v.missed, kids } : undefined;
}

export function restoreMissed(v: Vertex, t: Tree | undefined): void {
  if (!t) return;
  v.missed = t.missed;
  if (t.kids) {
    pending.set(v, t.kids);
    below.add(v);
    pendingCount++;
  }
}

/** A new arc a of v takes over what the arc it replaces recorded. */
export function inheritMissed(v: Vertex, a: Vertex): void {
  if (pendingCount === 0) return;
  const t = pending.get(v)?.get(a.label);
  if (t) restoreMissed(a, t);
}
