// Extraction of concrete data from an evaluated value, as used by every
// exporter: defaults selected, regular fields only, in CUE's field order.
// Every non-concrete or erroneous path is reported, not only the first.
import { bytesOfByteString } from '../byte-string.js';
import { CueError } from '../errors.js';
import { expand } from '../eval/evaluator.js';
import { concreteDefault } from '../eval/operators.js';
import { bottom, type Bottom, isBottom, show, type Val } from '../eval/values.js';
import { hasRegularLabel, isDefLabel, isRegularLabel, labelName, type Vertex } from '../eval/vertex.js';
import type { Pos } from '../ast.js';
import type { Decimal } from 'decimal.js';

export type Data =
  | { k: 'null' }
  | { k: 'bool'; b: boolean }
  | { k: 'int'; i: bigint }
  | { k: 'float'; d: Decimal }
  | { k: 'string'; s: string }
  | { k: 'bytes'; s: string }
  | { k: 'list'; items: Data[] }
  | { k: 'struct'; fields: [string, Data][] };

export function bottomToError(b: Bottom, path: string[]): CueError {
  // Inside the evaluator a reference cycle is an incomplete error (other
  // conjuncts may still decide the value); a value left with it is reported
  // with CUE's own code for an unresolved cycle.
  const code = b.cycle && b.code === 'incomplete' ? 'cycle' : b.code;
  return new CueError(code, b.msg, { path: b.at ?? (b.sub ? [...path, ...b.sub] : path), positions: dedupPos(b.pos) });
}

function dedupPos(ps: Pos[]): Pos[] {
  const seen = new Set<string>();
  const out: Pos[] = [];
  for (const p of ps) {
    const k = `${p.file}:${p.line}:${p.col}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(p);
  }
  return out;
}

/** Builds the output of an extraction: Data for the exporters, plain JS for Value.toJS. */
export interface DataBuilder<T> {
  null(): T;
  bool(b: boolean): T;
  int(i: bigint): T;
  float(d: Decimal): T;
  string(s: string): T;
  bytes(s: string): T;
  list(items: T[]): T;
  struct(fields: [string, T][]): T;
}

export const DATA: DataBuilder<Data> = {
  null: () => ({ k: 'null' }),
  bool: (b) => ({ k: 'bool', b }),
  int: (i) => ({ k: 'int', i }),
  float: (d) => ({ k: 'float', d }),
  string: (s) => ({ k: 'string', s }),
  bytes: (s) => ({ k: 'bytes', s }),
  list: (items) => ({ k: 'list', items }),
  struct: (fields) => ({ k: 'struct', fields }),
};

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Plain JS (see Value.toJS): ints as number when safe else bigint, floats as number, structs as objects, bytes as Uint8Array. */
export const PLAIN: DataBuilder<unknown> = {
  null: () => null,
  bool: (b) => b,
  int: (i) => (i >= MIN_SAFE && i <= MAX_SAFE ? Number(i) : i),
  float: (d) => d.toNumber(),
  string: (s) => s,
  bytes: (s) => bytesOfByteString(s),
  list: (items) => items,
  struct: (fields) => {
    const o: Record<string, unknown> = {};
    for (const kv of fields) {
      const k = kv[0];
      const x = kv[1];
      o[k] = x;
    }
    return o;
  },
};

/**
 * Met on the way for each hidden field (which extraction skips), with
 * whether it must be concrete (a hidden field of an embedded list): a caller
 * that also wants validate()'s checks runs them there, in the same walk.
 */
export type HiddenHook = (a: Vertex, path: string[], concrete: boolean) => void;

/**
 * Extracts concrete data; appends an error per offending path to `errs`.
 * `path` is a stack the walk pushes and pops: errors take a copy.
 */
export function extract<T>(v0: Val, path: string[], errs: CueError[], b: DataBuilder<T>, hidden?: HiddenHook, depth = 0): T | undefined {
  if (depth > 1000) {
    errs.push(new CueError('structural cycle', 'value too deep to export', { path: [...path] }));
    return undefined;
  }
  const v = concreteDefault(v0);
  switch (v.t) {
    case 'null':
      return b.null();
    case 'bool':
      return b.bool(v.b);
    case 'int':
      return b.int(v.i);
    case 'float':
      return b.float(v.d);
    case 'string':
      return b.string(v.s);
    case 'bytes':
      return b.bytes(v.s);
    case 'bottom':
      errs.push(bottomToError(v, [...path]));
      return undefined;
    case 'vertex':
      return vertexData(v, path, errs, b, hidden, depth);
    case 'func':
      errs.push(new CueError('eval', `cannot export builtin function ${v.name}`, { path: [...path] }));
      return undefined;
    default: {
      const pos = v0.t === 'vertex' ? v0.positions : (v as { pos?: Pos }).pos ? [(v as { pos: Pos }).pos] : [];
      errs.push(new CueError('incomplete', `incomplete value ${show(v)}`, { path: [...path], positions: dedupPos(pos) }));
      return undefined;
    }
  }
}

function vertexData<T>(v: Vertex, path: string[], errs: CueError[], b: DataBuilder<T>, hidden: HiddenHook | undefined, depth: number): T | undefined {
  expand(v);
  if (v.err) {
    errs.push(bottomToError(v.err, [...path]));
    return undefined;
  }
  if (v.disjuncts) {
    errs.push(new CueError('incomplete', `incomplete value ${v.shortString()}`, { path: [...path], positions: dedupPos(v.positions) }));
    return undefined;
  }
  if (v.incompleteErr) {
    errs.push(bottomToError(v.incompleteErr, [...path]));
    return undefined;
  }
  if (v.isList) {
    const items: T[] = [];
    let ok = true;
    for (const kv of v.arcs) {
      const l = kv[0];
      const a = kv[1];
      path.push(l);
      if (isRegularLabel(l)) {
        const d = extract(a, path, errs, b, hidden, depth + 1);
        if (d !== undefined) items.push(d);
        else ok = false;
      } else if (hidden && !isDefLabel(l) && a.fieldKind === 'regular') {
        // A hidden field of an embedded list: no element.
        hidden(a, path, true);
      }
      path.pop();
    }
    return ok ? b.list(items) : undefined;
  }
  if (!v.isStruct && !hasRegularLabel(v)) {
    if (v.base.t === 'top' && v.arcs.size > 0) return b.struct([]);
    return extract(v.base, path, errs, b, hidden, depth + 1);
  }
  const fields: [string, T][] = [];
  let ok = true;
  for (const kv of v.arcs) {
    const l = kv[0];
    const a = kv[1];
    if (!isRegularLabel(l)) continue;
    if (a.fieldKind === 'required') {
      expand(a);
      errs.push(new CueError('incomplete', `field is required but not present`, { path: [...path, l], positions: dedupPos(a.positions) }));
      ok = false;
    }
  }
  for (const kv of v.arcs) {
    const l = kv[0];
    const a = kv[1];
    if (a.fieldKind !== 'regular') continue;
    if (!isRegularLabel(l)) {
      if (hidden && !isDefLabel(l)) {
        path.push(l);
        hidden(a, path, false);
        path.pop();
      }
      continue;
    }
    path.push(l);
    const d = extract(a, path, errs, b, hidden, depth + 1);
    path.pop();
    if (d !== undefined) fields.push([labelName(l), d]);
    else ok = false;
  }
  return ok ? b.struct(fields) : undefined;
}

export { bottom, isBottom };
