// Why an object is not ready. "0/1 replicas available" says that a rollout is
// stuck, not why; the cluster knows: the pods' conditions and container states
// (unschedulable, image pull back-off, crash loop, failing readiness probe)
// and the Warning Events of the pods and of the object itself. This reads them
// once, when a wait gives up, and says it in a line per cause.
import type { KubeClient } from './client.js';
import { refKey } from './objref.js';
import type { HealthResult, KubeObject, ObjectRef } from './types.js';

type Obj = KubeObject & { spec?: any; status?: any };

/** Kinds whose readiness is their pods' (selected by spec.selector). */
const POD_OWNERS = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ReplicaSet', 'batch/Job']);

/** Container states that are just steps of a normal start, not a cause. */
const TRANSIENT = new Set(['ContainerCreating', 'PodInitializing']);

/** A label selector (matchLabels + matchExpressions) as a query string; undefined when it selects nothing expressible. */
export function selectorString(sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): string | undefined {
  if (!sel) return undefined;
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(',') : undefined;
}

interface Event {
  involvedObject?: { uid?: string };
  type?: string;
  reason?: string;
  message?: string;
  lastTimestamp?: string;
  eventTime?: string;
  count?: number;
}

/** What a pod says about why it is not ready (empty when it is ready or done). */
export function podCauses(pod: Obj): string[] {
  const st = pod.status ?? {};
  if (st.phase === 'Succeeded') return [];
  const conds: { type: string; status: string; reason?: string; message?: string }[] = st.conditions ?? [];
  if (conds.some((c) => c.type === 'Ready' && c.status === 'True')) return [];
  const out: string[] = [];
  const sched = conds.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (sched) out.push([sched.reason, sched.message].filter(Boolean).join(': '));
  for (const c of [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]) {
    const waiting = c.state?.waiting;
    const terminated = c.state?.terminated ?? c.lastState?.terminated;
    if (waiting?.reason && !TRANSIENT.has(waiting.reason)) {
      const last = c.lastState?.terminated;
      const exit = last ? ` (last exit code ${last.exitCode}${last.reason ? `, ${last.reason}` : ''}; ${c.restartCount ?? 0} restarts)` : '';
      out.push(`container ${c.name}: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}${exit}`);
    } else if (c.state?.terminated && c.state.terminated.exitCode !== 0) {
      out.push(`container ${c.name}: exited with code ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}`);
    } else if (c.state?.running && c.ready === false) {
      out.push(`container ${c.name}: running but not ready`);
    }
  }
  if (st.phase === 'Failed') out.push(`pod failed${st.reason ? `: ${st.reason}` : ''}${st.message ? `: ${st.message}` : ''}`);
  return out;
}

/** The newest Warning event per reason for `uid`, skipping messages already said. */
function warnings(events: Event[], uid: string | undefined, said: string[]): string[] {
  if (!uid) return [];
  const latest = new Map<string, Event>();
  const time = (e: Event) => e.lastTimestamp ?? e.eventTime ?? '';
  for (const e of events) {
    if (e.involvedObject?.uid !== uid || e.type !== 'Warning' || !e.reason) continue;
    const cur = latest.get(e.reason);
    if (!cur || time(cur) <= time(e)) latest.set(e.reason, e);
  }
  return [...latest.values()]
    .filter((e) => !said.some((s) => e.message && s.includes(e.message)))
    .map((e) => `${e.reason}: ${e.message ?? ''}${(e.count ?? 1) > 1 ? ` (${e.count} times)` : ''}`);
}

/**
 * For each object not ready, the causes the cluster reports: for workloads, their pods' states and
 * Warning events (identical causes of several pods said once, with the pods named); for any object,
 * its own Warning events. Keyed by refKey.
 */
export async function explainNotReady(client: KubeClient, pending: { ref: ObjectRef; health: HealthResult }[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const eventsByNs = new Map<string, Promise<Event[]>>();
  const eventsIn = (ns: string) => {
    if (!eventsByNs.has(ns)) eventsByNs.set(ns, client.list('v1', 'Event', { namespace: ns }).then((x) => x as unknown as Event[]).catch(() => []));
    return eventsByNs.get(ns)!;
  };
  for (const { ref } of pending.slice(0, 20)) {
    const live = (await client.get(ref).catch(() => undefined)) as Obj | undefined;
    if (!live) continue;
    const ns = ref.namespace ?? '';
    const events = ns ? await eventsIn(ns) : [];
    const lines: string[] = [];
    if (POD_OWNERS.has(`${ref.group}/${ref.kind}`) && ns) {
      const sel = selectorString(live.spec?.selector);
      const pods = sel ? ((await client.list('v1', 'Pod', { namespace: ns, labelSelector: sel }).catch(() => [])) as Obj[]) : [];
      const byCause = new Map<string, string[]>();
      for (const pod of pods) {
        const said = podCauses(pod);
        for (const c of [...said, ...warnings(events, pod.metadata.uid as string | undefined, said)]) {
          byCause.set(c, [...(byCause.get(c) ?? []), pod.metadata.name]);
        }
      }
      for (const [cause, names] of byCause) {
        const who = names.length === 1 ? `pod ${names[0]}` : `${names.length} pods (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`;
        lines.push(`${who}: ${cause}`);
      }
    }
    lines.push(...warnings(events, live.metadata.uid as string | undefined, lines));
    if (lines.length) out.set(refKey(ref), lines);
  }
  return out;
}
