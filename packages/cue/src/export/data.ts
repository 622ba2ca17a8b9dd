// Extraction of concrete data from an evaluated value, as used by every
// exporter: defaults selected, regular fields only, in CUE's field order.
// Every non-concrete or erroneous path is reported, not only the first.
import { CueError } from '../errors.js';
import { expand } from '../eval/evaluator.js';
import { concreteDefault } from '../eval/operators.js';
import { bottom, type Bottom, isBottom, show, type Val } from '../eval/values.js';
import { hasRegularLabel, isRegularLabel, type Vertex } from '../eval/vertex.js';
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
  return new CueError(code, b.msg, { path: b.path ?? path, positions: dedupPos(b.pos) });
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

/**
 * Extracts concrete data; appends an error per offending path to `errs`.
 * `path` is a stack the walk pushes and pops: errors take a copy.
 */
export function toData(v0: Val, path: string[], errs: CueError[], depth = 0): Data | undefined {
  if (depth > 1000) {
    errs.push(new CueError('structural cycle', 'value too deep to export', { path: [...path] }));
    return undefined;
  }
  const v = concreteDefault(v0);
  switch (v.t) {
    case 'null':
      return { k: 'null' };
    case 'bool':
      return { k: 'bool', b: v.b };
    case 'int':
      return { k: 'int', i: v.i };
    case 'float':
      return { k: 'float', d: v.d };
    case 'string':
      return { k: 'string', s: v.s };
    case 'bytes':
      return { k: 'bytes', s: v.s };
    case 'bottom':
      errs.push(bottomToError(v, [...path]));
      return undefined;
    case 'vertex':
      return vertexData(v, path, errs, depth);
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

function vertexData(v: Vertex, path: string[], errs: CueError[], depth: number): Data | undefined {
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
    const items: Data[] = [];
    let ok = true;
    for (const [l, a] of v.arcs) {
      if (!isRegularLabel(l)) continue; // a definition or hidden field of an embedded list: no element
      path.push(l);
      const d = toData(a, path, errs, depth + 1);
      path.pop();
      if (d) items.push(d);
      else ok = false;
    }
    return ok ? { k: 'list', items } : undefined;
  }
  if (!v.isStruct && !hasRegularLabel(v)) {
    if (v.base.t === 'top' && v.arcs.size > 0) return { k: 'struct', fields: [] };
    return toData(v.base, path, errs, depth + 1);
  }
  const fields: [string, Data][] = [];
  let ok = true;
  for (const [l, a] of v.arcs) {
    if (!isRegularLabel(l)) continue;
    if (a.fieldKind === 'required') {
      expand(a);
      errs.push(new CueError('incomplete', `field is required but not present`, { path: [...path, l], positions: dedupPos(a.positions) }));
      ok = false;
    }
  }
  for (const [l, a] of v.arcs) {
    if (a.fieldKind !== 'regular' || !isRegularLabel(l)) continue;
    path.push(l);
    const d = toData(a, path, errs, depth + 1);
    path.pop();
    if (d) fields.push([l, d]);
    else ok = false;
  }
  return ok ? { k: 'struct', fields } : undefined;
}

/** Extracts data or throws a CueErrorList-compatible array. */
export function mustData(v: Val, path: string[]): { data?: Data; errs: CueError[] } {
  const errs: CueError[] = [];
  const data = toData(v, path, errs);
  return { data, errs };
}

export { bottom, isBottom };
