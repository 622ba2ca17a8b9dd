// An operator killed with SIGKILL in the middle of a reconcile leaves nothing
// stuck: the next operator takes the release Lease over (its holder process
// is gone), marks the interrupted revision failed, and converges.
// The killed operator is `opm operator run` from the compiled CLI (dist/, built by `tsc -b`).
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { releaseHistory } from '@opm/kube';
import { CATALOG, eventually, startOperator, waitReady, webAppRelease, type Env, useEnv } from './helpers.js';

const root = resolve(__dirname, '../../..');
let env!: Env;
useEnv((e) => (env = e), 'development');

it('converges after the operator is SIGKILLed mid-apply, with no revision left pending', async () => {
  // Every Deployment write hangs: the first operator stops in the middle of its apply.
  const undo = env.api.faults.inject({ method: 'PATCH', path: /\/deployments\//, delayMs: 15_000, times: Infinity });
  await env.client.create(webAppRelease('web', 'development') as never);
  const child = spawn(
    process.execPath,
    [join(root, 'packages/cli/bin/opm.js'), 'operator', 'run', '--kubeconfig', env.api.kubeconfigPath, '--catalog', CATALOG, '--no-leader-elect'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise<string | null>((r) => child.on('exit', (_c, sig) => r(sig)));
  try {
    await eventually(
      async () => env.api.store.list('v1', 'Secret', 'development').some((s: { metadata: { labels?: Record<string, string> } }) => s.metadata.labels?.['opm.dev/status'] === 'pending'),
      60_000,
      `a pending revision (operator log: ${log})`,
    );
  } finally {
    child.kill('SIGKILL');
  }
  expect(await exited).toBe('SIGKILL');
  undo();

  const op = startOperator(env);
  await op.start();
  const mr = await waitReady(env, 'development', 'web', 60_000);
  expect(mr.status?.revision).toBe(2);
  const hist = await releaseHistory(env.client, 'development', 'web');
  expect(hist.map((h) => h.status)).toEqual(['failed', 'deployed']);
  expect(hist[0]!.description).toMatch(/interrupted/);
}, 150_000);

it('stops cleanly on SIGTERM: exits 0 and gives the leader Lease up', async () => {
  const child = spawn(
    process.execPath,
    [join(root, 'packages/cli/bin/opm.js'), 'operator', 'run', '--kubeconfig', env.api.kubeconfigPath, '--catalog', CATALOG, '--namespace', 'default'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const leaseRef = { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', namespace: 'default', name: 'opm-operator' };
  try {
    await eventually(async () => /leading/.test(log), 60_000, `the operator to lead (log: ${log})`);
    expect(((await env.client.get(leaseRef)) as unknown as { spec: { holderIdentity: string } }).spec.holderIdentity).toMatch(/^opm-operator@.* pid \d+$/);
    child.kill('SIGTERM');
    expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 30_000))])).toBe(0);
  } finally {
    child.kill('SIGKILL');
  }
  expect(log).toMatch(/SIGTERM: stopping/);
  expect(((await env.client.get(leaseRef)) as unknown as { spec: { holderIdentity: string } }).spec.holderIdentity).toBe('');
}, 120_000);
