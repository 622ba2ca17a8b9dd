// A process killed with SIGKILL in the middle of an apply must not leave the
// release stuck: the next apply takes over the dead holder's Lease, marks the
// interrupted revision failed, prunes what it had created, and succeeds.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyRelease } from '../src/apply-release.js';
import { releaseHistory } from '../src/status.js';
import { configMap, namespace, release, startEnv, type Env } from './lifecycle-helpers.js';
import type { KubeObject } from '../src/types.js';

const root = resolve(__dirname, '../../..');
const dist = join(root, '.tmp', `kube-crash-test-${process.pid}`);
let env: Env;

beforeAll(async () => {
  env = await startEnv();
  // The child runs plain node, so it needs @opm/kube compiled (into the git-ignored .tmp/).
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/typescript/bin/tsc'),
      '-p', join(root, 'packages/kube'),
      '--outDir', dist,
      '--composite', 'false', '--declaration', 'false', '--declarationMap', 'false', '--sourceMap', 'false',
      '--tsBuildInfoFile', join(dist, 'tsbuildinfo'),
    ],
    { stdio: 'ignore', timeout: 170_000 },
  );
}, 180_000);

afterAll(async () => {
  await env?.api.close();
  rmSync(dist, { recursive: true, force: true });
});

const sa = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });

it('recovers from a SIGKILL mid-apply', async () => {
  const ns = 'crash';
  const killed = release('c', ns, [namespace(ns), sa('only-in-killed'), configMap('cfg', { v: '1' })]);
  const file = join(dist, 'release.json');
  mkdirSync(dist, { recursive: true });
  writeFileSync(file, JSON.stringify(killed));

  const child = spawn(process.execPath, [join(__dirname, 'fixtures/apply-child.mjs')], {
    env: { ...process.env, OPM_KUBE_DIST: dist, OPM_RELEASE_FILE: file, OPM_KUBECONFIG: env.api.kubeconfigPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (_c, sig) => r(sig === 'SIGKILL' ? -9 : _c)));
  await new Promise<void>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`child never reached the middle of the apply: ${out}${err}`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('MID\n')) {
        clearTimeout(t);
        res();
      }
    });
    child.on('exit', () => rej(new Error(`child exited early: ${out}${err}`)));
  });
  child.kill('SIGKILL');
  expect(await exited).toBe(-9);
  expect(out).not.toContain('DONE');

  // State left behind: a pending revision, a held Lease, the SA applied, the ConfigMap not.
  expect((await releaseHistory(env.client, ns, 'c')).map((h) => h.status)).toEqual(['pending']);
  const lease = env.api.store.get('coordination.k8s.io/v1', 'Lease', ns, 'opm.release.c');
  expect(lease.spec.holderIdentity).toMatch(new RegExp(` pid ${child.pid}$`));
  expect(env.api.store.get('v1', 'ServiceAccount', ns, 'only-in-killed')).toBeDefined();
  expect(env.api.store.get('v1', 'ConfigMap', ns, 'cfg')).toBeUndefined();

  // Status tells the pending revision is stale once no live process holds the lock
  // (here: the Lease is given up as if it had expired).
  const { releaseStatus } = await import('../src/status.js');
  expect((await releaseStatus(env.client, ns, 'c')).note).toBeUndefined();
  const l = env.api.store.get('coordination.k8s.io/v1', 'Lease', ns, 'opm.release.c');
  env.api.store.write({ ...l, spec: { ...l.spec, holderIdentity: '' } });
  expect((await releaseStatus(env.client, ns, 'c')).note).toMatch(/^interrupted: no opm process is applying it/);
  env.api.store.write({ ...l, metadata: { ...l.metadata, resourceVersion: undefined } });

  // The next apply (without the ServiceAccount) succeeds and cleans up.
  env.lines.length = 0;
  const res = await applyRelease(env.ctx, release('c', ns, [namespace(ns), configMap('cfg', { v: '2' })]), {});
  expect(res.revision).toBe(2);
  expect(env.lines).toContain('revision 1 was left pending by an interrupted command; marked failed');
  expect(env.lines).toContain('serviceaccount/only-in-killed pruned');
  expect(env.lines).toContain('configmap/cfg created');
  expect((await releaseHistory(env.client, ns, 'c')).map((h) => h.status)).toEqual(['failed', 'deployed']);
  expect(env.api.store.get('v1', 'ServiceAccount', ns, 'only-in-killed')).toBeUndefined();
}, 60_000);

it('a writer paused past its Lease expiry writes nothing more once another process took the release over (fencing)', async () => {
  const ns = 'fence';
  const cms = (v: string) => [1, 2, 3, 4, 5].map((i) => configMap(`cfg-${i}`, { v }));
  const paused = release('f', ns, [namespace(ns), sa('worker'), ...cms('paused')]);
  const file = join(dist, 'fence-release.json');
  const resume = join(dist, 'fence-resume');
  mkdirSync(dist, { recursive: true });
  writeFileSync(file, JSON.stringify(paused));
  rmSync(resume, { force: true });

  const child = spawn(process.execPath, [join(__dirname, 'fixtures/pause-child.mjs')], {
    env: { ...process.env, OPM_KUBE_DIST: dist, OPM_RELEASE_FILE: file, OPM_KUBECONFIG: env.api.kubeconfigPath, OPM_RESUME: resume, OPM_LEASE_SECONDS: '2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  for (let i = 0; i < 300 && !out.includes('MID\n'); i++) await new Promise((r) => setTimeout(r, 100));
  expect(out).toContain('MID\n');

  // While it is frozen its Lease expires; another process takes the release over and deploys.
  let taken;
  for (let i = 0; i < 100; i++) {
    taken = await applyRelease(env.ctx, release('f', ns, [namespace(ns), sa('worker'), ...cms('taker')])).catch((e) => e);
    if (!(taken instanceof Error) || !/is being changed by/.test(taken.message)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(taken).toMatchObject({ revision: 2 });
  const from = env.api.requests.length;
  writeFileSync(resume, '');
  expect(await exited).toBe(1);

  // The resumed writer found out before its next write, said so, and wrote nothing.
  expect(out).not.toContain('DONE');
  expect(err).toMatch(/LockLostError: release f: this opm process lost the release lock \(another process took the Lease over.*\); it stopped without writing anything more/);
  const writes = env.api.requests.slice(from).filter((r) => r.method !== 'GET');
  expect(writes.every((r) => r.method === 'PUT' && r.path.endsWith('/leases/opm.release.f') && r.status === 409)).toBe(true);
  for (let i = 1; i <= 5; i++) expect(env.api.store.get('v1', 'ConfigMap', ns, `cfg-${i}`).data).toEqual({ v: 'taker' });
  const hist = await releaseHistory(env.client, ns, 'f');
  expect(hist.map((h) => [h.revision, h.status])).toEqual([
    [1, 'failed'],
    [2, 'deployed'],
  ]);
}, 60_000);
