// Sizes the issue names: applying a release of 200 objects, and `list` over
// 1,000 stored releases (which must read metadata only). What is asserted is
// the work done (requests, bytes), not time: timings are in
// bench/release-apply.bench.js and bench/release-list.bench.js.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyRelease } from '../src/apply-release.js';
import { listReleases } from '../src/history/store.js';
import { revisionSecrets, valuesDigest } from '../src/history/codec.js';
import type { KubeObject, ReleaseRevision } from '../src/types.js';
import { configMap, deployment, namespace, release, service, startEnv, type Env } from './lifecycle-helpers.js';

let env: Env;
beforeAll(async () => {
  env = await startEnv({ controllers: true });
});
afterAll(async () => {
  await env?.api.close();
});

it('applies a release of 200 objects (install, then a no-op apply)', async () => {
  const objs: KubeObject[] = [namespace('big')];
  for (let i = 0; i < 67; i++) objs.push(configMap(`cfg-${i}`, { index: String(i), text: 'x'.repeat(200) }));
  for (let i = 0; i < 66; i++) objs.push(service(`svc-${i}`));
  for (let i = 0; i < 66; i++) objs.push(deployment(`dep-${i}`, 1));
  expect(objs).toHaveLength(200);
  await applyRelease(env.ctx, release('big', 'big', objs), { wait: true, timeoutMs: 60_000 });
  env.lines.length = 0;
  const start = env.api.requests.length;
  await applyRelease(env.ctx, release('big', 'big', objs), {});
  expect(env.lines.filter((l) => l.endsWith(' unchanged'))).toHaveLength(200);
  // A no-op apply reads each object once and writes none of them.
  const noop = env.api.requests.slice(start);
  expect(noop.filter((r) => r.method === 'PATCH' && !r.path.includes('/leases/') && !r.path.includes('/secrets/opm.release'))).toHaveLength(0);
  expect(noop.filter((r) => r.verb === 'get').length).toBeLessThan(200 + 10);

  // Waiting reads objects by LIST per kind and namespace, not one GET per object.
  const { waitForReady } = await import('../src/wait.js');
  const { refOf } = await import('../src/objref.js');
  const before = env.api.requests.length;
  const refs = objs.map((o) => refOf({ ...o, metadata: { ...o.metadata, ...(o.kind === 'Namespace' ? {} : { namespace: 'big' }) } }));
  await waitForReady(env.client, refs, { timeoutMs: 10_000, release: { name: 'big', namespace: 'big' } });
  const reqs = env.api.requests.slice(before);
  expect(reqs.length).toBeLessThan(10);
}, 120_000);

it('lists 1,000 releases (2 revisions each) from metadata', async () => {
  // Stored directly in the test server (not through apply) to keep the setup fast.
  const now = new Date().toISOString();
  let payload = 0;
  for (let i = 0; i < 1000; i++) {
    const ns = `tenant-${i % 20}`;
    if (i < 20) env.api.store.write({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const revision of [1, 2]) {
      const r: ReleaseRevision = {
        name: `app-${i}`,
        namespace: ns,
        revision,
        status: revision === 2 ? 'deployed' : 'superseded',
        description: 'install',
        module: { name: 'simple-web-app', version: `1.0.${revision}` },
        userValues: { replicas: 2 },
        finalValues: { replicas: 2 },
        valueOverrides: {},
        valuesDigest: valuesDigest({ replicas: 2 }),
        secretPaths: [],
        inventory: [],
        // A payload (gzip'd) several times larger than a head's metadata, so reading it would show.
        manifest: [deployment(`app-${i}`, 2), configMap(`app-${i}`, { blob: randomBytes(3000).toString('base64') })],
        createdAt: now,
        updatedAt: now,
      };
      for (const s of revisionSecrets(r)) {
        payload += Buffer.from((s as unknown as { data: { release: string } }).data.release, 'base64').length;
        env.api.store.write(s);
      }
    }
  }
  const before = env.api.requests.length;
  const rels = await listReleases(env.client);
  const reqs = env.api.requests.slice(before);
  expect(rels.filter((r) => r.name.startsWith('app-'))).toHaveLength(1000);
  expect(rels.find((r) => r.name === 'app-7')).toMatchObject({ namespace: 'tenant-7', revision: 2, moduleVersion: '1.0.2', status: 'deployed' });
  // Only list calls, paged, with a label selector on the head chunks; no per-release reads.
  expect(reqs.every((r) => r.method === 'GET' && r.path === '/api/v1/secrets')).toBe(true);
  expect(reqs[0]!.query.labelSelector).toBe('opm.dev/owner=opm,opm.dev/chunk=0');
  // Metadata only: everything received is less than the payloads alone.
  const received = reqs.reduce((a, r) => a + (r.bytes ?? 0), 0);
  expect(received).toBeLessThan(payload);
}, 120_000);
