// Deploying one revision of a release (used by apply, rollback and scale),
// always inside a session (lock held, pending revisions reconciled):
//
//   1. record the revision as `pending` (payload complete: manifest, inventory)
//   2. apply in stages, then prune what the release owned and no longer renders
//   3. optionally wait for readiness
//   4. mark it `deployed`, older deployed revisions `superseded`, trim history
//
// A crash between 1 and 4 leaves a `pending` revision that the next session
// marks failed; because its inventory is still counted as owned, the next
// deploy prunes whatever it created. With `atomic`, a failure in 2-3 deploys
// the last good revision again (as a new revision).
import { allUnchanged, applyObjects, pruneObjects, type DryRun, type ObjectResult } from './apply.js';
import { sameJson } from './normalize.js';
import { CorruptRevisionError, HistoryConflictError, type HistoryStore } from './history/store.js';
import { labelledObjects, sweepScope } from './sweep.js';
import { hasSecretDigests, openSealed, restoreSecretData, stripSecrets } from './history/secrets.js';
import { valuesDigest } from './history/codec.js';
import { computePrune, unionRefs } from './inventory.js';
import { refOf, sortRefs } from './objref.js';
import { Redactor } from './redact.js';
import type { ReleaseContext } from './session.js';
import { ANNOTATION_ADOPTED, type InventoryEntry, type KubeObject, type ModuleRef, type PlatformRulesRef, type ReleaseRevision, type RevisionSummary, type SecretRef } from './types.js';
import { planOwnership } from './ownership.js';
import { waitForReady, type WaitOptions } from './wait.js';
import { Deadline } from './deadline.js';
import { formatDuration } from './duration.js';
import { LockLostError, type ReleaseLock } from './lock.js';

export interface DeployContent {
  name: string;
  namespace: string;
  module: ModuleRef;
  userValues: Record<string, unknown>;
  finalValues: Record<string, unknown>;
  valueOverrides: Record<string, unknown>;
  secretPaths: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Carried from a stored revision whose values hold markers (rollback): where its secret values live. */
  secretRefs?: SecretRef[];
  /** Prepared objects (namespaced, labelled: inventory.prepareObjects). */
  manifest: KubeObject[];
  description: string;
  /** The platform rules the content was checked against. */
  platform?: PlatformRulesRef;
}

export interface DeployOptions {
  force?: boolean;
  wait?: boolean;
  timeoutMs?: number;
  atomic?: boolean;
  atomicTimeoutMs?: number;
  historyMax?: number;
  dryRun?: DryRun;
  /** Refs (refKey) created right before the deploy, e.g. the release namespace, to report as created. */
  precreated?: string[];
  /**
   * Record no revision when nothing changed: the latest revision is deployed with the same manifest, module
   * and release values, nothing is to be pruned, and every object is live as it would be applied (apply does
   * this; rollback and scale always record one). Other platform rules alone are no change (`sameContent`).
   */
  skipUnchanged?: boolean;
  /**
   * Take over existing objects that carry no labels of this release (recorded as not created by it, so
   * never deleted by it). Without it such objects are refused, each named (ownership.ts).
   */
  adopt?: boolean;
  /**
   * Ends the readiness wait early (with `wait`): the revision is marked failed, naming the signal's reason. A
   * controller uses it when the release changes again mid-rollout, or when it stops.
   */
  signal?: AbortSignal;
  /**
   * Called (with `wait`) once the objects are applied and pruned, before the readiness wait: the revision is
   * recorded `pending` until the wait ends, then `deployed` or `failed`. A controller reports progress from it.
   */
  onApplied?: (revision: number, results: ObjectResult[]) => void;
  /** Where the readiness wait reads the objects (wait.ts `read`); default: the API server, one LIST per kind. */
  readLive?: WaitOptions['read'];
}

export interface DeployResult {
  revision: number;
  results: ObjectResult[];
  /** Nothing changed (skipUnchanged): no revision was recorded and `revision` is the deployed one. */
  unchanged?: boolean;
  /**
   * With `unchanged`: the content was checked against other platform rules than the deployed revision
   * records, and they render the same objects (so no revision; the history keeps the rules it was deployed with).
   */
  rulesChanged?: { recorded: PlatformRulesRef | undefined; now: PlatformRulesRef };
}

export class AtomicRollbackError extends Error {
  /** `cause` is the failure that triggered the rollback (it decides the CLI's exit code). */
  constructor(message: string, readonly failedRevision: number, readonly restoredRevision?: number, cause?: unknown) {
    super(message, { cause });
    this.name = 'AtomicRollbackError';
  }
}

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_HISTORY_MAX = 10;

export function redactorFor(c: { manifest: KubeObject[]; userValues?: Record<string, unknown>; finalValues?: Record<string, unknown>; secretPaths?: string[] }): Redactor {
  return new Redactor()
    .addObjects(c.manifest)
    .addValues(c.userValues, c.secretPaths)
    .addValues(c.finalValues, c.secretPaths);
}

/**
 * What the release owns now: the inventory of the last deployed revision and
 * of every revision after it (failed or interrupted ones may have created objects).
 * A revision whose payload is corrupt is not skipped silently: its objects are
 * found by label over the kinds its head Secret records (sweep.ts).
 */
export async function ownedInventory(store: HistoryStore, summaries: RevisionSummary[], warn: (text: string) => void = () => undefined): Promise<InventoryEntry[]> {
  let from = -1;
  for (let i = summaries.length - 1; i >= 0; i--) {
    if (summaries[i]!.status === 'deployed') {
      from = i;
      break;
    }
  }
  const lists: InventoryEntry[][] = [];
  for (const s of summaries.slice(Math.max(0, from))) {
    try {
      lists.push((await store.read(s.revision)).inventory);
    } catch (e) {
      if (!(e instanceof CorruptRevisionError)) throw e;
      const found = await inventoryByLabel(store, s);
      warn(`warning: ${e.message}; using the ${found.length} live object(s) labelled for the release of the kinds it recorded instead`);
      lists.push(found);
    }
  }
  // Newest first: the latest record of an object (e.g. whether the release created it) wins.
  return unionRefs(...lists.reverse());
}

/** A corrupt revision's inventory, rebuilt from the live objects labelled for the release (kinds from its head). */
export async function inventoryByLabel(store: HistoryStore, s: RevisionSummary): Promise<InventoryEntry[]> {
  const found = await labelledObjects(store.client, store.name, store.namespace, sweepScope([], [s], store.namespace));
  return found.map((o) => ({ ...refOf(o), ...(o.metadata.annotations?.[ANNOTATION_ADOPTED] === 'true' ? { created: false } : {}) }));
}

export async function deploy(
  ctx: ReleaseContext,
  store: HistoryStore,
  lock: ReleaseLock | undefined,
  content: DeployContent,
  opts: DeployOptions,
): Promise<DeployResult> {
  // A stored manifest's secret digests (history/secrets.ts) must have been restored: never apply one as a value.
  if (hasSecretDigests({ manifest: content.manifest } as ReleaseRevision)) {
    throw new Error(`release ${content.name}: a Secret in the manifest holds a history digest instead of its value; refusing to apply it`);
  }
  const redactor = redactorFor(content);
  const summaries = await store.summaries();
  const owned = await ownedInventory(store, summaries, (t) => ctx.reporter.line(t));
  // Ownership is decided (and every adoption refused or recorded) before anything is written.
  const plan = await planOwnership(ctx.client, content.manifest, {
    release: content.name,
    namespace: content.namespace,
    adopt: opts.adopt,
    previous: owned,
    precreated: new Set(opts.precreated ?? []),
  });
  const inventory = sortRefs(plan.inventory);
  const toPrune = computePrune(owned, inventory);
  const applyOpts = {
    live: plan.live,
    client: ctx.client,
    release: content.name,
    namespace: content.namespace,
    force: opts.force,
    dryRun: opts.dryRun,
    reporter: ctx.reporter,
    redactor,
    precreated: new Set(opts.precreated ?? []),
    // CRDs must be Established before their custom resources, with or without --wait.
    crdTimeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(lock ? { fence: (renew?: boolean) => lock.fence({ renew }) } : {}),
  };

  // One deadline: a wait gets what is left of the command's --timeout, not a new one.
  const signals = [ctx.client.deadline?.signal, opts.signal].filter((x): x is AbortSignal => !!x);
  const waitOptions = () => ({
    timeoutMs: Math.min(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, ctx.client.deadline?.remaining() ?? Infinity),
    ...(signals.length ? { signal: signals.length === 1 ? signals[0]! : AbortSignal.any(signals) } : {}),
    reporter: ctx.reporter,
    namespace: content.namespace,
    release: { name: content.name, namespace: content.namespace },
    ...(opts.readLive ? { read: opts.readLive } : {}),
  });

  if (opts.dryRun) {
    const results = await applyObjects(content.manifest, applyOpts);
    results.push(...(await pruneObjects(toPrune, applyOpts)));
    return { revision: (summaries[summaries.length - 1]?.revision ?? 0) + 1, results };
  }

  const latest = summaries[summaries.length - 1];
  const recorded = opts.skipUnchanged && latest?.status === 'deployed' && toPrune.length === 0 ? await store.read(latest.revision) : undefined;
  if (recorded && sameContent(recorded, asStored(content))) {
    const results = await allUnchanged(content.manifest, applyOpts);
    if (results) {
      if (opts.wait) {
        opts.onApplied?.(latest!.revision, results);
        await waitForReady(ctx.client, inventory, waitOptions());
      }
      const rulesChanged = content.platform && !sameJson(recorded.platform ?? null, content.platform) ? { recorded: recorded.platform, now: content.platform } : undefined;
      return { revision: latest!.revision, results, unchanged: true, ...(rulesChanged ? { rulesChanged } : {}) };
    }
  }

  const revision = (latest?.revision ?? 0) + 1;
  const now = new Date().toISOString();
  const record: ReleaseRevision = {
    name: content.name,
    namespace: content.namespace,
    revision,
    status: 'pending',
    description: content.description,
    module: content.module,
    userValues: content.userValues,
    finalValues: content.finalValues,
    valueOverrides: content.valueOverrides,
    valuesDigest: valuesDigest(content.finalValues),
    secretPaths: content.secretPaths,
    ...(content.labels ? { labels: content.labels } : {}),
    ...(content.annotations ? { annotations: content.annotations } : {}),
    ...(content.secretRefs ? { secretRefs: content.secretRefs } : {}),
    ...(content.platform ? { platform: content.platform } : {}),
    inventory,
    manifest: content.manifest,
    createdAt: now,
    updatedAt: now,
  };
  await store.write(record);

  try {
    const results = await applyObjects(content.manifest, applyOpts);
    results.push(...(await pruneObjects(toPrune, applyOpts)));
    if (opts.wait) {
      opts.onApplied?.(revision, results);
      await waitForReady(ctx.client, inventory, waitOptions());
    }
    await store.setStatus(revision, 'deployed', content.description);
    for (const s of summaries) if (s.status === 'deployed') await store.setStatus(s.revision, 'superseded');
    await store.prune(opts.historyMax ?? DEFAULT_HISTORY_MAX);
    return { revision, results };
  } catch (err) {
    // Another process holds the release now (or changed this revision): it owns the history, write nothing.
    if (err instanceof LockLostError || err instanceof HistoryConflictError || lock?.isLost) throw err;
    const e = redactor.scrubError(err);
    // Even after a missed deadline the revision must end failed, not pending: a short grace for that.
    await ctx.client.cleanup(() => store.setStatus(revision, 'failed', firstLine(`${content.description}: ${e.message}`))).catch(() => undefined);
    // Without the lock another command may be changing the release: never roll back then.
    if (!opts.atomic || lock?.isLost) throw e;
    const lastGood = [...summaries].reverse().find((s) => s.status === 'deployed');
    // The rollback has its own budget (--atomic-timeout), not what is left of --timeout.
    const atomicMs = opts.atomicTimeoutMs ?? opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const atomicDeadline = new Deadline(atomicMs, `--atomic-timeout ${formatDuration(atomicMs)}`);
    if (!lastGood) {
      // Nothing to go back to: remove what this failed install created.
      ctx.reporter.line(`atomic: removing the objects of failed revision ${revision}`);
      const all = unionRefs(owned, inventory);
      await ctx.client.withDeadline(atomicDeadline, () => pruneObjects(all, applyOpts));
      throw new AtomicRollbackError(`${e.message}\natomic: revision ${revision} failed; its objects were removed`, revision, undefined, e);
    }
    ctx.reporter.line(`atomic: revision ${revision} failed; rolling back to revision ${lastGood.revision}`);
    try {
      const back = await ctx.client.withDeadline(atomicDeadline, async () => {
        const good = await restoreSecretData(ctx.client, openSealed(await store.read(lastGood.revision), ctx.historyKey, ctx.reporter), ctx.reporter);
        return deploy(ctx, store, lock, contentOf(good, `rollback to ${lastGood.revision} (atomic, after failed revision ${revision})`), {
          ...opts,
          atomic: false,
          wait: true,
          timeoutMs: opts.atomicTimeoutMs ?? opts.timeoutMs,
        });
      });
      throw new AtomicRollbackError(
        `${e.message}\natomic: rolled back to revision ${lastGood.revision} (recorded as revision ${back.revision})`,
        revision,
        back.revision,
        e,
      );
    } catch (e2) {
      if (e2 instanceof AtomicRollbackError) throw e2;
      throw new AtomicRollbackError(`${e.message}\natomic: rollback to revision ${lastGood.revision} failed too: ${redactor.scrub((e2 as Error).message)}`, revision, undefined, e);
    }
  }
}

/** Content as history stores it (no secret values: history/secrets.ts), to compare with a stored revision. */
function asStored(c: DeployContent): DeployContent {
  const s = stripSecrets({ ...c, inventory: [] } as unknown as ReleaseRevision);
  return { ...c, userValues: s.userValues, finalValues: s.finalValues, manifest: s.manifest };
}

/**
 * Whether a recorded revision deployed this content: the same objects, from
 * the same inputs the user controls (module and its digest, release values,
 * scale overrides, secret paths, release labels and annotations). As with Helm
 * and Flux, a revision is what was applied and why: the platform rules, and
 * the final values they alone change (an environment default no object
 * reads), are not inputs of the release. Other rules that render the same
 * objects record nothing (the result says so, `rulesChanged`); rules that
 * change an object make a new revision through the manifest.
 */
function sameContent(rev: ReleaseRevision, c: DeployContent): boolean {
  return (
    sameJson(rev.manifest, c.manifest) &&
    sameJson(rev.module, c.module) &&
    sameJson(rev.userValues, c.userValues) &&
    sameJson(rev.valueOverrides ?? {}, c.valueOverrides) &&
    sameJson(rev.secretPaths ?? [], c.secretPaths) &&
    sameJson(rev.labels ?? null, c.labels ?? null) &&
    sameJson(rev.annotations ?? null, c.annotations ?? null)
  );
}

export function contentOf(rev: ReleaseRevision, description: string): DeployContent {
  return {
    name: rev.name,
    namespace: rev.namespace,
    module: rev.module,
    userValues: rev.userValues,
    finalValues: rev.finalValues,
    valueOverrides: rev.valueOverrides ?? {},
    secretPaths: rev.secretPaths ?? [],
    ...(rev.labels ? { labels: rev.labels } : {}),
    ...(rev.annotations ? { annotations: rev.annotations } : {}),
    ...(rev.secretRefs ? { secretRefs: rev.secretRefs } : {}),
    ...(rev.platform ? { platform: rev.platform } : {}),
    manifest: rev.manifest,
    description,
  };
}

const firstLine = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…` : s).split('\n').join(' ');
