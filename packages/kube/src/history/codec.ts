// Release history storage format. Each revision is one or more Secrets of
// type opm.dev/release.v1 in the release namespace:
//
//   opm.release.v1.<name>.v<rev>        head: chunk 0, plus everything `list`/`history` show
//   opm.release.v1.<name>.v<rev>.<k>    chunk k (k >= 1), only when the payload is large
//
// The payload is the gzip'd JSON of a ReleaseRevision, cut into chunks of at
// most CHUNK_BYTES so that each Secret stays well under the 1 MiB object limit
// (and the ~1.5 MiB etcd request limit after base64). Labels and annotations
// of the head carry the summary so listing reads metadata only; the status in
// the labels is authoritative (status changes patch the head's metadata only).
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { stripUrlCredentials } from '@opm/core';
import type { KubeObject, ReleaseRevision, RevisionStatus, RevisionSummary } from '../types.js';

export const SECRET_TYPE = 'opm.dev/release.v1';
export const CHUNK_BYTES = 700_000;
export const DATA_KEY = 'release';

export const L_OWNER = 'opm.dev/owner';
export const L_NAME = 'opm.dev/name';
export const L_REVISION = 'opm.dev/revision';
export const L_STATUS = 'opm.dev/status';
export const L_CHUNK = 'opm.dev/chunk';
export const A_CHUNKS = 'opm.dev/chunks';
export const A_MODULE = 'opm.dev/module';
export const A_MODULE_VERSION = 'opm.dev/module-version';
/** Manifest digest of the module artifact (OCI catalogs): what the revision is pinned to. */
export const A_MODULE_DIGEST = 'opm.dev/module-digest';
export const A_VALUES_DIGEST = 'opm.dev/values-digest';
/** The platform rules a revision was checked against: their digest and where they came from. */
export const A_PLATFORM_DIGEST = 'opm.dev/platform-digest';
export const A_PLATFORM_SOURCE = 'opm.dev/platform-source';
export const A_DESCRIPTION = 'opm.dev/description';
export const A_UPDATED = 'opm.dev/updated';
export const A_SHA256 = 'opm.dev/sha256';
/**
 * The kinds (`apiVersion/Kind`) and namespaces of the revision's inventory, on the head: readable without the
 * payload, so a release whose payload is corrupt can still be found by label and deleted (delete-release.ts).
 */
export const A_KINDS = 'opm.dev/kinds';
export const A_NAMESPACES = 'opm.dev/namespaces';

export function headName(release: string, revision: number): string {
  return `opm.release.v1.${release}.v${revision}`;
}
export function chunkName(release: string, revision: number, k: number): string {
  return k === 0 ? headName(release, revision) : `${headName(release, revision)}.${k}`;
}

export function encodePayload(rev: ReleaseRevision, chunkBytes = CHUNK_BYTES): { chunks: Buffer[]; sha256: string } {
  const gz = gzipSync(Buffer.from(JSON.stringify(rev), 'utf8'));
  const chunks: Buffer[] = [];
  for (let off = 0; off < gz.length || chunks.length === 0; off += chunkBytes) chunks.push(gz.subarray(off, off + chunkBytes));
  return { chunks, sha256: createHash('sha256').update(gz).digest('hex') };
}

/**
 * Largest payload decoded. Anyone who can write Secrets in the namespace can
 * write a history Secret, and a 2 MB gzip bomb unpacks to gigabytes; no real
 * revision (manifest, values, inventory) comes near this.
 */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

export function decodePayload(chunks: Buffer[], sha256?: string): ReleaseRevision {
  const gz = Buffer.concat(chunks);
  if (sha256 && createHash('sha256').update(gz).digest('hex') !== sha256) {
    throw new Error('release history is corrupt (checksum mismatch across chunks)');
  }
  let json: Buffer;
  try {
    json = gunzipSync(gz, { maxOutputLength: MAX_PAYLOAD_BYTES });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`release history payload unpacks to more than ${MAX_PAYLOAD_BYTES} bytes: refused (not written by opm?)`);
    throw new Error(`release history is corrupt (not gzip: ${(err as Error).message})`);
  }
  return JSON.parse(json.toString('utf8')) as ReleaseRevision;
}

/** Label values must be ≤63 chars of [A-Za-z0-9_.-]. */
export function labelSafe(v: string): string {
  const s = v.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 63);
  return s.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/** The Secrets of one revision; chunks come first so a head never points at missing chunks. */
export function revisionSecrets(rev: ReleaseRevision, chunkBytes = CHUNK_BYTES): KubeObject[] {
  const { chunks, sha256 } = encodePayload(rev, chunkBytes);
  const base = {
    [L_OWNER]: 'opm',
    [L_NAME]: labelSafe(rev.name),
    [L_REVISION]: String(rev.revision),
  };
  const secrets = chunks.map((c, k) => {
    const head = k === 0;
    const s: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: SECRET_TYPE,
      metadata: {
        name: chunkName(rev.name, rev.revision, k),
        namespace: rev.namespace,
        labels: head ? { ...base, [L_CHUNK]: '0', [L_STATUS]: rev.status } : { ...base, [L_CHUNK]: String(k) },
      },
      data: { [DATA_KEY]: c.toString('base64') },
    };
    if (head) {
      s.metadata.annotations = {
        [A_CHUNKS]: String(chunks.length),
        [A_MODULE]: rev.module.name,
        [A_MODULE_VERSION]: rev.module.version,
        ...(rev.module.digest ? { [A_MODULE_DIGEST]: rev.module.digest } : {}),
        ...(rev.platform ? { [A_PLATFORM_DIGEST]: rev.platform.digest, [A_PLATFORM_SOURCE]: stripUrlCredentials(rev.platform.source) } : {}),
        [A_VALUES_DIGEST]: rev.valuesDigest,
        [A_DESCRIPTION]: rev.description,
        [A_UPDATED]: rev.updatedAt,
        [A_SHA256]: sha256,
        [A_KINDS]: [...new Set(rev.inventory.map((r) => `${r.group ? `${r.group}/` : ''}${r.version}/${r.kind}`))].sort().join(','),
        [A_NAMESPACES]: [...new Set(rev.inventory.flatMap((r) => (r.namespace ? [r.namespace] : [])))].sort().join(','),
      };
    }
    return s;
  });
  return [...secrets.slice(1), secrets[0]!];
}

/** The summary of a revision from its head's metadata alone. */
export function summaryOf(meta: { namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; name: string }, name?: string): RevisionSummary {
  const l = meta.labels ?? {};
  const a = meta.annotations ?? {};
  return {
    name: name ?? l[L_NAME] ?? '',
    namespace: meta.namespace ?? '',
    revision: Number(l[L_REVISION] ?? 0),
    status: (l[L_STATUS] ?? 'unknown') as RevisionStatus,
    description: a[A_DESCRIPTION] ?? '',
    module: a[A_MODULE] ?? '',
    moduleVersion: a[A_MODULE_VERSION] ?? '',
    ...(a[A_MODULE_DIGEST] ? { moduleDigest: a[A_MODULE_DIGEST] } : {}),
    ...(a[A_PLATFORM_DIGEST] ? { platform: { digest: a[A_PLATFORM_DIGEST], source: a[A_PLATFORM_SOURCE] ?? '' } } : {}),
    valuesDigest: a[A_VALUES_DIGEST] ?? '',
    updatedAt: a[A_UPDATED] ?? '',
    chunks: Number(a[A_CHUNKS] ?? 1),
    ...(a[A_KINDS] !== undefined ? { kinds: a[A_KINDS].split(',').filter(Boolean) } : {}),
    ...(a[A_NAMESPACES] !== undefined ? { namespaces: a[A_NAMESPACES].split(',').filter(Boolean) } : {}),
  };
}

/** Recovers the release name from a head Secret name (labels are sanitised, names are exact). */
export function releaseNameOf(secretName: string): string | undefined {
  const m = /^opm\.release\.v1\.(.+)\.v(\d+)$/.exec(secretName);
  return m?.[1];
}

/** Stable digest of values (key order does not matter). */
export function valuesDigest(values: unknown): string {
  return 'sha256:' + createHash('sha256').update(canonicalJson(values)).digest('hex').slice(0, 16);
}

export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}
