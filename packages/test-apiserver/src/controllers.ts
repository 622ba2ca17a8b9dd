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
  /**
   * Also create the objects real controllers create: ReplicaSets for Deployments (with the
   * `deployment.kubernetes.io/revision` annotation, old ones scaled to 0), Pods for ReplicaSets, StatefulSets
   * (plus PVCs from volumeClaimTemplates, which outlive the StatefulSet), DaemonSets and Jobs. Default false.
   */
  pods?: boolean;
}

/**
 * Why a workload's pods do not become ready, as a real cluster shows it (pod status + Events):
 * - Unschedulable: Pending, `PodScheduled=False Unschedulable "0/N nodes are available: N Insufficient cpu. …"`,
 *   Warning Event FailedScheduling from default-scheduler.
 * - ImagePullBackOff: Pending, container waiting `ImagePullBackOff`, Warning Events Failed (pull error) and
 *   BackOff from kubelet.
 * - CrashLoopBackOff: Running, container waiting `CrashLoopBackOff` with restarts and last state terminated
 *   (exit code 1), Warning Event BackOff "Back-off restarting failed container …".
 * - ReadinessProbeFailed: Running, container running but not ready, Warning Event Unhealthy
 *   "Readiness probe failed: HTTP probe failed with statuscode: 500".
 */
export type PodProblem = 'Unschedulable' | 'ImagePullBackOff' | 'CrashLoopBackOff' | 'ReadinessProbeFailed';

const MANAGED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'PersistentVolumeClaim']);

function matches(m: ObjectMatch, def: ResourceDef, obj: any): boolean {
  return (
    (m.kind === undefined || m.kind === def.kind) &&
    (m.namespace === undefined || m.namespace === obj.metadata?.namespace) &&
    (m.name === undefined || m.name === obj.metadata?.name)
  );
}

/** Stand-in for the pod-template-hash (a short stable hash of the pod template). */
export function podTemplateHash(template: unknown): string {
  return hash(JSON.stringify(template ?? {})).slice(0, 10);
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
  pods: boolean;
  private failures: { match: ObjectMatch; reason?: string }[] = [];
  private holds: ObjectMatch[] = [];
  private problems: { match: ObjectMatch; problem: PodProblem }[] = [];

  constructor(
    private readonly core: ApiServerCore,
    opts: ControllerOptions | boolean | undefined,
  ) {
    this.enabled = !!opts;
    const o = typeof opts === 'object' ? opts : {};
    this.auto = o.auto ?? true;
    this.delayMs = o.delayMs ?? 0;
    this.nodes = o.nodes ?? 1;
    this.pods = o.pods ?? false;
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
    if (opts.pods !== undefined) this.pods = opts.pods;
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

  /**
   * Matching workloads (or a Deployment's ReplicaSets) never become ready, for the reason given: with
   * `pods: true` their Pods show it in their status and Warning Events are recorded, as on a real cluster;
   * the workload's own status stays progressing (no deadline is declared exceeded).
   */
  podProblem(match: ObjectMatch, problem: PodProblem): void {
    this.problems.push({ match, problem });
  }

  clearFailures(): void {
    this.failures = [];
    this.holds = [];
    this.problems = [];
  }

  /** A pod problem for the object, or (for a ReplicaSet) for its owning Deployment. */
  private problemFor(def: ResourceDef, obj: any): PodProblem | undefined {
    const direct = this.problems.find((f) => matches(f.match, def, obj));
    if (direct || def.kind !== 'ReplicaSet') return direct?.problem;
    const owner = (obj.metadata?.ownerReferences ?? []).find((r: any) => r.kind === 'Deployment' && r.controller);
    if (!owner) return undefined;
    const deployDef = this.core.defFor('apps/v1', 'Deployment')!;
    return this.problems.find((f) => matches(f.match, deployDef, { metadata: { name: owner.name, namespace: obj.metadata.namespace } }))?.problem;
  }

  /** A failure matching the object, or (for a ReplicaSet) its owning Deployment. */
  private failureFor(def: ResourceDef, obj: any): { match: ObjectMatch; reason?: string } | undefined {
    const direct = this.failures.find((f) => matches(f.match, def, obj));
    if (direct || def.kind !== 'ReplicaSet') return direct;
    const owner = (obj.metadata?.ownerReferences ?? []).find((r: any) => r.kind === 'Deployment' && r.controller);
    if (!owner) return undefined;
    const deployDef = this.core.defFor('apps/v1', 'Deployment')!;
    return this.failures.find((f) => matches(f.match, deployDef, { metadata: { name: owner.name, namespace: obj.metadata.namespace } }));
  }

  /** Alias of reconcileAll(): make every workload ready / complete now (failures and holds still apply). */
  readyAll(): void {
    this.reconcileAll();
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

  reconcile(def: ResourceDef, input: any): void {
    if (input.metadata?.deletionTimestamp) return;
    if (this.holds.some((m) => matches(m, def, input))) return;
    const failure = this.failureFor(def, input);
    const problem = failure ? undefined : this.problemFor(def, input);
    if (this.pods) this.ensureChildren(def, input, !!failure, problem);
    const obj = this.core.store.get(storageKey(def), input.metadata.namespace ?? '', input.metadata.name) ?? input;
    const now = this.core.now();
    const next = clone(obj);
    const spec = obj.spec ?? {};
    const gen = obj.metadata.generation;
    const name = obj.metadata.name;
    const rsName = `${name}-${podTemplateHash(spec.template)}`;
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
        if (problem) {
          next.status = {
            observedGeneration: gen,
            replicas: n,
            updatedReplicas: n,
            ...(n ? { unavailableReplicas: n } : {}),
            conditions: [
              cond('Available', n ? 'False' : 'True', n ? 'MinimumReplicasUnavailable' : 'MinimumReplicasAvailable', n ? 'Deployment does not have minimum availability.' : 'Deployment has minimum availability.', old),
              cond('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`, old),
            ],
          };
        } else if (failure) {
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
        next.status = failure || problem
          ? { observedGeneration: gen, replicas: n, currentReplicas: n, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0, currentRevision: obj.status?.currentRevision ?? rev, updateRevision: rev, collisionCount: 0 }
          : { observedGeneration: gen, replicas: n, readyReplicas: n, currentReplicas: n, updatedReplicas: n, availableReplicas: n, currentRevision: rev, updateRevision: rev, collisionCount: 0 };
        break;
      }
      case 'DaemonSet': {
        const n = this.nodes;
        next.status = failure || problem
          ? { observedGeneration: gen, currentNumberScheduled: n, desiredNumberScheduled: n, numberMisscheduled: 0, numberReady: 0, numberUnavailable: n, updatedNumberScheduled: n }
          : { observedGeneration: gen, currentNumberScheduled: n, desiredNumberScheduled: n, numberMisscheduled: 0, numberReady: n, numberAvailable: n, updatedNumberScheduled: n };
        break;
      }
      case 'ReplicaSet': {
        const n = spec.replicas ?? 1;
        next.status = failure || problem
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

  /* ---------- child objects (ReplicaSets, Pods, PVCs) ---------- */

  private sys = { manager: 'kube-controller-manager', dryRun: false };

  private def(apiVersion: string, kind: string): ResourceDef {
    return this.core.defFor(apiVersion, kind)!;
  }

  private owned(apiVersion: string, kind: string, ns: string, uid: string): any[] {
    return this.core.store
      .list(storageKey(this.def(apiVersion, kind)), ns)
      .map((x) => x.obj)
      .filter((o) => (o.metadata.ownerReferences ?? []).some((r: any) => r.uid === uid && r.controller));
  }

  private ownerRef(def: ResourceDef, obj: any) {
    return { apiVersion: def.group ? `${def.group}/${def.version}` : def.version, kind: def.kind, name: obj.metadata.name, uid: obj.metadata.uid, controller: true, blockOwnerDeletion: true };
  }

  private ensureChildren(def: ResourceDef, obj: any, failing: boolean, problem?: PodProblem): void {
    const ns = obj.metadata.namespace;
    const spec = obj.spec ?? {};
    switch (def.kind) {
      case 'Deployment': {
        const h = podTemplateHash(spec.template);
        const sets = this.owned('apps/v1', 'ReplicaSet', ns, obj.metadata.uid);
        const rev = (o: any) => Number(o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
        let current = sets.find((r) => r.metadata.labels?.['pod-template-hash'] === h);
        const maxRev = sets.reduce((m, r) => Math.max(m, rev(r)), 0);
        const n = spec.replicas ?? 1;
        const rsDef = this.def('apps/v1', 'ReplicaSet');
        const newRev = current && rev(current) === maxRev ? maxRev : maxRev + 1;
        const annotations = { 'deployment.kubernetes.io/desired-replicas': String(n), 'deployment.kubernetes.io/max-replicas': String(n + Math.ceil(n / 4)), 'deployment.kubernetes.io/revision': String(newRev) };
        const labels = { ...(spec.template?.metadata?.labels ?? {}), 'pod-template-hash': h };
        if (!current) {
          current = this.core.create(rsDef, ns, {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            metadata: { name: `${obj.metadata.name}-${h}`, namespace: ns, labels, annotations, ownerReferences: [this.ownerRef(def, obj)] },
            spec: {
              replicas: n,
              minReadySeconds: spec.minReadySeconds ?? 0,
              selector: { ...(spec.selector ?? {}), matchLabels: { ...(spec.selector?.matchLabels ?? {}), 'pod-template-hash': h } },
              template: { ...clone(spec.template), metadata: { ...(spec.template?.metadata ?? {}), labels } },
            },
          }, this.sys);
        } else if (current.spec.replicas !== n || rev(current) !== newRev) {
          this.core.systemWrite(rsDef, { ...current, metadata: { ...current.metadata, annotations: { ...current.metadata.annotations, ...annotations } }, spec: { ...current.spec, replicas: n } }, current, this.sys);
        }
        // older ReplicaSets are scaled down; beyond revisionHistoryLimit they are deleted
        const old = sets.filter((r) => r.metadata.uid !== current!.metadata.uid).sort((a, b) => rev(b) - rev(a));
        old.forEach((r, i) => {
          const live = this.core.store.get(storageKey(rsDef), ns, r.metadata.name);
          if (!live) return;
          if (i >= (spec.revisionHistoryLimit ?? 10)) this.core.deleteObject(rsDef, live, 'Background', this.sys);
          else if (!failing && live.spec.replicas !== 0) this.core.systemWrite(rsDef, { ...live, spec: { ...live.spec, replicas: 0 } }, live, this.sys);
        });
        const cur = this.core.store.get(storageKey(def), ns, obj.metadata.name);
        if (cur && cur.metadata.annotations?.['deployment.kubernetes.io/revision'] !== String(newRev)) {
          const next = clone(cur);
          next.metadata.annotations = { ...(next.metadata.annotations ?? {}), 'deployment.kubernetes.io/revision': String(newRev) };
          this.core.systemWrite(def, next, cur, this.sys);
        }
        return;
      }
      case 'ReplicaSet':
        this.ensurePods(def, obj, spec.replicas ?? 1, failing, () => `${obj.metadata.name}-${this.core.random(5)}`, { problem });
        return;
      case 'DaemonSet':
        this.ensurePods(def, obj, this.nodes, failing, () => `${obj.metadata.name}-${this.core.random(5)}`, { problem });
        return;
      case 'Job':
        if (spec.suspend) return;
        if (this.owned('v1', 'Pod', ns, obj.metadata.uid).length === 0)
          this.ensurePods(def, obj, 1, false, () => `${obj.metadata.name}-${this.core.random(5)}`, { phase: failing ? 'Failed' : 'Succeeded' });
        return;
      case 'StatefulSet': {
        const n = spec.replicas ?? 1;
        const pvcDef = this.def('v1', 'PersistentVolumeClaim');
        for (let i = 0; i < n; i++) {
          for (const t of spec.volumeClaimTemplates ?? []) {
            const pvcName = `${t.metadata?.name}-${obj.metadata.name}-${i}`;
            if (this.core.store.get(storageKey(pvcDef), ns, pvcName)) continue;
            this.core.create(pvcDef, ns, {
              apiVersion: 'v1',
              kind: 'PersistentVolumeClaim',
              metadata: { name: pvcName, namespace: ns, labels: { ...(spec.selector?.matchLabels ?? {}) } },
              spec: clone(t.spec ?? {}),
            }, this.sys);
          }
        }
        let i = 0;
        this.ensurePods(def, obj, n, failing, () => `${obj.metadata.name}-${i++}`, { problem, customize: (pod, name) => {
          pod.metadata.labels['statefulset.kubernetes.io/pod-name'] = name;
          pod.metadata.labels['apps.kubernetes.io/pod-index'] = name.slice(obj.metadata.name.length + 1);
          pod.spec.hostname = name;
          if (spec.serviceName) pod.spec.subdomain = spec.serviceName;
          pod.spec.volumes = [
            ...(pod.spec.volumes ?? []),
            ...(spec.volumeClaimTemplates ?? []).map((t: any) => ({ name: t.metadata?.name, persistentVolumeClaim: { claimName: `${t.metadata?.name}-${name}` } })),
          ];
        } });
        return;
      }
    }
  }

  private ensurePods(
    def: ResourceDef,
    owner: any,
    want: number,
    failing: boolean,
    nextName: () => string,
    o: { phase?: 'Running' | 'Succeeded' | 'Failed'; customize?: (pod: any, name: string) => void; problem?: PodProblem } = {},
  ): void {
    const { phase = 'Running', customize, problem } = o;
    const ns = owner.metadata.namespace;
    const podDef = this.def('v1', 'Pod');
    const pods = this.owned('v1', 'Pod', ns, owner.metadata.uid).filter((p) => !p.metadata.deletionTimestamp);
    for (const extra of pods.slice(want)) this.core.deleteObject(podDef, extra, 'Background', this.sys);
    for (let i = pods.length; i < want; i++) {
      let name = nextName();
      if (def.kind === 'StatefulSet') {
        while (pods.some((p) => p.metadata.name === name)) name = nextName();
      }
      if (this.core.store.get(storageKey(podDef), ns, name)) continue;
      const tpl = clone(owner.spec?.template ?? {});
      const pod: any = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: ns, labels: { ...(tpl.metadata?.labels ?? {}) }, ownerReferences: [this.ownerRef(def, owner)] },
        spec: { ...(tpl.spec ?? {}), nodeName: `node-${(i % this.nodes) + 1}` },
      };
      if (tpl.metadata?.annotations) pod.metadata.annotations = tpl.metadata.annotations;
      if (def.kind === 'StatefulSet') {
        pod.metadata.labels['controller-revision-hash'] = `${owner.metadata.name}-${podTemplateHash(owner.spec?.template)}`;
      }
      customize?.(pod, name);
      if (problem === 'Unschedulable') delete pod.spec.nodeName; // the scheduler never bound it
      const created = this.core.create(podDef, ns, pod, this.sys);
      const now = this.core.now();
      if (problem) {
        this.podWithProblem(podDef, created, problem, now);
        continue;
      }
      const ok = !failing && phase !== 'Failed';
      const containers = (created.spec?.containers ?? []).map((c: any) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: ok && phase === 'Running',
        restartCount: 0,
        started: ok && phase === 'Running',
        state: failing
          ? { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } }
          : phase === 'Running'
            ? { running: { startedAt: now } }
            : { terminated: { exitCode: phase === 'Succeeded' ? 0 : 1, reason: phase === 'Succeeded' ? 'Completed' : 'Error', startedAt: now, finishedAt: now } },
      }));
      const ready = ok && phase === 'Running' ? 'True' : 'False';
      const st = clone(created);
      st.status = {
        phase: failing ? 'Pending' : phase,
        conditions: [
          { type: 'PodReadyToStartContainers', status: failing ? 'False' : 'True', lastProbeTime: null, lastTransitionTime: now },
          { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: now },
          { type: 'Ready', status: ready, lastProbeTime: null, lastTransitionTime: now, ...(ready === 'False' ? { reason: failing ? 'ContainersNotReady' : 'PodCompleted' } : {}) },
          { type: 'ContainersReady', status: ready, lastProbeTime: null, lastTransitionTime: now },
          { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now },
        ],
        hostIP: '10.0.0.1',
        podIP: `10.244.0.${(this.podIP++ % 250) + 2}`,
        startTime: now,
        containerStatuses: containers,
        qosClass: 'BestEffort',
      };
      const latest = this.core.store.get(storageKey(podDef), ns, name);
      if (latest) this.core.systemWrite(podDef, { ...st, metadata: latest.metadata }, latest, { ...this.sys, manager: 'kubelet', subresource: 'status' });
    }
  }

  private podIP = 0;
  private eventSeq = 0;

  /** Pod status and Warning Events of a pod that does not become ready (see PodProblem). */
  private podWithProblem(podDef: ResourceDef, pod: any, problem: PodProblem, now: string): void {
    const ns = pod.metadata.namespace;
    const containers: any[] = pod.spec?.containers ?? [];
    const first = containers[0]?.name ?? 'main';
    const podRef = `${pod.metadata.name}_${ns}(${pod.metadata.uid})`;
    const cond = (type: string, status: string, extra: object = {}) => ({ type, status, lastProbeTime: null, lastTransitionTime: now, ...extra });
    const notReady = { reason: 'ContainersNotReady', message: `containers with unready status: [${containers.map((c) => c.name).join(' ')}]` };
    const events: { reason: string; message: string; component: string }[] = [];
    const st = clone(pod);
    if (problem === 'Unschedulable') {
      const nodes = this.nodes;
      const message = `0/${nodes} nodes are available: ${nodes} Insufficient cpu. preemption: 0/${nodes} nodes are available: ${nodes} No preemption victims found for incoming pod.`;
      st.status = { phase: 'Pending', conditions: [cond('PodScheduled', 'False', { reason: 'Unschedulable', message })], qosClass: 'Burstable' };
      events.push({ reason: 'FailedScheduling', message, component: 'default-scheduler' });
    } else {
      const status = (c: any) => {
        const base = { name: c.name, image: c.image, imageID: '', ready: false, started: false, restartCount: 0 };
        if (problem === 'ImagePullBackOff') return { ...base, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } } };
        if (problem === 'CrashLoopBackOff') {
          return {
            ...base,
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 40s restarting failed container=${c.name} pod=${podRef}` } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now } },
          };
        }
        return { ...base, started: true, state: { running: { startedAt: now } } };
      };
      const pending = problem === 'ImagePullBackOff';
      st.status = {
        phase: pending ? 'Pending' : 'Running',
        conditions: [
          cond('PodReadyToStartContainers', 'True'),
          cond('Initialized', 'True'),
          cond('Ready', 'False', notReady),
          cond('ContainersReady', 'False', notReady),
          cond('PodScheduled', 'True'),
        ],
        hostIP: '10.0.0.1',
        podIP: `10.244.0.${(this.podIP++ % 250) + 2}`,
        startTime: now,
        containerStatuses: containers.map(status),
        qosClass: 'BestEffort',
      };
      const image = containers[0]?.image ?? '';
      if (problem === 'ImagePullBackOff') {
        events.push({ reason: 'Failed', message: `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found`, component: 'kubelet' });
        events.push({ reason: 'BackOff', message: `Back-off pulling image "${image}"`, component: 'kubelet' });
      } else if (problem === 'CrashLoopBackOff') {
        events.push({ reason: 'BackOff', message: `Back-off restarting failed container ${first} in pod ${podRef}`, component: 'kubelet' });
      } else {
        events.push({ reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 500', component: 'kubelet' });
      }
    }
    const latest = this.core.store.get(storageKey(podDef), ns, pod.metadata.name);
    if (latest) this.core.systemWrite(podDef, { ...st, metadata: latest.metadata }, latest, { ...this.sys, manager: 'kubelet', subresource: 'status' });
    const eventDef = this.def('v1', 'Event');
    for (const e of events) {
      // Named like the real ones: <involved object>.<unique hex suffix>.
      const suffix = (0x17e0000000000000n + BigInt(++this.eventSeq)).toString(16);
      this.core.create(eventDef, ns, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${pod.metadata.name}.${suffix}`, namespace: ns },
        involvedObject: { kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid, apiVersion: 'v1', resourceVersion: String(latest?.metadata.resourceVersion ?? '') },
        reason: e.reason,
        message: e.message,
        source: e.component === 'kubelet' ? { component: 'kubelet', host: pod.spec?.nodeName ?? 'node-1' } : { component: e.component },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        type: 'Warning',
        eventTime: null,
        reportingComponent: e.component,
        reportingInstance: e.component === 'kubelet' ? pod.spec?.nodeName ?? 'node-1' : '',
      }, { ...this.sys, manager: e.component });
    }
  }
}
