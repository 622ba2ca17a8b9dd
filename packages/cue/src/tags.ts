// Build tags (`cue -t`): `@if(expr)` file attributes include or leave out a
// file, `@tag(name)` / `@tag(name, type=int)` field attributes take a value.
// A field carrying @tag may be anywhere in a file, also inside a struct that
// is an operand of `&` (`c: {y: 1} & {z: string @tag(cz)}`, Timoni's layout),
// a list element or a comprehension body. A tag given that no file declares
// is an error, as with `cue -t`.
import type { Attribute, BasicLit, Expr, Field, File } from './ast.js';
import { CueError } from './errors.js';

export type Tags = Record<string, string | boolean>;

/** Evaluates `@if(expr)` file attributes against tags (identifiers, !, &&, ||). */
export function fileIncluded(f: File, tags: Tags | undefined): boolean {
  for (const a of f.attrs) {
    if (a.name !== 'if') continue;
    if (!evalTagExpr(a.body.trim(), tags ?? {})) return false;
  }
  return true;
}

function evalTagExpr(s: string, tags: Tags): boolean {
  const orParts = s.split('||');
  if (orParts.length > 1) return orParts.some((p) => evalTagExpr(p, tags));
  const andParts = s.split('&&');
  if (andParts.length > 1) return andParts.every((p) => evalTagExpr(p, tags));
  let t = s.trim();
  let neg = false;
  while (t.startsWith('!')) {
    neg = !neg;
    t = t.slice(1).trim();
  }
  if (t.startsWith('(') && t.endsWith(')')) return neg !== evalTagExpr(t.slice(1, -1), tags);
  const v = tags[t];
  const on = v !== undefined && v !== false;
  return neg ? !on : on;
}

/** Every field of the files, at any depth of their expressions. */
export function eachField(files: File[], f: (d: Field) => void): void {
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.type === 'Field') f(o as unknown as Field);
    // for-in, not Object.entries: this walks every node of every loaded file, and an entries array per node was most of its cost.
    for (const k in o) {
      if (k === 'pos' || k === 'end' || k === 'comments' || k === 'attrs') continue;
      const v = o[k];
      if (v && typeof v === 'object') visit(v);
    }
  };
  for (const file of files) visit(file.decls);
}

function tagAttr(d: Field): { name: string; type?: string; attr: Attribute } | undefined {
  const attr = d.attrs.find((a) => a.name === 'tag');
  if (!attr) return undefined;
  const [name, ...rest] = attr.body.split(',').map((s) => s.trim());
  if (!name) return undefined;
  const type = rest.find((r) => r.startsWith('type='))?.slice(5);
  return type ? { name, type, attr } : { name, attr };
}

/** The tag names the files know: @tag names and the identifiers of @if expressions. */
export function declaredTags(files: File[]): Set<string> {
  const names = new Set<string>();
  eachField(files, (d) => {
    const t = tagAttr(d);
    if (t) names.add(t.name);
  });
  for (const f of files) {
    for (const a of [...f.attrs, ...f.decls.filter((d): d is Attribute => d.type === 'Attribute')]) {
      if (a.name === 'if') for (const id of a.body.match(/[\p{L}_$][\p{L}\p{N}_$-]*/gu) ?? []) names.add(id);
    }
  }
  return names;
}

/** Tags given that no file declares, as `cue -t` reports them. */
export function unknownTags(tags: Tags | undefined, known: Set<string>): CueError[] {
  return Object.keys(tags ?? {})
    .filter((k) => !known.has(k))
    .map((k) => new CueError('eval', `no tag for "${k}"`));
}

/** Replaces the value of each field carrying `@tag(name)` by its value unified with the tag's value. */
export function injectTags(files: File[], tags: Tags | undefined): void {
  if (!tags) return;
  eachField(files, (d) => {
    const t = tagAttr(d);
    const v = t ? tags[t.name] : undefined;
    if (!t || v === undefined) return;
    const text = String(v);
    const pos = t.attr.pos;
    let lit: BasicLit;
    if (t.type === 'int' && /^-?\d+$/.test(text)) lit = { type: 'BasicLit', kind: 'int', raw: text, pos };
    else if (t.type === 'bool' && (text === 'true' || text === 'false')) lit = { type: 'BasicLit', kind: 'bool', raw: text, pos };
    else if (t.type === 'number' && /^-?[\d.eE+-]+$/.test(text)) lit = { type: 'BasicLit', kind: text.includes('.') || /e/i.test(text) ? 'float' : 'int', raw: text, pos };
    else lit = { type: 'BasicLit', kind: 'string', raw: JSON.stringify(text), value: text, pos };
    const value: Expr = { type: 'BinaryExpr', op: '&', x: d.value, y: lit, pos: d.value.pos };
    d.value = value;
  });
}
