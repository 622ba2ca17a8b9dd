// While one disjunct of a split vertex is evaluated, a reference to that
// vertex means the disjunct under evaluation, not the still unsplit vertex
// (`c: d: c.e` with `c: {d: 1, e: 2} | {d: 2, e: 2}`): CUE's evaluator
// dereferences the node holding a disjunction to the disjunct it is
// evaluating. Values outside the disjunct that were computed from it (`x: c.e`
// with `c: d: x`) hold for that disjunct only, so they are evaluated afresh
// once the disjunction is done.
import type { Vertex } from './vertex.js';

interface Frame {
  clone: Vertex;
  /** Vertices outside the clone that read it while it was evaluated. */
  readers: Set<Vertex>;
}

const frames = new Map<Vertex, Frame>();

/** Whether a disjunct is being evaluated (references may mean a disjunct rather than their vertex). */
export function disjunctActive(): boolean {
  return frames.size > 0;
}

/** Runs `run` with references to `v` meaning `clone`; returns the outside vertices that read the clone. */
export function inDisjunct(v: Vertex, clone: Vertex, run: () => void): Set<Vertex> {
  const outer = frames.get(v);
  const frame: Frame = { clone, readers: new Set() };
  frames.set(v, frame);
  try {
    run();
  } finally {
    if (outer) frames.set(v, outer);
    else frames.delete(v);
  }
  return frame.readers;
}

/**
 * The disjunct under evaluation that stands for `x`, if any. `stack` holds
 * the vertices being evaluated: those above the clone that are not part of it
 * read a value that depends on the disjunct.
 */
export function disjunctFor(x: Vertex, stack: readonly Vertex[]): Vertex | undefined {
  if (frames.size === 0) return undefined;
  const f = frames.get(x);
  if (!f) return undefined;
  for (let j = stack.length - 1; j >= 0; j--) {
    const s = stack[j]!;
    if (s === f.clone) break;
    if (!within(s, f.clone)) f.readers.add(s);
  }
  return f.clone;
}

/** Whether some disjunct is being evaluated. */
export function inAnyDisjunct(): boolean {
  return frames.size > 0;
}

function within(v: Vertex, root: Vertex): boolean {
  for (let p: Vertex | undefined = v; p; p = p.parent) if (p === root) return true;
  return false;
}

const inlining = new Set<Vertex>();

/**
 * A field of a disjunct under evaluation refers to `w`, which is still being
 * evaluated outside it (`x: c.e` asked first, `c: d: x`): w's value is what
 * its conjuncts give in this disjunct, so they are added in place of the
 * unfinished value (each such vertex once at a time, so a true cycle ends).
 */
export function inlineInDisjunct(v: Vertex, w: Vertex, add: () => void): boolean {
  if (frames.size === 0 || inlining.has(w)) return false;
  let inside = false;
  for (const f of frames.values()) {
    if (within(v, f.clone) && !within(w, f.clone) && !within(f.clone, w)) {
      inside = true;
      break;
    }
  }
  if (!inside) return false;
  inlining.add(w);
  try {
    add();
  } finally {
    inlining.delete(w);
  }
  return true;
}

/**
 * The value of `w`, a scalar field still being evaluated outside the
 * disjunct under evaluation, as its conjuncts give it in this disjunct
 * (`y: x + 10` with `x: div(c.e, 2)` asked first and `c: d: y - 10`):
 * evaluated in a vertex of its own, which stands for w only here.
 */
export function valueInDisjunct(w: Vertex, make: () => Vertex, expand: (v: Vertex) => void): Vertex | undefined {
  if (frames.size === 0 || inlining.has(w) || w.isStruct || w.isList || w.arcs.size > 0) return undefined;
  let inside = false;
  for (const f of frames.values()) {
    if (!within(w, f.clone) && !within(f.clone, w)) {
      inside = true;
      break;
    }
  }
  if (!inside) return undefined;
  const t = make();
  inlining.add(w);
  try {
    expand(t);
  } finally {
    inlining.delete(w);
  }
  return t;
}
