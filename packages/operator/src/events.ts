// Kubernetes Events about ModuleReleases, written through events.k8s.io/v1 — the Events API client-go's
// events library (k8s.io/client-go/tools/events) and the newer Kubernetes components write; the API server
// serves the same objects through core/v1 too, so `kubectl get events`, `kubectl describe mr` and readers of
// core/v1 Events see them (involvedObject, message, reportingComponent, series). A release failing in a loop
// cannot flood the API server:
//   - dedup (isomorphic events, as client-go's events library): the same event (object, type, reason, action,
//     note) seen again is one Event whose `series` (count, lastObservedTime) is patched, not a new object;
//   - aggregation: more than 10 events of one object/type/reason with different messages within 10 minutes
//     become one "(combined from similar events): …" Event, itself deduplicated;
//   - a token bucket per object (burst 25, then one per 5 minutes) drops the rest;
//   - writes are asynchronous and never fail a reconcile.
// Messages are scrubbed of secret values by the caller's Redactor before they are kept or sent.
import { hostname } from 'node:os';
import type { KubeClient, KubeObject } from '@opm/kube';

export type EventType = 'Normal' | 'Warning';

export interface InvolvedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string };
}

export interface EventRecorderOptions {
  component: string;
  host?: string;
  /** Distinct messages per object/type/reason within `aggregateWindowMs` before they are combined (client-go: 10). */
  maxSimilar?: number;
  aggregateWindowMs?: number;
  /** Token bucket per object: burst and refill interval (client-go: 25, one per 5 minutes). */
  burst?: number;
  refillMs?: number;
  /** Events remembered for dedup (client-go: 4096). */
  cacheSize?: number;
  now?: () => Date;
  onError?: (e: unknown) => void;
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
  /** When the first of the series was seen (the Event's eventTime). */
  eventTime: string;
}

interface Similar {
  messages: Set<string>;
  since: number;
}

/** Maximum message length of an Event (the API server's note limit for new events; kept for legacy ones too). */
const MAX_MESSAGE = 1024;

export class EventRecorder {
  private readonly seen = new Map<string, Seen>();
  private readonly similar = new Map<string, Similar>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private chain: Promise<void> = Promise.resolve();
  private pendingWrites = 0;
  private readonly host: string;

  constructor(
    private readonly client: KubeClient,
    private readonly o: EventRecorderOptions,
  ) {
    this.host = o.host ?? hostname();
  }

  /**
   * Records an event about `obj` (asynchronously; see flush). `action` is what the controller did or tried
   * (events.k8s.io/v1 requires one, e.g. Apply, Render, Delete); `reason` why.
   */
  event(obj: InvolvedObject, type: EventType, reason: string, message: string, action = 'Reconcile'): void {
    const now = (this.o.now ?? (() => new Date()))();
    const ns = obj.metadata.namespace ?? 'default';
    const objKey = [obj.apiVersion, obj.kind, ns, obj.metadata.name, obj.metadata.uid ?? ''].join('\u0000');
    if (!this.allow(objKey, now.getTime())) return;
    let msg = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
    // Aggregation: many distinct messages for one reason become one combined event.
    const aggKey = [this.o.component, this.host, objKey, type, reason, action].join('\u0000');
    let sim = this.similar.get(aggKey);
    const window = this.o.aggregateWindowMs ?? 600_000;
    if (!sim || now.getTime() - sim.since > window) this.similar.set(aggKey, (sim = { messages: new Set(), since: now.getTime() }));
    sim.messages.add(msg);
    let key = `${aggKey}\u0000${msg}`;
    if (sim.messages.size > (this.o.maxSimilar ?? 10)) {
      const prefix = '(combined from similar events): ';
      msg = `${prefix}${msg}`.slice(0, MAX_MESSAGE);
      key = `${aggKey}\u0000(combined)`;
    }
    const ts = microTime(now);
    const prev = this.seen.get(key);
    this.remember(key, prev ? { ...prev, count: prev.count + 1 } : { name: `${obj.metadata.name}.${eventSuffix(now)}`, namespace: ns, count: 1, eventTime: ts });
    const cur = this.seen.get(key)!;
    const ev: KubeObject = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: cur.name, namespace: ns },
      regarding: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: obj.metadata.name,
        ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
        ...(obj.metadata.uid ? { uid: obj.metadata.uid } : {}),
        ...(obj.metadata.resourceVersion ? { resourceVersion: obj.metadata.resourceVersion } : {}),
      },
      type,
      reason,
      action,
      note: msg,
      reportingController: this.o.component,
      reportingInstance: this.host.slice(0, 128),
      eventTime: cur.eventTime,
      // The first occurrence has no series; a repeat makes one (count ≥ 2), as client-go's events library.
      ...(cur.count > 1 ? { series: { count: cur.count, lastObservedTime: ts } } : {}),
    } as KubeObject;
    this.write(ev, prev !== undefined);
  }

  /** Waits until every recorded event is written (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.pendingWrites > 0) await this.chain;
  }

  private write(ev: KubeObject, update: boolean): void {
    this.pendingWrites++;
    this.chain = this.chain
      .then(async () => {
        const ref = { group: 'events.k8s.io', version: 'v1', kind: 'Event', namespace: ev.metadata.namespace!, name: ev.metadata.name };
        const e = ev as unknown as { series?: { count: number; lastObservedTime: string } };
        if (update && e.series) {
          try {
            // Only the series may change through events.k8s.io/v1 (the rest of an Event is immutable there).
            await this.client.mergePatch(ref, { series: e.series });
            return;
          } catch (err) {
            // Gone (expired by the API server's event TTL, or deleted): record it anew, as client-go does.
            if ((err as { code?: number }).code !== 404) throw err;
          }
        }
        await this.client.create(ev);
      })
      .catch((err) => this.o.onError?.(err))
      .finally(() => this.pendingWrites--);
  }

  private allow(objKey: string, now: number): boolean {
    const burst = this.o.burst ?? 25;
    const refill = this.o.refillMs ?? 300_000;
    const b = this.buckets.get(objKey) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + (now - b.at) / refill);
    b.at = now;
    this.buckets.set(objKey, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private remember(key: string, s: Seen): void {
    // Least recently used first out.
    this.seen.delete(key);
    this.seen.set(key, s);
    const max = this.o.cacheSize ?? 4096;
    while (this.seen.size > max) this.seen.delete(this.seen.keys().next().value!);
    if (this.similar.size > max) this.similar.delete(this.similar.keys().next().value!);
    if (this.buckets.size > max) this.buckets.delete(this.buckets.keys().next().value!);
  }
}

/** metav1.MicroTime: RFC 3339 with exactly six fractional digits. */
function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** client-go names events `<object>.<unix nanoseconds in hex>`; a counter keeps names unique within a millisecond. */
let seq = 0;
function eventSuffix(now: Date): string {
  seq = (seq + 1) % 1_000_000;
  return (BigInt(now.getTime()) * 1_000_000n + BigInt(seq)).toString(16);
}
