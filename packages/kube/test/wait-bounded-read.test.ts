// waitForReady bounds a caller's reader (the operator's watch caches) by the
// wait's own deadline: a cache that never answers cannot hold a rollout past it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { KubeClient } from '../src/client.js';
import { loadKubeConfig } from '../src/kubeconfig.js';
import { WaitError, waitForReady } from '../src/wait.js';
import type { KubeObject, ObjectRef } from '../src/types.js';

let api: TestApiServer;
beforeAll(async () => {
  api = await startTestApiServer();
});
afterAll(async () => {
  await api?.close();
});

const web: ObjectRef = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'w', name: 'web' };
const never = () => new Promise<Map<string, KubeObject | undefined>>(() => {});

it('a reader that never answers ends at the deadline, naming what was not read', async () => {
  const client = new KubeClient(loadKubeConfig({ kubeconfig: api.kubeconfigPath }));
  const t0 = Date.now();
  const err = await waitForReady(client, [web], { timeoutMs: 300, intervalMs: 50, namespace: 'w', read: never }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WaitError);
  expect((err as Error).message).toMatch(/^timed out waiting for: deployment\.apps\/web \(not read before the deadline\)/);
  expect(Date.now() - t0).toBeLessThan(5000);
});

it('a reader that stops answering after a first look reports that look at the deadline', async () => {
  const client = new KubeClient(loadKubeConfig({ kubeconfig: api.kubeconfigPath }));
  let calls = 0;
  const read = () => (calls++ === 0 ? Promise.resolve(new Map<string, KubeObject | undefined>()) : never());
  const err = await waitForReady(client, [web], { timeoutMs: 300, intervalMs: 50, namespace: 'w', read }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WaitError);
  expect((err as WaitError).pending.map((p) => p.health.status)).toEqual(['NotFound']);
  expect(calls).toBe(2);
});

it("a caller's stop ends a read that hangs, before the deadline", async () => {
  const client = new KubeClient(loadKubeConfig({ kubeconfig: api.kubeconfigPath }));
  const stop = new AbortController();
  setTimeout(() => stop.abort(new Error('release changed')), 100);
  const err = await waitForReady(client, [web], { timeoutMs: 60_000, namespace: 'w', read: never, signal: stop.signal }).catch((e: unknown) => e);
  expect((err as Error).message).toMatch(/^stopped waiting \(release changed\) for: deployment\.apps\/web/);
});
