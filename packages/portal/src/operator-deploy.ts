// Deploying through the opm operator: when its ModuleRelease CRD is served,
// the portal writes the ModuleRelease (and the Secret holding the release's
// secret values, which never go into the spec) and follows its conditions
// until Ready, or the operator reports it Stalled, or the time is up. The
// operator then renders and applies with the platform's catalog, so there is
// no second apply path here.
import { KubeApiError, UnknownKindError, type KubeClient, type KubeObject, type Reporter } from '@opm/kube';
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
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    const mr = (await client.get(mrRef(form.namespace, form.name))) as unknown as ModuleReleaseObject | undefined;
    const observed = mr?.status?.observedGeneration === generation;
    const ready = getCondition(mr?.status, 'Ready');
    const stalled = getCondition(mr?.status, 'Stalled');
    const now = observed ? `${ready?.reason ?? 'Reconciling'}: ${ready?.message ?? ''}` : 'waiting for the operator';
    if (now !== last) reporter.line((last = now));
    if (observed && ready?.status === 'True') return { via: 'operator', revision: mr?.status?.revision, generation };
    if (observed && stalled?.status === 'True') throw new Error(`the operator could not deploy release ${form.name}: ${stalled.message ?? stalled.reason ?? 'Stalled'}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`release ${form.name} did not become Ready through the operator within ${Math.round(timeoutMs / 1000)}s (last: ${last})`);
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
