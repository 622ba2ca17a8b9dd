// `opm release delete NAME`: remove every object of the release that it
// created, wait until they are gone, then its history and its Lease. The
// latest revision is marked `uninstalling` first, so an interrupted delete is
// visible and simply re-run.
//
// What "every object" means does not depend on the history being readable:
// the release's objects are found by label (sweep.ts) over every kind any
// readable inventory or any head Secret names, so a corrupt revision cannot
// hide objects. What is deleted follows ownership (ownership.ts mayDelete):
// adopted objects and Namespaces the release is not known to have created are
// kept and handed back; PersistentVolumeClaims are kept (with their data and
// labels, so a re-install finds them) unless `deleteVolumes`. A Namespace that
// would hold a kept object is kept too (labels kept as well). Before changing anything the plan is
// passed to `confirm`; afterwards the sweep runs again and the command fails,
// keeping the history, if anything labelled for the release is still there.
import { ObjectApiError, waitDeleted } from './apply.js';
import { describeApiError, KubeApiError } from './client.js';
import { DEFAULT_TIMEOUT_MS } from './deploy.js';
import { unionRefs } from './inventory.js';
import { ReleaseLock } from './lock.js';
import { keepReason, mayDelete, releasePatch } from './ownership.js';
import { displayRef, refKey, refOf } from './objref.js';
import { ReleaseNotFoundError, withRelease, type ReleaseContext } from './session.js';
import { deletionOrder } from './stages.js';
import { labelledObjects, sweepScope } from './sweep.js';
import { HistoryStore } from './history/store.js';
import { ANNOTATION_ADOPTED, type InventoryEntry, type KubeObject, type ObjectRef } from './types.js';

export interface DeleteOptions {
  timeoutMs?: number;
  /** Wait for the objects to disappear before removing history (default true). */
  wait?: boolean;
  dryRun?: 'client' | 'server';
  /** Delete the release's PersistentVolumeClaims too (default: keep them and their data). */
  deleteVolumes?: boolean;
  /**
   * Called with the plan after it is computed and before anything changes (not on dry runs);
   * returning false cancels the delete with nothing changed.
   */
  confirm?: (plan: DeletePlan) => Promise<boolean>;
}

export interface DeletePlan {
  release: string;
  namespace: string;
  /** Objects to delete, in deletion order. */
  remove: ObjectRef[];
  /** Objects of the release left in place, with why. */
  keep: { ref: ObjectRef; reason: string }[];
  /** Revisions of history to delete. */
  revisions: number;
}

export class DeleteCancelledError extends Error {
  constructor(name: string) {
    super(`delete of release ${name} cancelled; nothing was changed`);
    this.name = 'DeleteCancelledError';
  }
}

const HOLDS_KEPT = 'holds objects that are kept';
const PVC = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' };
const isPvc = (r: ObjectRef) => r.group === '' && r.kind === 'PersistentVolumeClaim';
const isNamespace = (r: ObjectRef) => r.group === '' && r.kind === 'Namespace';

export async function deleteRelease(ctx: ReleaseContext, namespace: string, name: string, opts: DeleteOptions = {}): Promise<ObjectRef[]> {
  if (opts.dryRun) {
    // A dry run writes nothing: no Lease, no reconciliation, no status change.
    const store = new HistoryStore(ctx.client, namespace, name, ctx.chunkBytes);
    return deleteIn(ctx, store, namespace, name, opts);
  }
  return withRelease(ctx, namespace, name, (store, lock) => deleteIn(ctx, store, namespace, name, opts, (renew) => lock.fence({ renew })), {
    mustExist: true,
    deleting: true,
  });
}

/** The release's live objects and what to do with each. */
async function plan(ctx: ReleaseContext, store: HistoryStore, namespace: string, name: string, opts: DeleteOptions) {
  const all = await store.summaries();
  if (all.length === 0) throw new ReleaseNotFoundError(name, namespace);
  const lists: InventoryEntry[][] = [];
  for (const s of [...all].reverse()) {
    try {
      lists.push((await store.read(s.revision)).inventory);
    } catch (e) {
      // Its objects carry the release's labels and its head names their kinds: the sweep finds them.
      ctx.reporter.line(`warning: ${(e as Error).message}; finding its objects by label instead`);
    }
  }
  const recorded = new Map(unionRefs(...lists).map((e) => [refKey(e), e]));
  const found = await labelledObjects(ctx.client, name, namespace, sweepScope([...recorded.values()], all, namespace, [PVC]));
  const entries = found.map((o): InventoryEntry => {
    const rec = recorded.get(refKey(refOf(o)));
    const adopted = o.metadata.annotations?.[ANNOTATION_ADOPTED] === 'true';
    const created = adopted ? false : rec?.created;
    return { ...refOf(o), ...(created !== undefined ? { created } : {}) };
  });
  const keep: { ref: ObjectRef; reason: string }[] = [];
  let remove: InventoryEntry[] = [];
  for (const e of entries) {
    if (isPvc(e) && !opts.deleteVolumes) keep.push({ ref: e, reason: 'volume claim, kept with its data (--delete-volumes deletes it)' });
    else if (!mayDelete(e)) keep.push({ ref: e, reason: keepReason(e) });
    else remove.push(e);
  }
  // Deleting a Namespace deletes what it holds: keep it while it holds something kept.
  const holding = new Set(keep.map((k) => k.ref.namespace).filter((n): n is string => !!n));
  remove = remove.filter((e) => {
    if (!isNamespace(e) || !holding.has(e.name)) return true;
    keep.push({ ref: e, reason: HOLDS_KEPT });
    return false;
  });
  return { all, found, remove: deletionOrder(remove, (r) => r), keep };
}

const show = (ref: ObjectRef, ns: string, action: string, note?: string, dryRun?: string) =>
  `${displayRef(ref, ns)} ${action}${note ? ` (${note})` : ''}${dryRun ? ` (${dryRun} dry run)` : ''}`;

async function deleteIn(
  ctx: ReleaseContext,
  store: HistoryStore,
  namespace: string,
  name: string,
  opts: DeleteOptions,
  /** Fencing (lock.ts): before each object write; `renew` before each batch. */
  fence: (renew?: boolean) => Promise<void> = async () => undefined,
): Promise<ObjectRef[]> {
  const p = await plan(ctx, store, namespace, name, opts);
  const say = (t: string) => ctx.reporter.line(t);
  if (opts.dryRun) {
    for (const r of p.remove) say(show(r, namespace, 'pruned', undefined, opts.dryRun));
    for (const k of p.keep) say(show(k.ref, namespace, 'kept', k.reason, opts.dryRun));
    return p.remove;
  }
  const bare = (e: ObjectRef): ObjectRef => ({ group: e.group, version: e.version, kind: e.kind, name: e.name, ...(e.namespace ? { namespace: e.namespace } : {}) });
  const planOut: DeletePlan = { release: name, namespace, remove: p.remove.map(bare), keep: p.keep.map((k) => ({ ref: bare(k.ref), reason: k.reason })), revisions: p.all.length };
  if (opts.confirm && !(await opts.confirm(planOut))) throw new DeleteCancelledError(name);

  const latest = p.all[p.all.length - 1]!;
  if (latest.status !== 'uninstalling') await store.setStatus(latest.revision, 'uninstalling', `uninstalling (was: ${latest.description})`);
  // The release namespace holds the history: it goes last, after the history.
  const isReleaseNs = (r: ObjectRef) => isNamespace(r) && r.name === namespace;
  const deleted: ObjectRef[] = [];
  await fence(true);
  for (const r of p.remove.filter((x) => !isReleaseNs(x))) {
    await fence();
    try {
      await ctx.client.delete(bare(r));
    } catch (e) {
      throw new ObjectApiError(`deleting ${describeApiError(e, r, namespace)}`, r, e instanceof KubeApiError ? e.code : undefined, e);
    }
    say(show(r, namespace, 'pruned'));
    deleted.push(bare(r));
  }
  const wait = opts.wait ?? true;
  if (wait) await waitDeleted(ctx.client, deleted, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, ctx.reporter);
  ctx.reporter.progress?.('');
  const live = new Map<string, KubeObject>(p.found.map((o) => [refKey(refOf(o)), o]));
  for (const k of p.keep) {
    // Handed back: not ours any more. A kept volume claim, and the Namespace kept for holding one, keep
    // their labels: they still hold the release's data, and a re-install finds them as its own.
    if (!isPvc(k.ref) && k.reason !== HOLDS_KEPT) {
      await fence();
      try {
        await ctx.client.mergePatch(bare(k.ref), releasePatch(live.get(refKey(k.ref))!));
      } catch (e) {
        throw new Error(`releasing ${describeApiError(e, k.ref, namespace)}`);
      }
    }
    say(show(k.ref, namespace, 'kept', k.reason));
  }
  if (wait) {
    // Never report a release deleted while something labelled for it is left (other than what is kept).
    const keptKeys = new Set(p.keep.map((k) => refKey(k.ref)));
    const left = (await labelledObjects(ctx.client, name, namespace, sweepScope(p.found.map(refOf), p.all, namespace, [PVC])))
      .map(refOf)
      .filter((r) => !keptKeys.has(refKey(r)) && !isReleaseNs(r));
    if (left.length) {
      throw new Error(
        `release ${name} is not deleted: ${left.length} object(s) labelled for it are still there: ${left.map((r) => displayRef(r, namespace)).join(', ')}; ` +
          `its history is kept (status uninstalling); run delete again`,
      );
    }
  }
  await store.deleteAll();
  for (const r of p.remove.filter(isReleaseNs)) {
    await fence(true);
    await ctx.client.delete(bare(r));
    say(show(r, namespace, 'pruned'));
    deleted.push(bare(r));
  }
  await ctx.client.delete({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', namespace, name: ReleaseLock.leaseName(name) });
  const pending = wait ? '' : ` (not waiting for ${deleted.length} object(s) to finish terminating)`;
  const kept = p.keep.length ? `; kept ${p.keep.length} object(s) it did not create or that hold data` : '';
  say(`release ${name} deleted${pending}${kept}`);
  return deleted;
}
