// Structure sharing of evaluated structs (see Share in vertex.ts): when a
// field may read a referenced struct instead of copying its conjuncts, and
// how that is undone when the field changes.
import type { Conjunct, Share } from './vertex.js';
import { sharing, type Vertex } from './vertex.js';
import type { Val } from './values.js';
import { addVal, standsFor } from './conjuncts.js';
import { resetVertex } from './arcs.js';
import { expand, taintedWhile } from './sched.js';
import { inAnyDisjunct } from './disjunct-scope.js';

/** Switches for debugging and tests: `sharing` off copies plain data and referenced structs instead of sharing them (like CUE_DEBUG=sharing=0 in Go). */
export const debug = { sharing: true };

/** The vertex whose conjuncts doExpand is adding (a struct referenced then may be shared). */
export const shareState: { collecting: Vertex | undefined; flushing: { v: Vertex; before: Conjunct } | undefined } = { collecting: undefined, flushing: undefined };

/**
 * Whether v may share struct w, referenced by conjunct c: w is evaluated
 * and whole (no error, disjunction, pending or incomplete parts, patterns
 * or list), and c adds nothing to it: no embedding, no opening or closing,
 * and no definition that would close struct literals w leaves open.
 */
export function mayShare(v: Vertex, w: Vertex, c: Conjunct): boolean {
  if (!debug.sharing || shareState.collecting !== v || v.shareable === null) return false;
  if (w.status < 2 || w.onStack || !w.isStruct || w.isList || w.base.t !== 'top' || w.conjuncts.length === 0) return false;
  if (w.err || w.disjuncts || w.pending?.length || w.incompletes || w.incompleteErr || w.choices || w.cycleVals || w.tainted || w.notAllowed || w.patterns.length) return false;
  if (c.embedIn || c.openAll || c.closeAll || c.noClose) return false;
  // In a definition, w's struct literals would close when copied; plain data
  // (from fill/encode) has none, so only it may come from outside one.
  if (c.def) for (let i = 0, xs = w.conjuncts; i < xs.length; i++) {
    const wc = xs[i];
    if (!wc.def && !isPlainVal(wc)) return false;
  }
  // In a disjunct, w's fields may refer to a vertex still in progress that
  // holds the disjunct (`#O: or([for k, x in #All {(k): x}])` with
  // `#All: r: o: #O`): shared, they would take that vertex's value so far
  // and hide the structural cycle a copy meets.
  if (inAnyDisjunct() && readsInProgress(w, 0)) return false;
  // What a few levels of w hold must mean the same at v (walked down from w,
  // allocating nothing: a registry of sharers per shared struct would keep
  // every sharer alive as long as the struct).
  if (placeBound(w, v, 0)) return false;
  return true;
}

/**
 * Whether an evaluated struct a few levels down in w holds a value that
 * depends on where it stands:
 * - it shares v or a struct holding v (`#A: B?: #B`, `#B: A: #A`): shared,
 *   v would hold itself, a structural cycle that sharing hides (the shared
 *   arcs formed a loop that unfolded to the depth limit);
 * - a disjunction some of whose disjuncts a structural cycle eliminated
 *   (Vertex.disjCyclic: `retry: output: #Output` with #Output a disjunction
 *   over #All's fields, retry among them): which disjuncts fail depends on
 *   where it is evaluated, so at v it must be evaluated again.
 */
function placeBound(w: Vertex, v: Vertex, depth: number): boolean {
  for (const a of w.arcs.values()) {
    const s = a.borrow?.share?.w;
    if (s && (s === v || holds(s, v))) return true;
    if (a.disjCyclic) return true;
    if (depth < 3 && a.status >= 2 && a.isStruct && placeBound(a, v, depth + 1)) return true;
  }
  return false;
}

/** Whether s holds v (a disjunct of s under evaluation stands for s). */
function holds(s: Vertex, v: Vertex): boolean {
  for (let p = v.parent; p; p = p.parent) if (standsFor(p, s)) return true;
  return false;
}

function readsInProgress(w: Vertex, depth: number): boolean {
  for (const a of w.arcs.values()) {
    expand(a);
    if (a.err?.code === 'structural cycle' || taintedWhile(a, (x) => x.onStack)) return true;
    if (depth < 3 && a.isStruct && readsInProgress(a, depth + 1)) return true;
  }
  return false;
}

function isPlainVal(c: Conjunct, depth = 0): boolean {
  return !c.expr && c.val !== undefined && isLiteralFree(c.val, depth);
}

/**
 * Data, or values made of data only (encode of a JS object holding encoded
 * Values, fill): no struct literal anywhere. Checked a few levels deep.
 */
function isLiteralFree(x: Val, depth: number): boolean {
  if (x.t !== 'vertex' || x.plainData) return true;
  if (depth > 4) return false;
  for (let i = 0, xs = x.conjuncts; i < xs.length; i++) {
    const c = xs[i];
    if (!isPlainVal(c, depth + 1)) return false;
  }
  for (const a of x.arcs.values()) if (!isLiteralFree(a, depth + 1)) return false;
  return true;
}

/** After v's conjuncts: share the struct they referenced if nothing else gave v structure, else add its conjuncts. */
export function shareOrCopy(v: Vertex, s: Share): void {
  v.shareable = undefined;
  const fresh =
    v.arcs.size === 0 && !v.borrow && !v.isStruct && !v.isList && v.base.t === 'top' && !v.err && !v.pending && !v.incompletes &&
    v.patterns.length === 0 && v.roots.length === 0 && v.comprehensions.length === 0 && !v.added && !v.declNode && !v.inlineNode && !v.choices;
  if (!fresh) {
    v.shareable = null;
    addVal(v, s.w, s.c, s.src);
    return;
  }
  const w = s.w;
  v.arcs = w.arcs;
  v.borrow = { env: s.c.env, def: s.c.def, share: s };
  v.isStruct = true;
  if (v.embedOnlyStruct) v.embedOnlyStruct = false;
  v.roots = w.roots;
  v.declNode = w.declNode;
  v.inlineNode = w.inlineNode;
}

/** Adds the struct set aside for sharing as it would have been added without sharing. */
export function flushShareable(v: Vertex, before?: Conjunct): void {
  const s = v.shareable;
  v.shareable = null;
  if (!s) return;
  // The conjunct that made v copy the struct is not added yet: a lookup of
  // one of its fields from within the struct declares it ahead (ahead.ts).
  const outer = shareState.flushing;
  shareState.flushing = before ? { v, before } : undefined;
  try {
    addVal(v, s.w, s.c, s.src);
  } finally {
    shareState.flushing = outer;
  }
}

/** Undoes v's sharing before a change: v gets the shared struct's conjuncts, as it would have without sharing. */
export function unshare(v: Vertex): void {
  const s = v.borrow!.share!;
  v.clearArcs();
  v.roots = [];
  v.declNode = undefined;
  v.inlineNode = undefined;
  v.shareable = null;
  if (v.status >= 2 && !v.onStack) {
    // Already evaluated: evaluate it again, copying this time.
    resetVertex(v); // keeps shareable null: the evaluation copies
    expand(v);
    return;
  }
  addVal(v, s.w, s.c, s.src);
}
sharing.unshare = unshare;
