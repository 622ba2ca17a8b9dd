// `opm release scale NAME [COMPONENT] --replicas N`. Scaling goes through the
// release's values, never by patching a Deployment behind the model's back:
// the replica count is set in the user values, the release is re-rendered by
// the caller-supplied renderer (so validation and policy ceilings apply, and
// a ceiling violation fails here exactly as it would on apply), and the result
// is deployed as a new revision. The override is recorded in the revision
// (valueOverrides) so the next `apply` of the release file keeps it.
import { checkModulePin } from './module-pin.js';
import { deploy, type DeployOptions, type DeployResult } from './deploy.js';
import { prepareObjects } from './inventory.js';
import { withRelease, type ReleaseContext } from './session.js';
import { deployedFirst, readFirstIntact } from './history/store.js';
import { openSealed, rejectMarker, restoreSecretValues } from './history/secrets.js';
import type { KubeObject, RerenderRelease } from './types.js';

export interface ScaleOptions extends DeployOptions {
  component?: string;
  replicas: number;
  rerender: RerenderRelease;
  /** Where the replica count lives in the values; default `[component].replicas` or `replicas`. */
  replicasPath?: string[];
}

export function replicasPath(component?: string): string[] {
  return component ? [component, 'replicas'] : ['replicas'];
}

/** A deep copy of `values` with `path` set to `v`. */
export function setIn(values: Record<string, unknown>, path: string[], v: unknown): Record<string, unknown> {
  const out = JSON.parse(JSON.stringify(values ?? {})) as Record<string, unknown>;
  let cur = out;
  for (const p of path.slice(0, -1)) {
    if (!cur[p] || typeof cur[p] !== 'object' || Array.isArray(cur[p])) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = v;
  return out;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);
const replicasOf = (o: KubeObject): unknown => (o as { spec?: { replicas?: unknown } }).spec?.replicas;

export async function scaleRelease(ctx: ReleaseContext, namespace: string, name: string, opts: ScaleOptions): Promise<DeployResult> {
  if (!Number.isInteger(opts.replicas) || opts.replicas < 0) throw new Error(`--replicas must be a whole number ≥ 0 (got ${opts.replicas})`);
  return withRelease(ctx, namespace, name, async (store, lock) => {
    const all = await store.summaries();
    if (!all.some((s) => s.status === 'deployed')) throw new Error(`release ${name} has no deployed revision in namespace ${namespace} to scale`);
    // The last deployed revision; when its payload is corrupt, the intact one deployed before it (warned).
    const rev = await readFirstIntact(store, deployedFirst(all), (t) => ctx.reporter.line(t));
    if (!rev) throw new Error(`release ${name}: no deployed revision's history can be read (opm release history ${name} --verify)`);
    const path = opts.replicasPath ?? replicasPath(opts.component);
    // Stored values hold markers at secret paths: read the values back from the Secrets they were rendered into.
    const userValues = setIn(await restoreSecretValues(ctx.client, openSealed(rev, ctx.historyKey, ctx.reporter)), path, opts.replicas);
    const valueOverrides = setIn(rev.valueOverrides ?? {}, path, opts.replicas);
    const desired = await opts.rerender({
      name,
      namespace,
      module: rev.module,
      userValues,
      ...(rev.labels ? { labels: rev.labels } : {}),
      ...(rev.annotations ? { annotations: rev.annotations } : {}),
    });
    // A scale re-renders the module: a re-pushed tag must not slip in here (re-pin with apply first).
    await checkModulePin(store, desired.module);
    rejectMarker(desired.objects, desired.secretPaths ?? rev.secretPaths ?? [], name);
    const manifest = await prepareObjects(desired.objects, name, namespace, (v, k) => ctx.client.isNamespaced(v, k));
    const workloads = manifest.filter((o) => WORKLOADS.has(o.kind));
    const scaled = workloads.filter((o) => replicasOf(o) === opts.replicas);
    if (!scaled.length) {
      const what = opts.component ? `component ${opts.component}` : 'the release';
      throw new Error(
        `scaling ${what} to ${opts.replicas} had no effect: no workload renders ${opts.replicas} replicas from values.${path.join('.')}`,
      );
    }
    const what = opts.component ? `${opts.component} ` : '';
    return deploy(
      ctx,
      store,
      lock,
      {
        name,
        namespace,
        module: desired.module,
        userValues,
        finalValues: desired.finalValues ?? {},
        valueOverrides,
        secretPaths: desired.secretPaths ?? rev.secretPaths ?? [],
        ...(desired.labels ?? rev.labels ? { labels: desired.labels ?? rev.labels } : {}),
        ...(desired.annotations ?? rev.annotations ? { annotations: desired.annotations ?? rev.annotations } : {}),
        manifest,
        description: `scale ${what}to ${opts.replicas}`,
      },
      opts,
    );
  }, { mustExist: true });
}
