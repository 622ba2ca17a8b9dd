// From a release (a file, or its parts) to validated, policy-checked
// Kubernetes objects: value cascade → validation at each layer → locks →
// policy → rendering through the CUE transformers.
import { CueErrorList, type CueError, type Source, type Value } from '@opm/cue';
import type { CatalogSource } from './catalog.js';
import { PolicyError, ValidationError } from './errors.js';
import type { FileSystem } from './fs.js';
import { mergeValues, overlayValues, type Origin } from './merge.js';
import { loadModule, moduleLabel, moduleProblems, type LoadedModule } from './module.js';
import { SECRET_MASK, deepEqual, formatPath, getPath, hasPath, isObject, leaves, samePath, setPath, show as showValue, splitPath, type PlainObject } from './paths.js';
import { Redactor } from './redact.js';
import { environmentFor, loadPlatform, type Environment, type PlatformRules, type PlatformRulesRef } from './platform.js';
import { cascadeFor, defaultLayerOf, type Cascade, type Lock } from './cascade.js';
import { checkObjectPolicy, checkPlacement, checkReleasePolicy, type ComponentPolicies, type ReleaseMeta } from './policy.js';
import type { ReleaseInput } from './release-file.js';
import { serverShape } from './server-shape.js';
import { checkSecretLeaks, loadTransformers, moduleParts, renderModule, sortObjects, stampObjects, type KubeObject, type ModuleParts, type RenderContext } from './render.js';
import type { Session } from './session.js';
import { checkLayer, describeValueError, secretPathsOf, secretPathsOfTree } from './values.js';
import { describeOrigin, valuesInvolved } from './value-blame.js';
import { allowedPart } from './value-patterns.js';

export interface RenderOptions {
  /** Catalog directory (or a ready CatalogSource); default: --catalog/OPM_CATALOG/opm.yaml/bundled. */
  catalog?: string | CatalogSource;
  /** Secret values supplied at build time, by dotted values path (`database.password`). */
  secrets?: Record<string, string>;
  /** Namespace overriding the one written in the release. */
  namespace?: string;
  /** User values merged over the file's values (recorded scale operations). */
  valueOverrides?: Record<string, unknown>;
  /**
   * Values given beside the file (`-f values.yaml`, `--set path=value`), overlaid
   * on the file's values in order: part of the release layer, validated like it.
   */
  extraValues?: { source: string; values: Record<string, unknown> }[];
  /** The release file's text when it does not come from the file system (stdin, `-`); the file name is then only a label. */
  text?: string;
  /** Reuse a session (one CUE context + catalog) across releases. */
  session?: Session;
  fs?: FileSystem;
  /** Check the environment rules (namespace coverage, required metadata); default true. `opm mod build` turns it off. */
  environmentPolicy?: boolean;
  /** Build without the catalog's platform rules (a catalog without them is refused otherwise); warned on every render. */
  noPlatformRules?: boolean;
  /**
   * When the whole catalog module is checked (module.ts moduleProblems):
   * `always` (the default) before it is used; `on-failure` only once the
   * render has failed, its errors then reported instead, as they would have
   * been first. A render that succeeds has checked everything it outputs
   * and everything the release sets (values, metadata) itself; what the
   * check adds is errors in parts of the module no output comes from, for
   * `opm mod vet` and `opm release vet` to report. `opm release build` uses
   * `on-failure`: the check evaluates the whole module once more.
   */
  moduleCheck?: 'always' | 'on-failure';
  cwd?: string;
  env?: Record<string, string | undefined>;
}

export interface RenderedRelease {
  name: string;
  namespace: string;
  /** The module used: exact version, and for OCI catalogs the manifest digest and artifact reference. */
  module: { name: string; version: string; digest?: string; ref?: string };
  environment?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Values the release sets (secrets included: mask with maskValues(values, secretPaths) before printing). */
  userValues: Record<string, unknown>;
  /** Values after the cascade. */
  finalValues: Record<string, unknown>;
  /** Plain Kubernetes manifests, in apply order. */
  objects: KubeObject[];
  /** Dotted paths of secret values. */
  secretPaths: string[];
  warnings: string[];
  /** Where each final value comes from (dotted path → layer and file:line). */
  origins: Record<string, Origin>;
  /** The platform rules it was checked against (recorded in the release history). */
  platform: PlatformRulesRef;
}

export type { Lock } from './cascade.js';

/** A release given by its parts rather than a file (a stored release, a form in the portal). */
export interface ReleaseParts {
  name: string;
  namespace: string;
  module: { name: string; version: string };
  userValues: Record<string, unknown>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function releaseInputFromParts(parts: ReleaseParts): ReleaseInput {
  return {
    meta: { name: parts.name, namespace: parts.namespace, labels: parts.labels ?? {}, annotations: parts.annotations ?? {} },
    module: parts.module,
    userValues: parts.userValues as PlainObject,
    warnings: [],
  };
}

/**
 * The layers below the release for a module in an environment (cascade.ts), with the
 * module evaluated in the release's context: default layers, locks, and their problems.
 */
export function cascadeAt(session: Session, mod: LoadedModule, env: Environment | undefined, rules: PlatformRules, context: { release: string; namespace: string }, redactor = new Redactor(mod.secretPaths)): { cascade: Cascade; inCtx: Value } {
  const inCtx = mod.value.fill({ '#context': { ...context, environment: env?.name ?? '' } }, '#definition');
  const files = [...mod.files];
  const cascade = cascadeFor(mod, inCtx, env, rules, { encode: (x) => session.ctx.encode(x), files, redactor });
  return { cascade, inCtx };
}

function lockViolations(subject: string, user: PlainObject, locks: Lock[], redactor: Redactor): string[] {
  const out: string[] = [];
  for (const l of locks) {
    const show = (v: unknown) => (redactor.isSecretPath(l.path) ? SECRET_MASK : showValue(v));
    const p = formatPath(l.path);
    for (let i = 1; i < l.path.length; i++) {
      if (getPath(user, l.path.slice(0, i)) === null) out.push(`${subject}: values.${formatPath(l.path.slice(0, i))}: cannot reset: values.${p} is locked to ${show(l.value)} by ${l.by}`);
    }
    if (!hasPath(user, l.path)) continue;
    const given = getPath(user, l.path);
    if (!deepEqual(given, l.value)) out.push(`${subject}: values.${p}: cannot set ${show(given)}: locked to ${show(l.value)} by ${l.by}`);
  }
  return out;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function renderContext(meta: ReleaseMeta, mod: LoadedModule, warnings: string[]): RenderContext {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = { ...meta.annotations };
  for (const [k, v] of Object.entries(meta.labels)) {
    if (v.length <= 63 && LABEL_VALUE.test(v)) labels[k] = v;
    else {
      annotations[k] = v;
      warnings.push(`release ${meta.name}: label ${k}: ${JSON.stringify(v)} is not a valid Kubernetes label value; rendered as an annotation`);
    }
  }
  Object.assign(labels, {
    'app.kubernetes.io/instance': meta.name,
    'app.kubernetes.io/version': mod.version,
    'app.kubernetes.io/managed-by': 'opm',
    'app.kubernetes.io/part-of': mod.name,
  });
  return { release: meta.name, namespace: meta.namespace, module: mod.name, version: mod.version, labels, annotations };
}

export async function renderReleaseInput(session: Session, input: ReleaseInput, opts: RenderOptions = {}): Promise<RenderedRelease> {
  return scrubbed(session, input, opts, (redactor) => renderUnscrubbed(session, input, opts, redactor));
}

/** The values a release ends with, checked as renderReleaseInput checks them (same errors), without rendering. */
export async function resolveReleaseValues(session: Session, input: ReleaseInput, opts: RenderOptions = {}): Promise<{ finalValues: PlainObject; secretPaths: string[]; warnings: string[] }> {
  const r = await scrubbed(session, input, opts, (redactor) => resolveValues(session, input, opts, redactor));
  return { finalValues: r.finalValues, secretPaths: r.secretPaths, warnings: r.warnings };
}

/** Runs a release stage so that any error it throws has the release's secrets masked. */
async function scrubbed<T>(session: Session, input: ReleaseInput, opts: RenderOptions, run: (redactor: Redactor) => Promise<T>): Promise<T> {
  // Messages quote given values; a secret value must never be printed (see redact.ts).
  const redactor = new Redactor();
  for (const v of Object.values(opts.secrets ?? {})) redactor.addValue(v);
  redactor.addNames([input.meta.name, input.meta.namespace, opts.namespace, input.file]);
  try {
    return await run(redactor);
  } catch (caught) {
    let err = caught;
    if (opts.moduleCheck === 'on-failure') {
      const problems = await moduleProblems(session, input.module.name, input.module.version).catch(() => []);
      if (problems.length) err = new ValidationError(problems, 'module');
    }
    if (!redactor.secretPaths.length) {
      const mod = await loadModule(session, input.module.name, input.module.version).catch(() => undefined);
      if (mod) addReleaseSecrets(redactor, session, mod, input, opts);
    }
    throw redactor.scrubError(err);
  }
}

/**
 * The secret paths of a release: the module's declared ones and those its
 * values make (a secret under a pattern, `db: [string]: {token: string @secret()}`,
 * is a path only once `db.main` is given), from every layer it sets.
 */
function releaseSecretPaths(session: Session, mod: LoadedModule, input: ReleaseInput, opts: RenderOptions): string[] {
  if (!mod.secretsPossible) return [];
  const given: PlainObject = {};
  for (const [sp, v] of Object.entries(opts.secrets ?? {})) setPath(given, splitPath(sp), v);
  const encode = (x: unknown) => session.ctx.encode(x);
  // The schema's own secrets (mod.secretPaths), then each layer's, in cascade order;
  // what is the same for every release of the module (the schema's, its
  // #overrides') is walked once per loaded module.
  const paths = new Set(mod.secretPaths);
  const add = (ps: string[]) => ps.forEach((p) => paths.add(p));
  for (const layer of [input.userValues, ...(opts.extraValues ?? []).map((l) => l.values), opts.valueOverrides]) add(secretPathsOfTree(mod.schema, encode, layer));
  add(overridesSecretPaths(mod, encode));
  add(secretPathsOfTree(mod.schema, encode, given));
  return [...paths];
}

const overridesSecrets = new WeakMap<LoadedModule, string[]>();

/** The secret paths the module's #overrides make in its values schema (one walk per loaded module). */
function overridesSecretPaths(mod: LoadedModule, encode: (x: unknown) => Value): string[] {
  let ps = overridesSecrets.get(mod);
  if (!ps) overridesSecrets.set(mod, (ps = secretPathsOfTree(mod.schema, encode, mod.overrides)));
  return ps;
}

/** Adds the release's secret paths and every value its layers give there; returns the paths. */
function addReleaseSecrets(redactor: Redactor, session: Session, mod: LoadedModule, input: ReleaseInput, opts: RenderOptions): string[] {
  const paths = releaseSecretPaths(session, mod, input, opts);
  redactor.addSecretPaths(paths);
  redactor.addValuesAt(input.userValues);
  for (const l of opts.extraValues ?? []) redactor.addValuesAt(l.values);
  redactor.addValuesAt(opts.valueOverrides);
  redactor.addValuesAt(mod.overrides);
  return paths;
}

/** What the values stage hands to rendering: the release's final values and what decided them. */
interface ResolvedValues {
  meta: ReleaseMeta;
  subject: string;
  warnings: string[];
  mod: LoadedModule;
  rules: PlatformRules;
  env: Environment | undefined;
  schemaFiles: Source[];
  /** The release layer as merged (secrets supplied at build time included). */
  user: PlainObject;
  cascade: Cascade;
  /** The module evaluated in the release's context. */
  inCtx: Value;
  finalValues: PlainObject;
  /** Every secret path of the final values, whichever route made the field (patterns included). */
  secretPaths: string[];
}

/**
 * The values stage of a release: each layer checked against the schema,
 * locks, the cascade, and the final values resolved and checked (complete and
 * concrete). Throws ValidationError naming layer, path and constraint.
 */
async function resolveValues(session: Session, input: ReleaseInput, opts: RenderOptions, redactor: Redactor): Promise<ResolvedValues> {
  const ctx = session.ctx;
  const meta: ReleaseMeta = { ...input.meta, ...(opts.namespace ? { namespace: opts.namespace } : {}) };
  const subject = `release ${meta.name}`;
  const warnings = [...session.warnings, ...input.warnings];
  const mod = await loadModule(session, input.module.name, input.module.version, { check: opts.moduleCheck !== 'on-failure' });
  const secretPaths = addReleaseSecrets(redactor, session, mod, input, opts);
  const label = moduleLabel(mod);
  const rules = await loadPlatform(session);
  if (rules.warning) warnings.push(rules.warning);
  const env = environmentFor(rules, meta.namespace);
  const schemaFiles = [...mod.files, ...(await session.coreSchemaFiles())];
  const encode = (x: unknown) => ctx.encode(x);

  // Layer 3: the release's values (+ recorded overrides, + secrets supplied at build time).
  // The release layer keeps its nulls until the cascade (they delete lower layers' values).
  let user = input.userValues;
  for (const layer of opts.extraValues ?? []) user = overlayValues(user, layer.values as PlainObject);
  if (opts.valueOverrides) user = overlayValues(user, opts.valueOverrides as PlainObject);
  for (const sp of secretPaths) {
    const p = splitPath(sp);
    const lit = getPath(input.userValues, p);
    if (typeof lit === 'string' && lit !== '' && !Object.keys(opts.secrets ?? {}).some((k) => samePath(k, sp))) {
      const pos = input.positionOf?.(p);
      warnings.push(`${subject}: values.${sp} is a secret written as a literal${pos ? ` in ${pos.file}:${pos.line}` : ''}; supply it at build time instead (--secret ${sp}=env:VAR or file:PATH)`);
    }
  }
  const userForCheck = user;
  if (opts.secrets) {
    for (const [sp, v] of Object.entries(opts.secrets)) {
      if (!secretPaths.some((p) => samePath(p, sp))) throw new ValidationError([`${subject}: --secret ${sp}: not a secret value of ${label} (secrets: ${mod.secretPaths.join(', ') || 'none'})`], 'release');
      const copy = structuredClone(user);
      setPath(copy, splitPath(sp), v);
      user = copy;
    }
  }

  // The module as evaluated for this release: its platform layers may depend on the context.
  const { cascade, inCtx } = cascadeAt(session, mod, env, rules, { release: meta.name, namespace: meta.namespace }, redactor);
  const locks = cascade.locks;
  const lockProblems = lockViolations(subject, userForCheck, locks, redactor);
  const fileErrs = input.evaluated ? input.evaluated.validate({ all: true }) : [];

  // The cascade: definition defaults (in the schema) ← default layers ← locks ← release.
  const lockValues: PlainObject = {};
  for (const l of locks) setPath(lockValues, l.path, l.value);
  let merged: PlainObject = {};
  for (const layer of cascade.defaults) merged = mergeValues(merged, layer.values);
  merged = mergeValues(mergeValues(merged, lockValues), user);
  // The final values first, from the values schema alone (with the release context, which a
  // default may use), so that every default is resolved among the values ...
  const valuesV: Value = inCtx.lookup('values').unify(encode(merged));
  // The final values and their errors in one walk (toJSChecked fails with exactly what validate({concrete, all}) reports).
  let finalValues: PlainObject = {};
  let finalErrs: CueError[] = [];
  try {
    finalValues = valuesV.toJSChecked() as PlainObject;
  } catch (e) {
    if (!(e instanceof CueErrorList)) throw e;
    finalErrs = e.errors;
  }
  if (lockProblems.length || fileErrs.length || finalErrs.length) {
    // Something is wrong: blame the release layer first when its values alone
    // break the schema. (When the final values pass, so do the release's:
    // they are all in the final values, which no layer above overrides.)
    // Nulls are deletions (see merge.ts), not values to check against the schema.
    const positionOf = (p: string[]) => (extraLayerOf(opts, p) ? { file: extraLayerOf(opts, p)!.source } : input.positionOf?.(p));
    const problems = checkLayer(encode, mod.schema, { subject, field: 'values', values: stripNulls(user), moduleLabel: label, files: schemaFiles, positionOf, redactor });
    problems.push(...lockProblems);
    if (problems.length) throw new ValidationError(problems, 'release');
    if (fileErrs.length) throw new ValidationError(fileErrs.map((e) => `${subject}: ${redactor.cueMessage(e)}`), 'release');
  }
  if (finalErrs.length) {
    const originOf = (p: string[]) => originFor(mod, p, input, opts, cascade);
    throw new ValidationError(
      finalErrs.map((e) => {
        const msg = describeValueError(e, { subject, field: 'values', values: merged, moduleLabel: label, files: schemaFiles, redactor });
        const sp = secretPaths.find((s) => e.path.join('.').endsWith(splitPath(s).join('.')));
        if (sp) return `${msg}; it is a secret: set it with --secret ${sp}=env:VAR or file:PATH`;
        return `${msg}${explainFinalError(e, mod, cascade, valuesV, merged, schemaFiles, originOf, redactor)}`;
      }),
      'final',
    );
  }
  // Every secret the final values hold, whichever layer made the field (patterns included).
  const allSecretPaths = mod.secretsPossible ? [...new Set([...secretPaths, ...secretPathsOf(valuesV)])] : secretPaths;
  redactor.addSecretPaths(allSecretPaths).addValuesAt(finalValues);
  return { meta, subject, warnings, mod, rules, env, schemaFiles, user, cascade, inCtx, finalValues, secretPaths: allSecretPaths };
}

async function renderUnscrubbed(session: Session, input: ReleaseInput, opts: RenderOptions, redactor: Redactor): Promise<RenderedRelease> {
  const { meta, subject, warnings, mod, rules, env, schemaFiles, user, cascade, inCtx, finalValues, secretPaths } = await resolveValues(session, input, opts, redactor);
  const encode = (x: unknown) => session.ctx.encode(x);
  // ... then the module is filled with those concrete values: a component field
  // with a default of its own then sees a value, never two competing defaults.
  // The definition sees its own values; the module's `values` also holds the platform's own (#values).
  const filled: Value = inCtx.fill({ values: definitionPart(mod, finalValues) }, '#definition').fill({ values: finalValues });

  // Where each final value comes from (`opm release values`, policy messages about a quantity).
  // Worked out now, as plain data: a lazy getter would keep this function's whole scope, the
  // evaluated release included, alive for as long as the caller keeps the result (every warm
  // render then promoted the previous render's tree to old space: GC time, not evaluation).
  const origins = explainOrigins(mod, finalValues, input, opts, cascade);

  // Policy on the release itself, then on what it renders: all violations together.
  const violations = opts.environmentPolicy === false ? [] : checkReleasePolicy(rules, meta, finalValues).violations;
  const rctx = renderContext(meta, mod, warnings);
  const originOf = (p: string[]) => originFor(mod, p, input, opts, cascade);
  // A component field that fails with the final values names the values behind it and their layers.
  const blame = (e: CueError): string => {
    const at = e.path[0] === 'module' ? e.path.slice(1) : e.path;
    const involved = valuesInvolved(at, e.positions, {
      moduleFiles: mod.files,
      files: schemaFiles,
      schema: mod.schema,
      root: filled,
      rootPath: () => at,
      valuePathOf: (x) => (x[0] === 'values' ? x.slice(1) : undefined),
      values: finalValues,
      originOf,
      isSecret: (x) => redactor.isSecretPath(x),
    });
    return involved.length ? `\n    values involved: ${involved.join(', ')}` : '';
  };
  const transformers = await loadTransformers(session);
  const core = await session.coreSchema();
  // Read once: rendering and the scope policies of each component both need them.
  const parts = moduleParts(filled, blame);
  let objects = renderModule(filled, rctx, transformers, { core, encode, explain: blame, parts });
  if (env?.createNamespace) {
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: meta.namespace, labels: { 'app.kubernetes.io/name': meta.namespace } } });
  }
  objects = sortObjects(stampObjects(objects, rctx)).map(serverShape);
  violations.push(...checkObjectPolicy(rules, env, objects as never, { componentPolicies: componentPolicies(parts), source: quantitySource(finalValues, origins) }));
  const platformObjects = new Set(objects.filter((o) => env?.createNamespace && o.kind === 'Namespace' && o.metadata.name === meta.namespace));
  violations.push(...checkPlacement(rules, mod.name, meta.namespace, objects as never, platformObjects as never));
  const secrets = secretPaths
    .map((p) => ({ path: p, value: getPath(finalValues, splitPath(p)) }))
    .filter((s): s is { path: string; value: string } => typeof s.value === 'string' && s.value !== '');
  violations.push(...checkSecretLeaks(objects, secrets));
  if (violations.length) throw new PolicyError(violations, subject);

  return {
    name: meta.name,
    namespace: meta.namespace,
    module: { name: mod.name, version: mod.version, ...(mod.digest ? { digest: mod.digest } : {}), ...(mod.ref ? { ref: mod.ref } : {}) },
    ...(env ? { environment: env.name } : {}),
    labels: meta.labels,
    annotations: meta.annotations,
    userValues: user,
    finalValues,
    objects,
    secretPaths,
    warnings,
    origins,
    platform: rules.ref ?? { source: 'none', digest: 'none' },
  };
}

/**
 * Names the value(s) a rendered quantity comes from — the values leaves holding exactly that
 * quantity — with the layer that set each (and its file:line), for policy messages.
 */
function quantitySource(finalValues: PlainObject, origins: Record<string, Origin>): (q: string) => string {
  const all = leaves(finalValues);
  return (q) => {
    const hits = all.filter((l) => l.value === q).map((l) => formatPath(l.path));
    if (hits.length === 0 || hits.length > 3) return '';
    const one = (k: string) => {
      const o = origins[k];
      const at = o?.file ? ` at ${o.file}${o.line ? `:${o.line}` : ''}` : '';
      return `values.${k}${o ? `, set by ${o.layer}${at}` : ''}`;
    };
    return ` (${hits.length > 1 ? 'from one of: ' : 'from '}${hits.map(one).join('; ')})`;
  };
}

function explainOrigins(mod: LoadedModule, finalValues: PlainObject, input: ReleaseInput, opts: RenderOptions, cascade: Cascade): Record<string, Origin> {
  const out: Record<string, Origin> = {};
  for (const { path: p } of leaves(finalValues)) out[formatPath(p)] = originFor(mod, p, input, opts, cascade);
  return out;
}

/**
 * The final values without the platform's own (#values): what the definition's
 * `values` accepts (its fields, and names its pattern constraints match; value-patterns.ts).
 */
function definitionPart(mod: LoadedModule, finalValues: PlainObject): PlainObject {
  const own = mod.value.lookup('#values');
  if (!own.fields({ optional: true }).length && !own.patterns().length) return finalValues;
  return allowedPart(mod.value.lookup('#definition', 'values'), finalValues);
}

/** Which layer gives the value at `p` (and where it is written). */
export function originFor(mod: LoadedModule, p: string[], input: ReleaseInput, opts: RenderOptions, cascade: Cascade): Origin {
  const at = (pos: { file: string; line: number } | undefined) => (pos ? { file: pos.file, line: pos.line } : {});
  const key = formatPath(p);
  const lock = cascade.locks.find((l) => l.path.join('.') === p.join('.'));
  if (opts.secrets && key in opts.secrets) return { layer: 'secret supplied at build time' };
  if (opts.valueOverrides && hasPath(opts.valueOverrides, p)) return { layer: 'recorded override (opm release scale)' };
  const extra = extraLayerOf(opts, p);
  if (extra) return { layer: `release ${input.meta.name}, from ${extra.source}${lock ? `, locked by ${lock.by}` : ''}` };
  if (hasPath(input.userValues, p)) return { layer: `release ${input.meta.name}${lock ? `, locked by ${lock.by}` : ''}`, ...at(input.positionOf?.(p)) };
  if (lock) return { layer: `locked by ${lock.by}` };
  const layer = defaultLayerOf(cascade, p);
  if (layer) return { layer: layer.label, ...at(layer.positionOf(p)) };
  const pos = mod.schema.lookup(...p).positions().find((q) => mod.files.some((f) => f.filename === q.file));
  if (mod.platformValuePaths.some((q) => q.length <= p.length && q.every((s, i) => s === p[i])) || !definitionAllowsPath(mod, p)) {
    return { layer: `module ${moduleLabel(mod)} #values default (a value the platform owns)`, ...at(mod.value.lookup('#values', ...p).pos() ?? pos) };
  }
  return { layer: `definition ${mod.definition.name} ${mod.definition.version} default`, ...at(pos) };
}

/**
 * What a final value's error does not say by itself: the default that no
 * longer fits (and which layer wrote it), and the values involved, each with
 * the layer it comes from.
 */
function explainFinalError(e: CueError, mod: LoadedModule, cascade: Cascade, valuesV: Value, values: PlainObject, files: Source[], originOf: (p: string[]) => Origin, redactor: Redactor): string {
  const i = e.path.lastIndexOf('values');
  const p = i >= 0 ? e.path.slice(i + 1) : e.path;
  if (!p.length) return '';
  const parts: string[] = [];
  const origin = originOf(p);
  let dflt: unknown;
  const layer = defaultLayerOf(cascade, p);
  if (layer) dflt = getPath(layer.values, p);
  else {
    const d = mod.schema.lookup(...p).default();
    if (d.isConcrete()) dflt = d.toJS();
  }
  if (dflt !== undefined && !origin.layer.startsWith('release')) parts.push(`its default ${redactor.isSecretPath(p) ? SECRET_MASK : showValue(dflt)} (${describeOrigin(origin, mod.files)}) does not satisfy it`);
  const positions = [...e.positions, ...mod.schema.lookup(...p).positions()];
  const involved = valuesInvolved(p, positions, {
    moduleFiles: mod.files,
    files,
    schema: mod.schema,
    root: valuesV,
    rootPath: (x) => x,
    valuePathOf: (x) => x,
    values,
    originOf,
    isSecret: (x) => redactor.isSecretPath(x),
  }).filter((x) => !x.startsWith(`values.${formatPath(p)} = `));
  if (involved.length) parts.push(`values involved: ${involved.join(', ')}`);
  return parts.length ? `; ${parts.join('; ')}` : '';
}

/** The last command-line values layer (-f, --set) that sets `p`: it wins over the file and earlier layers. */
function extraLayerOf(opts: RenderOptions, p: string[]): { source: string } | undefined {
  return [...(opts.extraValues ?? [])].reverse().find((l) => hasPath(l.values as PlainObject, p));
}

/** The `security` and `resources` policies of the scopes applying to each component, merged. */
function componentPolicies(parts: ModuleParts): Record<string, ComponentPolicies> {
  const scopes = parts.scopes as Record<string, { appliesTo?: string[]; security?: PlainObject; resources?: PlainObject }>;
  const components = Object.keys(parts.components);
  const out: Record<string, ComponentPolicies> = {};
  for (const c of components) {
    const p: ComponentPolicies = {};
    for (const s of Object.values(scopes)) {
      if (s.appliesTo?.length && !s.appliesTo.includes(c)) continue;
      if (s.security) p.security = mergeTighter(p.security, s.security as ComponentPolicies['security'] & object);
      if (s.resources) p.resources = { requireLimits: p.resources?.requireLimits === true || s.resources.requireLimits === true };
    }
    out[c] = p;
  }
  return out;
}

/** Two scopes' security policies: the stricter of each rule. */
function mergeTighter(a: ComponentPolicies['security'], b: NonNullable<ComponentPolicies['security']>): ComponentPolicies['security'] {
  if (!a) return b;
  const regs = [a.allowedRegistries ?? [], b.allowedRegistries ?? []].filter((l) => l.length);
  return {
    runAsNonRoot: a.runAsNonRoot === true || b.runAsNonRoot === true,
    allowPrivileged: a.allowPrivileged !== false && b.allowPrivileged !== false,
    allowedRegistries: regs.length === 2 ? regs[0]!.filter((r) => regs[1]!.includes(r)) : (regs[0] ?? []),
  };
}

function stripNulls(v: PlainObject): PlainObject {
  const out: PlainObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null) continue;
    out[k] = isObject(x) ? stripNulls(x) : x;
  }
  return out;
}

/** Whether the definition's values admit `p` all the way (a field, a name a pattern matches, or inside an open struct). */
function definitionAllowsPath(mod: LoadedModule, p: string[]): boolean {
  let cur = mod.value.lookup('#definition', 'values');
  for (const s of p) {
    const next = cur.lookup(s);
    if (next.exists()) cur = next;
    else return cur.allows(s);
  }
  return true;
}
