// Reconciling one ModuleRelease:
//   deleting → delete the release (objects, history, Lease), drop the finalizer
//   suspended → report it, touch nothing
//   render (resolve, cascade, validate, policy, tenancy) → refused: Stalled, nothing applied
//   unchanged (same manifest as the deployed revision, no drift in the cache) → no writes
//   otherwise → applyRelease (the CLI's apply: Lease, pending revision, SSA, prune, history)
// Readiness is read from the owned-object caches on later events, so a worker
// never sits waiting for a rollout.
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
  refOf,
  type KubeClient,
  type KubeObject,
  type Reporter,
} from '@opm/kube';
import { describeError, getCondition, sameStatus, setCondition } from './conditions.js';
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
  /** How long objects may take to become ready after an apply before Ready turns False. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface ReconcileResult {
  requeueAfterMs?: number;
  /** What happened, for logs and tests. */
  action: 'deleted' | 'suspended' | 'stalled' | 'unchanged' | 'applied' | 'drift-corrected' | 'progressing' | 'gone';
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

  constructor(private readonly o: ReconcilerOptions) {}

  private log(s: string): void {
    this.o.log?.(s);
  }

  forget(namespace: string, name: string): void {
    this.renders.delete(`${namespace}/${name}`);
    this.written.delete(`${namespace}/${name}`);
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
    if (mr.metadata.deletionTimestamp) return this.finalize(mr);
    if (!(mr.metadata.finalizers ?? []).includes(FINALIZER)) {
      mr = (await this.o.client.mergePatch(this.ref(mr), {
        metadata: { finalizers: [...(mr.metadata.finalizers ?? []), FINALIZER], resourceVersion: mr.metadata.resourceVersion },
      })) as unknown as ModuleReleaseObject;
      this.written.set(id, mr.metadata.resourceVersion!);
    }
    if (mr.spec.suspend) {
      await this.writeStatus(mr, (s) => ({
        ...s,
        conditions: setCondition(s.conditions ?? [], { type: 'Reconciling', status: 'False', reason: 'Suspended', message: 'spec.suspend is true: the operator leaves this release alone', observedGeneration: mr.metadata.generation }),
      }));
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
      await this.writeStatus(mr, (s) => {
        let c = s.conditions ?? [];
        const msg = describeError(e);
        c = setCondition(c, { type: 'Ready', status: 'False', reason: 'ValidationFailed', message: msg.message, observedGeneration: mr.metadata.generation });
        c = setCondition(c, { type: 'Stalled', status: 'True', reason: (e as Error).name === 'PolicyError' ? 'PolicyViolation' : 'ValidationFailed', message: msg.message, observedGeneration: mr.metadata.generation });
        c = setCondition(c, { type: 'Reconciling', status: 'False', reason: 'Stalled', message: 'fix the ModuleRelease; nothing was applied', observedGeneration: mr.metadata.generation });
        return { ...s, observedGeneration: mr.metadata.generation, conditions: c, lastError: msg };
      });
      this.log(`${namespace}/${name}: refused: ${(e as Error).message.split('\n')[0]}`);
      return { action: 'stalled' };
    }

    const st = mr.status ?? {};
    const sameManifest = st.manifestDigest === r.digest && st.revision !== undefined;
    if (sameManifest) {
      const live = await this.liveState(r.manifest, applier, namespace);
      if (live.drift.length === 0) {
        // Unchanged: the only possible write is a status change (readiness reached).
        await this.writeStatus(mr, (s) => this.readyStatus(mr, s, r, live.pending, live.failed));
        if (live.pending.length && !live.failed.length) return { action: 'progressing', requeueAfterMs: 30_000 };
        return { action: 'unchanged' };
      }
      const message = `corrected drift: ${live.drift.slice(0, 10).join('; ')}${live.drift.length > 10 ? `; +${live.drift.length - 10} more` : ''}`;
      this.log(`${namespace}/${name}: drift: ${live.drift.join('; ')}`);
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
      return { action: 'drift-corrected' };
    }
    const res = await this.apply(mr, r, applier);
    if (!res) throw new ReconcileError(`${namespace}/${name}: apply failed`);
    return { action: 'applied' };
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
    const rendered = await renderResource(mr, { session: this.o.session, client: applier, secrets });
    const manifest = await prepareRelease(applier, rendered);
    const r = { key, rendered, manifest, digest: manifestDigest(manifest, rendered.module) };
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
    return { ...rest, observedGeneration: g, conditions: c };
  }

  /** applyRelease, then the status; undefined when it failed (status written, caller backs off). */
  private async apply(mr: ModuleReleaseObject, r: Rendered, applier: KubeClient): Promise<{ mr: ModuleReleaseObject } | undefined> {
    const { name } = mr.metadata;
    const namespace = mr.metadata.namespace!;
    mr = await this.writeStatus(mr, (s) => ({
      ...s,
      conditions: setCondition(s.conditions ?? [], { type: 'Reconciling', status: 'True', reason: 'Applying', message: `applying ${r.rendered.module.name}@${r.rendered.module.version}`, observedGeneration: mr.metadata.generation }),
    }));
    let result;
    try {
      result = await applyRelease(
        { client: applier, reporter: quiet, lock: { holder: this.o.lockHolder } },
        r.rendered,
        // force: the operator is authoritative over every field it renders (a `kubectl edit` is drift it takes back).
        { valueOverrides: {}, historyMax: this.o.historyMax ?? 10, wait: false, force: true },
      );
    } catch (e) {
      this.log(`${namespace}/${name}: apply failed: ${(e as Error).message.split('\n')[0]}`);
      await this.failed(mr, 'ApplyFailed', e);
      return undefined;
    }
    this.log(`${namespace}/${name}: revision ${result.revision} deployed (${result.results.filter((x) => x.action !== 'unchanged').length} changed)`);
    const live = new Map(result.results.filter((x) => x.live).map((x) => [displayRef(x.ref), x.live!]));
    const pending: string[] = [];
    const failed: string[] = [];
    for (const o of r.manifest) {
      const h = assessHealth(live.get(displayRef(refOf(o))));
      if (h.status === 'Failed') failed.push(`${displayRef(refOf(o))}: ${h.reason}`);
      else if (h.status !== 'Ready') pending.push(`${displayRef(refOf(o))}: ${h.reason}`);
    }
    const updated = await this.writeStatus(mr, (s) =>
      this.readyStatus(
        mr,
        {
          ...s,
          module: { name: r.rendered.module.name, version: r.rendered.module.version, ...(r.rendered.module.digest ? { digest: r.rendered.module.digest } : {}) },
          revision: result.revision,
          manifestDigest: r.digest,
          inventory: r.manifest.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name })),
          lastAppliedTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        },
        r,
        pending,
        failed,
      ),
    );
    return { mr: updated };
  }

  private async failed(mr: ModuleReleaseObject, reason: string, e: unknown): Promise<void> {
    const msg = describeError(e);
    await this.writeStatus(mr, (s) => {
      let c = s.conditions ?? [];
      c = setCondition(c, { type: 'Ready', status: 'False', reason, message: msg.message, observedGeneration: mr.metadata.generation });
      c = setCondition(c, { type: 'Reconciling', status: 'True', reason: 'RetryingAfterFailure', message: msg.message, observedGeneration: mr.metadata.generation });
      return { ...s, observedGeneration: mr.metadata.generation, conditions: c, lastError: msg };
    }).catch(() => undefined);
  }

  private async finalize(mr: ModuleReleaseObject): Promise<ReconcileResult> {
    const { name } = mr.metadata;
    const namespace = mr.metadata.namespace!;
    if (!(mr.metadata.finalizers ?? []).includes(FINALIZER)) return { action: 'gone' };
    try {
      await deleteRelease({ client: this.o.clientFor(mr), reporter: quiet, lock: { holder: this.o.lockHolder } }, namespace, name, { timeoutMs: this.o.timeoutMs ?? 300_000 });
      this.log(`${namespace}/${name}: release deleted`);
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

export type { Condition };
export const conditionOf = getCondition;
