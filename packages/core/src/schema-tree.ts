// A module version's values schema as a plain tree for generating forms:
// groups and fields with their type, the default a release would get and the
// layer that sets it (definition default, module #overrides, a lock), bounds,
// regexp patterns, enums (disjunctions of literals), secret markers, locked
// values and who locked them, and the doc comments written above each field.
// JSON-serialisable; browser-safe.
import type { Expr, Kind, Source, Value } from '@opm/cue';
import { loadModule, type LoadedModule } from './module.js';
import { getPath, hasPath, type Plain } from './paths.js';
import { environmentFor, loadPlatform } from './platform.js';
import { locksFor, originFor } from './release.js';
import type { Session } from './session.js';
import { sourceLine } from './sources.js';

export type FieldType = 'string' | 'int' | 'number' | 'bool' | 'list' | 'map' | 'bytes' | 'null' | 'any';

export interface Bound {
  op: '>=' | '<=' | '<' | '>' | '!=';
  value: number | string;
}

export interface Pattern {
  op: '=~' | '!~';
  regexp: string;
}

export interface SchemaLock {
  value: Plain;
  /** `module ecommerce-platform 2.1.0-enterprise.3 (#immutable, module.cue line 26)`, `platform environment production (platform.cue line 47)`. */
  by: string;
  source: 'module' | 'environment';
}

/** What a constraint expression says about the values it admits. */
export interface ValueFacts {
  /** The first of `types`: what a form field edits. */
  type: FieldType;
  types: FieldType[];
  bounds: Bound[];
  patterns: Pattern[];
  /** The allowed values, when the constraint is a disjunction of literals only. */
  enum?: Plain[];
  /** Validators the form cannot read (`strings.MinRunes(3)`), as written. */
  validators: string[];
  /** A list's elements. */
  items?: ValueFacts;
  /** A map's values (`[string]: T`). */
  values?: ValueFacts;
}

export interface SchemaField extends ValueFacts {
  kind: 'field';
  name: string;
  path: string[];
  optional: boolean;
  /** No default and not optional: a release must set it. */
  required: boolean;
  /** The value a release gets when it sets none, after the module's overrides and the locks. */
  default?: Plain;
  /** The layer giving that default (as `opm release values --explain` names it). */
  defaultLayer?: string;
  secret: boolean;
  locked?: SchemaLock;
  description?: string;
  /** The constraint as CUE prints it (`int & >=1 & <=50 | *2`). */
  constraint: string;
}

export interface SchemaGroup {
  kind: 'group';
  name: string;
  path: string[];
  optional: boolean;
  secret: boolean;
  locked?: SchemaLock;
  description?: string;
  children: SchemaNode[];
}

export type SchemaNode = SchemaField | SchemaGroup;

export interface SchemaTree {
  module: { name: string; version: string; definition: { name: string; version: string } };
  /** The environment whose locks apply (from `namespace`), if any. */
  environment?: string;
  root: SchemaGroup;
}

/**
 * The values schema of a module version as a tree. With `namespace`, the
 * environment covering it adds its locks (as it does for a release there).
 */
export async function schemaTree(session: Session, opts: { module: { name: string; version: string }; namespace?: string }): Promise<SchemaTree> {
  const mod = await loadModule(session, opts.module.name, opts.module.version);
  const rules = await loadPlatform(session);
  const env = opts.namespace === undefined ? undefined : environmentFor(rules, opts.namespace);
  const locks = locksFor(mod, env, rules);
  const noRelease = { meta: { name: '', namespace: opts.namespace ?? '', labels: {}, annotations: {} }, module: opts.module, userValues: {}, warnings: [] };
  const files = [...mod.files, ...(await session.coreSchemaFiles())];
  const c: TreeContext = {
    mod,
    files,
    secret: new Set(mod.secretPaths),
    lockAt: (p) => {
      const l = locks.find((k) => k.path.join('\0') === p.join('\0'));
      return l ? { value: l.value, by: l.by, source: l.by.startsWith('module ') ? 'module' : 'environment' } : undefined;
    },
    layerOf: (p) => originFor(mod, p, noRelease, {}, locks).layer,
    parse: (text) => {
      try {
        const decl = session.ctx.parse({ filename: '<schema>', text: `x: ${text}\n` }).decls[0];
        return decl?.type === 'Field' ? decl.value : undefined;
      } catch {
        return undefined;
      }
    },
  };
  return {
    module: { name: mod.name, version: mod.version, definition: mod.definition },
    ...(env ? { environment: env.name } : {}),
    root: { kind: 'group', name: '', path: [], optional: false, secret: false, children: children(mod.schema, [], c, 0) },
  };
}

interface TreeContext {
  mod: LoadedModule;
  files: Source[];
  secret: Set<string>;
  lockAt: (p: string[]) => SchemaLock | undefined;
  layerOf: (p: string[]) => string;
  parse: (text: string) => Expr | undefined;
}

function children(v: Value, prefix: string[], c: TreeContext, depth: number): SchemaNode[] {
  if (depth > 16) return [];
  const out: SchemaNode[] = [];
  for (const f of v.fields({ optional: true })) {
    const p = [...prefix, f.label];
    const fv = f.value;
    const kinds = fv.incompleteKinds();
    const isStruct = fv.default().kind() === 'struct' || (fv.kind() === 'incomplete' && kinds.length === 1 && kinds[0] === 'struct');
    const secret = f.attrs.some((a) => a.name === 'secret') || c.secret.has(p.join('.'));
    const description = docComment(fv, f.label, c.files);
    const locked = c.lockAt(p);
    if (isStruct && fv.fields({ optional: true }).length) {
      out.push({ kind: 'group', name: f.label, path: p, optional: f.optional, secret, ...(locked ? { locked } : {}), ...(description ? { description } : {}), children: children(fv, p, c, depth + 1) });
      continue;
    }
    out.push(field(fv, f.label, p, f.optional, secret, locked, description, c));
  }
  return out;
}

function field(v: Value, name: string, p: string[], optional: boolean, secret: boolean, locked: SchemaLock | undefined, description: string | undefined, c: TreeContext): SchemaField {
  let printed: string;
  try {
    printed = v.toCUE();
  } catch {
    printed = v.kind();
  }
  const constraint = printed.replace(/\s+/g, ' ').trim();
  // A struct prints its fields (and patterns) without braces, as a file would.
  const expr = c.parse(v.kind() === 'struct' && !printed.trimStart().startsWith('{') ? `{\n${printed}\n}` : printed);
  const facts = expr ? exprFacts(expr) : emptyFacts();
  const types = engineTypes(v, facts);
  let dflt: Plain | undefined;
  if (locked) dflt = locked.value;
  else if (hasPath(c.mod.overrides, p)) dflt = getPath(c.mod.overrides, p) as Plain;
  else {
    const d = v.default();
    if (d.isConcrete()) {
      try {
        dflt = d.toJS() as Plain;
      } catch {
        /* not exportable: no default shown */
      }
    }
  }
  return {
    kind: 'field',
    name,
    path: p,
    ...facts,
    type: types[0]!,
    types,
    optional,
    required: dflt === undefined && !optional,
    ...(dflt !== undefined ? { default: dflt, defaultLayer: c.layerOf(p) } : {}),
    secret,
    ...(locked ? { locked } : {}),
    ...(description ? { description } : {}),
    constraint,
  };
}

/** The field's types as the engine sees them; an open struct with no fields is a map. */
function engineTypes(v: Value, facts: ValueFacts): FieldType[] {
  const k = v.kind();
  const kinds: Kind[] = k === 'incomplete' ? v.incompleteKinds() : [k];
  const out: FieldType[] = [];
  const add = (t: FieldType) => {
    if (!out.includes(t)) out.push(t);
  };
  for (const x of kinds) {
    if (x === 'int') add('int');
    else if (x === 'float') add('number');
    else if (x === 'string') add('string');
    else if (x === 'bool') add('bool');
    else if (x === 'list') add('list');
    else if (x === 'struct') add('map');
    else if (x === 'bytes') add('bytes');
    else if (x === 'null') add('null');
  }
  // `int | float` is how the engine says `number`.
  if (out.includes('int') && out.includes('number')) out.splice(out.indexOf('int'), 1);
  // A pattern alone (`=~"^#"`) admits strings and bytes; the form edits a string.
  if (out.includes('string') && out.includes('bytes') && facts.types.includes('string')) out.splice(out.indexOf('bytes'), 1);
  if (!out.length) return facts.types.length ? facts.types : ['any'];
  return out;
}

function emptyFacts(): ValueFacts {
  return { type: 'any', types: [], bounds: [], patterns: [], validators: [] };
}

const TYPE_NAMES: Record<string, FieldType> = { string: 'string', int: 'int', float: 'number', number: 'number', bool: 'bool', bytes: 'bytes', null: 'null', _: 'any' };
const BOUND_OPS = new Set(['>=', '<=', '<', '>', '!=']);

/** What a constraint expression (as the engine prints it) says: types, bounds, patterns, enum, validators. */
export function exprFacts(e: Expr): ValueFacts {
  const facts = emptyFacts();
  const disjuncts = splitBinary(e, '|').map((d) => (d.type === 'UnaryExpr' && d.op === '*' ? d.x : d));
  const literals = disjuncts.map(literalOf);
  const marked = splitBinary(e, '|').filter((d) => !(d.type === 'UnaryExpr' && d.op === '*'));
  // A disjunction of literals only (`*"basic" | "detailed"`) is an enum; `int | *2` is a type with a default.
  if (disjuncts.length > 1 && literals.every((l) => l !== undefined)) {
    facts.enum = literals.map((l) => l!.value);
    for (const l of literals) addType(facts, l!.type);
  } else {
    const constraints = disjuncts.length > 1 ? marked.filter((d) => literalOf(d) === undefined) : disjuncts;
    for (const d of constraints.length ? constraints : disjuncts) conjunctFacts(d, facts);
  }
  facts.type = facts.types[0] ?? 'any';
  return facts;
}

function conjunctFacts(d: Expr, facts: ValueFacts): void {
  for (const x of splitBinary(unparen(d), '&')) {
    const u = unparen(x);
    if (u.type === 'Ident' && u.name in TYPE_NAMES) addType(facts, TYPE_NAMES[u.name]!);
    else if (u.type === 'UnaryExpr' && BOUND_OPS.has(u.op)) {
      const l = literalOf(u.x);
      if (l) {
        facts.bounds.push({ op: u.op as Bound['op'], value: l.value as number | string });
        addType(facts, l.type === 'int' ? 'number' : l.type);
      }
    } else if (u.type === 'UnaryExpr' && (u.op === '=~' || u.op === '!~')) {
      const l = literalOf(u.x);
      if (l && typeof l.value === 'string') facts.patterns.push({ op: u.op, regexp: l.value });
      if (!facts.types.length) addType(facts, 'string');
    } else if (u.type === 'ListLit') {
      addType(facts, 'list');
      const rest = u.elts.find((el) => (el as { type: string }).type === 'Ellipsis') as { elem?: Expr } | undefined;
      if (rest?.elem) facts.items = exprFacts(rest.elem);
    } else if (u.type === 'StructLit') {
      addType(facts, 'map');
      const pattern = u.decls.find((dd) => dd.type === 'Field' && dd.label.type === 'PatternLabel');
      if (pattern && pattern.type === 'Field') facts.values = exprFacts(pattern.value);
    } else if (u.type === 'CallExpr') {
      facts.validators.push(exprText(u));
    } else {
      const l = literalOf(u);
      if (l) {
        addType(facts, l.type);
        facts.enum = [l.value];
      }
    }
  }
  // `>=1 & <=50` with `int` is an int field, not a number one.
  if (facts.types.includes('int') && facts.types.includes('number')) facts.types.splice(facts.types.indexOf('number'), 1);
}

function addType(facts: ValueFacts, t: FieldType): void {
  if (!facts.types.includes(t)) facts.types.push(t);
}

function splitBinary(e: Expr, op: '|' | '&'): Expr[] {
  const u = unparen(e);
  if (u.type === 'BinaryExpr' && u.op === op) return [...splitBinary(u.x, op), ...splitBinary(u.y, op)];
  return [e];
}

function unparen(e: Expr): Expr {
  return e.type === 'ParenExpr' ? unparen(e.expr) : e;
}

function literalOf(e: Expr): { value: Plain; type: FieldType } | undefined {
  const u = unparen(e);
  if (u.type === 'UnaryExpr' && u.op === '-') {
    const l = literalOf(u.x);
    return l && typeof l.value === 'number' ? { value: -l.value, type: l.type } : undefined;
  }
  if (u.type !== 'BasicLit') return undefined;
  switch (u.kind) {
    case 'string':
      return { value: u.value ?? '', type: 'string' };
    case 'int':
    case 'float': {
      const n = Number(u.raw.replace(/_/g, ''));
      return Number.isFinite(n) ? { value: n, type: u.kind === 'int' ? 'int' : 'number' } : { value: u.raw, type: 'number' };
    }
    case 'bool':
      return { value: u.raw === 'true', type: 'bool' };
    case 'null':
      return { value: null, type: 'null' };
    default:
      return undefined;
  }
}

/** Source text of a small expression (validators), from the printed constraint's AST. */
function exprText(e: Expr): string {
  if (e.type === 'Ident') return e.name;
  if (e.type === 'SelectorExpr') return `${exprText(e.x)}.${e.sel.type === 'Ident' ? e.sel.name : e.sel.raw}`;
  if (e.type === 'BasicLit') return e.raw;
  if (e.type === 'CallExpr') return `${exprText(e.fun)}(${e.args.map(exprText).join(', ')})`;
  return '…';
}

/**
 * The doc comment of a field: the `//` lines right above its declaration in
 * the module's files (or the core schema's), as CUE attaches doc comments.
 */
function docComment(v: Value, label: string, files: Source[]): string | undefined {
  const decl = new RegExp(`^(?:${escapeRegExp(label)}|"${escapeRegExp(label)}")[?!]?\\s*:`);
  for (const pos of v.positions()) {
    const line = sourceLine(files, pos.file, pos.line);
    if (!line || !decl.test(line)) continue;
    const lines: string[] = [];
    for (let n = pos.line - 1; n > 0; n--) {
      const above = sourceLine(files, pos.file, n);
      if (above === undefined || !above.startsWith('//')) break;
      lines.unshift(above.replace(/^\/\/ ?/, ''));
    }
    if (lines.length) return lines.join('\n');
  }
  return undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
