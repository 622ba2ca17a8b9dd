// Optional encryption of a revision's secret data with a key the platform
// provides (`--history-encryption-key NAMESPACE/NAME`: a Secret holding 32
// bytes). With it, the values stripSecrets removes from the payload are kept
// in the payload encrypted (AES-256-GCM, node:crypto; a fresh 12-byte IV per
// revision; the release namespace, name and revision are authenticated data,
// so a sealed blob cannot be moved to another revision), and rollback and
// scale restore them exactly. Without the key a sealed revision behaves like
// any revision without secret values (values come from the live Secrets).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { getValuesPath, splitPath } from '@opm/core';
import { isSecret } from '../redact.js';
import { refKey, refOf } from '../objref.js';
import type { KubeObject, ReleaseRevision, SealedSecrets } from '../types.js';

interface Plain {
  /** Secret path → value, per values field. */
  userValues: Record<string, unknown>;
  finalValues: Record<string, unknown>;
  /** refKey of a Secret → its data/stringData. */
  objects: Record<string, { data?: Record<string, string>; stringData?: Record<string, string> }>;
}

const aad = (rev: Pick<ReleaseRevision, 'namespace' | 'name' | 'revision'>) => Buffer.from(`${rev.namespace}/${rev.name}/v${rev.revision}`);

/** The value at a values path as core writes secret paths (dotted, a label that is no identifier quoted: `db."read-replica".token`). */
export function getPath(values: unknown, path: string): unknown {
  return getValuesPath(values, splitPath(path));
}

function setPath(values: Record<string, unknown>, path: string, v: unknown): void {
  const parts = splitPath(path);
  let cur: Record<string, unknown> = values;
  for (const p of parts.slice(0, -1)) {
    if (!cur[p] || typeof cur[p] !== 'object') return;
    cur = cur[p] as Record<string, unknown>;
  }
  if (parts.length) cur[parts[parts.length - 1]!] = v;
}

export function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new Error(`the history encryption key must be 32 bytes (AES-256), got ${key.length}`);
}

/** Encrypts the secret data of a plain revision (before stripSecrets removes it). */
export function seal(rev: ReleaseRevision, key: Buffer): SealedSecrets {
  checkKey(key);
  const plain: Plain = { userValues: {}, finalValues: {}, objects: {} };
  for (const p of rev.secretPaths ?? []) {
    const u = getPath(rev.userValues, p);
    const f = getPath(rev.finalValues, p);
    if (u !== undefined) plain.userValues[p] = u;
    if (f !== undefined) plain.finalValues[p] = f;
  }
  for (const o of rev.manifest.filter(isSecret)) {
    const s = o as { data?: Record<string, string>; stringData?: Record<string, string> };
    plain.objects[refKey(refOf(o))] = { ...(s.data ? { data: s.data } : {}), ...(s.stringData ? { stringData: s.stringData } : {}) };
  }
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad(rev));
  const data = Buffer.concat([c.update(JSON.stringify(plain), 'utf8'), c.final()]);
  return { alg: 'AES-256-GCM', iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** A revision with its sealed secret data put back in place (values and Secret objects), exactly as applied. */
export function unseal(rev: ReleaseRevision, key: Buffer): ReleaseRevision {
  if (!rev.sealed) return rev;
  checkKey(key);
  let plain: Plain;
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(rev.sealed.iv, 'base64'));
    d.setAAD(aad(rev));
    d.setAuthTag(Buffer.from(rev.sealed.tag, 'base64'));
    plain = JSON.parse(Buffer.concat([d.update(Buffer.from(rev.sealed.data, 'base64')), d.final()]).toString('utf8')) as Plain;
  } catch {
    throw new Error(`release ${rev.name} revision ${rev.revision}: its secret data cannot be decrypted with the history encryption key given (another key, or altered data)`);
  }
  const userValues = JSON.parse(JSON.stringify(rev.userValues ?? {})) as Record<string, unknown>;
  const finalValues = JSON.parse(JSON.stringify(rev.finalValues ?? {})) as Record<string, unknown>;
  for (const [p, v] of Object.entries(plain.userValues)) setPath(userValues, p, v);
  for (const [p, v] of Object.entries(plain.finalValues)) setPath(finalValues, p, v);
  const manifest = rev.manifest.map((o): KubeObject => {
    const saved = isSecret(o) ? plain.objects[refKey(refOf(o))] : undefined;
    if (!saved) return o;
    const { data: _d, stringData: _s, ...rest } = o as KubeObject & { data?: unknown; stringData?: unknown };
    return { ...rest, ...saved } as KubeObject;
  });
  const { sealed: _sealed, ...restRev } = rev;
  return { ...restRev, userValues, finalValues, manifest };
}
