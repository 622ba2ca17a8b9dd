// Watching one release for a live view (the portal's release page): one
// watch per kind of its inventory, selected by the release's label, plus one
// on its history Secrets (a new revision). The caller is told that something
// changed and reads the status again; no polling loop per object. Watches
// that end (server timeout, error) are restarted with a bounded back-off
// until stop().
import { Watch } from '@kubernetes/client-node';
import type { KubeClient } from './client.js';
import { L_NAME, L_OWNER, labelSafe } from './history/codec.js';
import { apiVersionOf } from './objref.js';
import { LABEL_RELEASE, type ObjectRef } from './types.js';

export interface ReleaseWatch {
  stop(): void;
}

const MAX_BACKOFF_MS = 30_000;

export function watchRelease(
  client: KubeClient,
  namespace: string,
  name: string,
  inventory: Pick<ObjectRef, 'group' | 'version' | 'kind' | 'namespace'>[],
  onChange: () => void,
  onError: (e: unknown) => void = () => {},
): ReleaseWatch {
  const watch = new Watch(client.config.kc);
  let stopped = false;
  const aborts = new Set<AbortController>();
  const timers = new Set<NodeJS.Timeout>();
  const targets = new Map<string, { apiVersion: string; kind: string; namespace?: string; labelSelector: string }>();
  targets.set('history', { apiVersion: 'v1', kind: 'Secret', namespace, labelSelector: `${L_OWNER}=opm,${L_NAME}=${labelSafe(name)}` });
  for (const r of inventory) {
    const apiVersion = apiVersionOf(r);
    targets.set(`${apiVersion}/${r.kind}/${r.namespace ?? ''}`, { apiVersion, kind: r.kind, ...(r.namespace ? { namespace: r.namespace } : {}), labelSelector: `${LABEL_RELEASE}=${name}` });
  }
  const run = async (t: { apiVersion: string; kind: string; namespace?: string; labelSelector: string }, attempt: number): Promise<void> => {
    if (stopped) return;
    let path: string;
    try {
      path = await client.collectionPath(t.apiVersion, t.kind, t.namespace);
    } catch (e) {
      onError(e);
      return;
    }
    let seen = false;
    const restart = (err?: unknown) => {
      if (stopped) return;
      if (err) onError(err);
      const next = seen ? 0 : attempt + 1;
      const timer = setTimeout(() => {
        timers.delete(timer);
        void run(t, next);
      }, Math.min(250 * 2 ** next, MAX_BACKOFF_MS));
      timer.unref();
      timers.add(timer);
    };
    try {
      // No resourceVersion: the server first sends the current objects, which also covers what changed in between.
      const ac = await watch.watch(
        path,
        { labelSelector: t.labelSelector, timeoutSeconds: 300 },
        () => {
          seen = true;
          onChange();
        },
        (err) => {
          aborts.delete(ac);
          restart(err);
        },
      );
      if (stopped) ac.abort();
      else aborts.add(ac);
    } catch (e) {
      restart(e);
    }
  };
  for (const t of targets.values()) void run(t, 0);
  return {
    stop() {
      stopped = true;
      for (const a of aborts) a.abort();
      for (const t of timers) clearTimeout(t);
      aborts.clear();
      timers.clear();
    },
  };
}
