// Readiness per kind, modelled on kstatus (sigs.k8s.io/cli-utils/pkg/kstatus):
// an object is InProgress until its controller has observed the latest
// generation and its status says the rollout finished; Failed only on signals
// that will not fix themselves (deadline exceeded, Job failed, PVC lost, ...).
import type { HealthResult, KubeObject } from './types.js';

type Obj = KubeObject & { spec?: any; status?: any };

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

const ready = (reason = ''): HealthResult => ({ status: 'Ready', reason });
const progress = (reason: string): HealthResult => ({ status: 'InProgress', reason });
const failed = (reason: string): HealthResult => ({ status: 'Failed', reason });

function conditions(o: Obj): Condition[] {
  const c = o.status?.conditions;
  return Array.isArray(c) ? (c as Condition[]) : [];
}
const cond = (o: Obj, type: string): Condition | undefined => conditions(o).find((c) => c.type === type);
const num = (v: unknown, dflt = 0): number => (typeof v === 'number' ? v : dflt);
const why = (c: Condition | undefined): string => (c ? [c.reason, c.message].filter(Boolean).join(': ') : '');

/** Returns a reason when the controller has not yet seen the latest spec. */
function generationPending(o: Obj): string | undefined {
  const gen = (o.metadata as { generation?: number }).generation;
  const observed = o.status?.observedGeneration;
  if (typeof gen === 'number' && (typeof observed !== 'number' || observed < gen)) {
    return `waiting for the controller to observe generation ${gen}`;
  }
  return undefined;
}

function deployment(o: Obj): HealthResult {
  const pending = generationPending(o);
  if (pending) return progress(pending);
  const prog = cond(o, 'Progressing');
  if (prog && prog.reason === 'ProgressDeadlineExceeded') return failed(`rollout failed: ${why(prog)}`);
  const want = num(o.spec?.replicas, 1);
  const s = o.status ?? {};
  if (num(s.updatedReplicas) < want) return progress(`${num(s.updatedReplicas)}/${want} replicas updated`);
  if (num(s.replicas) > num(s.updatedReplicas)) return progress(`${num(s.replicas) - num(s.updatedReplicas)} old replicas pending termination`);
  if (num(s.availableReplicas) < want) return progress(`${num(s.availableReplicas)}/${want} replicas available`);
  if (num(s.readyReplicas) < want) return progress(`${num(s.readyReplicas)}/${want} replicas ready`);
  return ready(`${want} replicas available`);
}

function statefulSet(o: Obj): HealthResult {
  const pending = generationPending(o);
  if (pending) return progress(pending);
  if (o.spec?.updateStrategy?.type === 'OnDelete') return ready('OnDelete update strategy');
  const want = num(o.spec?.replicas, 1);
  const s = o.status ?? {};
  const partition = num(o.spec?.updateStrategy?.rollingUpdate?.partition);
  if (num(s.readyReplicas) < want) return progress(`${num(s.readyReplicas)}/${want} replicas ready`);
  if (partition > 0) {
    if (num(s.updatedReplicas) < want - partition) return progress(`${num(s.updatedReplicas)}/${want - partition} replicas updated (partitioned)`);
    return ready(`partitioned rollout complete`);
  }
  if (num(s.updatedReplicas) < want) return progress(`${num(s.updatedReplicas)}/${want} replicas updated`);
  if (s.updateRevision && s.currentRevision !== s.updateRevision) return progress(`revision ${s.updateRevision} rolling out`);
  return ready(`${want} replicas ready`);
}

function daemonSet(o: Obj): HealthResult {
  const pending = generationPending(o);
  if (pending) return progress(pending);
  const s = o.status ?? {};
  const want = num(s.desiredNumberScheduled);
  if (num(s.updatedNumberScheduled) < want) return progress(`${num(s.updatedNumberScheduled)}/${want} pods updated`);
  if (num(s.numberAvailable) < want) return progress(`${num(s.numberAvailable)}/${want} pods available`);
  return ready(`${want} pods available`);
}

function job(o: Obj): HealthResult {
  const f = cond(o, 'Failed');
  if (f?.status === 'True') return failed(`job failed: ${why(f)}`);
  const c = cond(o, 'Complete');
  if (c?.status === 'True') return ready('complete');
  const s = o.status ?? {};
  return progress(`running: ${num(s.active)} active, ${num(s.succeeded)} succeeded, ${num(s.failed)} failed`);
}

function pvc(o: Obj): HealthResult {
  const phase = o.status?.phase;
  if (phase === 'Bound') return ready('bound');
  if (phase === 'Lost') return failed('volume lost');
  return progress(`${phase ?? 'Pending'}: not bound yet`);
}

function service(o: Obj): HealthResult {
  if (o.spec?.type === 'ExternalName') return ready('external name');
  if (o.spec?.clusterIP) return ready(o.spec.clusterIP === 'None' ? 'headless' : `cluster IP ${o.spec.clusterIP}`);
  return progress('waiting for a cluster IP');
}

function crd(o: Obj): HealthResult {
  const names = cond(o, 'NamesAccepted');
  if (names?.status === 'False') return failed(`names not accepted: ${why(names)}`);
  const est = cond(o, 'Established');
  if (est?.status === 'True') return ready('established');
  return progress('not established yet');
}

function pod(o: Obj): HealthResult {
  const phase = o.status?.phase;
  if (phase === 'Succeeded') return ready('succeeded');
  if (phase === 'Failed') return failed(`pod failed: ${o.status?.reason ?? ''}`.trim());
  const r = cond(o, 'Ready');
  if (r?.status === 'True') return ready('running');
  return progress(`${phase ?? 'Pending'}`);
}

function namespace(o: Obj): HealthResult {
  return o.status?.phase === 'Terminating' ? progress('terminating') : ready('');
}

/** Any other kind: generation observed, then `Stalled`/`Ready`/`Reconciling` conditions; no status means Ready. */
function generic(o: Obj): HealthResult {
  if (o.status && typeof o.status.observedGeneration === 'number') {
    const pending = generationPending(o);
    if (pending) return progress(pending);
  }
  const stalled = cond(o, 'Stalled');
  if (stalled?.status === 'True') return failed(`stalled: ${why(stalled)}`);
  const rec = cond(o, 'Reconciling');
  if (rec?.status === 'True') return progress(`reconciling: ${why(rec)}`);
  const r = cond(o, 'Ready');
  if (r?.status === 'True') return ready(why(r));
  if (r) return progress(`not ready: ${why(r) || r.status}`);
  return ready('');
}

const byKind: Record<string, (o: Obj) => HealthResult> = {
  'apps/Deployment': deployment,
  'apps/StatefulSet': statefulSet,
  'apps/DaemonSet': daemonSet,
  'batch/Job': job,
  '/PersistentVolumeClaim': pvc,
  '/Service': service,
  '/Pod': pod,
  '/Namespace': namespace,
  'apiextensions.k8s.io/CustomResourceDefinition': crd,
};

export function assessHealth(obj: KubeObject | undefined): HealthResult {
  if (!obj) return { status: 'NotFound', reason: 'object does not exist' };
  if ((obj.metadata as { deletionTimestamp?: string }).deletionTimestamp) return progress('being deleted');
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  const rule = byKind[`${group}/${obj.kind}`] ?? generic;
  return rule(obj as Obj);
}
