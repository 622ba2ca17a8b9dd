// Evaluation limits. Pathological programs (runaway recursion, comprehensions
// that multiply lists, disjunctions that explode) must end with a clear
// error, not hang or exhaust the heap, and whether a program evaluates must
// not depend on how loaded the machine is: every limit counts work done, not
// time spent. One budget covers each API operation (evaluating, looking up,
// exporting: resetWork at its start).
//
// - maxWork: evaluation steps: vertices evaluated, comprehension iterations,
//   disjuncts tried.
// - maxSize: values made, counted as they are allocated: every vertex (field,
//   list element, disjunct, temporary), every comprehension result. The
//   count must stop a program before the heap runs out, not after: a vertex
//   costs 0.8 to 2 KB retained (a squared list's elements, OPM components),
//   so the default allows one value per VALUE_BYTES of the JS heap's limit
//   (v8's heap_size_limit where Node tells it, set by --max-old-space-size):
//   about 78,000 in a 256 MB heap, a million in Node's usual 4 GB. The same
//   program in the same configuration always gets the same answer.
// - maxDepth: nesting of vertices being evaluated at once (deeper is a
//   structural cycle that no repeat check caught).
// - maxDisjuncts: combinations of one vertex's disjunctions.
// - maxEmbedBytes, maxEmbedFiles: bytes and files read by `@embed` per build
//   (a glob over a large tree, or one huge file, must not fill the heap).
//
// Real programs stay far below the defaults (opm's example releases evaluate
// fewer than 6,000 vertices); callers may change them with setLimits.
import { CueError } from '../errors.js';

export interface Limits {
  maxWork: number;
  maxSize: number;
  maxDepth: number;
  maxDisjuncts: number;
  maxEmbedBytes: number;
  maxEmbedFiles: number;
}

/** Heap bytes allowed per counted value: twice the largest retained cost measured, for the garbage evaluation makes. */
const VALUE_BYTES = 4096;

/** The JS heap's size limit, when the platform says (Node); undefined in a browser. */
function heapLimit(): number | undefined {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const v8 = proc?.getBuiltinModule?.('node:v8') as { getHeapStatistics?: () => { heap_size_limit: number } } | undefined;
    const n = v8?.getHeapStatistics?.().heap_size_limit;
    return typeof n === 'number' && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** maxSize by default: scaled to the heap (at least 10,000 values); a million where the heap is unknown. */
export function defaultMaxSize(heapBytes: number | undefined): number {
  return heapBytes === undefined ? 1_000_000 : Math.max(10_000, Math.floor(heapBytes / VALUE_BYTES));
}

let heapDefault: number | undefined;

/**
 * The heap-scaled default, asked of v8 once and only when needed: node:v8
 * loads Node's streams, which a short run of a library user need not pay for
 * (the CLI's bundle loader loads node:v8 anyway, for a V8 flag).
 */
function defaultSize(): number {
  return (heapDefault ??= defaultMaxSize(heapLimit()));
}

/**
 * Until an operation makes this many values, the default maxSize need not be
 * known: it is at least this in any heap of 256 MB or more.
 */
const SIZE_FLOOR = 65_536;

export const defaultLimits: Readonly<Limits> = Object.freeze({
  maxWork: 5_000_000,
  get maxSize(): number {
    return defaultSize();
  },
  maxDepth: 400,
  maxDisjuncts: 4096,
  maxEmbedBytes: 32 * 1024 * 1024,
  maxEmbedFiles: 10_000,
});

/**
 * The limits in force and the work and size used by the current operation.
 * While sizeAuto, maxSize is SIZE_FLOOR until an operation passes it; then
 * the heap-scaled default takes its place.
 */
export const limits: Limits & { work: number; size: number; sizeAuto: boolean } = {
  maxWork: defaultLimits.maxWork,
  maxSize: SIZE_FLOOR,
  maxDepth: defaultLimits.maxDepth,
  maxDisjuncts: defaultLimits.maxDisjuncts,
  maxEmbedBytes: defaultLimits.maxEmbedBytes,
  maxEmbedFiles: defaultLimits.maxEmbedFiles,
  work: 0,
  size: 0,
  sizeAuto: true,
};

/** Changes limits for all later operations (omitted ones keep their value); returns the previous ones. */
export function setLimits(l: Partial<Limits>): Limits {
  const prev = { maxWork: limits.maxWork, maxSize: limits.sizeAuto ? defaultSize() : limits.maxSize, maxDepth: limits.maxDepth, maxDisjuncts: limits.maxDisjuncts, maxEmbedBytes: limits.maxEmbedBytes, maxEmbedFiles: limits.maxEmbedFiles };
  for (let i = 0, xs = ['maxWork', 'maxSize', 'maxDepth', 'maxDisjuncts', 'maxEmbedBytes', 'maxEmbedFiles'] as const; i < xs.length; i++) {
    const k = xs[i];
    const x = l[k];
    if (x === undefined) continue;
    if (!Number.isSafeInteger(x) || x <= 0) throw new RangeError(`${k} must be a positive integer, got ${x}`);
    limits[k] = x;
    if (k === 'maxSize') limits.sizeAuto = false;
  }
  return prev;
}

export function resetWork(): void {
  limits.work = 0;
  limits.size = 0;
}

/** Counts n evaluation steps. */
export function tick(n = 1): void {
  if ((limits.work += n) > limits.maxWork) {
    throw new CueError('eval', `evaluation exceeded the work limit of ${limits.maxWork} steps (runaway recursion or an exploding comprehension?); raise it with setLimits({maxWork})`);
  }
}

/** Counts n values made. */
export function grow(n = 1): void {
  if ((limits.size += n) > limits.maxSize) {
    if (limits.sizeAuto) {
      limits.sizeAuto = false;
      limits.maxSize = defaultSize();
      if (limits.size <= limits.maxSize) return;
    }
    throw new CueError('eval', `evaluation exceeded the size limit of ${limits.maxSize} values (a comprehension or list that grows without bound?); raise it with setLimits({maxSize})`);
  }
}
