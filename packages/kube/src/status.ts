// `opm release status|history|list`: read-only views. Status reads one payload
// (the revision shown) and the live objects; history and list read metadata only.
import { ReleaseRequestError } from './release-errors.js';
import type { KubeClient } from './client.js';
import { driftOf, formatDrift } from './drift.js';
import { assessHealth } from './health.js';
import { CorruptRevisionError, HistoryStore, deployedFirst, listReleases, readFirstIntact } from './history/store.js';
import { refKey, refOf } from './objref.js';
import { readLive } from './live.js';
import { explainNotReady } from './not-ready.js';
import { Redactor, maskValues } from './redact.js';
import type { Health, ObjectRef, ReleaseRevision, RevisionSummary } from './types.js';
import { ReleaseNotFoundError } from './session.js';
import { ReleaseLock } from './lock.js';

export interface ObjectStatus {
  ref: ObjectRef;
  health: Health;
  reason: string;
  drift?: string[];
  /** Why it is not ready, as the cluster says (pods' states, Warning events: not-ready.ts); only for objects not Ready. */
  causes?: string[];
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
  /** Set when the revision is `pending` but no opm process holds the release's lock any more. */
  note?: string;
  /** The ModuleRelease's metadata labels and annotations (with `metadata: true`: the portal's edit form). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export { ReleaseNotFoundError };

export async function releaseHistory(client: KubeClient, namespace: string, name: string): Promise<RevisionSummary[]> {
  const s = await new HistoryStore(client, namespace, name).summaries();
  if (s.length === 0) throw new ReleaseNotFoundError(name, namespace);
  return s;
}

export { listReleases };

/** Whether some process holds the release's Lease right now (unexpired, non-empty holder). */
async function lockHeld(client: KubeClient, namespace: string, name: string): Promise<boolean> {
  const lease = (await client.get({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', namespace, name: ReleaseLock.leaseName(name) })) as
    | { spec?: { holderIdentity?: string; renewTime?: string; acquireTime?: string; leaseDurationSeconds?: number } }
    | undefined;
  const sp = lease?.spec;
  if (!sp?.holderIdentity) return false;
  return Date.parse(sp.renewTime ?? sp.acquireTime ?? '') + (sp.leaseDurationSeconds ?? 60) * 1000 > Date.now();
}

export async function releaseStatus(
  client: KubeClient,
  namespace: string,
  name: string,
  opts: { revision?: number; drift?: boolean; metadata?: boolean } = {},
): Promise<ReleaseStatus> {
  const store = new HistoryStore(client, namespace, name);
  const all = await store.summaries();
  if (all.length === 0) throw new ReleaseNotFoundError(name, namespace);
  const shown = opts.revision !== undefined ? all.find((s) => s.revision === opts.revision) : all[all.length - 1];
  if (!shown) throw new ReleaseRequestError(`release ${name} has no revision ${opts.revision}`);
  let rev: ReleaseRevision;
  let corrupt: string | undefined;
  try {
    rev = await store.read(shown.revision);
  } catch (e) {
    // Asked for that revision: say it is corrupt. Otherwise show the newest intact one, and say why.
    if (!(e instanceof CorruptRevisionError) || opts.revision !== undefined) throw e;
    const warnings: string[] = [];
    const older = all.filter((s) => s.revision !== shown.revision);
    const rest = older.filter((s) => s.status !== 'deployed' && s.status !== 'superseded').reverse();
    const intact = await readFirstIntact(store, [...deployedFirst(older), ...rest], (t) => warnings.push(t));
    if (!intact) throw e;
    rev = intact;
    corrupt = `${e.message}; showing revision ${intact.revision}, the newest intact one (opm release repair ${name} fixes it)`;
  }
  // Condition messages come from the cluster and may quote a value (a webhook, a failing container): one redaction for all of it.
  const redactor = new Redactor().addObjects(rev.manifest).addValues(rev.userValues, rev.secretPaths).addValues(rev.finalValues, rev.secretPaths);
  const manifestByKey = new Map(rev.manifest.map((o) => [refKey(refOf(o)), o]));
  const lives = await readLive(client, rev.inventory, { name, namespace });
  const objects: ObjectStatus[] = await Promise.all(
    rev.inventory.map(async (ref) => {
      const live = lives.get(refKey(ref));
      const h = assessHealth(live);
      const st: ObjectStatus = { ref, health: h.status, reason: redactor.scrub(h.reason) };
      if (opts.drift) {
        const stored = manifestByKey.get(refKey(ref));
        st.drift = stored ? driftOf(stored, live).map((d) => redactor.scrub(formatDrift(d))) : [];
      }
      return st;
    }),
  );
  // The cluster's account of each object not ready (scheduling, image pulls, crash loops, probes, Warning events).
  const pending = objects.filter((o) => o.health === 'InProgress' || o.health === 'Failed');
  if (pending.length) {
    const found = await explainNotReady(client, pending.map((o) => ({ ref: o.ref, health: { status: o.health, reason: o.reason } })));
    for (const o of pending) {
      const c = found.get(refKey(o.ref));
      if (c?.length) o.causes = c.map((x) => redactor.scrub(x));
    }
  }
  const health: Health = objects.some((o) => o.health === 'Failed' || o.health === 'NotFound')
    ? 'Failed'
    : objects.some((o) => o.health === 'InProgress')
      ? 'InProgress'
      : 'Ready';
  let note: string | undefined = corrupt;
  if (rev.status === 'pending' && !(await lockHeld(client, namespace, name))) {
    note = 'interrupted: no opm process is applying it; the next apply, rollback, scale or delete marks it failed';
  }
  return {
    ...(note ? { note } : {}),
    name,
    namespace,
    revision: rev.revision,
    status: rev.status,
    description: redactor.scrub(rev.description),
    module: rev.module,
    valuesDigest: rev.valuesDigest,
    updatedAt: rev.updatedAt,
    values: maskValues(rev.userValues, rev.secretPaths),
    objects,
    health,
    ...(opts.metadata ? { labels: rev.labels ?? {}, annotations: rev.annotations ?? {} } : {}),
  };
}
