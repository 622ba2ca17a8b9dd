/**
 * Simulated controllers (kube-controller-manager stand-ins). A real cluster runs these; the test server
 * only does when enabled: rollouts become available, Jobs complete, PVCs bind. Failure modes can be
 * forced per object for failure-path tests.
 */
import { clone, isObj } from './json.js';
import type { ResourceDef } from './resources.js';
import { storageKey } from './resources.js';
import type { ApiServerCore } from './server.js';

export interface ObjectMatch {
  kind?: string;
  namespace?: string;
  name?: string;
}

export interface ControllerOptions {
  /** Reconcile automatically after writes (default true when controllers are enabled). */
  auto?: boolean;
  /** Delay before an automatic reconcile (default 0 = next tick). */
  delayMs?: number;
  /** Number of schedulable nodes DaemonSets target (default 1). */
  nodes?: number;
}

const MANAGED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'PersistentVolumeClaim']);

function matches(m: ObjectMatch, def: ResourceDef, obj: any): boolean {
  return (
    (m.kind === undefined || m.kind === def.kind) &&
    (m.namespace === undefined || m.namespace === obj.metadata?.namespace) &&
    (m.name === undefined || m.name === obj.metadata?.name)
  );
}

function hash(s: string): string {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < 10; i++) {
    out += alphabet[h % alphabet.length];
    h = Math.floor(h / alphabet.length) || 2166136261 + i;
  }
  return out;
}

export class SimulatedControllers {
  enabled: boolean;
  auto: boolean;
  delayMs: number;
  nodes: number;
  private failures: { match: ObjectMatch; reason?: string }[] = [];
  private holds: ObjectMatch[] = [];

  constructor(
    private readonly core: ApiServerCore,
    opts: ControllerOptions | boolean | undefined,
  ) {
    this.enabled = !!opts;
    const o = typeof opts === 'object' ? opts : {};
    this.auto = o.auto ?? true;
    this.delayMs = o.delayMs ?? 0;
    this.nodes = o.nodes ?? 1;
    core.afterWrite.push((def, obj, type) => {
      if (!this.enabled || !this.auto || type === 'DELETED' || !MANAGED.has(def.kind) || def.custom) return;
      if (obj.metadata.generation !== undefined && obj.status?.observedGeneration === obj.metadata.generation) return;
      if (def.kind === 'PersistentVolumeClaim' && obj.status?.phase === 'Bound') return;
      if (def.kind === 'Job' && (obj.status?.conditions ?? []).some((c: any) => c.status === 'True' && (c.type === 'Complete' || c.type === 'Failed'))) return;
      const key = storageKey(def);
      const ns = obj.metadata.namespace ?? '';
      const name = obj.metadata.name;
      this.core.defer(() => {
        const cur = this.core.store.get(key, ns, name);
        if (cur) this.reconcile(def, cur);
      }, this.delayMs);
    });
  }

  enable(opts: ControllerOptions = {}): void {
    this.enabled = true;
    if (opts.auto !== undefined) this.auto = opts.auto;
    if (opts.delayMs !== undefined) this.delayMs = opts.delayMs;
    if (opts.nodes !== undefined) this.nodes = opts.nodes;
  }

  disable(): void {
    this.enabled = false;
  }

  /** Matching rollouts fail from now on (Deployment: ProgressDeadlineExceeded; Job: BackoffLimitExceeded; others stay unready). */
  failRollout(match: ObjectMatch, reason?: string): void {
    this.failures.push(reason === undefined ? { match } : { match, reason });
  }

  /** Matching objects are left alone (never become ready) — e.g. to test wait timeouts. */
  hold(match: ObjectMatch): void {
    this.holds.push(match);
  }

  clearFailures(): void {
    this.failures = [];
    this.holds = [];
  }

  /** Reconciles every managed object now, regardless of `auto`/`enabled`. */
  reconcileAll(): void {
    const seen = new Set<string>();
    for (const def of this.core.registry.all()) {
      if (def.custom || !MANAGED.has(def.kind) || seen.has(storageKey(def))) continue;
      seen.add(storageKey(def));
      for (const { obj } of this.core.store.list(storageKey(def))) this.reconcile(def, obj);
    }
  }

  reconcile(def: ResourceDef, obj: any): void {
    if (obj.metadata?.deletionTimestamp) return;
    if (this.holds.some((m) => matches(m, def, obj))) return;
    const failure = this.failures.find((f) => matches(f.match, def, obj));
    const now = this.core.now();
    const next = clone(obj);
    const spec = obj.spec ?? {};
    const gen = obj.metadata.generation;
    const name = obj.metadata.name;
    const rsName = `${name}-${hash(JSON.stringify(spec.template ?? {})).slice(0, 10)}`;
    const cond = (type: string, status: string, reason: string, message: string, old?: any[]) => {
      const prev = (old ?? []).find((c: any) => c.type === type);
      const same = prev && prev.status === status;
      const unchanged = same && prev.reason === reason && prev.message === message;
      return { type, status, lastUpdateTime: unchanged ? prev.lastUpdateTime : now, lastTransitionTime: same ? prev.lastTransitionTime : now, reason, message };
    };
    switch (def.kind) {
      case 'Deployment': {
        const n = spec.paused ? obj.status?.replicas ?? 0 : spec.replicas ?? 1;
        const old = obj.status?.conditions;
        if (failure) {
          next.status = {
            observedGeneration: gen,
            replicas: n,
            updatedReplicas: n,
            ...(n ? { unavailableReplicas: n } : {}),
            conditions: [
              cond('Available', n ? 'False' : 'True', n ? 'MinimumReplicasUnavailable' : 'MinimumReplicasAvailable', n ? 'Deployment does not have minimum availability.' : 'Deployment has minimum availability.', old),
              cond('Progressing', 'False', failure.reason ?? 'ProgressDeadlineExceeded', `ReplicaSet "${rsName}" has timed out progressing.`, old),
            ],
          };
        } else {
          next.status = {
            observedGeneration: gen,
            ...(n ? { replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n } : {}),
            conditions: [
              cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', old),
              cond('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`, old),
            ],
          };
        }
        break;
      }
      case 'StatefulSet': {
        const n = spec.replicas ?? 1;
        const rev = `${name}-${hash(JSON.stringify(spec.template ?? {})).slice(0, 10)}`;
        next.status = failure
          ? { observedGeneration: gen, replicas: n, currentReplicas: n, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0, currentRevision: obj.status?.currentRevision ?? rev, updateRevision: rev, collisionCount: 0 }
          : { observedGeneration: gen, replicas: n, readyReplicas: n, currentReplicas: n, updatedReplicas: n, availableReplicas: n, currentRevision: rev, updateRevision: rev, collisionCount: 0 };
        break;
      }
      case 'DaemonSet': {
        const n = this.nodes;
        next.status = failure
          ? { observedGeneration: gen, currentNumberScheduled: n, desiredNumberScheduled: n, numberMisscheduled: 0, numberReady: 0, numberUnavailable: n, updatedNumberScheduled: n }
          : { observedGeneration: gen, currentNumberScheduled: n, desiredNumberScheduled: n, numberMisscheduled: 0, numberReady: n, numberAvailable: n, updatedNumberScheduled: n };
        break;
      }
      case 'ReplicaSet': {
        const n = spec.replicas ?? 1;
        next.status = failure
          ? { observedGeneration: gen, replicas: n, fullyLabeledReplicas: n }
          : { observedGeneration: gen, replicas: n, fullyLabeledReplicas: n, readyReplicas: n, availableReplicas: n };
        break;
      }
      case 'Job': {
        if (spec.suspend) return;
        if ((obj.status?.conditions ?? []).some((c: any) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')) return;
        const start = obj.status?.startTime ?? now;
        if (failure) {
          next.status = {
            startTime: start,
            failed: (spec.backoffLimit ?? 6) + 1,
            ready: 0,
            terminating: 0,
            uncountedTerminatedPods: {},
            conditions: [
              { type: 'FailureTarget', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: failure.reason ?? 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
              { type: 'Failed', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: failure.reason ?? 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
            ],
          };
        } else {
          next.status = {
            startTime: start,
            completionTime: now,
            succeeded: spec.completions ?? 1,
            ready: 0,
            terminating: 0,
            uncountedTerminatedPods: {},
            conditions: [
              { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
              { type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
            ],
          };
        }
        break;
      }
      case 'PersistentVolumeClaim': {
        if (failure || obj.status?.phase === 'Bound') return;
        // the PV controller binds the claim: spec.volumeName (main resource) then status (subresource)
        const withVolume = clone(obj);
        withVolume.spec.volumeName = `pvc-${obj.metadata.uid}`;
        withVolume.metadata.annotations = {
          ...(withVolume.metadata.annotations ?? {}),
          'pv.kubernetes.io/bind-completed': 'yes',
          'pv.kubernetes.io/bound-by-controller': 'yes',
        };
        const bound = this.core.systemWrite(def, withVolume, obj, { manager: 'kube-controller-manager', dryRun: false });
        const cur = this.core.store.get(storageKey(def), obj.metadata.namespace, obj.metadata.name) ?? bound;
        const st = clone(cur);
        st.status = { phase: 'Bound', accessModes: spec.accessModes ?? [], capacity: { ...(spec.resources?.requests ?? {}) } };
        this.core.systemWrite(def, st, cur, { manager: 'kube-controller-manager', dryRun: false, subresource: 'status' });
        return;
      }
      default:
        return;
    }
    if (!isObj(next.status)) return;
    this.core.systemWrite(def, next, obj, { manager: 'kube-controller-manager', dryRun: false, subresource: 'status' });
  }
}
