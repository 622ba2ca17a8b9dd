// Reading a module's values schema: secret markers, and turning CUE errors
// about values into messages that name the layer, the path, the given value
// and the constraint (with its file and line).
import type { CueError, Source, Value } from '@opm/cue';
import { SECRET_MASK, formatPath, getPath, hasPath, isObject, show, type PlainObject } from './paths.js';
import { Redactor } from './redact.js';
import { baseName, sourceLine } from './sources.js';

/**
 * Dotted paths of the fields marked `@secret()` in a value: a values schema
 * (optional fields included), or a schema unified with values, where fields
 * made by patterns, embeddings, definitions and disjunctions carry the
 * attribute too (see secretPathsIn). List elements are walked with their
 * index as the path segment; an unresolved disjunction counts the secrets of
 * every disjunct.
 */
export function secretPathsOf(v: Value, prefix: string[] = [], depth = 0): string[] {
  const out = new Set<string>();
  walkSecrets(v, prefix, depth, (p) => out.add(formatPath(p)));
  return [...out];
}

const MAX_SECRET_DEPTH = 32;

function walkSecrets(v: Value, at: string[], depth: number, found: (p: string[]) => void, alt?: (at: string[]) => Value[]): void {
  if (depth > MAX_SECRET_DEPTH) return;
  let fields;
  try {
    fields = v.fields({ optional: true });
  } catch {
    return;
  }
  for (const f of fields) {
    const p = [...at, f.label];
    if (f.attrs.some((a) => a.name === 'secret')) found(p);
    walkSecrets(f.value, p, depth + 1, found, alt);
  }
  for (const [i, e] of v.elements().entries()) walkSecrets(e, [...at, String(i)], depth + 1, found, alt);
  if (fields.length) return;
  // No fields: an ambiguous disjunction (each disjunct may be the one), or a
  // value in error whose schema alternatives say what it would have held.
  let ds: { value: Value }[] = [];
  try {
    ds = v.disjuncts?.() ?? [];
  } catch {
    // No alternatives to read.
  }
  const others = ds.length ? ds.map((d) => d.value) : v.kind() === 'bottom' ? (alt?.(at) ?? []) : [];
  for (const d of others) walkSecrets(d, at, depth + 1, found);
}

/**
 * Secret paths of values as given: the schema's own, and every concrete field
 * the values make that gets `@secret()` by any route, found by unifying the
 * schema with them and reading the attributes of the resulting fields
 * (`db: [string]: {password: string @secret()}` marks `db.main.password` once
 * `db.main` is given). Values that break the schema still count: a field in
 * error keeps its attributes, and a failed disjunction is read through each
 * of its alternatives.
 */
export function secretPathsIn(schema: Value, ...given: Value[]): string[] {
  const out = new Set(secretPathsOf(schema));
  for (const g of given) for (const p of secretPathsGiven(schema, g)) out.add(p);
  return [...out];
}

/** The secret paths of the schema unified with one set of given values (secretPathsIn, without the schema's own). */
export function secretPathsGiven(schema: Value, g: Value): string[] {
  const out = new Set<string>();
  const alternatives = (at: string[]): Value[] => {
    let s = schema.lookup(...at);
    if (!s.exists()) {
      // A field only a pattern makes: the pattern's value, applied to an empty struct at that label.
      try {
        s = schema.fill({}, ...at).lookup(...at);
      } catch {
        return [];
      }
      if (!s.exists()) return [];
    }
    const sub = g.lookup(...at);
    let ds: { value: Value }[] = [];
    try {
      ds = s.disjuncts?.() ?? [];
    } catch {
      return [];
    }
    return ds.map((d) => (sub.exists() ? d.value.unify(sub) : d.value));
  };
  walkSecrets(schema.unify(g), [], 0, (p) => out.add(formatPath(p)), alternatives);
  return [...out];
}

/**
 * secretPathsGiven for one plain value tree (a layer of a release): none for an empty or non-struct
 * tree, or one that cannot be encoded; nulls delete a lower layer's value (merge.ts), so they are left out.
 */
export function secretPathsOfTree(schema: Value, encode: (x: unknown) => Value, tree: unknown): string[] {
  if (!isObject(tree) || Object.keys(tree).length === 0) return [];
  let given: Value;
  try {
    given = encode(withoutNulls(tree));
  } catch {
    // Not encodable: nothing to read.
    return [];
  }
  return secretPathsGiven(schema, given);
}

function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
}

export interface LayerErrorContext {
  /** Who is being checked: `release web-app-prod`, `module simple-web-app 1.0.0-platform.1`. */
  subject: string;
  /** How the values are named in messages: `values`, `#overrides`, ... */
  field: string;
  /** The layer's own values (to show the given value). */
  values: PlainObject;
  /** `simple-web-app 1.0.0-platform.1` */
  moduleLabel: string;
  /** Files whose positions identify the constraint (module files, core schema). */
  files: Source[];
  /** Where the layer itself sets a value (the release file), to name it beside the constraint. */
  positionOf?: (path: string[]) => { file: string; line?: number } | undefined;
  /** Secret paths of the module: a value at or below one is never shown (masked before any shortening). */
  redactor?: Redactor;
}

/** The part of an error path that lies inside the values. */
function valuesPath(errPath: string[], values: PlainObject): string[] {
  const i = errPath.lastIndexOf('values');
  const tail = i >= 0 ? errPath.slice(i + 1) : errPath;
  for (let s = 0; s < tail.length; s++) {
    const cand = tail.slice(s);
    // A value the layer sets, or a missing field of a struct it sets; never the
    // layer's root, which would name `values.host` for a missing `ingress.host`.
    if (hasPath(values, cand) || (cand.length > 1 && hasPath(values, cand.slice(0, -1)))) return cand;
  }
  return tail;
}

const LITERAL_CONFLICT = /^conflicting values ("(?:[^"\\]|\\.)*"|-?[0-9.]+|true|false|null) and .*$/;

/**
 * A failed `*default | constraint` disjunction lists a conflict with the
 * default literal too ("conflicting values 1 and 0"), which says nothing about
 * the constraint; keep the informative parts, or for an enum of literals say
 * which values are allowed.
 */
export function simplifyDetail(detail: string, given: unknown): string {
  const m = /^(?:\d+ errors in )?empty disjunction: (.*)$/s.exec(detail);
  if (!m) return detail;
  const parts = m[1]!.split('; ');
  if (parts.length < 2) return m[1]!;
  const informative = parts.filter((p) => !LITERAL_CONFLICT.test(p));
  if (informative.length) return informative.join('; ');
  return `${show(given)} is not one of ${parts.map((p) => LITERAL_CONFLICT.exec(p)![1]).join(', ')}`;
}

export function describeValueError(e: CueError, c: LayerErrorContext): string {
  const p = valuesPath(e.path, c.values);
  const given = getPath(c.values, p);
  const where = e.positions
    .filter((pos) => c.files.some((f) => f.filename === pos.file))
    .map((pos) => {
      const line = sourceLine(c.files, pos.file, pos.line);
      return `${baseName(pos.file)} line ${pos.line}${line ? `: ${line}` : ''}`;
    })[0];
  const fieldPath = p.length ? `${c.field}.${formatPath(p)}` : c.field;
  const secret = !!c.redactor && (c.redactor.isSecretPath(p) || c.redactor.isSecretPath(Redactor.valuesPart(e.path) ?? []));
  const shown = secret ? JSON.stringify(SECRET_MASK) : given === undefined ? '' : show(c.redactor ? c.redactor.maskValues(given, p) : given);
  const value = shown ? `${shown}: ` : '';
  const detail = secret ? Redactor.maskLiterals(e.detail) : simplifyDetail(e.detail, given);
  const set = given === undefined ? undefined : c.positionOf?.(p);
  const setAt = set ? `set ${set.line === undefined ? 'by' : 'at'} ${set.file}${set.line === undefined ? '' : `:${set.line}`}; ` : '';
  const msg = `${c.subject}: ${fieldPath}: ${value}${detail} (${setAt}schema of ${c.moduleLabel}${where ? `, ${where}` : ''})`;
  return c.redactor ? c.redactor.scrub(msg) : msg;
}

/** Unifies a layer's values with the schema and describes every error. */
export function checkLayer(ctxEncode: (x: unknown) => Value, schema: Value, c: LayerErrorContext, concrete = false): string[] {
  const unified = schema.unify(ctxEncode(c.values));
  const errs = unified.validate({ concrete, all: true });
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of errs) {
    const msg = describeValueError(e, c);
    if (!seen.has(msg)) out.push(msg);
    seen.add(msg);
  }
  return out;
}

export interface SchemaLeaf {
  path: string[];
  /** The constraint as CUE prints it (`int & >=1 & <=20 | *1`). */
  constraint: string;
  /** The default when the field has a concrete one. */
  default?: unknown;
  optional: boolean;
  secret: boolean;
}

/** Every leaf of a values schema with its constraint and default (for `opm catalog show`). */
export function schemaLeaves(schema: Value, prefix: string[] = [], optional = false, depth = 0): SchemaLeaf[] {
  const out: SchemaLeaf[] = [];
  if (depth > 16) return out;
  for (const f of schema.fields({ optional: true })) {
    const p = [...prefix, f.label];
    const v = f.value;
    const d = v.default();
    const isStruct = d.kind() === 'struct' || (v.kind() === 'incomplete' && v.incompleteKinds().length === 1 && v.incompleteKinds()[0] === 'struct');
    if (isStruct && v.fields({ optional: true }).length) {
      out.push(...schemaLeaves(v, p, optional || f.optional, depth + 1));
      continue;
    }
    let constraint: string;
    try {
      constraint = v.toCUE().replace(/\s+/g, ' ').trim();
    } catch {
      constraint = v.kind();
    }
    const leaf: SchemaLeaf = { path: p, constraint, optional: optional || f.optional, secret: f.attrs.some((a) => a.name === 'secret') };
    if (d.isConcrete()) {
      try {
        leaf.default = d.toJS();
      } catch {
        /* not exportable: no default shown */
      }
    }
    out.push(leaf);
  }
  return out;
}
