// The periodic resync ends when every release has been reconciled once (applied, unchanged, refused or
// failed): a rollout still being watched or a release retrying with back-off does not hold its end back.
import { describe, expect, it } from 'vitest';
import { eventually, getRelease, shop, startOperator, waitReady, webAppRelease, type Env, useEnv } from './helpers.js';

describe('operator resync', () => {
  let env!: Env;
  useEnv((e) => (env = e), 'development', 'shop-staging');

  it('ends once every release is reconciled, while a rollout is still watched and a release keeps failing', async () => {
    env.api.controllers.hold({ kind: 'Deployment', namespace: 'development', name: 'slow-web' });
    const op = startOperator(env, { timeoutMs: 120_000 });
    await op.start();
    await env.client.create(webAppRelease('web', 'development') as never);
    await env.client.create(webAppRelease('slow', 'development') as never);
    // Its Secret does not exist: it fails and retries with back-off.
    await env.client.create(shop('shop', 'shop-staging') as never);
    await waitReady(env, 'development', 'web');
    await eventually(async () => (await getRelease(env, 'development', 'slow'))?.status?.revisionStatus === 'pending');
    await eventually(async () => env.logs.some((l) => l.startsWith('shop-staging/shop:')));

    const from = env.logs.length;
    expect(op.resync()).toBe(3);
    const done = await eventually(async () => env.logs.slice(from).find((l) => /^resync: \d+ releases done/.test(l)), 15_000, 'the resync to end');
    expect(done).toMatch(/^resync: 3 releases done in \d+ ms \(1 failed, retrying with back-off\)$/);
    expect(op.resyncLeft).toBe(0);
    // The rollout it did not wait for is still watched: the release is not Ready yet.
    expect(op.pending).toBeGreaterThan(0);
    expect((await getRelease(env, 'development', 'slow'))?.status?.revisionStatus).toBe('pending');
  }, 60_000);

  it('a resync due while one runs keeps one end that covers both', async () => {
    const op = startOperator(env);
    await op.start();
    await env.client.create(webAppRelease('web', 'development') as never);
    await waitReady(env, 'development', 'web');
    await eventually(async () => op.pending === 0);
    const from = env.logs.length;
    op.resync();
    op.resync();
    await eventually(async () => env.logs.slice(from).some((l) => /^resync: \d+ releases done/.test(l)), 15_000, 'the resync to end');
    await new Promise((r) => setTimeout(r, 200));
    const ends = env.logs.slice(from).filter((l) => /^resync: \d+ releases done/.test(l));
    expect(ends).toEqual([expect.stringMatching(/^resync: 1 releases done in \d+ ms$/)]);
  }, 60_000);
});
