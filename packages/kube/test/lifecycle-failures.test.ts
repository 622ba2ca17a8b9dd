// Failure paths: atomic rollback, conflicts with another field manager,
// objects owned by another release, concurrent applies, wait timeouts,
// scale through values (incl. a policy ceiling), drift.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRelease } from '../src/apply-release.js';
import { AutoscaledError, scaleRelease } from '../src/scale.js';
import { releaseHistory, releaseStatus } from '../src/status.js';
import { ConflictError } from '../src/apply.js';
import { AtomicRollbackError } from '../src/deploy.js';
import { OwnershipError } from '../src/inventory.js';
import { ReleaseLockedError } from '../src/lock.js';
import { WaitError } from '../src/wait.js';
import type { KubeObject, RerenderRelease } from '../src/types.js';
import { configMap, deployment, namespace, release, service, startEnv, type Env } from './lifecycle-helpers.js';

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await env?.api.close();
});
const take = () => env.lines.splice(0, env.lines.length);

describe('atomic', () => {
  const ns = 'atomic';
  it('rolls back to the last good revision when the rollout fails', async () => {
    await applyRelease(env.ctx, release('app', ns, [namespace(ns), deployment('app', 1, 'app:1'), configMap('cfg', { a: '1' })]), {
      wait: true,
      timeoutMs: 20_000,
    });
    // v2 changes the image of `app` and adds a `worker` whose rollout fails. (The test server's
    // failure injection is per object, not per image, so the failing object is one only v2 has.)
    env.api.controllers.failRollout({ kind: 'Deployment', namespace: ns, name: 'worker' });
    take();
    const bad = release('app', ns, [namespace(ns), deployment('app', 1, 'app:2'), deployment('worker', 1), configMap('cfg2', { b: '2' })], {}, '2.0.0');
    const err = await applyRelease(env.ctx, bad, { atomic: true, wait: true, timeoutMs: 10_000, atomicTimeoutMs: 10_000 }).catch((e) => e);
    env.api.controllers.clearFailures();
    expect(err).toBeInstanceOf(AtomicRollbackError);
    expect(err.message).toMatch(/rollout failed/);
    expect(err.message).toMatch(/rolled back to revision 1/);
    const hist = await releaseHistory(env.client, ns, 'app');
    expect(hist.map((h) => [h.revision, h.status])).toEqual([
      [1, 'superseded'],
      [2, 'failed'],
      [3, 'deployed'],
    ]);
    const live = env.api.store.get('apps/v1', 'Deployment', ns, 'app');
    expect(live.spec.template.spec.containers[0].image).toBe('app:1');
    // The object only the failed revision had was pruned by the rollback.
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'cfg2')).toBeUndefined();
    expect(env.api.store.get('apps/v1', 'Deployment', ns, 'worker')).toBeUndefined();
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'cfg')).toBeDefined();
  });

  it('a failed first install removes what it created', async () => {
    env.api.controllers.failRollout({ kind: 'Deployment', namespace: ns, name: 'first' });
    take();
    const err = await applyRelease(env.ctx, release('first', ns, [deployment('first', 1), configMap('first-cfg', { a: '1' })]), {
      atomic: true,
      wait: true,
      timeoutMs: 10_000,
    }).catch((e) => e);
    env.api.controllers.clearFailures();
    expect(err).toBeInstanceOf(AtomicRollbackError);
    expect(err.message).toMatch(/atomic: revision 1 failed; its objects were removed/);
    const lines = take();
    expect(lines).toContain('atomic: removing the objects of failed revision 1');
    expect(lines).toContain('deployment.apps/first pruned');
    expect(lines).toContain('configmap/first-cfg pruned');
    expect(env.api.store.get('apps/v1', 'Deployment', ns, 'first')).toBeUndefined();
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'first-cfg')).toBeUndefined();
    // The failed attempt stays in the history, and the lock is free for the next try.
    expect((await releaseHistory(env.client, ns, 'first')).map((h) => h.status)).toEqual(['failed']);
    const ok = await applyRelease(env.ctx, release('first', ns, [deployment('first', 1), configMap('first-cfg', { a: '1' })]), { wait: true, timeoutMs: 10_000 });
    expect(ok.revision).toBe(2);
  });

  it('wait times out naming what is not ready, and the revision is failed', async () => {
    env.api.controllers.hold({ kind: 'Deployment', namespace: ns, name: 'slow' });
    const err = await applyRelease(env.ctx, release('slow', ns, [deployment('slow', 1)]), { wait: true, timeoutMs: 1_500 }).catch((e) => e);
    env.api.controllers.clearFailures();
    expect(err).toBeInstanceOf(WaitError);
    expect(err.message).toMatch(/timed out waiting for: deployment.apps\/slow/);
    const hist = await releaseHistory(env.client, ns, 'slow');
    expect(hist[0]!.status).toBe('failed');
  });
});

describe('conflicts and ownership', () => {
  const ns = 'conf';
  it('fails naming the fields another manager owns, unless forced', async () => {
    await applyRelease(env.ctx, release('web', ns, [namespace(ns), deployment('web', 2)]), {});
    // Someone scales the Deployment with a plain update (kubectl scale / edit).
    const live = env.api.store.get('apps/v1', 'Deployment', ns, 'web');
    live.spec.replicas = 5;
    env.api.store.write(live, { manager: 'kubectl-edit' });
    const err = await applyRelease(env.ctx, release('web', ns, [namespace(ns), deployment('web', 3)]), {}).catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.message).toContain('.spec.replicas');
    expect(err.message).toContain('kubectl-edit');
    expect(err.message).toContain('--force-conflicts');
    expect((await releaseHistory(env.client, ns, 'web')).map((h) => h.status)).toEqual(['deployed', 'failed']);

    // Status shows the latest revision (the failed one, which wanted 3).
    const st = await releaseStatus(env.client, ns, 'web', { drift: true });
    const dep = st.objects.find((o) => o.ref.kind === 'Deployment')!;
    expect(dep.drift!.join('\n')).toMatch(/spec.replicas: want 3, live 5 \(now managed by "kubectl-edit"\)/);

    take();
    const ok = await applyRelease(env.ctx, release('web', ns, [namespace(ns), deployment('web', 3)]), { force: true });
    expect(take()).toContain('deployment.apps/web configured');
    expect(env.api.store.get('apps/v1', 'Deployment', ns, 'web').spec.replicas).toBe(3);
    expect(ok.revision).toBe(3);
    const st2 = await releaseStatus(env.client, ns, 'web', { drift: true });
    expect(st2.objects.every((o) => o.drift!.length === 0)).toBe(true);
  });

  it('never touches an object owned by another release', async () => {
    await applyRelease(env.ctx, release('one', ns, [configMap('shared', { owner: 'one' })]), {});
    const err = await applyRelease(env.ctx, release('two', ns, [configMap('shared', { owner: 'two' })]), {}).catch((e) => e);
    expect(err).toBeInstanceOf(OwnershipError);
    expect(err.message).toMatch(/configmap\/shared belongs to release one/);
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'shared').data.owner).toBe('one');
  });
});

describe('concurrency', () => {
  const ns = 'race';
  it('two concurrent applies: one wins, the other gets the lock message', async () => {
    await applyRelease(env.ctx, release('r', ns, [namespace(ns), configMap('c', { v: '0' })]), {});
    // Slow the apply of the winner down so the two overlap for sure.
    const undo = env.api.faults.inject({ method: 'PATCH', path: '/configmaps/c', delayMs: 400, times: 2 });
    const a = applyRelease({ ...env.ctx, lock: { holder: 'alice@laptop' } }, release('r', ns, [namespace(ns), configMap('c', { v: 'a' })]), {});
    const b = new Promise((r) => setTimeout(r, 100)).then(() =>
      applyRelease({ ...env.ctx, lock: { holder: 'bob@desk' } }, release('r', ns, [namespace(ns), configMap('c', { v: 'b' })]), {}),
    );
    const [ra, rb] = await Promise.allSettled([a, b]);
    undo();
    // Exactly one wins (normally alice, who started first; under heavy load it could be bob).
    const results = [
      { who: 'alice@laptop', v: 'a', r: ra },
      { who: 'bob@desk', v: 'b', r: rb },
    ];
    const won = results.filter((x) => x.r.status === 'fulfilled');
    const lost = results.filter((x) => x.r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const e = (lost[0]!.r as PromiseRejectedResult).reason;
    expect(e).toBeInstanceOf(ReleaseLockedError);
    expect(e.message).toMatch(new RegExp(`^release r is being changed by ${won[0]!.who} since \\d{4}-\\d\\d-\\d\\dT.* \\(the lock expires at \\d{4}-.* unless renewed\\)$`));
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'c').data.v).toBe(won[0]!.v);
    // The lock was released: the next apply goes through.
    await applyRelease({ ...env.ctx, lock: { holder: 'bob@desk' } }, release('r', ns, [namespace(ns), configMap('c', { v: 'b' })]), {});
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'c').data.v).toBe('b');
  });
});

describe('scale', () => {
  const ns = 'scale';
  // A stand-in for core's re-render: replicas from values, with a policy ceiling of 5.
  const rerender: RerenderRelease = async (input) => {
    const replicas = Number((input.userValues as { replicas?: number }).replicas ?? 1);
    if (replicas > 5) throw Object.assign(new Error(`policy: replicas ${replicas} exceeds the platform ceiling 5`), { name: 'PolicyError' });
    return release(input.name, input.namespace, [namespace(ns), deployment('web', replicas), service('web')], input.userValues);
  };

  it('scales through the values as a new revision; the override is carried by the next apply', async () => {
    await applyRelease(env.ctx, await rerender({ name: 'web', namespace: ns, module: { name: 'm', version: '1' }, userValues: { replicas: 1 } }), {});
    take();
    const res = await scaleRelease(env.ctx, ns, 'web', { replicas: 4, rerender, wait: true, timeoutMs: 20_000 });
    expect(res.revision).toBe(2);
    expect(take()).toContain('deployment.apps/web configured');
    expect(env.api.store.get('apps/v1', 'Deployment', ns, 'web').spec.replicas).toBe(4);
    const st = await releaseStatus(env.client, ns, 'web');
    expect(st.description).toBe('scale to 4');
    expect(st.values).toEqual({ replicas: 4 });
    const { currentValueOverrides } = await import('../src/apply-release.js');
    expect(await currentValueOverrides(env.client, ns, 'web')).toEqual({ replicas: 4 });
  });

  it('a policy ceiling fails the scale and changes nothing', async () => {
    const err = await scaleRelease(env.ctx, ns, 'web', { replicas: 9, rerender }).catch((e) => e);
    expect(err.message).toMatch(/exceeds the platform ceiling/);
    expect(env.api.store.get('apps/v1', 'Deployment', ns, 'web').spec.replicas).toBe(4);
    expect((await releaseHistory(env.client, ns, 'web')).length).toBe(2);
  });

  it('a component path the values do not drive is reported as having no effect', async () => {
    const err = await scaleRelease(env.ctx, ns, 'web', { component: 'worker', replicas: 3, rerender }).catch((e) => e);
    expect(err.message).toMatch(/had no effect: no workload renders 3 replicas from values.worker.replicas/);
  });
});

describe('scale of an autoscaled component', () => {
  const ns = 'hpa';
  const hpa = (name: string, min: number, max: number): KubeObject => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: min, maxReplicas: max },
  });
  // Like the ecommerce example: backend.replicas sets the autoscaler's range (min = replicas, max = 2 × replicas).
  const rerender: RerenderRelease = async (input) => {
    const r = Number((input.userValues as { backend?: { replicas?: number } }).backend?.replicas ?? 2);
    return release(input.name, input.namespace, [namespace(ns), deployment('backend', r), hpa('backend', r, r * 2), deployment('web', 1)], input.userValues);
  };

  it('is refused naming the HorizontalPodAutoscaler and the range the new value would deploy; --update-autoscaler deploys it', async () => {
    await applyRelease(env.ctx, await rerender({ name: 'shop', namespace: ns, module: { name: 'm', version: '1' }, userValues: { backend: { replicas: 2 } } }), {});
    const err = await scaleRelease(env.ctx, ns, 'shop', { component: 'backend', replicas: 6, rerender }).catch((e) => e);
    expect(err).toBeInstanceOf(AutoscaledError);
    expect(err.message).toBe(
      'release shop: deployment.apps/backend is managed by its HorizontalPodAutoscaler backend (minReplicas 2, maxReplicas 4): ' +
        'the autoscaler sets its replica count, so a scale to 6 would be undone.\n' +
        'Change its range instead: values.backend.replicas=6 renders HorizontalPodAutoscaler backend: minReplicas 2, maxReplicas 4 → minReplicas 6, maxReplicas 12. ' +
        'Re-run with --update-autoscaler to deploy that range (the autoscaler then picks the count).',
    );
    expect((await releaseHistory(env.client, ns, 'shop')).length).toBe(1);
    const ok = await scaleRelease(env.ctx, ns, 'shop', { component: 'backend', replicas: 6, rerender, updateAutoscaler: true });
    expect(ok.revision).toBe(2);
    expect(env.api.store.get('autoscaling/v2', 'HorizontalPodAutoscaler', ns, 'backend').spec).toMatchObject({ minReplicas: 6, maxReplicas: 12 });
    expect((await releaseStatus(env.client, ns, 'shop')).description).toBe('scale backend to 6 (autoscaler range)');
  });

  it('an autoscaler outside the release counts too', async () => {
    env.api.store.write({ ...hpa('web', 1, 3), metadata: { name: 'web-by-hand', namespace: ns } }, { manager: 'kubectl-create' });
    const err = await scaleRelease(env.ctx, ns, 'shop', { component: 'web', replicas: 1, rerender, replicasPath: ['web', 'replicas'] }).catch((e) => e);
    expect(err).toBeInstanceOf(AutoscaledError);
    expect(err.message).toMatch(/^release shop: deployment\.apps\/web is managed by its HorizontalPodAutoscaler web-by-hand \(not part of this release\) \(minReplicas 1, maxReplicas 3\)/);
    expect(err.message).toMatch(/values\.web\.replicas does not set its range: change its minReplicas\/maxReplicas in the release values and run opm release apply\.$/);
  });
});

describe('rollback target', () => {
  const ns = 'rbt';
  it('after a failed revision, rolls back to the last deployed one', async () => {
    const { rollbackRelease } = await import('../src/rollback.js');
    await applyRelease(env.ctx, release('rb', ns, [namespace(ns), configMap('c', { v: '1' })]), {});
    await applyRelease(env.ctx, release('rb', ns, [namespace(ns), configMap('c', { v: '2' })]), {});
    env.api.controllers.failRollout({ kind: 'Deployment', namespace: ns, name: 'bad' });
    await applyRelease(env.ctx, release('rb', ns, [namespace(ns), configMap('c', { v: '3' }), deployment('bad', 1)]), { wait: true, timeoutMs: 5_000 }).catch(
      () => undefined,
    );
    env.api.controllers.clearFailures();
    expect((await releaseHistory(env.client, ns, 'rb')).map((h) => h.status)).toEqual(['superseded', 'deployed', 'failed']);
    const res = await rollbackRelease(env.ctx, ns, 'rb', undefined, {});
    expect(res.target).toBe(2);
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'c').data.v).toBe('2');
    expect(env.api.store.get('apps/v1', 'Deployment', ns, 'bad')).toBeUndefined();
    // Without a failure in between, the default is the good revision before the current one.
    await applyRelease(env.ctx, release('rb', ns, [namespace(ns), configMap('c', { v: '5' })]), {});
    const again = await rollbackRelease(env.ctx, ns, 'rb', undefined, {});
    expect(again.target).toBe(4);
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'c').data.v).toBe('2');
    // An explicit revision, however old, as long as it is kept.
    expect((await rollbackRelease(env.ctx, ns, 'rb', 1, {})).revision).toBe(7);
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'c').data.v).toBe('1');
  });
});

describe('rollback --dry-run', () => {
  it('shows what the rollback would apply and prune, and changes nothing (objects, history, Lease)', async () => {
    const { rollbackRelease } = await import('../src/rollback.js');
    const ns = 'rbdry';
    await applyRelease(env.ctx, release('d', ns, [namespace(ns), configMap('a', { v: '1' }), configMap('b', { v: '1' })]), {});
    await applyRelease(env.ctx, release('d', ns, [namespace(ns), configMap('a', { v: '2' }), configMap('c', { v: '2' })]), {});
    // Revision 2 left pending, as by a killed process: a real command would reconcile it first.
    const head = env.api.store.get('v1', 'Secret', ns, 'opm.release.v1.d.v2');
    env.api.store.write({ ...head, metadata: { ...head.metadata, labels: { ...head.metadata.labels, 'opm.dev/status': 'pending' } } });
    const lease = env.api.store.get('coordination.k8s.io/v1', 'Lease', ns, 'opm.release.d');
    const rv = env.api.store.resourceVersion();

    for (const dryRun of ['server', 'client'] as const) {
      env.lines.length = 0;
      const before = env.api.requests.length;
      const res = await rollbackRelease(env.ctx, ns, 'd', undefined, { dryRun, wait: true, atomic: true });
      expect(res.target).toBe(1);
      expect(res.revision).toBe(3);
      expect(env.lines).toEqual(
        expect.arrayContaining([`configmap/a configured (${dryRun} dry run)`, `configmap/b created (${dryRun} dry run)`, `configmap/c pruned (${dryRun} dry run)`]),
      );
      // Only reads, and (server) dry-run patches.
      const writes = env.api.requests.slice(before).filter((r) => r.method !== 'GET');
      if (dryRun === 'client') expect(writes).toEqual([]);
      for (const w of writes) expect([w.method, w.query.dryRun]).toEqual(['PATCH', 'All']);
    }
    // Nothing was written at all: no object, no history Secret, no Lease.
    expect(env.api.store.resourceVersion()).toBe(rv);
    expect(env.api.store.get('coordination.k8s.io/v1', 'Lease', ns, 'opm.release.d')).toEqual(lease);
    expect((await releaseHistory(env.client, ns, 'd')).map((h) => h.status)).toEqual(['superseded', 'pending']);
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'b')).toBeUndefined();

    await expect(rollbackRelease(env.ctx, ns, 'nope', undefined, { dryRun: 'client' })).rejects.toThrow('release nope not found in namespace rbdry');
  });
});

describe('lock expiry', () => {
  it('an expired Lease of a process on another host is taken over', async () => {
    const ns = 'expired';
    await applyRelease(env.ctx, release('e', ns, [namespace(ns), configMap('c', { v: '1' })]), {});
    const micro = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    const old = new Date(Date.now() - 120_000);
    env.api.store.write({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'opm.release.e', namespace: ns },
      spec: { holderIdentity: 'ci@elsewhere pid 4242', leaseDurationSeconds: 60, acquireTime: micro(old), renewTime: micro(old) },
    });
    const res = await applyRelease({ ...env.ctx, lock: { holder: 'me@here' } }, release('e', ns, [namespace(ns), configMap('c', { v: '2' })]), {});
    expect(res.revision).toBe(2);
    // Released at the end: the holder is cleared, the Lease stays for the next command.
    expect(env.api.store.get('coordination.k8s.io/v1', 'Lease', ns, 'opm.release.e').spec.holderIdentity ?? '').toBe('');
  });
});
