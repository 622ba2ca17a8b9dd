// Reads and writes the history Secrets of one release (format: codec.ts).
import { ReleaseRequestError } from '../release-errors.js';
import { KubeApiError, type KubeClient } from '../client.js';
import type { ReleaseRevision, RevisionStatus, RevisionSummary } from '../types.js';
import {
  A_CHUNKS,
  A_DESCRIPTION,
  A_SHA256,
  A_UPDATED,
  CHUNK_BYTES,
  DATA_KEY,
  L_CHUNK,
  L_NAME,
  L_OWNER,
  L_REVISION,
  L_STATUS,
  chunkName,
  decodePayload,
  MAX_PAYLOAD_BYTES,
  headName,
  labelSafe,
  releaseNameOf,
  revisionSecrets,
  summaryOf,
} from './codec.js';
import { stripSecrets } from './secrets.js';

const secretRef = (namespace: string, name: string) => ({ group: '', version: 'v1', kind: 'Secret', namespace, name });

/** A history Secret changed under this writer (another process changed the release meanwhile). */
export class HistoryConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryConflictError';
  }
}

export class HistoryStore {
  /**
   * Called before every write (fencing: the session checks it still holds the release's Lease).
   * Throws to stop the write.
   */
  guard: (() => Promise<void>) | undefined;
  /** resourceVersion of each head as this store last saw it: status changes are made conditional on it. */
  private readonly headVersions = new Map<number, string>();

  constructor(
    readonly client: KubeClient,
    readonly namespace: string,
    readonly name: string,
    private readonly chunkBytes = CHUNK_BYTES,
    /** The platform's history encryption key (32 bytes): secret data is stored encrypted with it (sealed.ts). */
    readonly sealKey?: Buffer,
  ) {}

  /** Every revision's summary, oldest first, from metadata only. */
  async summaries(): Promise<RevisionSummary[]> {
    const heads = await this.client.list('v1', 'Secret', {
      namespace: this.namespace,
      labelSelector: `${L_OWNER}=opm,${L_CHUNK}=0,${L_NAME}=${labelSafe(this.name)}`,
      metadataOnly: true,
    });
    const mine = heads.filter((s) => releaseNameOf(s.metadata.name) === this.name);
    const out = mine.map((s) => summaryOf(s.metadata, this.name)).sort((a, b) => a.revision - b.revision);
    for (const h of mine) {
      const rv = h.metadata.resourceVersion;
      if (typeof rv === 'string') this.headVersions.set(summaryOf(h.metadata, this.name).revision, rv);
    }
    return out;
  }

  async latest(): Promise<RevisionSummary | undefined> {
    const all = await this.summaries();
    return all[all.length - 1];
  }

  async read(revision: number): Promise<ReleaseRevision> {
    const head = await this.client.get(secretRef(this.namespace, headName(this.name, revision)));
    if (!head) throw new ReleaseRequestError(`release ${this.name} has no revision ${revision} in namespace ${this.namespace}`);
    const ann = head.metadata.annotations ?? {};
    const n = Number(ann[A_CHUNKS] ?? 1);
    const corrupt = (secret: string, problem: string) => new CorruptRevisionError(this.name, this.namespace, revision, secret, problem);
    if (!(Number.isInteger(n) && n >= 1)) throw corrupt(head.metadata.name, `its chunk count "${ann[A_CHUNKS]}" is not a number ≥ 1`);
    // A head is data anyone with write access to Secrets here could forge: bound what it makes us read.
    // A payload is gzip of at most MAX_PAYLOAD_BYTES: more chunks than that takes cannot be opm's.
    const maxChunks = Math.ceil(MAX_PAYLOAD_BYTES / Math.min(this.chunkBytes, CHUNK_BYTES)) + 1;
    if (n > maxChunks) throw corrupt(head.metadata.name, `it claims ${n} chunks, more than a payload of at most ${MAX_PAYLOAD_BYTES} bytes takes (${maxChunks}): refused`);
    const parts: Buffer[] = [];
    const names: string[] = [];
    for (let k = 0; k < n; k++) {
      const name = chunkName(this.name, revision, k);
      const c = k === 0 ? head : await this.client.get(secretRef(this.namespace, name));
      if (!c) throw corrupt(name, `chunk ${k} of ${n} is missing`);
      const d = (c as { data?: Record<string, string> }).data?.[DATA_KEY];
      if (typeof d !== 'string') throw corrupt(name, 'it has no payload');
      parts.push(Buffer.from(d, 'base64'));
      names.push(name);
    }
    let rev: ReleaseRevision;
    try {
      rev = decodePayload(parts, ann[A_SHA256]);
    } catch (e) {
      const which = n > 1 ? `${names[0]} (and its chunks ${names.slice(1).join(', ')})` : names[0]!;
      throw corrupt(which, (e as Error).message.replace(/^release history is corrupt \((.*)\)$/, '$1'));
    }
    if (!rev || typeof rev !== 'object' || !Array.isArray(rev.inventory) || !Array.isArray(rev.manifest)) {
      throw corrupt(names[0]!, 'its payload is not a release revision');
    }
    // Status lives in the labels (changed without rewriting the payload).
    const s = summaryOf(head.metadata, this.name);
    rev.status = s.status;
    rev.description = ann[A_DESCRIPTION] ?? rev.description;
    rev.updatedAt = ann[A_UPDATED] ?? rev.updatedAt;
    return rev;
  }

  /** Stores a new revision; fails if that revision number already exists (another writer won). */
  async write(rev: ReleaseRevision): Promise<void> {
    await this.guard?.();
    // History keeps no secret values (secrets.ts): digests and references only.
    const secrets = revisionSecrets(stripSecrets(rev, this.sealKey), this.chunkBytes);
    const exists = () => new HistoryConflictError(`release ${this.name}: revision ${rev.revision} already exists (written concurrently by another process)`);
    for (const s of secrets) {
      try {
        const created = await this.client.create(s);
        if (s === secrets[secrets.length - 1] && created.metadata.resourceVersion) this.headVersions.set(rev.revision, String(created.metadata.resourceVersion));
      } catch (e) {
        const isHead = s === secrets[secrets.length - 1];
        if (e instanceof KubeApiError && e.code === 409 && !isHead) {
          // A stray chunk of an interrupted write of this same revision: replace it — unless the
          // revision exists (its head was written), which makes the chunk someone else's.
          if (await this.client.get(secretRef(this.namespace, headName(this.name, rev.revision)))) throw exists();
          await this.client.delete(secretRef(this.namespace, s.metadata.name));
          await this.client.create(s);
          continue;
        }
        if (e instanceof KubeApiError && e.code === 409) throw exists();
        throw e;
      }
    }
  }

  /**
   * Changes a revision's status. Conditional (optimistic concurrency) on the head's resourceVersion
   * as this store last wrote or listed it: a writer whose view is stale — another process marked the
   * revision failed, or superseded it, meanwhile — gets HistoryConflictError instead of overwriting.
   */
  async setStatus(revision: number, status: RevisionStatus, description?: string): Promise<void> {
    await this.guard?.();
    const annotations: Record<string, string> = { [A_UPDATED]: new Date().toISOString() };
    if (description !== undefined) annotations[A_DESCRIPTION] = description;
    const rv = this.headVersions.get(revision);
    try {
      const res = await this.client.mergePatch(secretRef(this.namespace, headName(this.name, revision)), {
        metadata: { labels: { [L_STATUS]: status }, annotations, ...(rv ? { resourceVersion: rv } : {}) },
      });
      if (res.metadata.resourceVersion) this.headVersions.set(revision, String(res.metadata.resourceVersion));
    } catch (e) {
      if (e instanceof KubeApiError && e.code === 409) {
        throw new HistoryConflictError(
          `release ${this.name}: revision ${revision} was changed by another process since this one read it; not marking it ${status}`,
        );
      }
      throw e;
    }
  }

  /**
   * Deletes the Secrets of one revision: the head first, so an interrupted
   * delete leaves only headless chunks (invisible, removed by deleteAll), never
   * a head pointing at missing chunks.
   */
  async deleteRevision(revision: number, chunks: number): Promise<void> {
    await this.guard?.();
    for (let k = 0; k < chunks; k++) await this.client.delete(secretRef(this.namespace, chunkName(this.name, revision, k)));
  }

  /**
   * Keeps at most `max` revisions (oldest go first) but never the latest
   * deployed one: it is what rollback and prune rely on.
   */
  async prune(max: number): Promise<number[]> {
    if (!(max > 0)) return [];
    const all = await this.summaries();
    const lastDeployed = [...all].reverse().find((s) => s.status === 'deployed')?.revision;
    const removed: number[] = [];
    let excess = all.length - max;
    for (const s of all) {
      if (excess <= 0) break;
      if (s.revision === lastDeployed) continue;
      await this.deleteRevision(s.revision, s.chunks);
      removed.push(s.revision);
      excess--;
    }
    return removed;
  }

  /** Deletes every Secret of one revision found by label (head first), whatever its head says about chunks. */
  async deleteRevisionSecrets(revision: number): Promise<void> {
    const all = await this.client.list('v1', 'Secret', {
      namespace: this.namespace,
      labelSelector: `${L_OWNER}=opm,${L_NAME}=${labelSafe(this.name)},${L_REVISION}=${revision}`,
      metadataOnly: true,
    });
    const head = headName(this.name, revision);
    const mine = all.map((s) => s.metadata.name).filter((n) => n === head || n.startsWith(`${head}.`));
    mine.sort((a, b) => Number(b === head) - Number(a === head));
    for (const n of mine) await this.client.delete(secretRef(this.namespace, n));
  }

  /** Deletes every history Secret of the release (heads, chunks and any strays). */
  async deleteAll(): Promise<void> {
    const all = await this.client.list('v1', 'Secret', {
      namespace: this.namespace,
      labelSelector: `${L_OWNER}=opm,${L_NAME}=${labelSafe(this.name)}`,
      metadataOnly: true,
    });
    const mine = all.filter((s) => s.metadata.name.startsWith(`opm.release.v1.${this.name}.v`));
    await this.guard?.();
    // Heads before chunks, so an interrupted delete never leaves a head without its chunks.
    mine.sort((a, b) => Number(b.metadata.labels?.[L_CHUNK] === '0') - Number(a.metadata.labels?.[L_CHUNK] === '0'));
    for (const s of mine) await this.client.delete(secretRef(this.namespace, s.metadata.name));
  }
}

/** A revision whose stored payload cannot be read back: names the revision and the Secret(s). */
export class CorruptRevisionError extends Error {
  constructor(
    readonly release: string,
    readonly namespace: string,
    readonly revision: number,
    readonly secret: string,
    readonly problem: string,
  ) {
    super(`release ${release} revision ${revision}: history Secret ${namespace}/${secret} is corrupt (${problem})`);
    this.name = 'CorruptRevisionError';
  }
}

/**
 * The first of `candidates` (in the order given) whose payload reads back; a
 * corrupt one is skipped with a warning. Undefined when none does.
 */
export async function readFirstIntact(
  store: HistoryStore,
  candidates: RevisionSummary[],
  warn: (text: string) => void,
): Promise<ReleaseRevision | undefined> {
  for (const c of candidates) {
    try {
      return await store.read(c.revision);
    } catch (e) {
      if (!(e instanceof CorruptRevisionError)) throw e;
      warn(`warning: ${e.message}; skipping it (opm release history ${store.name} --verify shows it, opm release repair fixes it)`);
    }
  }
  return undefined;
}

/** Revisions that were deployed, the current one first: what state is carried forward from. */
export function deployedFirst(summaries: RevisionSummary[]): RevisionSummary[] {
  const newest = [...summaries].reverse();
  return [...newest.filter((s) => s.status === 'deployed'), ...newest.filter((s) => s.status === 'superseded')];
}

/** The latest revision of every release in a namespace (or all namespaces), from metadata only. */
export async function listReleases(client: KubeClient, namespace?: string): Promise<RevisionSummary[]> {
  const heads = await client.list('v1', 'Secret', {
    ...(namespace ? { namespace } : {}),
    labelSelector: `${L_OWNER}=opm,${L_CHUNK}=0`,
    metadataOnly: true,
  });
  const latest = new Map<string, RevisionSummary>();
  for (const h of heads) {
    const name = releaseNameOf(h.metadata.name);
    if (!name) continue;
    const s = summaryOf(h.metadata, name);
    const key = `${s.namespace}/${name}`;
    const cur = latest.get(key);
    if (!cur || cur.revision < s.revision) latest.set(key, s);
  }
  return [...latest.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}
