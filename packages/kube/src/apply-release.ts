// `opm release apply`: deploy a rendered release as a new revision.
import { ReleaseRequestError } from './release-errors.js';
import type { KubeClient } from './client.js';
import { deploy, type DeployOptions, type DeployResult } from './deploy.js';
import { HistoryStore, deployedFirst, readFirstIntact } from './history/store.js';
import { checkModulePin } from './module-pin.js';
import { OwnershipError, prepareObjects } from './inventory.js';
import { AdoptionError } from './ownership.js';
import { withRelease, type ReleaseContext } from './session.js';
import type { DesiredRelease, KubeObject } from './types.js';
import { refKey } from './objref.js';

export interface ApplyReleaseOptions extends DeployOptions {
  /** Create the release namespace when missing and the release does not render it. */
  createNamespace?: boolean;
  /**
   * Values recorded by `scale` that the CLI merged into this render. When
   * undefined, the overrides of the latest revision are carried forward.
   */
  valueOverrides?: Record<string, unknown>;
  /** Accept a module artifact whose digest differs from the one the release recorded for that version (module-pin.ts). */
  repin?: boolean;
}

export async function prepareRelease(client: KubeClient, desired: DesiredRelease): Promise<KubeObject[]> {
  return prepareObjects(desired.objects, desired.name, desired.namespace, (v, k) => client.isNamespaced(v, k));
}

/**
 * The history lives in the release namespace, so it must exist before anything
 * is recorded: apply the release's own Namespace object first when it renders
 * one (it stays in the inventory), else create it on request, else fail clearly.
 */
async function ensureNamespace(ctx: ReleaseContext, desired: DesiredRelease, manifest: KubeObject[], create: boolean): Promise<string[]> {
  const ref = { group: '', version: 'v1', kind: 'Namespace', name: desired.namespace };
  if (await ctx.client.get(ref)) return [];
  const own = manifest.find((o) => o.kind === 'Namespace' && o.apiVersion === 'v1' && o.metadata.name === desired.namespace);
  if (own) {
    await ctx.client.apply(own);
    return [refKey(ref)]; // reported as created by the apply stage that follows
  }
  if (!create) {
    throw new ReleaseRequestError(`namespace ${desired.namespace} does not exist (create it, render it in the release, or pass --create-namespace)`);
  }
  await ctx.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: desired.namespace } });
  ctx.reporter.line(`namespace/${desired.namespace} created (not owned by the release)`);
  return [];
}

export async function applyRelease(ctx: ReleaseContext, desired: DesiredRelease, opts: ApplyReleaseOptions = {}): Promise<DeployResult> {
  const manifest = await prepareRelease(ctx.client, desired);
  const content = (valueOverrides: Record<string, unknown>, description: string) => ({
    name: desired.name,
    namespace: desired.namespace,
    module: desired.module,
    userValues: desired.userValues ?? {},
    finalValues: desired.finalValues ?? {},
    valueOverrides,
    secretPaths: desired.secretPaths ?? [],
    ...(desired.labels ? { labels: desired.labels } : {}),
    ...(desired.annotations ? { annotations: desired.annotations } : {}),
    ...(desired.platform ? { platform: desired.platform } : {}),
    manifest,
    description,
  });
  if (opts.dryRun) {
    // No lock and no history writes; the namespace may not even exist yet.
    const store = new HistoryStore(ctx.client, desired.namespace, desired.name, ctx.chunkBytes, ctx.historyKey);
    await checkModulePin(store, desired.module, opts.repin);
    return deploy(ctx, store, undefined, content(opts.valueOverrides ?? {}, 'dry run'), opts);
  }
  const precreated = await ensureNamespace(ctx, desired, manifest, opts.createNamespace ?? false);
  try {
    return await withRelease(ctx, desired.namespace, desired.name, async (store, lock) => {
      await checkModulePin(store, desired.module, opts.repin);
      const latest = await store.latest();
      // Only a deployed revision carries state forward: a failed or interrupted scale changes nothing later.
      const overrides = opts.valueOverrides ?? (await deployedValueOverrides(store, (t) => ctx.reporter.line(t)));
      const description = latest ? `upgrade to ${desired.module.name}@${desired.module.version}` : `install ${desired.module.name}@${desired.module.version}`;
      return deploy(ctx, store, lock, content(overrides, description), { ...opts, precreated, skipUnchanged: precreated.length === 0 });
    });
  } catch (e) {
    // Refused before anything was recorded: the namespace created a moment ago for it holds nothing but the lock.
    if (precreated.length && (e instanceof AdoptionError || e instanceof OwnershipError)) {
      await ctx.client.delete({ group: '', version: 'v1', kind: 'Namespace', name: desired.namespace }).catch(() => undefined);
    }
    throw e;
  }
}

/**
 * The scale overrides of the last deployed revision ({} when none). Only a deployed revision counts: one that
 * failed or was interrupted changes nothing later. A corrupt one is skipped (warned) for the intact one before it.
 */
async function deployedValueOverrides(store: HistoryStore, warn: (t: string) => void = () => undefined): Promise<Record<string, unknown>> {
  const all = await store.summaries();
  if (!all.some((s) => s.status === 'deployed')) return {};
  return (await readFirstIntact(store, deployedFirst(all), warn))?.valueOverrides ?? {};
}

/** The scale overrides recorded by the last deployed revision, for the CLI to merge into the next render. */
export async function currentValueOverrides(client: KubeClient, namespace: string, name: string): Promise<Record<string, unknown>> {
  return deployedValueOverrides(new HistoryStore(client, namespace, name));
}
