// Deploying through the opm operator: when its ModuleRelease CRD is served,
// the portal writes the ModuleRelease (and the Secret holding the release's
// secret values, which never go into the spec) and follows its conditions
// until Ready, or the operator reports it Stalled, or the time is up. The
// operator then renders and applies with the platform's catalog, so there is
// no second apply path here.
import { KubeApiError, ReleaseNotFoundError, UnknownKindError, rollbackTarget, type KubeClient, type KubeObject, type Reporter } from '@opm/kube';
import { API_VERSION, GROUP, KIND, VERSION, getCondition, releaseToResource, secretKeyFor, type ModuleReleaseObject } from '@opm/operator';
import type { ParsedRelease } from './render.js';

export async function operatorInstalled(client: KubeClient): Promise<boolean> {
  try {
    await client.isNamespaced(API_VERSION, KIND);
    return true;
  } catch (e) {
    if (e instanceof UnknownKindError || (e instanceof KubeApiError && e.code === 404)) return false;
    throw e;
  }
}

export const mrRef = (namespace: string, name: string) => ({ group: GROUP, version: VERSION, kind: KIND, namespace, name });

const POLL_MS = 500;

export async function deployThroughOperator(client: KubeClient, p: ParsedRelease, timeoutMs: number, reporter: Reporter): Promise<unknown> {
  const { form, secrets } = p;
  const { resource } = releaseToResource(
    { name: form.name, namespace: form.namespace, module: form.module, userValues: { ...form.values, ...nest(secrets) }, labels: form.labels, annotations: form.annotations },
    Object.keys(secrets),
  );
  if (Object.keys(secrets).length) {
    await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `${form.name}-values`, namespace: form.namespace }, type: 'Opaque', stringData: Object.fromEntries(Object.entries(secrets).map(([p, v]) => [secretKeyFor(p), v])) } as KubeObject, { force: true });
    reporter.line(`secret/${form.name}-values applied (the release's secret values)`);
  }
  const applied = (await client.apply(resource as unknown as KubeObject, { force: true })) as unknown as ModuleReleaseObject;
  const generation = applied.metadata.generation ?? 0;
  reporter.line(`modulerelease.${GROUP}/${form.name} applied (generation ${generation}); the opm operator deploys it`);
  return followModuleRelease(client, form.namespace, form.name, generation, timeoutMs, reporter);
}

/**
 * Rolls an operator-managed release back the operator's way: the portal never
 * applies its objects, it sets the ModuleRelease's spec to what the target
 * revision was deployed from (module version, values, metadata) and the
 * operator deploys that as a new revision. `client` acts as the user, so RBAC
 * on ModuleReleases decides. Secret values are not in history: the spec keeps
 * referring to the release's Secret `<name>-values` as it is now.
 */
export async function rollbackThroughOperator(client: KubeClient, namespace: string, name: string, revision: number | undefined, timeoutMs: number, reporter: Reporter): Promise<unknown> {
  const target = await rollbackTarget(client, namespace, name, revision, (l) => reporter.line(l));
  const current = (await client.get(mrRef(namespace, name))) as unknown as ModuleReleaseObject | undefined;
  if (!current) throw new ReleaseNotFoundError(name, namespace);
  const { resource } = releaseToResource(
    { name, namespace, module: { name: target.module.name, version: target.module.version }, userValues: target.userValues, labels: target.labels ?? {}, annotations: target.annotations ?? {} },
    target.secretPaths,
  );
  const spec = { ...resource.spec, ...(current.spec.secretValues ? { secretValues: current.spec.secretValues } : {}) };
  const missing = target.secretPaths.filter((p) => !(current.spec.secretValues ?? []).some((r) => r.path === p));
  if (missing.length) reporter.line(`warning: revision ${target.revision} had secret values ${missing.join(', ')} that the ModuleRelease no longer refers to; history keeps no secret values`);
  // Applied as deploy applies it (same field manager): a later deploy from the form then owns and replaces these values.
  const applied = (await client.apply({ ...resource, spec } as unknown as KubeObject, { force: true })) as unknown as ModuleReleaseObject;
  const generation = applied.metadata.generation ?? 0;
  reporter.line(`modulerelease.${GROUP}/${name}: spec set to revision ${target.revision} (${spec.module}; generation ${generation}); the opm operator deploys it`);
  const r = (await followModuleRelease(client, namespace, name, generation, timeoutMs, reporter)) as { revision?: number };
  return { via: 'operator', target: target.revision, revision: r.revision, generation };
}

/** Follows a ModuleRelease until the operator has seen `generation` and says Ready (or Stalled), bounded by `timeoutMs`. */
async function followModuleRelease(client: KubeClient, namespace: string, name: string, generation: number, timeoutMs: number, reporter: Reporter): Promise<unknown> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    const mr = (await client.get(mrRef(namespace, name))) as unknown as ModuleReleaseObject | undefined;
    const observed = mr?.status?.observedGeneration === generation;
    const ready = getCondition(mr?.status, 'Ready');
    const stalled = getCondition(mr?.status, 'Stalled');
    const now = observed ? `${ready?.reason ?? 'Reconciling'}: ${ready?.message ?? ''}` : 'waiting for the operator';
    if (now !== last) reporter.line((last = now));
    if (observed && ready?.status === 'True') return { via: 'operator', revision: mr?.status?.revision, generation };
    if (observed && stalled?.status === 'True') throw new Error(`the operator could not deploy release ${name}: ${stalled.message ?? stalled.reason ?? 'Stalled'}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`release ${name} did not become Ready through the operator within ${Math.round(timeoutMs / 1000)}s (last: ${last})`);
}

function nest(flat: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [p, v] of Object.entries(flat)) {
    const segs = p.split('.');
    let cur = out;
    for (const s of segs.slice(0, -1)) cur = (cur[s] ??= {}) as Record<string, unknown>;
    cur[segs[segs.length - 1]!] = v;
  }
  return out;
}
