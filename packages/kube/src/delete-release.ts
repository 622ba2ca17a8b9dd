// `opm release delete NAME`: remove every object the release ever inventoried
// (that still carries its labels), wait until they are gone, then its history
// and its Lease. The latest revision is marked `uninstalling` first, so an
// interrupted delete is visible and simply re-run.
import { pruneObjects, waitDeleted } from './apply.js';
import { DEFAULT_TIMEOUT_MS } from './deploy.js';
import { unionRefs } from './inventory.js';
import { ReleaseLock } from './lock.js';
import { ReleaseNotFoundError, withRelease, type ReleaseContext } from './session.js';
import { HistoryStore } from './history/store.js';
import type { ObjectRef } from './types.js';

export interface DeleteOptions {
  timeoutMs?: number;
  /** Wait for the objects to disappear before removing history (default true). */
  wait?: boolean;
  dryRun?: 'client' | 'server';
}

export async function deleteRelease(ctx: ReleaseContext, namespace: string, name: string, opts: DeleteOptions = {}): Promise<ObjectRef[]> {
  if (opts.dryRun) {
    // A dry run writes nothing: no Lease, no reconciliation, no status change.
    const store = new HistoryStore(ctx.client, namespace, name, ctx.chunkBytes);
    return deleteIn(ctx, store, namespace, name, opts);
  }
  return withRelease(ctx, namespace, name, (store) => deleteIn(ctx, store, namespace, name, opts), { mustExist: true });
}

async function deleteIn(ctx: ReleaseContext, store: HistoryStore, namespace: string, name: string, opts: DeleteOptions): Promise<ObjectRef[]> {
  const all = await store.summaries();
  if (all.length === 0) throw new ReleaseNotFoundError(name, namespace);
  const inventories: ObjectRef[][] = [];
  for (const s of all) {
    try {
      inventories.push((await store.read(s.revision)).inventory);
    } catch (e) {
      // A damaged old revision must not make the release undeletable; its objects still carry our labels.
      ctx.reporter.line(`warning: revision ${s.revision} is unreadable (${(e as Error).message}); deleting what the others record`);
    }
  }
  const refs = unionRefs(...inventories);
  // The release namespace holds the history: delete it last, after the history.
  const isReleaseNs = (r: ObjectRef) => r.kind === 'Namespace' && r.group === '' && r.name === namespace;
  const first = refs.filter((r) => !isReleaseNs(r));
  const applyOpts = { client: ctx.client, release: name, namespace, reporter: ctx.reporter, dryRun: opts.dryRun };
  if (opts.dryRun) {
    const res = await pruneObjects(refs, applyOpts);
    return res.filter((r) => r.action === 'pruned').map((r) => r.ref);
  }
  const latest = all[all.length - 1]!;
  await store.setStatus(latest.revision, 'uninstalling', `uninstalling (was: ${latest.description})`);
  const res = await pruneObjects(first, applyOpts);
  const deleted = res.filter((r) => r.action === 'pruned').map((r) => r.ref);
  if (opts.wait ?? true) await waitDeleted(ctx.client, deleted, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, ctx.reporter);
  ctx.reporter.progress?.('');
  await store.deleteAll();
  const nsRefs = refs.filter(isReleaseNs);
  if (nsRefs.length) deleted.push(...(await pruneObjects(nsRefs, applyOpts)).filter((r) => r.action === 'pruned').map((r) => r.ref));
  await ctx.client.delete({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', namespace, name: ReleaseLock.leaseName(name) });
  ctx.reporter.line(`release ${name} deleted`);
  return deleted;
}
