// Plain-data helpers over value trees: dotted paths, leaves, masking.
import { Redactor } from './redact.js';

export type Plain = null | boolean | number | bigint | string | Plain[] | { [k: string]: Plain };
export type PlainObject = { [k: string]: Plain };

export const SECRET_MASK = '<secret>';

export function isObject(x: unknown): x is PlainObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `a.b."c-d"` style rendering of a path, as CUE prints it. */
export function formatPath(path: (string | number)[]): string {
  return path
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[#_$A-Za-z][A-Za-z0-9_$]*$/.test(s) ? (i ? `.${s}` : s) : i ? `."${s}"` : `"${s}"`))
    .join('')
    .replace(/^\./, '');
}

export function splitPath(p: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|([^."]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(p))) out.push(m[1] !== undefined ? m[1] : m[2]!);
  return out;
}

/** The value at a path; a list is indexed by a segment that is an index (`servers.0.password`). */
export function getPath(v: unknown, path: readonly string[]): unknown {
  let cur = v;
  for (const s of path) {
    const next = child(cur, s);
    if (!next) return undefined;
    cur = next.v;
  }
  return cur;
}

export function hasPath(v: unknown, path: readonly string[]): boolean {
  let cur = v;
  for (const s of path) {
    const next = child(cur, s);
    if (!next) return false;
    cur = next.v;
  }
  return true;
}

function child(cur: unknown, s: string): { v: unknown } | undefined {
  if (isObject(cur)) return Object.prototype.hasOwnProperty.call(cur, s) ? { v: cur[s] } : undefined;
  if (Array.isArray(cur) && /^(?:0|[1-9]\d*)$/.test(s) && Number(s) < cur.length) return { v: cur[Number(s)] };
  return undefined;
}

/** Whether two dotted paths name the same field (`a."b"` and `a.b`). */
export function samePath(a: string, b: string): boolean {
  const x = splitPath(a);
  const y = splitPath(b);
  return x.length === y.length && x.every((s, i) => s === y[i]);
}

export function setPath(v: PlainObject, path: string[], x: Plain): void {
  let cur = v;
  for (const s of path.slice(0, -1)) {
    if (!isObject(cur[s])) cur[s] = {};
    cur = cur[s] as PlainObject;
  }
  cur[path[path.length - 1]!] = x;
}

/** Leaves of a value tree: scalars, lists (a list is one value) and empty structs. */
export function leaves(v: unknown, prefix: string[] = []): { path: string[]; value: Plain }[] {
  if (!isObject(v) || (Object.keys(v).length === 0 && prefix.length > 0)) return [{ path: prefix, value: v as Plain }];
  return Object.entries(v).flatMap(([k, x]) => leaves(x, [...prefix, k]));
}

/** A deep copy with everything at or below a secret path replaced by `<secret>` (see redact.ts). */
export function maskValues<T>(v: T, secretPaths: string[]): T {
  return new Redactor(secretPaths).maskValues(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'bigint' || typeof b === 'bigint') return String(a) === String(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** JSON for messages: short, bigint-safe. */
export function show(x: unknown): string {
  // Integers beyond 2^53 arrive as bigint: print them as written, not as 1e+23.
  const s = JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `\u0000${v}` : v))?.replace(/"\\u0000(-?\d+)"/g, '$1');
  return s === undefined ? String(x) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
