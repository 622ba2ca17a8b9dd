// Reconciling one ModuleRelease:
//   deleting → delete the release (objects, history, Lease), drop the finalizer
//   suspended → report it, touch nothing
//   render (resolve, cascade, validate, policy, tenancy) → refused: Stalled, nothing applied
//   unchanged (same manifest as the deployed revision, no drift in the cache) → no writes
//   otherwise → applyRelease with wait (the CLI's `apply --wait`: Lease, pending revision, SSA, prune,
//     the CLI's readiness wait, then the revision deployed, or failed at the progress deadline)
// The worker returns once the objects are applied: the wait runs on in the background (one per release,
// holding the release Lease as the CLI does) and its end queues the release again, which then reports
// Ready, or Stalled with the reason, from what the wait found. A change of the ModuleRelease mid-rollout
// stops the wait (that revision is marked failed) and rolls out the new one.
import { createHash } from 'node:crypto';
import type { RenderedRelease, Session } from '@opm/core';
import {
  ANNOTATION_MANIFEST_HASH,
  KubeApiError,
  ReleaseNotFoundError,
  applyRelease,
  assessHealth,
  comparable,
  deleteRelease,
  displayRef,
  driftOf,
  formatDrift,
  isSubset,
  prepareRelease,
  refKey,
  refOf,
  type KubeClient,
  type KubeObject,
  type ObjectRef,
  type ObjectResult,
  type Reporter,
  WaitError,
} from '@opm/kube';
import { Redactor } from '@opm/kube';
import { clip, describeError, getCondition, sameStatus, setCondition } from './conditions.js';
import type { EventRecorder, EventType } from './events.js';
import { API_VERSION, FINALIZER, KIND, OPERATOR_FIELD_MANAGER } from './crd.js';
import type { OwnedObjects } from './owned.js';
import { isRefusal, readSecretValues, renderResource } from './render.js';
import type { Condition, ModuleReleaseObject, ModuleReleaseStatus } from './resource.js';

export interface ReconcilerOptions {
  /** The operator's own client (status, finalizers, Secrets it may read). */
  client: KubeClient;
  /** The client that applies a release: impersonates its ServiceAccount when it has one. */
  clientFor: (mr: ModuleReleaseObject) => KubeClient;
  session: Session;
  owned: OwnedObjects;
  /** Holder identity of the release Leases (same format as the CLI's: user@host pid N). */
  lockHolder: string;
  historyMax?: number;
  /**
   * The progress deadline: how long the objects of a new revision may take to become ready after they are
   * applied; past it the revision is recorded failed and the release is Stalled (ProgressDeadlineExceeded).
   */
  timeoutMs?: number;
  log?: (line: string) => void;
  /**
   * Queues a release again at the end of its background rollout. Only its status is left to write then, so the
   * operator queues it ahead of releases waiting to be applied (Ready is not reported late under mass creation).
   */
  requeue?: (namespace: string, name: string) => void;
  /** Kubernetes Events on the ModuleRelease for what changed (not for a resync that finds nothing new). */
  events?: EventRecorder;
  /** Registry platform rules in force (recorded in status.platform). */
  platform?: { ref: string; version: string; digest: string };
}

/** A rollout whose readiness wait runs in the background. */
interface Rollout {
  key: string;
  abort: AbortController;
  done: Promise<void>;
}

/** How a background rollout ended, for the next reconcile of its release to report. */
interface Outcome {
  key: string;
  revision: number;
  error?: unknown;
}

export interface ReconcileResult {
  requeueAfterMs?: number;
  /** What happened, for logs and tests. */
  action: 'deleted' | 'suspended' | 'stalled' | 'unchanged' | 'applied' | 'drift-corrected' | 'progressing' | 'ready' | 'rollout-failed' | 'gone';
}

/** A retryable failure (the status says what); the queue backs off. */
export class ReconcileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReconcileError';
  }
}

const quiet: Reporter = { line: () => undefined, progress: () => undefined };

export function manifestDigest(manifest: KubeObject[], module: { digest?: string }): string {
  const h = createHash('sha256');
  for (const o of [...manifest].sort((a, b) => displayRef(refOf(a)).localeCompare(displayRef(refOf(b))) || (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? ''))) {
    h.update(`${displayRef(refOf(o))} ${o.metadata.namespace ?? ''} ${o.metadata.annotations?.[ANNOTATION_MANIFEST_HASH] ?? ''}\n`);
  }
  h.update(module.digest ?? '');
  return `sha256:${h.digest('hex').slice(0, 32)}`;
}

interface Rendered {
  key: string;
  rendered: RenderedRelease;
  manifest: KubeObject[];
  digest: string;
}

export class Reconciler {
  /** Last render per release, keyed by the object's resourceVersion and the secret values used. */
  private readonly renders = new Map<string, Rendered>();
  /**
   * The resourceVersion of each ModuleRelease as this reconciler last wrote it. The informer
   * cache can lag behind our own writes; a cached object older than that is read fresh, so a
   * status just written is never judged from a stale copy (which would re-apply for nothing).
   */
  private readonly written = new Map<string, string>();
  private readonly rollouts = new Map<string, Rollout>();
  private readonly outcomes = new Map<string, Outcome>();
  /** Per release: the secret values (and rendered Secret objects) its event messages are scrubbed of. */
  private readonly redactors = new Map<string, Redactor>();

  constructor(private readonly o: ReconcilerOptions) {}

  private log(s: string): void {
    this.o.log?.(s);
  }

  forget(namespace: string, name: string): void {
    this.renders.delete(`${namespace}/${name}`);
    this.written.delete(`${namespace}/${name}`);
    this.outcomes.delete(`${namespace}/${name}`);
    this.redactors.delete(`${namespace}/${name}`);
  }

  /** An Event on the ModuleRelease, its message scrubbed of the release's secret values. */
  private emit(mr: ModuleReleaseObject, type: EventType, reason: string, message: string): void {
    if (!this.o.events) return;
    const r = this.redactors.get(`${mr.metadata.namespace}/${mr.metadata.name}`);
    this.o.events.event(mr, type, reason, r ? r.scrub(message) : message, EVENT_ACTIONS[reason] ?? 'Reconcile');
  }

  /** Rollouts whose readiness wait is running. */
  get rolloutsInFlight(): number {
    return this.rollouts.size;
  }

  /** Stops a release's background wait (its revision is marked failed with `reason`) and waits for it to end. */
  private async cancel(id: string, reason: string): Promise<void> {
    const r = this.rollouts.get(id);
    if (!r) return;
    r.abort.abort(new Error(reason));
    await bounded(r.done, 30_000);
    this.rollouts.delete(id);
    this.outcomes.delete(id);
  }

  /** Stops every background wait (the operator is stopping): each revision ends failed and its Lease is given back. */
  async stop(): Promise<void> {
    await Promise.all([...this.rollouts.keys()].map((id) => this.cancel(id, 'the operator is stopping')));
  }

  async reconcile(cached: ModuleReleaseObject): Promise<ReconcileResult> {
    try {
      return await this.reconcileOnce(cached);
    } catch (e) {
      // Deleted while being reconciled (the finalizer is gone, so is the release): nothing left to do.
      if (e instanceof KubeApiError && e.code === 404 && /modulereleases/.test(e.message)) return { action: 'gone' };
      throw e;
    }
  }

  private async reconcileOnce(cached: ModuleReleaseObject): Promise<ReconcileResult> {
    const { name } = cached.metadata;
    const namespace = cached.metadata.namespace!;
    const id = `${namespace}/${name}`;
    let mr = cached;
    const mine = this.written.get(id);
    if (mine !== undefined && mine !== cached.metadata.resourceVersion) {
      const fresh = (await this.o.client.get(this.ref(cached))) as unknown as ModuleReleaseObject | undefined;
      if (!fresh) return { action: 'gone' };
      mr = fresh;
    }
    if (mr.metadata.deletionTimestamp) {
      await this.cancel(id, 'the ModuleRelease is being deleted');
      return this.finalize(mr);
    }
    if (!(mr.metadata.finalizers ?? []).includes(FINALIZER)) {
      mr = (await this.o.client.mergePatch(this.ref(mr), {
        metadata: { finalizers: [...(mr.metadata.finalizers ?? []), FINALIZER], resourceVersion: mr.metadata.resourceVersion },
      })) as unknown as ModuleReleaseObject;
      this.written.set(id, mr.metadata.resourceVersion!);
    }
    if (mr.spec.suspend) {
      const before = mr;
      mr = await this.writeStatus(mr, (s) => ({
        ...s,
        conditions: setCondition(s.conditions ?? [], { type: 'Reconciling', status: 'False', reason: 'Suspended', message: 'spec.suspend is true: the operator leaves this release alone', observedGeneration: mr.metadata.generation }),
      }));
      if (mr !== before) this.emit(mr, 'Normal', 'Suspended', 'spec.suspend is true: the operator leaves this release alone');
      return { action: 'suspended' };
    }

    const applier = this.o.clientFor(mr);
    let r: Rendered;
    try {
      r = await this.render(mr, applier);
    } catch (e) {
      if (!isRefusal(e)) {
        // e.g. a Secret that spec.secretValues names does not exist yet: retried with back-off.
        await this.failed(mr, (e as Error).name === 'MissingSecretError' ? 'SecretNotFound' : 'RenderFailed', e);
        throw new ReconcileError(`render ${namespace}/${name}: ${(e as Error).message}`);
      }
      const msg = describeError(e);
      const reason = (e as Error).name === 'PolicyError' ? 'PolicyViolation' : 'ValidationFailed';
      const written = await this.writeStatus(mr, (s) => {
        let c = s.conditions ?? [];
        c = setCondition(c, { type: 'Ready', status: 'False', reason: 'ValidationFailed', message: msg.message, observedGeneration: mr.metadata.generation });
        c = setCondition(c, { type: 'Stalled', status: 'True', reason, message: msg.message, observedGeneration: mr.metadata.generation });
        c = setCondition(c, { type: 'Reconciling', status: 'False', reason: 'Stalled', message: 'fix the ModuleRelease; nothing was applied', observedGeneration: mr.metadata.generation });
        return { ...s, observedGeneration: mr.metadata.generation, conditions: c, lastError: msg };
      });
      if (written !== mr) this.emit(written, 'Warning', reason, refusalMessage(msg));
      this.log(`${namespace}/${name}: refused: ${(e as Error).message.split('\n')[0]}`);
      return { action: 'stalled' };
    }

    mr = await this.noteWarnings(mr, r);

    const inflight = this.rollouts.get(id);
    if (inflight) {
      if (inflight.key === r.key) return { action: 'progressing' };
      this.log(`${id}: changed during a rollout; stopping its wait`);
      await this.cancel(id, `superseded: the ModuleRelease changed (generation ${mr.metadata.generation})`);
    }
    const outcome = this.outcomes.get(id);
    if (outcome) {
      this.outcomes.delete(id);
      if (outcome.key === r.key) return this.settle(mr, r, outcome);
    }

    const st = mr.status ?? {};
    const sameManifest = st.manifestDigest === r.digest && st.revision !== undefined;
    // Written before revisionStatus existed: the revision was deployed.
    const revisionStatus = st.revisionStatus ?? 'deployed';
    if (sameManifest && revisionStatus === 'failed' && st.observedGeneration === mr.metadata.generation) {
      // A failed rollout is not retried by itself (no hot loop): only once its objects are all ready
      // (their caches wake the release) is a revision recorded that says so; else when the ModuleRelease changes.
      const live = await this.liveState(r.manifest, applier, namespace);
      if (live.drift.length || live.pending.length || live.failed.length) return { action: 'stalled' };
      this.log(`${id}: the objects of failed revision ${st.revision} are ready now; recording a new revision`);
    } else if (sameManifest && revisionStatus === 'deployed') {
      const live = await this.liveState(r.manifest, applier, namespace);
      if (live.drift.length === 0) {
        // Unchanged: the only possible write is a status change (readiness reached).
        await this.writeStatus(mr, (s) => this.readyStatus(mr, s, r, live.pending, live.failed));
        if (live.pending.length && !live.failed.length) return { action: 'progressing', requeueAfterMs: 30_000 };
        return { action: 'unchanged' };
      }
      const message = `corrected drift: ${live.drift.slice(0, 10).join('; ')}${live.drift.length > 10 ? `; +${live.drift.length - 10} more` : ''}`;
      this.log(`${namespace}/${name}: drift: ${live.drift.join('; ')}`);
      this.emit(mr, 'Warning', 'DriftDetected', message.replace(/^corrected drift/, 'drift'));
      await this.writeStatus(mr, (s) => ({
        ...s,
        conditions: setCondition(s.conditions ?? [], { type: 'Drifted', status: 'True', reason: 'DriftDetected', message: message.replace(/^corrected drift/, 'drift'), observedGeneration: mr.metadata.generation }),
      }));
      const res = await this.apply(mr, r, applier);
      if (!res) throw new ReconcileError(`${namespace}/${name}: drift correction failed`);
      await this.writeStatus(res.mr, (s) => ({
        ...s,
        conditions: setCondition(s.conditions ?? [], { type: 'Drifted', status: 'False', reason: 'DriftCorrected', message, observedGeneration: mr.metadata.generation }),
      }));
      this.emit(mr, 'Normal', 'DriftCorrected', message);
      return { action: 'drift-corrected' };
    }
    const res = await this.apply(mr, r, applier);
    if (!res) throw new ReconcileError(`${namespace}/${name}: apply failed`);
    return { action: 'applied' };
  }

  /**
   * The render's warnings (a label value rendered as an annotation, ...), as `opm release apply` prints
   * them: condition RenderWarnings (True with the warnings, False once a render has none) and a Warning
   * Event RenderWarning for each when they change — not again for the same render, nor after a restart
   * (the condition already holds them). Scrubbed of the release's secret values like every message.
   */
  private async noteWarnings(mr: ModuleReleaseObject, r: Rendered): Promise<ModuleReleaseObject> {
    const scrub = this.redactors.get(`${mr.metadata.namespace}/${mr.metadata.name}`);
    const warnings = [...new Set(r.rendered.warnings)].map((w) => (scrub ? scrub.scrub(w) : w));
    const before = getCondition(mr.status, 'RenderWarnings');
    if (!warnings.length && !before) return mr;
    const message = warnings.length ? clip(warnings.join('; ')) : 'the last render gave no warnings';
    const written = await this.writeStatus(mr, (s) => ({
      ...s,
      conditions: setCondition(s.conditions ?? [], warnings.length
        ? { type: 'RenderWarnings', status: 'True', reason: 'RenderWarnings', message, observedGeneration: mr.metadata.generation }
        : { type: 'RenderWarnings', status: 'False', reason: 'NoWarnings', message, observedGeneration: mr.metadata.generation }),
    }));
    if (warnings.length && !(before?.status === 'True' && before.message === message)) {
      for (const w of warnings.slice(0, 10)) this.emit(written, 'Warning', 'RenderWarning', w);
    }
    return written;
  }

  private ref(mr: ModuleReleaseObject) {
    return { group: 'core.opm.dev', version: API_VERSION.split('/')[1]!, kind: KIND, namespace: mr.metadata.namespace!, name: mr.metadata.name };
  }

  private async render(mr: ModuleReleaseObject, applier: KubeClient): Promise<Rendered> {
    const id = `${mr.metadata.namespace}/${mr.metadata.name}`;
    // The Secrets are read on every reconcile (a changed Secret is a changed release); the render is reused when nothing changed.
    const secrets = await readSecretValues(applier, mr);
    const key = `${mr.metadata.generation}|${createHash('sha256').update(JSON.stringify(secrets)).digest('hex')}`;
    const cached = this.renders.get(id);
    if (cached && cached.key === key) return cached;
    // A refused render's messages are scrubbed of the values read; a rendered one's also of its Secret objects.
    this.redactors.set(id, new Redactor().addString(secrets));
    const rendered = await renderResource(mr, { session: this.o.session, client: applier, secrets });
    const manifest = await prepareRelease(applier, rendered);
    const r = { key, rendered, manifest, digest: manifestDigest(manifest, rendered.module) };
    this.redactors.set(id, new Redactor().addString(secrets).addObjects(manifest));
    this.renders.set(id, r);
    return r;
  }

  /** Drift and health from the caches; a suspected drift is confirmed with a GET (the cache may lag our own apply). */
  private async liveState(manifest: KubeObject[], applier: KubeClient, namespace: string): Promise<{ drift: string[]; pending: string[]; failed: string[] }> {
    const drift: string[] = [];
    const pending: string[] = [];
    const failed: string[] = [];
    for (const want of manifest) {
      const ref = refOf(want);
      let live = await this.o.owned.get(ref);
      const ok = (l: KubeObject | undefined) =>
        !!l && l.metadata.annotations?.[ANNOTATION_MANIFEST_HASH] === want.metadata.annotations?.[ANNOTATION_MANIFEST_HASH] && isSubset(comparable(want), l);
      if (!ok(live)) {
        live = await applier.get(ref);
        if (!ok(live)) {
          const d = driftOf(want, live);
          drift.push(`${displayRef(ref, namespace)}: ${d.length ? d.slice(0, 3).map(formatDrift).join(', ') : 'changed'}`);
          continue;
        }
      }
      const h = assessHealth(live);
      if (h.status === 'Failed') failed.push(`${displayRef(ref, namespace)}: ${h.reason}`);
      else if (h.status !== 'Ready') pending.push(`${displayRef(ref, namespace)}: ${h.reason}`);
    }
    return { drift, pending, failed };
  }

  private readyStatus(mr: ModuleReleaseObject, s: ModuleReleaseStatus, r: Rendered, pending: string[], failed: string[]): ModuleReleaseStatus {
    const g = mr.metadata.generation;
    let c = s.conditions ?? [];
    const overdue = pending.length > 0 && s.lastAppliedTime && Date.now() - Date.parse(s.lastAppliedTime) > (this.o.timeoutMs ?? 300_000);
    if (failed.length) {
      c = setCondition(c, { type: 'Ready', status: 'False', reason: 'RolloutFailed', message: failed.join('; '), observedGeneration: g });
      c = setCondition(c, { type: 'Reconciling', status: 'False', reason: 'RolloutFailed', message: failed.join('; '), observedGeneration: g });
    } else if (pending.length) {
      const msg = `waiting for ${pending.length}/${r.manifest.length}: ${pending.slice(0, 3).join('; ')}`;
      c = setCondition(c, { type: 'Ready', status: 'False', reason: overdue ? 'ProgressDeadlineExceeded' : 'Progressing', message: msg, observedGeneration: g });
      c = setCondition(c, { type: 'Reconciling', status: overdue ? 'False' : 'True', reason: overdue ? 'ProgressDeadlineExceeded' : 'Progressing', message: msg, observedGeneration: g });
    } else {
      c = setCondition(c, { type: 'Ready', status: 'True', reason: 'Succeeded', message: `revision ${s.revision} ready (${r.manifest.length} objects)`, observedGeneration: g });
      c = setCondition(c, { type: 'Reconciling', status: 'False', reason: 'Succeeded', message: 'up to date', observedGeneration: g });
    }
    c = setCondition(c, { type: 'Stalled', status: 'False', reason: failed.length ? 'RolloutFailed' : 'Succeeded', message: failed.length ? failed.join('; ') : 'rendered and applied', observedGeneration: g });
    const { lastError: _drop, ...rest } = s;
    return { ...rest, observedGeneration: g, conditions: c, ...this.platformStatus() };
  }

  /** status.platform: the registry rules this operator judges releases by (none for a platform file). */
  private platformStatus(): Pick<ModuleReleaseStatus, 'platform'> {
    const p = this.o.platform;
    return p ? { platform: { ref: p.ref, version: p.version, digest: p.digest } } : {};
  }

  /**
   * applyRelease with the CLI's readiness wait. Returns once the objects are applied (status: the revision,
   * `pending`, Progressing); the wait runs on and its end queues the release (settle). Undefined when the
   * apply failed (status written, the caller backs off).
   */
  private async apply(mr: ModuleReleaseObject, r: Rendered, applier: KubeClient): Promise<{ mr: ModuleReleaseObject } | undefined> {
    const { name } = mr.metadata;
    const namespace = mr.metadata.namespace!;
    const id = `${namespace}/${name}`;
    mr = await this.writeStatus(mr, (s) => ({
      ...s,
      conditions: setCondition(s.conditions ?? [], { type: 'Reconciling', status: 'True', reason: 'Applying', message: `applying ${r.rendered.module.name}@${r.rendered.module.version}`, observedGeneration: mr.metadata.generation }),
    }));
    const timeoutMs = this.o.timeoutMs ?? 300_000;
    const abort = new AbortController();
    let applied: { revision: number; results: ObjectResult[] } | undefined;
    let onApplied!: () => void;
    const appliedNow = new Promise<void>((res) => (onApplied = res));
    const run = applyRelease(
      { client: applier, reporter: quiet, lock: { holder: this.o.lockHolder } },
      r.rendered,
      // force: the operator is authoritative over every field it renders (a `kubectl edit` is drift it takes back).
      {
        valueOverrides: {},
        historyMax: this.o.historyMax ?? 10,
        force: true,
        wait: true,
        timeoutMs,
        signal: abort.signal,
        onApplied: (revision, results) => {
          applied = { revision, results };
          onApplied();
        },
        // The CLI's wait, reading the watch caches instead of the API server: hundreds of releases rolling
        // out at once cost no polling requests (a LIST per kind per second each would swamp the server).
        readLive: (refs) => this.cachedLive(refs, applied?.results ?? []),
      },
    );
    const done = run
      .then(
        (res) => void this.outcomes.set(id, { key: r.key, revision: res.revision }),
        (e) => {
          // Before the objects were applied the worker reports it; a stopped wait is its stopper's business.
          if (applied && !abort.signal.aborted) this.outcomes.set(id, { key: r.key, revision: applied.revision, error: e });
        },
      )
      .finally(() => {
        if (this.rollouts.get(id)?.abort === abort) this.rollouts.delete(id);
        if (applied && !abort.signal.aborted) this.o.requeue?.(namespace, name);
      });
    this.rollouts.set(id, { key: r.key, abort, done });
    try {
      await Promise.race([appliedNow, run]);
    } catch (e) {
      this.rollouts.delete(id);
      this.log(`${id}: apply failed: ${(e as Error).message.split('\n')[0]}`);
      await this.failed(mr, 'ApplyFailed', e);
      return undefined;
    }
    const { revision, results } = applied!;
    this.emit(mr, 'Normal', 'Applied', `applied revision ${revision} (${r.rendered.module.name}@${r.rendered.module.version}, ${r.manifest.length} objects, ${results.filter((x) => x.action !== 'unchanged').length} changed); waiting for them to be ready`);
    this.log(`${id}: revision ${revision} applied (${results.filter((x) => x.action !== 'unchanged').length} changed); waiting for readiness`);
    const g = mr.metadata.generation;
    const updated = await this.writeStatus(mr, (s) => {
      const msg = `revision ${revision} applied; waiting for its ${r.manifest.length} objects to be ready (progress deadline ${Math.round(timeoutMs / 1000)}s)`;
      let c = s.conditions ?? [];
      c = setCondition(c, { type: 'Ready', status: 'False', reason: 'Progressing', message: msg, observedGeneration: g });
      c = setCondition(c, { type: 'Reconciling', status: 'True', reason: 'Progressing', message: msg, observedGeneration: g });
      c = setCondition(c, { type: 'Stalled', status: 'False', reason: 'Progressing', message: 'rendered and applied', observedGeneration: g });
      const { lastError: _drop, ...rest } = s;
      return {
        ...rest,
        observedGeneration: g,
        conditions: c,
        module: { name: r.rendered.module.name, version: r.rendered.module.version, ...(r.rendered.module.digest ? { digest: r.rendered.module.digest } : {}) },
        ...this.platformStatus(),
        revision,
        revisionStatus: 'pending',
        manifestDigest: r.digest,
        inventory: r.manifest.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name })),
        lastAppliedTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      };
    });
    return { mr: updated };
  }

  /**
   * The objects as the owned-object caches hold them, for the readiness wait. A cached copy of an older
   * generation than the apply returned says nothing about this revision: it counts as not seen yet (the
   * watch brings the new one), so a rollout is never judged ready from the previous spec's status.
   */
  private async cachedLive(refs: ObjectRef[], results: ObjectResult[]): Promise<Map<string, KubeObject | undefined>> {
    const appliedGeneration = new Map(results.filter((x) => x.live).map((x) => [refKey(x.ref), x.live!.metadata.generation]));
    const out = new Map<string, KubeObject | undefined>();
    for (const ref of refs) {
      const cached = await this.o.owned.get(ref);
      const want = appliedGeneration.get(refKey(ref));
      if (cached && (want == null || (cached.metadata.generation ?? 0) >= want)) out.set(refKey(ref), cached);
    }
    return out;
  }

  /**
   * The end of a background rollout: deployed → Ready; the wait failed (a Failed object, the progress
   * deadline) → the revision is failed in history and the release Stalled with the wait's reason; anything
   * else (a lost Lease, an API error recording the end) → retried with back-off.
   */
  private async settle(mr: ModuleReleaseObject, r: Rendered, o: Outcome): Promise<ReconcileResult> {
    const id = `${mr.metadata.namespace}/${mr.metadata.name}`;
    const g = mr.metadata.generation;
    if (!o.error) {
      await this.writeStatus(mr, (s) => this.readyStatus(mr, { ...s, revision: o.revision, revisionStatus: 'deployed' }, r, [], []));
      this.log(`${id}: revision ${o.revision} deployed: all ${r.manifest.length} objects ready`);
      this.emit(mr, 'Normal', 'Reconciled', `revision ${o.revision} deployed: all ${r.manifest.length} objects ready`);
      return { action: 'ready' };
    }
    if (!(o.error instanceof WaitError)) {
      await this.failed(mr, 'ApplyFailed', o.error);
      throw new ReconcileError(`${id}: rollout of revision ${o.revision}: ${(o.error as Error).message}`);
    }
    const reason = /^timed out/.test(o.error.message) ? 'ProgressDeadlineExceeded' : 'RolloutFailed';
    const err = describeError(o.error);
    const message = `revision ${o.revision} failed: ${err.message}`;
    await this.writeStatus(mr, (s) => {
      let c = s.conditions ?? [];
      c = setCondition(c, { type: 'Ready', status: 'False', reason, message, observedGeneration: g });
      c = setCondition(c, { type: 'Stalled', status: 'True', reason, message, observedGeneration: g });
      c = setCondition(c, { type: 'Reconciling', status: 'False', reason, message: 'the rollout failed; fix the ModuleRelease or its objects', observedGeneration: g });
      return { ...s, observedGeneration: g, revision: o.revision, revisionStatus: 'failed', conditions: c, lastError: err };
    });
    this.log(`${id}: ${message.split('\n')[0]}`);
    this.emit(mr, 'Warning', reason, `${message} (release stalled: fix the ModuleRelease or its objects)`);
    return { action: 'rollout-failed' };
  }

  private async failed(mr: ModuleReleaseObject, reason: string, e: unknown): Promise<void> {
    const msg = describeError(e);
    const written = await this.writeStatus(mr, (s) => {
      let c = s.conditions ?? [];
      c = setCondition(c, { type: 'Ready', status: 'False', reason, message: msg.message, observedGeneration: mr.metadata.generation });
      c = setCondition(c, { type: 'Reconciling', status: 'True', reason: 'RetryingAfterFailure', message: msg.message, observedGeneration: mr.metadata.generation });
      return { ...s, observedGeneration: mr.metadata.generation, conditions: c, lastError: msg };
    }).catch(() => mr);
    // A failure repeated with back-off is one Event whose count grows (the recorder dedups it).
    this.emit(written, 'Warning', reason, msg.message);
  }

  private async finalize(mr: ModuleReleaseObject): Promise<ReconcileResult> {
    const { name } = mr.metadata;
    const namespace = mr.metadata.namespace!;
    if (!(mr.metadata.finalizers ?? []).includes(FINALIZER)) return { action: 'gone' };
    try {
      await deleteRelease({ client: this.o.clientFor(mr), reporter: quiet, lock: { holder: this.o.lockHolder } }, namespace, name, { timeoutMs: this.o.timeoutMs ?? 300_000 });
      this.log(`${namespace}/${name}: release deleted`);
      this.emit(mr, 'Normal', 'Deleted', 'the release objects and history were deleted');
    } catch (e) {
      if (!(e instanceof ReleaseNotFoundError)) {
        await this.failed(mr, 'DeleteFailed', e);
        throw new ReconcileError(`delete ${namespace}/${name}: ${(e as Error).message}`);
      }
    }
    await this.o.client.mergePatch(this.ref(mr), {
      metadata: { finalizers: (mr.metadata.finalizers ?? []).filter((f) => f !== FINALIZER), resourceVersion: mr.metadata.resourceVersion },
    });
    this.forget(namespace, name);
    return { action: 'deleted' };
  }

  /** Writes the status when `change` alters it; returns the object as now stored. */
  private async writeStatus(mr: ModuleReleaseObject, change: (s: ModuleReleaseStatus) => ModuleReleaseStatus): Promise<ModuleReleaseObject> {
    const cur = mr.status ?? {};
    const next = change(cur);
    if (sameStatus(cur, next)) return mr;
    // Lists are replaced whole by a merge patch; removed keys are sent as null.
    const patch: Record<string, unknown> = { ...next };
    for (const k of Object.keys(cur)) if (!(k in next)) patch[k] = null;
    const updated = (await this.o.client.api.patchSubresource(
      { apiVersion: API_VERSION, kind: KIND, metadata: { name: mr.metadata.name, namespace: mr.metadata.namespace! } },
      'status',
      { status: patch },
      OPERATOR_FIELD_MANAGER,
    )) as unknown as ModuleReleaseObject;
    this.written.set(`${mr.metadata.namespace}/${mr.metadata.name}`, updated.metadata.resourceVersion!);
    return updated;
  }
}

/** What the operator did or tried, per Event reason (events.k8s.io/v1 `action`). */
const EVENT_ACTIONS: Record<string, string> = {
  Applied: 'Apply',
  ApplyFailed: 'Apply',
  Reconciled: 'WaitForReady',
  ProgressDeadlineExceeded: 'WaitForReady',
  RolloutFailed: 'WaitForReady',
  ValidationFailed: 'Render',
  PolicyViolation: 'Render',
  RenderFailed: 'Render',
  RenderWarning: 'Render',
  SecretNotFound: 'Render',
  DriftDetected: 'DetectDrift',
  DriftCorrected: 'Apply',
  Suspended: 'Suspend',
  Deleted: 'Delete',
  DeleteFailed: 'Delete',
};

/** A refusal as an Event: where it failed (layer, values path, constraint), then the CLI's message (secrets masked by core). */
function refusalMessage(e: ReturnType<typeof describeError>): string {
  const where = [e.layer && `layer ${e.layer}`, e.path && `path values.${e.path}`, e.constraint && `constraint ${e.constraint}`].filter(Boolean);
  return `validation failed: ${[...where, e.message].join('; ')}`;
}

/** `p`, or nothing after `ms` (a stopped wait ends within one poll interval; this only bounds the worst case). */
async function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  let t: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise<void>((res) => (t = setTimeout(res, ms)))]);
  clearTimeout(t);
}

export type { Condition };
export const conditionOf = getCondition;
