// --wait: poll the release's objects until all are Ready (kstatus-like rules
// in health.ts), showing what is still pending; fail fast when one Failed;
// give up at the deadline naming what was not ready.
import type { KubeClient } from './client.js';
import { assessHealth } from './health.js';
import { displayRef, refKey } from './objref.js';
import { readLive } from './live.js';
import { explainNotReady } from './not-ready.js';
import type { HealthResult, KubeObject, ObjectRef, Reporter } from './types.js';

export class WaitError extends Error {
  constructor(message: string, readonly pending: { ref: ObjectRef; health: HealthResult }[]) {
    super(message);
    this.name = 'WaitError';
  }
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  reporter?: Reporter;
  namespace?: string;
  /** For tests: stops waiting early. */
  signal?: AbortSignal;
  /** The release the objects belong to: lets objects be read by LIST per kind instead of one GET each. */
  release?: { name: string; namespace: string };
  /**
   * Where each round reads the objects (keyed by refKey); default: the API server (readLive). A controller
   * passes its watch caches, so waiting on many releases at once costs no requests.
   */
  read?: (refs: ObjectRef[]) => Promise<Map<string, KubeObject | undefined>>;
}

export async function waitForReady(client: KubeClient, refs: ObjectRef[], o: WaitOptions): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  const interval = o.intervalMs ?? 1000;
  let last: { ref: ObjectRef; health: HealthResult }[] = [];
  for (let round = 0; ; round++) {
    let live;
    try {
      // The client bounds its own requests by the command's deadline; a caller's reader (a cache that
      // may never sync) is bounded here.
      live = await (o.read ? withinDeadline(o.read(refs), deadline, o.signal) : readLive(client, refs, o.release));
    } catch (e) {
      if (e instanceof ReadTimeout) {
        if (round === 0) last = refs.map((ref) => ({ ref, health: { status: 'InProgress', reason: 'not read before the deadline' } }));
        break;
      }
      // The deadline passed in the middle of a read: report what was not ready at the last look.
      if (!o.signal?.aborted || round === 0) throw e;
      break;
    }
    const states = refs.map((ref) => ({ ref, health: assessHealth(live.get(refKey(ref))) }));
    const failed = states.filter((s) => s.health.status === 'Failed');
    if (failed.length > 0) {
      const what = failed.map((f) => `${displayRef(f.ref, o.namespace)}: ${f.health.reason}`).join('; ');
      throw new WaitError(`rollout failed: ${what}${await causes(client, failed, o.namespace)}`, failed);
    }
    last = states.filter((s) => s.health.status !== 'Ready');
    if (last.length === 0) {
      if (round > 0) o.reporter?.progress?.('');
      return;
    }
    const shown = last.slice(0, 3).map((s) => `${displayRef(s.ref, o.namespace)} (${s.health.reason})`);
    const more = last.length > 3 ? `, +${last.length - 3} more` : '';
    o.reporter?.progress?.(`waiting for ${last.length}/${refs.length}: ${shown.join(', ')}${more}`);
    if (Date.now() >= deadline || o.signal?.aborted) break;
    await new Promise((r) => setTimeout(r, Math.min(interval, Math.max(0, deadline - Date.now()))));
  }
  o.reporter?.progress?.('');
  const what = last.map((s) => `${displayRef(s.ref, o.namespace)} (${s.health.reason})`).join(', ');
  // Aborted for a reason of the caller's (not a deadline: AbortSignal.timeout's reason is a TimeoutError).
  const reason = o.signal?.aborted ? (o.signal.reason as Error | undefined) : undefined;
  if (reason instanceof Error && reason.name !== 'TimeoutError' && Date.now() < deadline) {
    throw new WaitError(`stopped waiting (${reason.message}) for: ${what}`, last);
  }
  throw new WaitError(`timed out waiting for: ${what}${await causes(client, last, o.namespace)}`, last);
}

class ReadTimeout extends Error {}

/** The read's answer, or a ReadTimeout once the deadline passes or the signal fires first. */
function withinDeadline<T>(read: Promise<T>, deadline: number, signal: AbortSignal | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
      reject(new ReadTimeout('the read did not answer before the deadline'));
    };
    const timer = setTimeout(stop, Math.max(0, deadline - Date.now()));
    signal?.addEventListener('abort', stop, { once: true });
    read.then(
      (v) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', stop);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', stop);
        reject(e);
      },
    );
  });
}

/**
 * The cluster's own account of why (pods, events: not-ready.ts), one indented line per cause. Read
 * under the clean-up grace (the deadline may just have passed); without an answer, nothing is added.
 */
async function causes(client: KubeClient, pending: { ref: ObjectRef; health: HealthResult }[], ns: string | undefined): Promise<string> {
  const found = await client.cleanup(() => explainNotReady(client, pending)).catch(() => new Map<string, string[]>());
  const lines: string[] = [];
  for (const p of pending) for (const c of found.get(refKey(p.ref)) ?? []) lines.push(`\n  ${displayRef(p.ref, ns)}: ${c}`);
  return lines.join('');
}
