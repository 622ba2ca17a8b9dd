// `opm release scale NAME [COMPONENT] --replicas N`. Scaling goes through the
// release's values, never by patching a Deployment behind the model's back:
// the replica count is set in the user values, the release is re-rendered by
// the caller-supplied renderer (so validation and policy ceilings apply, and
// a ceiling violation fails here exactly as it would on apply), and the result
// is deployed as a new revision. The override is recorded in the revision
// (valueOverrides) so the next `apply` of the release file keeps it.
import { ReleaseRequestError } from './release-errors.js';
import { displayRef, splitApiVersion } from './objref.js';
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
  /**
   * Scale an autoscaled workload anyway, by deploying the HorizontalPodAutoscaler range the new values
   * render (the autoscaler then picks the count). Without it such a scale is refused (AutoscaledError).
   */
  updateAutoscaler?: boolean;
}

/** The workload is run by a HorizontalPodAutoscaler: its replica count is the autoscaler's. */
export class AutoscaledError extends ReleaseRequestError {
  constructor(message: string) {
    super(message);
    this.name = 'AutoscaledError';
  }
}

type Hpa = KubeObject & { spec?: { scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string }; minReplicas?: number; maxReplicas?: number } };
const isHpa = (o: KubeObject) => o.kind === 'HorizontalPodAutoscaler' && o.apiVersion.startsWith('autoscaling/');
const range = (h: Hpa | undefined) => (h ? `minReplicas ${h.spec?.minReplicas ?? 1}, maxReplicas ${h.spec?.maxReplicas ?? '?'}` : '');

/**
 * Workloads this scale touches that a HorizontalPodAutoscaler runs (one rendered by the release, or
 * one already in the cluster), with what the new render does to the autoscaler's range. Refuses
 * unless `updateAutoscaler` and the new values do change a range the release renders.
 */
async function checkAutoscaled(
  ctx: ReleaseContext,
  namespace: string,
  name: string,
  opts: ScaleOptions,
  path: string[],
  before: KubeObject[],
  after: KubeObject[],
): Promise<{ rangeChanged: boolean }> {
  const key = (o: { kind?: string; name?: string }) => `${o.kind}/${o.name}`;
  const prevHpa = new Map(before.filter(isHpa).map((h) => [h.metadata.name, h as Hpa]));
  const newHpas = after.filter(isHpa) as Hpa[];
  const changedHpa = newHpas.filter((h) => range(h) !== range(prevHpa.get(h.metadata.name)));
  const prevReplicas = new Map(before.filter((o) => WORKLOADS.has(o.kind)).map((o) => [key({ kind: o.kind, name: o.metadata.name }), replicasOf(o)]));
  const touched = after.filter(
    (o) => WORKLOADS.has(o.kind) && (replicasOf(o) === opts.replicas || replicasOf(o) !== prevReplicas.get(key({ kind: o.kind, name: o.metadata.name }))),
  );
  const touchedKeys = new Set([...touched.map((o) => key({ kind: o.kind, name: o.metadata.name })), ...changedHpa.map((h) => key(h.spec?.scaleTargetRef ?? {}))]);
  // Autoscalers that are not the release's (e.g. created by hand) run the workload just the same.
  let live: Hpa[] = [];
  try {
    live = (await ctx.client.list('autoscaling/v2', 'HorizontalPodAutoscaler', { namespace })) as Hpa[];
  } catch {
    /* autoscaling/v2 not served: nothing outside the release can autoscale it */
  }
  const rendered = new Set(newHpas.map((h) => h.metadata.name));
  const all = [...newHpas, ...live.filter((h) => !rendered.has(h.metadata.name))];
  const managing = all.filter((h) => touchedKeys.has(key(h.spec?.scaleTargetRef ?? {})));
  if (managing.length === 0) return { rangeChanged: false };
  const rangeChanged = changedHpa.some((h) => managing.includes(h));
  if (opts.updateAutoscaler && rangeChanged) return { rangeChanged };
  const lines = managing.map((h) => {
    const ref = h.spec?.scaleTargetRef ?? {};
    const own = rendered.has(h.metadata.name) ? '' : ' (not part of this release)';
    const now = prevHpa.get(h.metadata.name) ?? h;
    const target = displayRef({ ...splitApiVersion(ref.apiVersion ?? 'apps/v1'), kind: ref.kind ?? 'Deployment', name: ref.name ?? '' });
    return `${target} is managed by its HorizontalPodAutoscaler ${h.metadata.name}${own} (${range(now)}): the autoscaler sets its replica count, so a scale to ${opts.replicas} would be undone.`;
  });
  const changes = changedHpa
    .filter((h) => managing.includes(h))
    .map((h) => `HorizontalPodAutoscaler ${h.metadata.name}: ${range(prevHpa.get(h.metadata.name)) || 'none'} → ${range(h)}`);
  const offer = changes.length
    ? `Change its range instead: values.${path.join('.')}=${opts.replicas} renders ${changes.join('; ')}. ` +
      `Re-run with --update-autoscaler to deploy that range (the autoscaler then picks the count).`
    : `values.${path.join('.')} does not set its range: change its minReplicas/maxReplicas in the release values and run opm release apply.`;
  throw new AutoscaledError(`release ${name}: ${lines.join('\n')}\n${offer}`);
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
  if (!Number.isInteger(opts.replicas) || opts.replicas < 0) throw new ReleaseRequestError(`--replicas must be a whole number ≥ 0 (got ${opts.replicas})`);
  return withRelease(ctx, namespace, name, async (store, lock) => {
    const all = await store.summaries();
    if (!all.some((s) => s.status === 'deployed')) throw new ReleaseRequestError(`release ${name} has no deployed revision in namespace ${namespace} to scale`);
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
    const { rangeChanged } = await checkAutoscaled(ctx, namespace, name, opts, path, rev.manifest, manifest);
    const workloads = manifest.filter((o) => WORKLOADS.has(o.kind));
    const scaled = workloads.filter((o) => replicasOf(o) === opts.replicas);
    if (!scaled.length && !rangeChanged) {
      const what = opts.component ? `component ${opts.component}` : 'the release';
      throw new ReleaseRequestError(
        `scaling ${what} to ${opts.replicas} had no effect: no workload renders ${opts.replicas} replicas from values.${path.join('.')}`,
      );
    }
    const what = opts.component ? `${opts.component} ` : '';
    const how = rangeChanged ? ' (autoscaler range)' : '';
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
        ...(desired.platform ? { platform: desired.platform } : {}),
        manifest,
        description: `scale ${what}to ${opts.replicas}${how}`,
      },
      opts,
    );
  }, { mustExist: true });
}
