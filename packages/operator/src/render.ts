// From a ModuleRelease object to a validated, policy-checked, rendered release
// — through @opm/core's renderRelease, exactly as `opm release build` renders a
// CUE file. Used by the controller before applying and by the webhook to admit.
import { PolicyError, ValidationError, getValuesPath, renderRelease, splitPath, type RenderedRelease, type Session } from '@opm/core';
import { UnknownKindError, type KubeClient } from '@opm/kube';
import { parseModuleRef, type ModuleReleaseObject } from './resource.js';
import { checkTenancy } from './tenancy.js';
import { checkSecretValueRefs } from './secret-refs.js';

/** A Secret (or key) that spec.secretValues names is missing: retried with back-off, as it may be created later. */
export class MissingSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingSecretError';
  }
}

/** Reads `spec.secretValues` from Secrets in the release's own namespace (refusing references no Secret can satisfy). */
export async function readSecretValues(client: KubeClient, mr: ModuleReleaseObject): Promise<Record<string, string>> {
  checkSecretValueRefs(mr);
  const out: Record<string, string> = {};
  const ns = mr.metadata.namespace!;
  const cache = new Map<string, Record<string, string> | undefined>();
  for (const s of mr.spec.secretValues ?? []) {
    const { name, key } = s.secretKeyRef;
    if (!cache.has(name)) {
      const live = (await client.get({ group: '', version: 'v1', kind: 'Secret', namespace: ns, name })) as { data?: Record<string, string> } | undefined;
      cache.set(name, live ? (live.data ?? {}) : undefined);
    }
    const data = cache.get(name);
    if (!data) throw new MissingSecretError(`release ${mr.metadata.name}: spec.secretValues ${s.path}: secret ${name} not found in namespace ${ns}`);
    if (!(key in data)) throw new MissingSecretError(`release ${mr.metadata.name}: spec.secretValues ${s.path}: secret ${name} has no key ${JSON.stringify(key)}`);
    out[s.path] = Buffer.from(data[key]!, 'base64').toString('utf8');
  }
  return out;
}

/** Secret values must come from Secrets: a literal at a secret path in spec.values is refused (never echoed). */
function literalSecrets(mr: ModuleReleaseObject, secretPaths: string[]): string[] {
  const out: string[] = [];
  for (const p of secretPaths) {
    const cur = getValuesPath(mr.spec.values ?? {}, splitPath(p));
    if (cur !== undefined && cur !== null) {
      out.push(`release ${mr.metadata.name}: spec.values.${p} is a secret value: put it in a Secret and reference it in spec.secretValues (path: ${p}); the value is not shown`);
    }
  }
  return out;
}

export interface RenderResourceOptions {
  session: Session;
  /** Reads the referenced Secrets (impersonating the release's ServiceAccount when configured). */
  client: KubeClient;
  /** Secret values already read with readSecretValues (else they are read here). */
  secrets?: Record<string, string>;
}

/**
 * Renders a ModuleRelease into its own namespace. Throws ValidationError or
 * PolicyError (the CLI's messages) when the module, the values or the platform
 * rules refuse it, or when it would render outside its namespace.
 */
export async function renderResource(mr: ModuleReleaseObject, opts: RenderResourceOptions): Promise<RenderedRelease> {
  const namespace = mr.metadata.namespace;
  if (!namespace) throw new ValidationError([`release ${mr.metadata.name}: a ModuleRelease is namespaced`], 'release');
  let module: { name: string; version: string };
  try {
    module = parseModuleRef(mr.spec.module);
  } catch (e) {
    throw new ValidationError([`release ${mr.metadata.name}: ${(e as Error).message}`], 'release');
  }
  const values = mr.spec.values ?? {};
  if (typeof values !== 'object' || Array.isArray(values)) throw new ValidationError([`release ${mr.metadata.name}: spec.values must be an object`], 'release');
  // Module first: an unknown module or version is a CatalogError listing what the catalog has.
  await opts.session.fetchModule(module.name, module.version);
  const secrets = opts.secrets ?? (await readSecretValues(opts.client, mr));
  const rendered = await renderRelease(
    {
      name: mr.metadata.name,
      namespace,
      module,
      userValues: values,
      labels: mr.spec.metadata?.labels ?? {},
      annotations: mr.spec.metadata?.annotations ?? {},
    },
    { session: opts.session, namespace, ...(Object.keys(secrets).length ? { secrets } : {}) },
  );
  const literal = literalSecrets(mr, rendered.secretPaths);
  if (literal.length) throw new ValidationError(literal, 'release');
  const outside = await checkTenancy(rendered.objects, namespace, (v, k) => opts.client.isNamespaced(v, k));
  if (outside.length) throw new PolicyError(outside, `release ${mr.metadata.name}`);
  return rendered;
}

/** Whether an error is the model refusing the release (not worth retrying until the spec or catalog changes). */
export function isRefusal(e: unknown): boolean {
  const name = (e as Error)?.name;
  return name === 'ValidationError' || name === 'PolicyError' || name === 'NotSupportedError' || name === 'CueError' || name === 'CueErrorList';
}

export { UnknownKindError };
