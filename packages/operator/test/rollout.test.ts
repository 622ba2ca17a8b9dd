// Readiness: a revision stays `pending` (Ready=False Progressing) while its objects roll out and is
// recorded `deployed` (Ready=True) only once they are ready — the CLI's `apply --wait`. Past the progress
// deadline, or when an object fails, the revision is `failed` in history and the release Stalled.
import { describe, expect, it } from 'vitest';
import { releaseHistory } from '@opm/kube';
import { condition, eventually, getRelease, mrRef, startOperator, waitReady, webAppRelease, type Env, useEnv } from './helpers.js';

const leaseHolder = async (env: Env, ns: string, name: string) =>
  ((await env.client.get({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', namespace: ns, name: `opm.release.${name}` })) as { spec: { holderIdentity?: string } } | undefined)?.spec.holderIdentity;

describe('operator rollout readiness', () => {
  let env!: Env;
  useEnv((e) => (env = e), 'development');

  it('keeps the revision pending and Ready=False until the Deployment is ready, then records it deployed', async () => {
    env.api.controllers.hold({ kind: 'Deployment', namespace: 'development', name: 'web-web' });
    const op = startOperator(env, { timeoutMs: 60_000 });
    await op.start();
    await env.client.create(webAppRelease('web', 'development') as never);
    const progressing = await eventually(async () => {
      const m = await getRelease(env, 'development', 'web');
      return m?.status?.revisionStatus === 'pending' ? m : undefined;
    });
    expect(condition(progressing, 'Ready')).toMatchObject({ status: 'False', reason: 'Progressing' });
    expect(condition(progressing, 'Reconciling')).toMatchObject({ status: 'True', reason: 'Progressing' });
    expect(progressing.status?.revision).toBe(1);
    // History says what `opm release history` says during `apply --wait`: pending, the release Lease held.
    expect((await releaseHistory(env.client, 'development', 'web')).map((h) => [h.revision, h.status])).toEqual([[1, 'pending']]);
    expect(await leaseHolder(env, 'development', 'web')).toMatch(/opm-operator/);
    // Still not Ready a while later: nothing but the objects' readiness may turn it. The wait reads the
    // operator's watch caches: it sends no polling requests for the objects meanwhile.
    const before = env.api.requests.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(condition(await getRelease(env, 'development', 'web'), 'Ready')?.status).toBe('False');
    // (The caches' own list+watch are cluster-wide; the CLI's polling reads the release namespace.)
    const polls = env.api.requests.slice(before).filter((q) => q.method === 'GET' && /\/namespaces\/development\/(deployments|services|configmaps|networkpolicies)/.test(q.path));
    expect(polls).toEqual([]);

    env.api.controllers.clearFailures();
    env.api.controllers.readyAll();
    const ready = await waitReady(env, 'development', 'web');
    expect(ready.status?.revisionStatus).toBe('deployed');
    expect(condition(ready, 'Ready')?.message).toMatch(/revision 1 ready/);
    expect((await releaseHistory(env.client, 'development', 'web')).map((h) => [h.revision, h.status])).toEqual([[1, 'deployed']]);
    expect(await leaseHolder(env, 'development', 'web')).toBe('');
  });

  it('marks the revision failed and the release Stalled when the progress deadline passes', async () => {
    env.api.controllers.hold({ kind: 'Deployment', namespace: 'development', name: 'web-web' });
    const op = startOperator(env, { timeoutMs: 1500 });
    await op.start();
    await env.client.create(webAppRelease('web', 'development') as never);
    const stalled = await eventually(async () => {
      const m = await getRelease(env, 'development', 'web');
      return condition(m, 'Stalled')?.status === 'True' ? m : undefined;
    });
    expect(condition(stalled, 'Stalled')?.reason).toBe('ProgressDeadlineExceeded');
    expect(condition(stalled, 'Stalled')?.message).toMatch(/revision 1 failed: timed out waiting for: deployment\.apps\/web-web/);
    expect(condition(stalled, 'Ready')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    expect(condition(stalled, 'Reconciling')?.status).toBe('False');
    expect(stalled.status?.revisionStatus).toBe('failed');
    // As `opm release apply --wait --timeout 1.5s` leaves it: the revision failed, with the wait's reason; the Lease given back.
    const hist = await releaseHistory(env.client, 'development', 'web');
    expect(hist.map((h) => [h.revision, h.status])).toEqual([[1, 'failed']]);
    expect(hist[0]!.description).toMatch(/install simple-web-app@1\.0\.0-platform\.1: timed out waiting for: deployment\.apps\/web-web/);
    expect(await leaseHolder(env, 'development', 'web')).toBe('');

    // Not retried by itself (no hot loop) ...
    const before = (await releaseHistory(env.client, 'development', 'web')).length;
    op.resync();
    await eventually(async () => op.pending === 0);
    expect((await releaseHistory(env.client, 'development', 'web')).length).toBe(before);
    // ... but once its objects turn ready, a revision records it deployed.
    env.api.controllers.clearFailures();
    env.api.controllers.readyAll();
    const ready = await waitReady(env, 'development', 'web');
    expect(ready.status?.revision).toBe(2);
    expect(condition(ready, 'Stalled')?.status).toBe('False');
    expect((await releaseHistory(env.client, 'development', 'web')).map((h) => [h.revision, h.status])).toEqual([
      [1, 'failed'],
      [2, 'deployed'],
    ]);
  });

  it('reports a failed rollout as Stalled RolloutFailed at once', async () => {
    env.api.controllers.failRollout({ kind: 'Deployment', namespace: 'development', name: 'web-web' });
    const op = startOperator(env, { timeoutMs: 60_000 });
    await op.start();
    await env.client.create(webAppRelease('web', 'development') as never);
    const stalled = await eventually(async () => {
      const m = await getRelease(env, 'development', 'web');
      return condition(m, 'Stalled')?.status === 'True' ? m : undefined;
    });
    expect(condition(stalled, 'Stalled')?.reason).toBe('RolloutFailed');
    expect(condition(stalled, 'Stalled')?.message).toMatch(/rollout failed: deployment\.apps\/web-web/);
    expect((await releaseHistory(env.client, 'development', 'web')).map((h) => h.status)).toEqual(['failed']);
  });

  it('a change mid-rollout stops the wait (that revision failed) and rolls out the new generation', async () => {
    env.api.controllers.hold({ kind: 'Deployment', namespace: 'development', name: 'web-web' });
    const op = startOperator(env, { timeoutMs: 60_000 });
    await op.start();
    await env.client.create(webAppRelease('web', 'development') as never);
    await eventually(async () => (await getRelease(env, 'development', 'web'))?.status?.revisionStatus === 'pending');
    env.api.controllers.clearFailures();
    await env.client.mergePatch(mrRef('development', 'web'), { spec: { values: { replicas: 2 } } });
    const ready = await eventually(async () => {
      const m = await waitReady(env, 'development', 'web');
      return m.status?.revision === 2 ? m : undefined;
    });
    expect(ready.status?.revisionStatus).toBe('deployed');
    const hist = await releaseHistory(env.client, 'development', 'web');
    expect(hist.map((h) => [h.revision, h.status])).toEqual([
      [1, 'failed'],
      [2, 'deployed'],
    ]);
    expect(hist[0]!.description).toMatch(/stopped waiting \(superseded: the ModuleRelease changed \(generation 2\)\)/);
  });
});
