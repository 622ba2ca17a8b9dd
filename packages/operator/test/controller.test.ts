// The controller against the in-process test API server: create → Ready with
// objects and history; update → new revision; bad values → Stalled, nothing
// applied; suspend; drift corrected; delete → objects and history gone.
import { describe, expect, it } from 'vitest';
import { releaseHistory } from '@opm/kube';
import { condition, eventually, getRelease, mrRef, shop, startOperator, waitReady, webAppRelease, type Env, useEnv } from './helpers.js';

const deploymentRef = (ns: string, name: string) => ({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns, name });

describe('operator controller', () => {
  let env!: Env;
  useEnv((e) => (env = e), 'development');

  it('renders a new ModuleRelease, applies it, records history and reports Ready', async () => {
    const op = startOperator(env);
    await op.start();
    await env.client.create(webAppRelease('web', 'development', { replicas: 2 }) as never);
    const mr = await waitReady(env, 'development', 'web');
    expect(mr.metadata.finalizers).toContain('core.opm.dev/cleanup');
    expect(mr.status?.revision).toBe(1);
    expect(mr.status?.module).toEqual({ name: 'simple-web-app', version: '1.0.0-platform.1' });
    expect(mr.status?.inventory?.map((i) => `${i.kind}/${i.name}`)).toContain('Deployment/web-web');
    const dep = (await env.client.get(deploymentRef('development', 'web-web'))) as unknown as { spec: { replicas: number }; metadata: { managedFields: { manager: string }[] } };
    expect(dep.spec.replicas).toBe(2);
    expect(dep.metadata.managedFields.map((m) => m.manager)).toContain('opm-operator');
    const hist = await releaseHistory(env.client, 'development', 'web');
    expect(hist.map((h) => [h.revision, h.status])).toEqual([[1, 'deployed']]);
    // The release Lease was taken and given back by the operator, like the CLI does.
    const lease = (await env.client.get({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', namespace: 'development', name: 'opm.release.web' })) as unknown as { spec: { holderIdentity: string } };
    expect(lease.spec.holderIdentity).toBe('');
  });

  it('records a new revision when the spec changes, and none when nothing changed', async () => {
    const op = startOperator(env);
    await op.start();
    await env.client.create(webAppRelease('web', 'development') as never);
    await waitReady(env, 'development', 'web');
    const cur = await getRelease(env, 'development', 'web');
    await env.client.mergePatch(mrRef('development', 'web'), { spec: { values: { replicas: 3 } }, metadata: { resourceVersion: cur!.metadata.resourceVersion } });
    const mr = await eventually(async () => {
      const m = await waitReady(env, 'development', 'web');
      return m.status?.revision === 2 ? m : undefined;
    });
    expect(mr.status?.revision).toBe(2);
    expect(((await env.client.get(deploymentRef('development', 'web-web'))) as unknown as { spec: { replicas: number } }).spec.replicas).toBe(3);
    // A resync of the unchanged release writes nothing.
    await env.api.settle();
    await eventually(async () => op.pending === 0);
    const before = env.api.requests.length;
    op.resync();
    await new Promise((r) => setTimeout(r, 300));
    await eventually(async () => op.pending === 0);
    const writes = env.api.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(writes).toEqual([]);
    expect((await releaseHistory(env.client, 'development', 'web')).map((h) => h.status)).toEqual(['superseded', 'deployed']);
  });

  it('reports bad values as Stalled with the CLI message and applies nothing', async () => {
    const op = startOperator(env);
    await op.start();
    await env.client.create(webAppRelease('bad', 'development', { replicas: 50 }) as never);
    const mr = await eventually(async () => {
      const m = await getRelease(env, 'development', 'bad');
      return condition(m, 'Stalled')?.status === 'True' ? m : undefined;
    });
    expect(condition(mr, 'Ready')?.status).toBe('False');
    expect(condition(mr, 'Stalled')?.message).toMatch(/values\.replicas: 50/);
    expect(mr.status?.lastError?.path).toBe('replicas');
    expect(mr.status?.lastError?.layer).toBe('release');
    expect(await env.client.get(deploymentRef('development', 'bad-web'))).toBeUndefined();
    await expect(releaseHistory(env.client, 'development', 'bad')).rejects.toThrow(/not found/);
  });

  it('leaves a suspended release alone and resumes it', async () => {
    const op = startOperator(env);
    await op.start();
    await env.client.create(webAppRelease('web', 'development', {}, { suspend: true }) as never);
    const mr = await eventually(async () => {
      const m = await getRelease(env, 'development', 'web');
      return condition(m, 'Reconciling')?.reason === 'Suspended' ? m : undefined;
    });
    expect(mr.status?.revision).toBeUndefined();
    expect(await env.client.get(deploymentRef('development', 'web-web'))).toBeUndefined();
    await env.client.mergePatch(mrRef('development', 'web'), { spec: { suspend: false } });
    expect((await waitReady(env, 'development', 'web')).status?.revision).toBe(1);
  });

  it('detects drift, reports it and corrects it', async () => {
    const op = startOperator(env);
    await op.start();
    await env.client.create(webAppRelease('web', 'development', { replicas: 2 }) as never);
    await waitReady(env, 'development', 'web');
    // Someone scales the Deployment behind the operator's back.
    env.api.store.write({ ...(env.api.store.get('apps/v1', 'Deployment', 'development', 'web-web') as object), spec: { ...((env.api.store.get('apps/v1', 'Deployment', 'development', 'web-web') as { spec: object }).spec), replicas: 7 } } as never, { manager: 'kubectl-edit' });
    const mr = await eventually(async () => {
      const m = await getRelease(env, 'development', 'web');
      return condition(m, 'Drifted')?.reason === 'DriftCorrected' ? m : undefined;
    });
    expect(condition(mr, 'Drifted')?.message).toMatch(/deployment\.apps\/web-web: spec\.replicas: want 2, live 7/);
    expect(((await env.client.get(deploymentRef('development', 'web-web'))) as unknown as { spec: { replicas: number } }).spec.replicas).toBe(2);
  });

  it('deletes the objects and the history when the ModuleRelease is deleted', async () => {
    const op = startOperator(env);
    await op.start();
    await env.client.create(webAppRelease('web', 'development') as never);
    await waitReady(env, 'development', 'web');
    await env.client.delete(mrRef('development', 'web'));
    await eventually(async () => (await getRelease(env, 'development', 'web')) === undefined, 20_000, 'ModuleRelease gone');
    expect(await env.client.get(deploymentRef('development', 'web-web'))).toBeUndefined();
    await expect(releaseHistory(env.client, 'development', 'web')).rejects.toThrow(/not found/);
  });
});

describe('operator controller: secret values', () => {
  let env!: Env;
  useEnv((e) => (env = e), 'shop-staging');

  it('waits (with back-off) for a Secret that spec.secretValues names, then deploys without ever showing the value', async () => {
    const op = startOperator(env);
    await op.start();
    await env.client.create(shop('shop', 'shop-staging') as never);
    const waiting = await eventually(async () => {
      const m = await getRelease(env, 'shop-staging', 'shop');
      return condition(m, 'Ready')?.reason === 'SecretNotFound' ? m : undefined;
    });
    expect(condition(waiting, 'Ready')?.message).toMatch(/secret shop-db not found in namespace shop-staging/);
    expect(condition(waiting, 'Stalled')).toBeUndefined();
    await env.client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop-db', namespace: 'shop-staging' }, stringData: { password: 'correct-horse-battery' } } as never);
    const mr = await waitReady(env, 'shop-staging', 'shop', 60_000);
    expect(JSON.stringify(mr)).not.toContain('correct-horse-battery');
    const secret = env.api.store.get('v1', 'Secret', 'shop-staging', 'shop-database-credentials') as { data: Record<string, string> };
    expect(Object.values(secret.data).map((v) => Buffer.from(v, 'base64').toString())).toContain('correct-horse-battery');
  }, 90_000);
});
