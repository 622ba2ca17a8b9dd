// Sizes the issue names: applying a release of 200 objects, and `list` over
// 1,000 stored releases (which must read metadata only). Timings are printed
// for the report; the bounds asserted are loose (2 shared cores).
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
  let t = performance.now();
  await applyRelease(env.ctx, release('big', 'big', objs), { wait: true, timeoutMs: 60_000 });
  const install = performance.now() - t;
  env.lines.length = 0;
  t = performance.now();
  await applyRelease(env.ctx, release('big', 'big', objs), {});
  const noop = performance.now() - t;
  expect(env.lines.filter((l) => l.endsWith(' unchanged'))).toHaveLength(200);
  console.log(`[bench] apply 200 objects: install+wait ${install.toFixed(0)} ms, no-op re-apply ${noop.toFixed(0)} ms`);
  expect(noop).toBeLessThan(30_000);

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
        manifest: [deployment(`app-${i}`, 2)],
        createdAt: now,
        updatedAt: now,
      };
      for (const s of revisionSecrets(r)) env.api.store.write(s);
    }
  }
  const before = env.api.requests.length;
  const t = performance.now();
  const rels = await listReleases(env.client);
  const ms = performance.now() - t;
  const reqs = env.api.requests.slice(before);
  console.log(`[bench] list 1,000 releases (2,000 revisions): ${ms.toFixed(0)} ms in ${reqs.length} request(s)`);
  expect(rels.filter((r) => r.name.startsWith('app-'))).toHaveLength(1000);
  expect(rels.find((r) => r.name === 'app-7')).toMatchObject({ namespace: 'tenant-7', revision: 2, moduleVersion: '1.0.2', status: 'deployed' });
  // Only list calls, paged, with a label selector on the head chunks; no per-release reads.
  expect(reqs.every((r) => r.method === 'GET' && r.path === '/api/v1/secrets')).toBe(true);
  expect(reqs[0]!.query.labelSelector).toBe('opm.dev/owner=opm,opm.dev/chunk=0');
  expect(ms).toBeLessThan(20_000);
}, 120_000);
