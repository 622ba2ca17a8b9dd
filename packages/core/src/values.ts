// Reading a module's values schema: secret markers, and turning CUE errors
// about values into messages that name the layer, the path, the given value
// and the constraint (with its file and line).
import type { CueError, Source, Value } from '@opm/cue';
import { SECRET_MASK, formatPath, getPath, hasPath, show, type PlainObject } from './paths.js';
import { Redactor } from './redact.js';
import { baseName, sourceLine } from './sources.js';

/** Dotted paths of schema fields marked `@secret()` (optional fields included). */
export function secretPathsOf(schema: Value, prefix: string[] = [], depth = 0): string[] {
  if (depth > 16) return [];
  const out: string[] = [];
  let fields;
  try {
    fields = schema.fields({ optional: true });
  } catch {
    return out;
  }
  for (const f of fields) {
    const p = [...prefix, f.label];
    if (f.attrs.some((a) => a.name === 'secret')) out.push(formatPath(p));
    const kinds = f.value.incompleteKinds();
    if (f.value.kind() === 'struct' || kinds.includes('struct')) out.push(...secretPathsOf(f.value, p, depth + 1));
  }
  return out;
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
