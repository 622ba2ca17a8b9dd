// Secrets at rest in history. A history payload keeps no secret value:
//   - values at the release's secret paths (user and final values) hold SECRET_MARKER;
//   - the stored manifest's Secret objects keep, per key of `data` and of `stringData`, only
//     `sha256:<hex>` of the value's bytes (the shape stays, so a restored manifest is the one applied);
//   - `secretRefs` record which Secret key holds the value of each secret path (when the
//     value is a whole key), so a later re-render (scale) can read it back from the cluster.
// The values themselves live only in the rendered Secret objects in the cluster. Rollback
// takes each key from the live Secret (restoreSecretData): when the live value's digest
// differs from the target revision's it keeps the live value and says so; a key that no
// longer exists fails clearly. Revisions stored before this hold plain values and are used
// as they are (nothing in them looks like a digest: base64 has no ':').
import { createHash } from 'node:crypto';
import type { KubeClient } from '../client.js';
import { ANNOTATION_MANIFEST_HASH, manifestHash } from '../inventory.js';
import { displayRef, refOf } from '../objref.js';
import { isSecret } from '../redact.js';
import type { KubeObject, ReleaseRevision, Reporter, SecretRef } from '../types.js';
import { splitPath } from '@opm/core';
import { getPath, seal, unseal } from './sealed.js';

export const SECRET_MARKER = '<secret: not stored in history>';
const DIGEST = /^sha256:[0-9a-f]{64}$/;

export const isDigest = (v: unknown): v is string => typeof v === 'string' && DIGEST.test(v);
/** Digest of a Secret `data` value (base64): of the decoded bytes. */
export const digestOfData = (b64: string): string => `sha256:${createHash('sha256').update(Buffer.from(b64, 'base64')).digest('hex')}`;
/** Digest of a Secret `stringData` value: of its UTF-8 bytes (what the server stores in data). */
export const digestOfText = (s: string): string => `sha256:${createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex')}`;

/**
 * A stored Secret with every digest whose live value matches replaced by that live value (data: base64,
 * stringData: text), so it compares equal; digests that do not match stay (and show as a difference).
 */
export function withLiveSecretValues(stored: KubeObject, live: KubeObject | undefined): KubeObject {
  const liveData = ((live as { data?: Record<string, string> } | undefined)?.data ?? {}) as Record<string, string>;
  const s = stored as KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };
  const out = { ...s } as typeof s;
  const fill = (m: Record<string, string>, asText: boolean) =>
    Object.fromEntries(
      Object.entries(m).map(([k, v]) => {
        const lv = liveData[k];
        if (!isDigest(v) || typeof lv !== 'string' || digestOfData(lv) !== v) return [k, v];
        return [k, asText ? Buffer.from(lv, 'base64').toString('utf8') : lv];
      }),
    );
  if (s.data) out.data = fill(s.data, false);
  if (s.stringData) out.stringData = fill(s.stringData, true);
  return out;
}


/** A copy of `values` with `v` at every one of `paths` that is set. */
function setPaths(values: Record<string, unknown>, paths: string[], v: (path: string) => unknown): Record<string, unknown> {
  const out = JSON.parse(JSON.stringify(values ?? {})) as Record<string, unknown>;
  for (const path of paths) {
    const parts = splitPath(path);
    let cur: unknown = out;
    for (let i = 0; i < parts.length - 1 && cur && typeof cur === 'object'; i++) cur = (cur as Record<string, unknown>)[parts[i]!];
    const last = parts[parts.length - 1];
    if (cur && typeof cur === 'object' && last !== undefined && last in (cur as object)) {
      const nv = v(path);
      if (nv !== undefined) (cur as Record<string, unknown>)[last] = nv;
    }
  }
  return out;
}

/** A Secret's data as base64 per key, stringData folded in. */
function foldedData(o: KubeObject): Record<string, string> {
  const s = o as { data?: Record<string, string>; stringData?: Record<string, string> };
  const data: Record<string, string> = { ...(s.data ?? {}) };
  for (const [k, v] of Object.entries(s.stringData ?? {})) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  return data;
}

/** Which Secret key of `manifest` holds the value at each secret path (whole-key matches only). */
function findRefs(rev: ReleaseRevision): SecretRef[] {
  const out: SecretRef[] = [];
  const secrets = rev.manifest.filter(isSecret);
  for (const path of rev.secretPaths ?? []) {
    const v = getPath(rev.finalValues, path) ?? getPath(rev.userValues, path);
    if (typeof v !== 'string' || v === '' || v === SECRET_MARKER) {
      const old = rev.secretRefs?.find((r) => r.path === path);
      if (old) out.push(old);
      continue;
    }
    const want = Buffer.from(v, 'utf8').toString('base64');
    found: for (const s of secrets) {
      for (const [key, b64] of Object.entries(foldedData(s))) {
        if (b64 === want) {
          out.push({ path, namespace: s.metadata.namespace ?? rev.namespace, name: s.metadata.name, key });
          break found;
        }
      }
    }
  }
  return out;
}

/** The payload form of a revision: no secret values in it (see the top of this file). */
export function stripSecrets(rev: ReleaseRevision, key?: Buffer): ReleaseRevision {
  const paths = rev.secretPaths ?? [];
  const secretRefs = findRefs(rev);
  // With the platform's key the values are kept, encrypted; a revision already stripped (no plain values) keeps its seal.
  const sealed = key && !hasSecretDigests(rev) ? seal(rev, key) : rev.sealed;
  return {
    ...rev,
    ...(sealed ? { sealed } : {}),
    userValues: setPaths(rev.userValues, paths, () => SECRET_MARKER),
    finalValues: setPaths(rev.finalValues, paths, () => SECRET_MARKER),
    manifest: rev.manifest.map((o) => {
      if (!isSecret(o)) return o;
      const s = o as KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };
      const out = { ...s } as typeof s;
      if (s.data) out.data = Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, isDigest(v) ? v : digestOfData(v)]));
      if (s.stringData) out.stringData = Object.fromEntries(Object.entries(s.stringData).map(([k, v]) => [k, isDigest(v) ? v : digestOfText(String(v))]));
      return out;
    }),
    ...(secretRefs.length ? { secretRefs } : {}),
  };
}

/** Whether a revision's manifest holds Secret digests in place of values (stored by stripSecrets). */
export const hasSecretDigests = (rev: ReleaseRevision): boolean =>
  rev.manifest.some((o) => {
    const s = o as { data?: Record<string, unknown>; stringData?: Record<string, unknown> };
    return isSecret(o) && [...Object.values(s.data ?? {}), ...Object.values(s.stringData ?? {})].some(isDigest);
  });

/** A stored revision's secret data decrypted with the platform's key when it was sealed and the key is given. */
export function openSealed(rev: ReleaseRevision, key: Buffer | undefined, reporter: Reporter): ReleaseRevision {
  if (!rev.sealed) return rev;
  if (key) return unseal(rev, key);
  reporter.line(`revision ${rev.revision}: its secret data is encrypted and no --history-encryption-key was given; secret values come from the live Secrets`);
  return rev;
}

/**
 * Puts the data of the live Secret objects back into a stored manifest (for rollback). A key whose live value
 * differs from the stored digest keeps the live value, reported; a key no longer live fails, naming it.
 */
export async function restoreSecretData(client: KubeClient, rev: ReleaseRevision, reporter: Reporter): Promise<ReleaseRevision> {
  if (!hasSecretDigests(rev)) return rev;
  const manifest: KubeObject[] = [];
  for (const o of rev.manifest) {
    const s = o as KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };
    if (!isSecret(o) || ![...Object.values(s.data ?? {}), ...Object.values(s.stringData ?? {})].some(isDigest)) {
      manifest.push(o);
      continue;
    }
    const live = await client.get(refOf(o));
    const liveData = ((live as { data?: Record<string, string> } | undefined)?.data ?? {}) as Record<string, string>;
    let changed = false;
    const restore = (m: Record<string, string>, asText: boolean) => {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(m)) {
        if (!isDigest(v)) {
          out[k] = v;
          continue;
        }
        const lv = liveData[k];
        if (lv === undefined) {
          throw new Error(
            `cannot restore revision ${rev.revision}: ${displayRef(refOf(o), rev.namespace)} ${live ? `has no key ${k}` : 'no longer exists'}, and history keeps ` +
              `only a digest of secret values; apply the release again with its secret values instead`,
          );
        }
        if (digestOfData(lv) !== v) {
          changed = true;
          reporter.line(`${displayRef(refOf(o), rev.namespace)}: key ${k} differs from revision ${rev.revision}; keeping the live value (history keeps no secret values)`);
        }
        out[k] = asText ? Buffer.from(lv, 'base64').toString('utf8') : lv;
      }
      return out;
    };
    const restored = { ...s } as typeof s;
    if (s.data) restored.data = restore(s.data, false);
    if (s.stringData) restored.stringData = restore(s.stringData, true);
    // Restored exactly: the stored hash still describes it; a kept live value makes it another manifest.
    if (changed) restored.metadata = { ...restored.metadata, annotations: { ...(restored.metadata.annotations ?? {}), [ANNOTATION_MANIFEST_HASH]: manifestHash(restored) } };
    manifest.push(restored);
  }
  return { ...rev, manifest };
}

/**
 * Fills the secret paths of stored values (SECRET_MARKER) from the live Secret keys the revision recorded
 * (secretRefs), for a re-render (scale). Paths it cannot fill keep the marker; rejectMarker catches them.
 */
export async function restoreSecretValues(client: KubeClient, rev: ReleaseRevision): Promise<Record<string, unknown>> {
  const paths = (rev.secretPaths ?? []).filter((p) => getPath(rev.userValues, p) === SECRET_MARKER);
  const found = new Map<string, string>();
  for (const path of paths) {
    const ref = rev.secretRefs?.find((r) => r.path === path);
    if (!ref) continue;
    const live = (await client.get({ group: '', version: 'v1', kind: 'Secret', namespace: ref.namespace, name: ref.name })) as { data?: Record<string, string> } | undefined;
    const b64 = live?.data?.[ref.key];
    if (typeof b64 === 'string') found.set(path, Buffer.from(b64, 'base64').toString('utf8'));
  }
  return setPaths(rev.userValues, paths, (p) => found.get(p));
}

/** Fails when a rendered manifest carries the history marker: a secret value could not be recovered. */
export function rejectMarker(objects: KubeObject[], secretPaths: string[], release: string): void {
  const text = JSON.stringify(objects);
  if (!text.includes(SECRET_MARKER) && !text.includes(Buffer.from(SECRET_MARKER).toString('base64'))) return;
  throw new Error(
    `release ${release}: a secret value (one of values.${secretPaths.join(', values.')}) is not stored in history and could not be read back ` +
      `from the cluster; pass it with --secret PATH=env:VAR or file:FILE, or apply the release file again`,
  );
}
