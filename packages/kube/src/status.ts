// `opm release status|history|list`: read-only views. Status reads one payload
// (the revision shown) and the live objects; history and list read metadata only.
import type { KubeClient } from './client.js';
import { driftOf, formatDrift } from './drift.js';
import { assessHealth } from './health.js';
import { HistoryStore, listReleases } from './history/store.js';
import { refKey, refOf } from './objref.js';
import { readLive } from './live.js';
import { maskValues } from './redact.js';
import type { Health, ObjectRef, RevisionSummary } from './types.js';
import { ReleaseNotFoundError } from './session.js';

export interface ObjectStatus {
  ref: ObjectRef;
  health: Health;
  reason: string;
  drift?: string[];
}

export interface ReleaseStatus {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  description: string;
  module: { name: string; version: string; digest?: string };
  valuesDigest: string;
  updatedAt: string;
  /** User values with secret paths masked. */
  values: Record<string, unknown>;
  objects: ObjectStatus[];
  /** Ready when every object is; Failed when any is; InProgress otherwise. */
  health: Health;
}

export { ReleaseNotFoundError };

export async function releaseHistory(client: KubeClient, namespace: string, name: string): Promise<RevisionSummary[]> {
  const s = await new HistoryStore(client, namespace, name).summaries();
  if (s.length === 0) throw new ReleaseNotFoundError(name, namespace);
  return s;
}

export { listReleases };

export async function releaseStatus(
  client: KubeClient,
  namespace: string,
  name: string,
  opts: { revision?: number; drift?: boolean } = {},
): Promise<ReleaseStatus> {
  const store = new HistoryStore(client, namespace, name);
  const all = await store.summaries();
  if (all.length === 0) throw new ReleaseNotFoundError(name, namespace);
  const shown = opts.revision !== undefined ? all.find((s) => s.revision === opts.revision) : all[all.length - 1];
  if (!shown) throw new Error(`release ${name} has no revision ${opts.revision}`);
  const rev = await store.read(shown.revision);
  const manifestByKey = new Map(rev.manifest.map((o) => [refKey(refOf(o)), o]));
  const lives = await readLive(client, rev.inventory, { name, namespace });
  const objects: ObjectStatus[] = await Promise.all(
    rev.inventory.map(async (ref) => {
      const live = lives.get(refKey(ref));
      const h = assessHealth(live);
      const st: ObjectStatus = { ref, health: h.status, reason: h.reason };
      if (opts.drift) {
        const stored = manifestByKey.get(refKey(ref));
        st.drift = stored ? driftOf(stored, live).map(formatDrift) : [];
      }
      return st;
    }),
  );
  const health: Health = objects.some((o) => o.health === 'Failed' || o.health === 'NotFound')
    ? 'Failed'
    : objects.some((o) => o.health === 'InProgress')
      ? 'InProgress'
      : 'Ready';
  return {
    name,
    namespace,
    revision: rev.revision,
    status: rev.status,
    description: rev.description,
    module: rev.module,
    valuesDigest: rev.valuesDigest,
    updatedAt: rev.updatedAt,
    values: maskValues(rev.userValues, rev.secretPaths),
    objects,
    health,
  };
}
