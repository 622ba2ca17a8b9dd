// Naming the values behind an error. The engine says what failed (`invalid
// value 5 (out of bound >=8)` at a component field); a module author or a
// release user needs to know which values made it so and which layer gave
// each (release file:line, module #overrides, definition default). Values are
// found two ways: an error position that is a value's own declaration, and the
// names a failed constraint refers to (`>=minReplicas`), resolved from the
// failing field's scope outwards, followed through a field written as
// `values.x.y` to that value.
import type { Pos, Source, Value } from '@opm/cue';
import type { Origin } from './merge.js';
import { SECRET_MASK, formatPath, leaves, show, type PlainObject } from './paths.js';
import { baseName, sourceLine } from './sources.js';

export interface BlameContext {
  /** The module's own files (positions there name module lines). */
  moduleFiles: Source[];
  /** Module and core schema files, to read constraint lines. */
  files: Source[];
  /** The values schema (positions of value declarations). */
  schema: Value;
  /** What the failing path is looked up in (the values, or the filled module). */
  root: Value;
  /** The failing path as found in `root` (errors name `module.components...`). */
  rootPath: (errPath: string[]) => string[];
  /** The values path of a path in `root`, if it is one. */
  valuePathOf: (p: string[]) => string[] | undefined;
  values: PlainObject;
  originOf: (p: string[]) => Origin;
  /** Secret values are named, never shown. */
  isSecret: (p: string[]) => boolean;
}

const CUE_WORDS = new Set(['int', 'float', 'number', 'string', 'bytes', 'bool', 'null', 'true', 'false', 'len', 'close', 'and', 'or', 'div', 'mod', 'quo', 'rem', 'if', 'for', 'in', 'let']);
const VALUES_REF = /\bvalues((?:\.[A-Za-z_][\w]*)+)/g;

export function describeOrigin(o: Origin, moduleFiles: Source[]): string {
  if (!o.file) return o.layer;
  if (moduleFiles.some((f) => f.filename === o.file)) return `${o.layer}, ${baseName(o.file)}${o.line ? ` line ${o.line}` : ''}`;
  return `${o.layer}, ${o.file}${o.line ? `:${o.line}` : ''}`;
}

/** `values.a.b = 8 (release x, file:13)` for every value involved in the error, the failing one included. */
export function valuesInvolved(errPath: string[], positions: Pos[], c: BlameContext): string[] {
  const found: string[][] = [];
  const add = (p: string[]) => {
    if (!found.some((q) => q.join('\0') === p.join('\0'))) found.push(p);
  };
  // (a) positions that declare a value
  const declared = declarations(c);
  for (const pos of positions) for (const p of declared.get(`${pos.file}:${pos.line}`) ?? []) add(p);
  // (b) names the constraints at the error positions refer to
  const at = c.rootPath(errPath);
  for (const pos of positions) {
    const text = sourceLine(c.files, pos.file, pos.line);
    if (!text) continue;
    const rhs = text.slice(text.indexOf(':') + 1).replace(/"(?:[^"\\]|\\.)*"/g, '');
    for (const m of rhs.matchAll(VALUES_REF)) add(m[1]!.slice(1).split('.'));
    for (const ref of rhs.match(/(?<![\w.#])[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*/g) ?? []) {
      const segs = ref.split('.');
      if (CUE_WORDS.has(segs[0]!) || segs[0] === 'values') continue;
      for (let up = at.length - 1; up >= 0; up--) {
        const cand = [...at.slice(0, up), ...segs];
        if (cand.join('\0') === at.join('\0')) continue;
        const v = c.root.lookup(...cand);
        if (!v.exists()) continue;
        // A field written as `values.x` stands for that value.
        const via = v
          .positions()
          .map((q) => sourceLine(c.files, q.file, q.line) ?? '')
          .flatMap((l) => [...l.matchAll(VALUES_REF)].map((m) => m[1]!.slice(1).split('.')));
        if (via.length) via.forEach(add);
        else {
          const vp = c.valuePathOf(cand);
          if (vp) add(vp);
        }
        break;
      }
    }
  }
  const out: string[] = [];
  for (const p of found) {
    const v = getIn(c.values, p);
    if (v === undefined) continue;
    out.push(`values.${formatPath(p)} = ${c.isSecret(p) ? SECRET_MASK : show(v)} (${describeOrigin(c.originOf(p), c.moduleFiles)})`);
  }
  return out;
}

const declCache = new WeakMap<object, Map<string, string[][]>>();

/** file:line → the value paths declared there. */
function declarations(c: BlameContext): Map<string, string[][]> {
  let m = declCache.get(c.values);
  if (m) return m;
  m = new Map();
  for (const { path: p } of leaves(c.values)) {
    for (const q of c.schema.lookup(...p).positions()) {
      if (!c.moduleFiles.some((f) => f.filename === q.file)) continue;
      const k = `${q.file}:${q.line}`;
      m.set(k, [...(m.get(k) ?? []), p]);
    }
  }
  declCache.set(c.values, m);
  return m;
}

function getIn(v: unknown, p: string[]): unknown {
  let cur = v;
  for (const s of p) cur = cur && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>)[s] : undefined;
  return cur;
}
