// Secrets at rest: history payloads keep no secret value (markers in values,
// digests in the stored Secret objects); rollback and scale take the values
// from the live Secrets; old revisions with plain values still work.
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRelease } from '../src/apply-release.js';
import { HistoryStore } from '../src/history/store.js';
import { revisionSecrets } from '../src/history/codec.js';
import { SECRET_MARKER } from '../src/history/secrets.js';
import { rollbackRelease } from '../src/rollback.js';
import { scaleRelease } from '../src/scale.js';
import { releaseHistory, releaseStatus } from '../src/status.js';
import type { DesiredRelease, KubeObject, RerenderRelease } from '../src/types.js';
import { deployment, namespace, release, secret, startEnv, type Env } from './lifecycle-helpers.js';

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await env?.api.close();
});
const take = () => env.lines.splice(0, env.lines.length);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const ns = 'vault';
const TOKEN = 'tok-Zq8-data-form-secret';

function withSecret(pw: string, replicas = 1): DesiredRelease {
  const token: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api' }, type: 'Opaque', data: { token: b64(TOKEN) } };
  return {
    ...release('s', ns, [namespace(ns), secret('creds', { password: pw }), token, deployment('web', replicas)], { replicas, db: { password: pw } }),
    secretPaths: ['db.password'],
  };
}

/** Every history payload of the release, decoded to text. */
function payloadText(): string {
  return env.api.store
    .list('v1', 'Secret', ns)
    .filter((s: { type?: string }) => s.type === 'opm.dev/release.v1')
    .map((s: { data: { release: string }; metadata: unknown }) => JSON.stringify(s.metadata) + gunzipSync(Buffer.from(s.data.release, 'base64')).toString('utf8'))
    .join('\n');
}

describe('history keeps no secret values', () => {
  it('stores markers at secret paths, digests for Secret data, and where each value lives', async () => {
    await applyRelease(env.ctx, withSecret('Pw-one-1111'), {});
    const text = payloadText();
    for (const s of ['Pw-one-1111', b64('Pw-one-1111'), TOKEN, b64(TOKEN)]) expect(text).not.toContain(s);
    const rev = await new HistoryStore(env.client, ns, 's').read(1);
    expect(rev.userValues).toEqual({ replicas: 1, db: { password: SECRET_MARKER } });
    expect((rev.finalValues as { db: { password: string } }).db.password).toBe(SECRET_MARKER);
    const creds = rev.manifest.find((o) => o.metadata.name === 'creds') as unknown as { stringData: Record<string, string> };
    expect(creds.stringData.password).toMatch(/^sha256:[0-9a-f]{64}$/);
    const api = rev.manifest.find((o) => o.metadata.name === 'api') as unknown as { data: Record<string, string> };
    expect(api.data.token).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(rev.secretRefs).toEqual([{ path: 'db.password', namespace: ns, name: 'creds', key: 'password' }]);
    // The live Secret has the value; drift compares it by digest.
    expect(env.api.store.get('v1', 'Secret', ns, 'creds').data.password).toBe(b64('Pw-one-1111'));
    const st = await releaseStatus(env.client, ns, 's', { drift: true });
    expect(st.objects.every((o) => o.drift!.length === 0)).toBe(true);
    expect(st.values).toEqual({ replicas: 1, db: { password: '<secret>' } });
  });

  it('rollback takes secret data from the live Secrets, keeping a changed live value and saying so', async () => {
    await applyRelease(env.ctx, withSecret('Pw-two-2222'), {});
    take();
    const res = await rollbackRelease(env.ctx, ns, 's', 1, {});
    expect(res.revision).toBe(3);
    const lines = take();
    expect(lines).toContain('secret/creds: key password differs from revision 1; keeping the live value (history keeps no secret values)');
    expect(lines.join('\n')).not.toContain('Pw-');
    expect(env.api.store.get('v1', 'Secret', ns, 'creds').data.password).toBe(b64('Pw-two-2222'));
    // Unchanged keys come back exactly, without a note.
    expect(env.api.store.get('v1', 'Secret', ns, 'api').data.token).toBe(b64(TOKEN));
    expect(lines.some((l) => l.startsWith('secret/api: key token'))).toBe(false);
    for (const s of ['Pw-two-2222', b64('Pw-two-2222'), TOKEN]) expect(payloadText()).not.toContain(s);
  });

  it('rollback fails clearly when a key is gone from the cluster, recording nothing', async () => {
    const live = env.api.store.get('v1', 'Secret', ns, 'api');
    env.api.store.write({ ...live, data: {} });
    const before = (await releaseHistory(env.client, ns, 's')).length;
    const err = await rollbackRelease(env.ctx, ns, 's', 2, {}).catch((e) => e);
    expect(err.message).toMatch(/cannot restore revision 2: secret\/api has no key token, and history keeps only a digest of secret values/);
    expect((await releaseHistory(env.client, ns, 's')).length).toBe(before);
    env.api.store.write({ ...env.api.store.get('v1', 'Secret', ns, 'api'), data: { token: b64(TOKEN) } });
  });

  it('scale reads secret values back from the Secrets they were rendered into', async () => {
    const seen: Record<string, unknown>[] = [];
    const rerender: RerenderRelease = async (input) => {
      seen.push(input.userValues);
      const v = input.userValues as { replicas: number; db: { password: string } };
      return withSecret(v.db.password, v.replicas);
    };
    await scaleRelease(env.ctx, ns, 's', { replicas: 3, rerender });
    expect((seen[0] as { db: { password: string } }).db.password).toBe('Pw-two-2222');
    expect(env.api.store.get('apps/v1', 'Deployment', ns, 'web').spec.replicas).toBe(3);
    expect(env.api.store.get('v1', 'Secret', ns, 'creds').data.password).toBe(b64('Pw-two-2222'));
    // When the value cannot be read back, the marker must never reach the cluster.
    env.api.store.write({ ...env.api.store.get('v1', 'Secret', ns, 'creds'), data: {} });
    const err = await scaleRelease(env.ctx, ns, 's', { replicas: 2, rerender }).catch((e) => e);
    expect(err.message).toMatch(/a secret value \(one of values.db.password\) is not stored in history and could not be read back/);
    expect(JSON.stringify(env.api.store.get('v1', 'Secret', ns, 'creds'))).not.toContain(b64(SECRET_MARKER));
    expect(env.api.store.get('apps/v1', 'Deployment', ns, 'web').spec.replicas).toBe(3);
  });

  it('a revision stored with plain values (older opm) is still read and rolled back to exactly', async () => {
    const store = new HistoryStore(env.client, ns, 's');
    const last = (await store.summaries()).at(-1)!;
    const rev = await store.read(last.revision);
    const plain = { ...rev, revision: last.revision + 1, status: 'superseded' as const, userValues: { replicas: 1, db: { password: 'Old-plain-3333' } }, secretRefs: undefined };
    plain.manifest = rev.manifest.map((o) =>
      o.metadata.name === 'creds' ? { ...o, stringData: { password: 'Old-plain-3333' } } : o.metadata.name === 'api' ? { ...o, data: { token: b64(TOKEN) } } : o,
    );
    for (const s of revisionSecrets(plain)) env.api.store.write(s);
    expect((await store.read(plain.revision)).userValues).toEqual({ replicas: 1, db: { password: 'Old-plain-3333' } });
    take();
    await rollbackRelease(env.ctx, ns, 's', plain.revision, {});
    expect(env.api.store.get('v1', 'Secret', ns, 'creds').data.password).toBe(b64('Old-plain-3333'));
    expect(take().join('\n')).not.toContain('Old-plain');
    // The new revision stores it without the value.
    const latest = (await store.summaries()).at(-1)!;
    const text = gunzipSync(Buffer.from(env.api.store.get('v1', 'Secret', ns, `opm.release.v1.s.v${latest.revision}`).data.release, 'base64')).toString('utf8');
    expect(text).not.toContain('Old-plain-3333');
    expect(text).not.toContain(b64('Old-plain-3333'));
  });
});

describe('with the platform history encryption key', () => {
  const key = randomBytes(32);
  const nsK = 'vault-sealed';
  const desiredK = (pw: string): DesiredRelease => ({
    ...release('k', nsK, [namespace(nsK), secret('creds', { password: pw })], { db: { password: pw } }),
    secretPaths: ['db.password'],
  });
  const textOf = () =>
    env.api.store
      .list('v1', 'Secret', nsK)
      .filter((s: { type?: string }) => s.type === 'opm.dev/release.v1')
      .map((s: { data: { release: string } }) => gunzipSync(Buffer.from(s.data.release, 'base64')).toString('utf8'))
      .join('\n');

  it('stores the secret data encrypted (never in clear) and rollback restores it exactly', async () => {
    const ctx = { ...env.ctx, historyKey: key };
    await applyRelease(ctx, desiredK('Sealed-one-4444'), {});
    await applyRelease(ctx, desiredK('Sealed-two-5555'), {});
    for (const s of ['Sealed-one-4444', 'Sealed-two-5555', b64('Sealed-one-4444'), b64('Sealed-two-5555')]) expect(textOf()).not.toContain(s);
    const rev = await new HistoryStore(env.client, nsK, 'k').read(1);
    expect(rev.sealed?.alg).toBe('AES-256-GCM');
    take();
    await rollbackRelease(ctx, nsK, 'k', 1, {});
    // Exactly revision 1's value, not the live one, and no "keeping the live value" note.
    expect(env.api.store.get('v1', 'Secret', nsK, 'creds').data.password).toBe(b64('Sealed-one-4444'));
    expect(take().some((l) => l.includes('keeping the live value'))).toBe(false);
    expect(textOf()).not.toContain('Sealed-one-4444');
  });

  it('without the key a sealed revision rolls back from the live Secrets; a wrong key fails clearly', async () => {
    take();
    await rollbackRelease(env.ctx, nsK, 'k', 2, {});
    const lines = take();
    expect(lines).toContain('revision 2: its secret data is encrypted and no --history-encryption-key was given; secret values come from the live Secrets');
    expect(lines).toContain('secret/creds: key password differs from revision 2; keeping the live value (history keeps no secret values)');
    expect(env.api.store.get('v1', 'Secret', nsK, 'creds').data.password).toBe(b64('Sealed-one-4444'));
    const err = await rollbackRelease({ ...env.ctx, historyKey: randomBytes(32) }, nsK, 'k', 2, {}).catch((e) => e);
    expect(err.message).toMatch(/revision 2: its secret data cannot be decrypted with the history encryption key given/);
  });
});
