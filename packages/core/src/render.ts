// Rendering: the module, filled with the final values, goes through the CUE
// transformers of the built-in Kubernetes provider (and any the catalog adds).
// TypeScript only orchestrates: which transformer sees which component or
// scope, then stamps release metadata on every object and orders them.
import { CueErrorList, type CueError, type Value } from '@opm/cue';
import { ValidationError } from './errors.js';
import { CLUSTER_SCOPED } from './policy.js';
import { isObject, type PlainObject } from './paths.js';
import { labelViolations } from './schema-labels.js';
import type { Session } from './session.js';

/** What a transformer declares for pre-selection (see #Transformer). */
export interface TransformerMeta {
  kind: 'component' | 'scope';
  /** Skip evaluating the transformer for a component (or scope) without these paths, or with other values at `when`'s. */
  requires: string[];
  when: Record<string, unknown>;
}

export interface Transformer extends TransformerMeta {
  name: string;
  value: Value;
}

function dig(x: unknown, dotted: string): unknown {
  let cur = x;
  for (const s of dotted.split('.')) cur = isObject(cur) ? cur[s] : undefined;
  return cur;
}

/** Whether a transformer may produce anything for this component or scope. */
export function selects(t: Transformer, subject: unknown): boolean {
  return t.requires.every((p) => dig(subject, p) !== undefined) && Object.entries(t.when).every(([p, v]) => dig(subject, p) === v);
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [k: string]: unknown;
}

export interface RenderContext {
  release: string;
  namespace: string;
  module: string;
  version: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const cache = new WeakMap<Session, Promise<Transformer[]>>();

/** Built-in transformers, then the catalog's: a catalog transformer with the same name replaces the built-in one. */
export function loadTransformers(session: Session): Promise<Transformer[]> {
  let p = cache.get(session);
  if (!p) {
    p = (async () => {
      // The built-in provider is built as its import is, so catalog providers importing its helpers share it.
      const builtin = session.providerPackage(await session.kubernetesProviderFiles());
      const packages = [builtin.files, ...((await session.catalog.providerPackages?.()) ?? [])];
      const byName = new Map<string, Transformer>();
      for (const files of packages) {
        const isBuiltin = files === builtin.files;
        const pkg = isBuiltin ? await session.ctx.buildPackage(builtin, { resolver: session.resolver }) : await session.ctx.build(files, { resolver: session.resolver });
        // The built-in ones' declarations as worked out at build time (shipped-transformers.ts), when there are:
        // each transformer is then evaluated only if it runs.
        const known = isBuiltin ? await session.shipped.builtinTransformers?.() : undefined;
        if (known) {
          const ts = pkg.lookup('transformers');
          for (const [name, m] of Object.entries(known)) byName.set(name, { name, ...m, value: ts.lookup(name) });
          continue;
        }
        for (const t of transformersOf(pkg, files[0]!.filename)) byName.set(t.name, t);
      }
      return [...byName.values()];
    })();
    cache.set(session, p);
  }
  return p;
}

/** A provider package's transformers, each evaluated to read what it declares. */
export function transformersOf(pkg: Value, where: string): Transformer[] {
  const ts = pkg.lookup('transformers');
  if (!ts.exists()) throw new ValidationError([`provider ${where}: declares no transformers`]);
  return ts.fields().map((f) => {
    const kind = f.value.lookup('kind').toJS();
    if (kind !== 'component' && kind !== 'scope') throw new ValidationError([`transformer ${f.label}: kind must be "component" or "scope"`]);
    const requires = f.value.lookup('requires');
    const when = f.value.lookup('when');
    return {
      name: f.label,
      kind,
      requires: requires.exists() ? (requires.toJS() as string[]) : [],
      when: when.exists() ? (when.toJS() as Record<string, unknown>) : {},
      value: f.value,
    };
  });
}

function concreteJS(v: Value, what: string, explain?: (e: CueError) => string): unknown {
  try {
    return v.toJSChecked();
  } catch (err) {
    if (err instanceof CueErrorList) throw new ValidationError(err.errors.map((e) => `${what}: ${e.message}${explain?.(e) ?? ''}`), 'render');
    throw err;
  }
}

export interface Scope {
  appliesTo: string[];
  [policy: string]: unknown;
}

const POLICY_KEYS = ['monitoring', 'backup', 'alerting', 'compliance', 'networking', 'security', 'resources'];

/** The components and scopes of a filled module, as data (read once: rendering and the policy checks both need them). */
export interface ModuleParts {
  components: Record<string, PlainObject>;
  scopes: Record<string, Scope>;
}

/** Exports the filled module's components and scopes; a value that is not concrete is a render error. */
export function moduleParts(filled: Value, explain?: (e: CueError) => string): ModuleParts {
  const components = (concreteJS(filled.lookup('components'), 'components', explain) ?? {}) as Record<string, PlainObject>;
  const scopesV = filled.lookup('scopes');
  const scopes = (scopesV.exists() ? concreteJS(scopesV, 'scopes', explain) : {}) as Record<string, Scope>;
  return { components, scopes };
}

export interface RenderModuleOptions {
  /** Core's schema package (session.coreSchema()): what components and scopes may hold. */
  core: Value;
  /** The session context's encode: a transformer input becomes a value once, shared by every transformer that sees it. */
  encode?: (x: unknown) => Value;
  explain?: (e: CueError) => string;
  /** The module's components and scopes when the caller has read them already (moduleParts). */
  parts?: ModuleParts;
}

/**
 * Runs every transformer over the filled module (a #Module with final values and #context).
 */
export function renderModule(filled: Value, ctx: RenderContext, transformers: Transformer[], o: RenderModuleOptions): KubeObject[] {
  const { encode, explain } = o;
  const { components, scopes } = o.parts ?? moduleParts(filled, explain);
  // A module's own literal next to the core schema it embeds may add any label
  // (schema-labels.ts); names become parts of object names and a container
  // named outside its pattern has none of #Container's fields: checked here,
  // against core's schema alone, for every render path.
  const bad = labelViolations(o.core, { components, scopes: scopes as unknown as PlainObject }, (p) => filled.lookup(...p).pos());
  if (bad.length) throw new ValidationError(bad.map((b) => `module ${ctx.module} ${ctx.version}: ${b}`), 'module');
  for (const [sn, s] of Object.entries(scopes)) {
    for (const c of s.appliesTo ?? []) {
      if (!(c in components)) throw new ValidationError([`scope ${sn} applies to component ${c}, which the module does not have`]);
    }
  }
  const applies = (s: Scope, c: string) => !s.appliesTo?.length || s.appliesTo.includes(c);
  const out: KubeObject[] = [];
  const run = (t: Transformer, input: Value | PlainObject, what: string) => {
    const res = t.value.fill(input, '#in').lookup('out');
    const list = concreteJS(res, `transformer ${t.name} (${what})`);
    if (!Array.isArray(list)) throw new ValidationError([`transformer ${t.name}: out is not a list`]);
    out.push(...(list as KubeObject[]));
  };
  // Each component (and the context) is encoded once: component inputs and
  // every scope's `components` refer to the same value, which the evaluator
  // then shares instead of copying (a scope sees all of its components).
  const encoded = new Map<string, Value | PlainObject>();
  const componentValue = (name: string) => {
    let x = encoded.get(name);
    if (!x) encoded.set(name, (x = encode ? encode(components[name]) : components[name]!));
    return x;
  };
  const context = encode ? encode(ctx) : (ctx as unknown as PlainObject);
  for (const [name, component] of Object.entries(components)) {
    // Policies of every scope that applies to the component, merged section by section.
    const policies: PlainObject = {};
    for (const s of Object.values(scopes)) {
      if (!applies(s, name)) continue;
      for (const k of POLICY_KEYS) {
        const p = s[k];
        if (isObject(p)) policies[k] = { ...((policies[k] as PlainObject) ?? {}), ...p };
      }
    }
    let input: Value | PlainObject | undefined;
    for (const t of transformers) {
      if (t.kind !== 'component' || !selects(t, component)) continue;
      input ??= shared({ context, name, component: componentValue(name), policies }, encode);
      run(t, input, `component ${name}`);
    }
  }
  for (const [name, scope] of Object.entries(scopes)) {
    const inScope = Object.fromEntries(Object.keys(components).filter((c) => applies(scope, c)).map((c) => [c, componentValue(c)]));
    let input: Value | PlainObject | undefined;
    for (const t of transformers) {
      if (t.kind !== 'scope' || !selects(t, scope)) continue;
      input ??= shared({ context, name, scope: scope as unknown as PlainObject, components: inScope }, encode);
      run(t, input, `scope ${name}`);
    }
  }
  return out;
}

/** A transformer input: its parts may already be encoded values (encode nests them without copying). */
function shared(input: Record<string, unknown>, encode: ((x: unknown) => Value) | undefined): Value | PlainObject {
  return encode ? encode(input) : (input as PlainObject);
}


const KIND_ORDER = [
  'Namespace', 'CustomResourceDefinition', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'ServiceAccount',
  'Secret', 'ConfigMap', 'PersistentVolumeClaim', 'Role', 'RoleBinding', 'Service', 'DaemonSet', 'Deployment',
  'StatefulSet', 'Job', 'CronJob', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Ingress',
];

/** Namespaces and CRDs first, then the order Kubernetes needs (config before workloads), then by name. */
export function sortObjects(objs: KubeObject[]): KubeObject[] {
  const rank = (k: string) => {
    const i = KIND_ORDER.indexOf(k);
    return i < 0 ? KIND_ORDER.length : i;
  };
  return [...objs].sort(
    (a, b) => rank(a.kind) - rank(b.kind) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0),
  );
}

/**
 * Every object carries the release namespace (namespaced kinds), the release
 * and standard labels and the release annotations. Labels a transformer set
 * (e.g. `app.kubernetes.io/name`) are kept.
 */
export function stampObjects(objs: KubeObject[], ctx: RenderContext): KubeObject[] {
  return objs.map((o) => {
    const md = { ...o.metadata };
    // A namespace a transformer set is kept (the platform must allow it: policy.checkPlacement).
    if (CLUSTER_SCOPED.has(o.kind)) delete md.namespace;
    else md.namespace ??= ctx.namespace;
    md.labels = { ...ctx.labels, ...(md.labels ?? {}) };
    md.annotations = { ...ctx.annotations, ...(md.annotations ?? {}) };
    if (!Object.keys(md.annotations).length) delete md.annotations;
    return { ...o, metadata: md };
  });
}

/** Secret values may appear in Secret objects only. */
export function checkSecretLeaks(objs: KubeObject[], secrets: { path: string; value: string }[]): string[] {
  const v: string[] = [];
  if (!secrets.length) return v;
  for (const o of objs) {
    if (o.kind === 'Secret') continue;
    const text = JSON.stringify(o);
    for (const s of secrets) {
      if (s.value.length >= 4 && text.includes(JSON.stringify(s.value).slice(1, -1))) {
        v.push(`secret value values.${s.path} would be rendered into ${o.kind} ${o.metadata.name}; secrets render into Secrets only`);
      }
    }
  }
  return v;
}
