// The values schema as the form needs it: nested groups and typed leaves
// with their default (and the layer that set it), bounds, pattern, enum,
// secret and lock markers.
//
// Built from @opm/core's schemaLeaves (each leaf's constraint as CUE prints
// it): the widget hints below are read from that text. The CUE engine in the
// browser remains the judge of what is valid; a hint that is missed only
// makes a field a plain text input.
import { formatPath, leaves, schemaLeaves, type LoadedModule } from '@opm/core';

export type FieldKind = 'int' | 'number' | 'string' | 'bool' | 'enum' | 'list' | 'map' | 'any';

export interface SchemaLeafNode {
  type: 'field';
  name: string;
  path: string;
  kind: FieldKind;
  constraint: string;
  optional: boolean;
  secret: boolean;
  default?: unknown;
  /** Who set the default: the developer's definition or the platform's module (#overrides). */
  defaultLayer?: 'definition' | 'module';
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  pattern?: string;
  enum?: (string | number | boolean)[];
  /** Locked: the release may not change it. */
  locked?: { value: unknown; by: string };
}

export interface SchemaGroupNode {
  type: 'group';
  name: string;
  path: string;
  children: SchemaNode[];
}

export type SchemaNode = SchemaLeafNode | SchemaGroupNode;

const NUM = '(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)';
const STRING_LIT = '"(?:[^"\\\\]|\\\\.)*"';

/** The constraint without its default marker: `(int & >=1 & <=20) | *1` → `int & >=1 & <=20`. */
function withoutDefault(c: string): string {
  const parts = splitTop(c, '|').map((p) => p.trim()).filter((p) => !p.startsWith('*'));
  const s = parts.join(' | ');
  return s.startsWith('(') && s.endsWith(')') && splitTop(s.slice(1, -1), '|').length === 1 ? s.slice(1, -1) : s;
}

/** Splits on `sep` outside brackets and string literals. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (inStr) {
      if (ch === '\\') i++;
      else if (ch === '"') inStr = false;
    } else if (ch === '"') inStr = true;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === sep && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

function literal(s: string): string | number | boolean | undefined {
  const t = s.trim().replace(/^\*/, '');
  if (new RegExp(`^${STRING_LIT}$`).test(t)) return JSON.parse(t) as string;
  if (new RegExp(`^${NUM}$`).test(t)) return Number(t);
  if (t === 'true' || t === 'false') return t === 'true';
  return undefined;
}

function hints(constraint: string, dflt: unknown): Pick<SchemaLeafNode, 'kind' | 'min' | 'max' | 'exclusiveMin' | 'exclusiveMax' | 'pattern' | 'enum'> {
  const alts = splitTop(constraint, '|');
  const lits = alts.map(literal);
  if (alts.length > 1 && lits.every((l) => l !== undefined)) return { kind: 'enum', enum: lits as (string | number | boolean)[] };
  const c = withoutDefault(constraint);
  const out: ReturnType<typeof hints> = { kind: 'any' };
  const terms = splitTop(c, '&').map((t) => t.trim());
  const has = (w: string) => terms.includes(w);
  if (has('int') || has('uint')) out.kind = 'int';
  else if (has('number') || has('float')) out.kind = 'number';
  else if (has('string')) out.kind = 'string';
  else if (has('bool')) out.kind = 'bool';
  else if (/^\[/.test(c)) out.kind = 'list';
  else if (/^\{/.test(c)) out.kind = 'map';
  else if (typeof dflt === 'number') out.kind = Number.isInteger(dflt) ? 'int' : 'number';
  else if (typeof dflt === 'string') out.kind = 'string';
  else if (typeof dflt === 'boolean') out.kind = 'bool';
  else if (Array.isArray(dflt)) out.kind = 'list';
  else if (dflt && typeof dflt === 'object') out.kind = 'map';
  for (const t of terms) {
    let m = new RegExp(`^(>=|>)\\s*${NUM}$`).exec(t);
    if (m) {
      out.min = Number(m[2]);
      out.exclusiveMin = m[1] === '>';
    }
    m = new RegExp(`^(<=|<)\\s*${NUM}$`).exec(t);
    if (m) {
      out.max = Number(m[2]);
      out.exclusiveMax = m[1] === '<';
    }
    m = new RegExp(`^=~\\s*(${STRING_LIT})$`).exec(t);
    if (m) out.pattern = JSON.parse(m[1]!) as string;
  }
  return out;
}

/** Locks on a module's values: the module's own #immutable, and an environment's. */
export interface LockSource {
  by: string;
  values: Record<string, unknown>;
}

export function schemaTree(mod: LoadedModule, locks: LockSource[] = []): SchemaGroupNode {
  const overrides = new Map(leaves(mod.overrides).map((l) => [formatPath(l.path), l.value]));
  const locked = new Map<string, { value: unknown; by: string }>();
  for (const src of locks) for (const l of leaves(src.values)) locked.set(formatPath(l.path), { value: l.value, by: src.by });
  const root: SchemaGroupNode = { type: 'group', name: '', path: '', children: [] };
  const groupAt = (path: string[]): SchemaGroupNode => {
    let g = root;
    for (let i = 0; i < path.length; i++) {
      const p = formatPath(path.slice(0, i + 1));
      let next = g.children.find((c): c is SchemaGroupNode => c.type === 'group' && c.path === p);
      if (!next) g.children.push((next = { type: 'group', name: path[i]!, path: p, children: [] }));
      g = next;
    }
    return g;
  };
  for (const leaf of schemaLeaves(mod.schema)) {
    const path = formatPath(leaf.path);
    const secret = leaf.secret || mod.secretPaths.some((s) => path === s || path.startsWith(`${s}.`));
    const node: SchemaLeafNode = {
      type: 'field',
      name: leaf.path[leaf.path.length - 1]!,
      path,
      constraint: leaf.constraint,
      optional: leaf.optional,
      secret,
      ...hints(leaf.constraint, leaf.default),
    };
    // A secret's default or lock is never sent to the browser.
    if (overrides.has(path)) {
      if (!secret) node.default = overrides.get(path);
      node.defaultLayer = 'module';
    } else if (leaf.default !== undefined) {
      if (!secret) node.default = leaf.default;
      node.defaultLayer = 'definition';
    }
    const lock = locked.get(path);
    if (lock) node.locked = secret ? { value: undefined, by: lock.by } : lock;
    groupAt(leaf.path.slice(0, -1)).children.push(node);
  }
  return root;
}
