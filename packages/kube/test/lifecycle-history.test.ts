// History storage: bounded by historyMax, chunked across Secrets, listed from
// metadata; diff output and exit semantics; secrets never in output.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRelease } from '../src/apply-release.js';
import { diffRelease } from '../src/diff.js';
import { HistoryConflictError, HistoryStore, listReleases } from '../src/history/store.js';
import { releaseHistory, releaseStatus } from '../src/status.js';
import { configMap, deployment, namespace, release, secret, startEnv, type Env } from './lifecycle-helpers.js';

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await env?.api.close();
});

const historySecrets = (ns: string) =>
  env.api.store.list('v1', 'Secret', ns).filter((s: { type?: string }) => s.type === 'opm.dev/release.v1');

describe('history', () => {
  it('is bounded by historyMax, keeping the newest revisions', async () => {
    const ns = 'bounded';
    for (let i = 1; i <= 5; i++) {
      await applyRelease(env.ctx, release('b', ns, [namespace(ns), configMap('c', { i: String(i) })]), { historyMax: 3 });
    }
    const hist = await releaseHistory(env.client, ns, 'b');
    expect(hist.map((h) => h.revision)).toEqual([3, 4, 5]);
    expect(hist.map((h) => h.status)).toEqual(['superseded', 'superseded', 'deployed']);
    expect(historySecrets(ns)).toHaveLength(3);
  });

  it('status changes are conditional on the revision as this writer saw it (optimistic concurrency)', async () => {
    const ns = 'occ';
    await applyRelease(env.ctx, release('o', ns, [namespace(ns), configMap('c', { i: '1' })]));
    const stale = new HistoryStore(env.client, ns, 'o');
    const other = new HistoryStore(env.client, ns, 'o');
    await stale.summaries();
    await other.summaries();
    await other.setStatus(1, 'failed', 'changed by another process');
    const err = await stale.setStatus(1, 'deployed').catch((e) => e);
    expect(err).toBeInstanceOf(HistoryConflictError);
    expect(err.message).toBe('release o: revision 1 was changed by another process since this one read it; not marking it deployed');
    expect((await releaseHistory(env.client, ns, 'o')).map((h) => h.status)).toEqual(['failed']);
    // A revision number another writer already recorded is refused, chunks included.
    const rev = await other.read(1);
    const small = new HistoryStore(env.client, ns, 'o', 64);
    await expect(small.write({ ...rev, description: 'stale writer' })).rejects.toThrow(/revision 1 already exists/);
    expect((await other.read(1)).description).toBe('changed by another process');
  });

  it('chunks a payload over several Secrets and reads it back', async () => {
    const ns = 'chunked';
    const ctx = { ...env.ctx, chunkBytes: 4096 };
    // Random data does not compress: ~30 KB of payload → 8 chunks of 4 KiB.
    const data = { blob: randomBytes(22_000).toString('base64') };
    await applyRelease(ctx, release('big', ns, [namespace(ns), configMap('blob', data)], { note: 'x' }), {});
    const secrets = historySecrets(ns);
    expect(secrets.length).toBeGreaterThan(5);
    const head = secrets.find((s: { metadata: { name: string } }) => s.metadata.name === 'opm.release.v1.big.v1');
    expect(Number(head.metadata.annotations['opm.dev/chunks'])).toBe(secrets.length);
    const rev = await new HistoryStore(env.client, ns, 'big').read(1);
    expect(rev.manifest.find((o) => o.kind === 'ConfigMap')?.data).toEqual(data);
    expect(rev.userValues).toEqual({ note: 'x' });
    // Trimming history removes every chunk of a dropped revision.
    await applyRelease(ctx, release('big', ns, [namespace(ns), configMap('blob', { small: 'y' })]), { historyMax: 1 });
    expect(historySecrets(ns).map((s: { metadata: { name: string } }) => s.metadata.name)).toEqual(['opm.release.v1.big.v2']);
  });

  it('an interrupted trim never leaves a head without its chunks', async () => {
    const ns = 'trim';
    const store = new HistoryStore(env.client, ns, 't', 512);
    const ctx = { ...env.ctx, chunkBytes: 512 };
    const big = () => configMap('blob', { blob: randomBytes(3000).toString('base64') });
    await applyRelease(ctx, release('t', ns, [namespace(ns), big()]), {});
    await applyRelease(ctx, release('t', ns, [namespace(ns), big()]), {});
    const chunks = (await store.summaries())[0]!.chunks;
    expect(chunks).toBeGreaterThan(2);
    // The second chunk delete of revision 1 fails (as if the process died there).
    const undo = env.api.faults.inject({ method: 'DELETE', path: 'opm.release.v1.t.v1.1', status: 500, times: Infinity });
    await expect(store.deleteRevision(1, chunks)).rejects.toThrow();
    undo();
    expect((await store.summaries()).map((x) => x.revision)).toEqual([2]);
    expect((await store.read(2)).revision).toBe(2);
    await store.deleteAll();
    expect(historySecrets(ns)).toEqual([]);
  });

  it('splits a release larger than the 1 MiB object limit with the default chunk size', async () => {
    const ns = 'huge';
    // Two ConfigMaps of ~700 KB incompressible data: gzip'd payload ~1.05 MB > one Secret.
    const objs = [namespace(ns), configMap('a', { d: randomBytes(520_000).toString('base64') }), configMap('b', { d: randomBytes(520_000).toString('base64') })];
    await applyRelease(env.ctx, release('huge', ns, objs), {});
    const secrets = historySecrets(ns);
    expect(secrets.length).toBe(2);
    for (const s of secrets) expect(Buffer.from(s.data.release, 'base64').length).toBeLessThan(1024 * 1024);
    const st = await releaseStatus(env.client, ns, 'huge');
    expect(st.objects).toHaveLength(3);
  }, 60_000);

  it('list reads only metadata: one row per release, latest revision', async () => {
    const before = env.api.requests.length;
    const rels = await listReleases(env.client);
    const reqs = env.api.requests.slice(before);
    expect(reqs.filter((r) => r.method === 'GET' && /\/secrets\/[^/]+$/.test(r.path))).toHaveLength(0);
    expect(rels.find((r) => r.name === 'b')).toMatchObject({ namespace: 'bounded', revision: 5, status: 'deployed' });
    expect(rels.filter((r) => r.name === 'big')).toHaveLength(1);
  });
});

describe('diff', () => {
  const ns = 'diffy';
  const v1 = () => release('d', ns, [namespace(ns), deployment('web', 2), configMap('old', { k: 'v' }), secret('creds', { password: 's3cr3t-password-1' })]);

  it('shows creations against an empty cluster', async () => {
    const res = await diffRelease(env.client, v1());
    expect(res.changed).toBe(true);
    expect(res.objects.map((o) => o.change)).toEqual(['create', 'create', 'create', 'create']);
    expect(res.text).toContain('+++ desired/deployment.apps/web');
    expect(res.text).not.toContain('s3cr3t-password-1');
    expect(res.text).not.toContain(Buffer.from('s3cr3t-password-1').toString('base64'));
    expect(res.text).toContain('<secret>');
  });

  it('reports no change right after an apply', async () => {
    await applyRelease(env.ctx, v1(), {});
    const res = await diffRelease(env.client, v1());
    expect(res.text).toBe('');
    expect(res.changed).toBe(false);
  });

  it('shows updates, masked secret changes and prunes as a unified diff', async () => {
    const v2 = release('d', ns, [namespace(ns), deployment('web', 3), secret('creds', { password: 's3cr3t-password-2' })]);
    const res = await diffRelease(env.client, v2);
    expect(res.changed).toBe(true);
    expect(res.objects).toEqual([
      { ref: 'deployment.apps/web', change: 'update' },
      { ref: 'secret/creds', change: 'update' },
      { ref: 'configmap/old', change: 'delete' },
    ]);
    expect(res.text).toMatch(/^-\s+replicas: 2$/m);
    expect(res.text).toMatch(/^\+\s+replicas: 3$/m);
    expect(res.text).toMatch(/^\+\s+password: <secret> \(changed\)$/m);
    expect(res.text).not.toContain('opm.dev/manifest-hash');
    expect(res.text).toContain('+++ /dev/null');
    for (const s of ['s3cr3t-password-1', 's3cr3t-password-2']) {
      expect(res.text).not.toContain(s);
      expect(res.text).not.toContain(Buffer.from(s).toString('base64'));
    }
    // Nothing was written by the diff.
    expect(env.api.store.get('apps/v1', 'Deployment', ns, 'web').spec.replicas).toBe(2);
  });
});

describe('secrets in server error text', () => {
  it('an API error that echoes a secret value is scrubbed from the error, the history and the status', async () => {
    const ns = 'echo';
    const pw = 'Echoed-Pa55word-42';
    const b64 = Buffer.from(pw).toString('base64');
    const objs = () => [namespace(ns), secret('creds', { password: pw }), deployment('web', 1)];
    // An admission webhook that quotes the request, value and all (some do).
    const undo = env.api.faults.inject({
      method: 'PATCH',
      path: '/deployments/web',
      status: 400,
      reason: 'BadRequest',
      message: `admission webhook "policy.example.com" denied the request: env DB_PASSWORD="${pw}" (base64 ${b64}) must come from a secretKeyRef`,
    });
    env.lines.length = 0;
    const desired = { ...release('echo', ns, objs(), { db: { password: pw } }), secretPaths: ['db.password'] };
    const err = await applyRelease(env.ctx, desired, {}).catch((e) => e);
    undo();
    expect(err.message).toContain('admission webhook "policy.example.com" denied the request');
    const hist = await releaseHistory(env.client, ns, 'echo');
    expect(hist.map((h) => h.status)).toEqual(['failed']);
    expect(hist[0]!.description).toContain('denied the request');
    const st = await releaseStatus(env.client, ns, 'echo');
    for (const text of [err.message, String(err.stack), JSON.stringify(hist), JSON.stringify(st), env.lines.join('\n')]) {
      expect(text).not.toContain(pw);
      expect(text).not.toContain(b64);
    }
  });
});
