// With the opm operator installed (its ModuleRelease CRD served), the portal
// deploys through a ModuleRelease instead of applying itself: the operator
// renders and applies it, and the portal follows its conditions. Scale and
// delete go through the ModuleRelease too, and so does rollback (its spec set to the earlier revision's); the apply path refuses the release.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryCatalog } from '@opm/core';
import { FIELD_MANAGER, loadKubeConfig, type KubeObject } from '@opm/kube';
import { Operator, moduleReleaseCRD } from '@opm/operator';
import { Portal } from '../src/portal.js';
import { CATALOG, Caller, startEnv, stopEnv, webAppForm, type Env } from './helpers.js';

let env: Env;
let op: Operator;
let me: Caller;
const mr = { group: 'core.opm.dev', version: 'v1alpha1', kind: 'ModuleRelease', namespace: 'development', name: 'web' };
const deployment = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'development', name: 'web-web' };

beforeAll(async () => {
  env = await startEnv();
  await env.admin.create(moduleReleaseCRD() as unknown as KubeObject);
  await env.admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'development' } });
  await env.api.settle();
  op = new Operator({ config: loadKubeConfig({ kubeconfig: env.api.kubeconfigPath }), catalog: new DirectoryCatalog(CATALOG), leaderElection: false, resyncMs: 3_600_000, backoff: { baseMs: 200, maxMs: 2_000 }, log: () => {} });
  await op.start();
  me = await Caller.signIn(env);
});
afterAll(async () => {
  await op?.stop();
  await stopEnv(env);
});

describe('deploy through the operator', () => {
  it('says the operator is installed', async () => {
    expect((await me.json('GET', '/api/session')).operator).toBe(true);
    expect((await me.json('POST', '/api/preview', webAppForm('web', 'development'))).via).toBe('operator');
  });

  it('writes a ModuleRelease and follows it to Ready', async () => {
    const d = await me.json('POST', '/api/releases', webAppForm('web', 'development', { replicas: 2 }), 202);
    expect(d.via).toBe('operator');
    const end = await me.finish(d.operation);
    expect(end.state, end.error).toBe('succeeded');
    expect(end.result).toMatchObject({ via: 'operator', revision: 1 });
    const res = (await env.admin.get(mr)) as any;
    expect(res.spec).toMatchObject({ module: 'simple-web-app:1.0.0-platform.1', values: { replicas: 2 }, metadata: { labels: { team: 'frontend' } } });
    const dep = (await env.admin.get(deployment)) as any;
    expect(dep.spec.replicas).toBe(2);
    expect(dep.metadata.managedFields.map((m: any) => m.manager)).toContain('opm-operator');
    expect((await me.json('GET', '/api/releases/development/web')).managedBy).toBe('operator');
  });

  it('scales and rolls back through the ModuleRelease, and deletes it', async () => {
    const s = await me.json('POST', '/api/releases/development/web/scale', { replicas: 3 }, 202);
    expect((await me.finish(s.operation)).state).toBe('succeeded');
    expect(((await env.admin.get(mr)) as any).spec.values.replicas).toBe(3);
    const deadline = Date.now() + 20_000;
    while (((await env.admin.get(deployment)) as any)?.spec.replicas !== 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(((await env.admin.get(deployment)) as any).spec.replicas).toBe(3);
    // Roll back: the portal sets the ModuleRelease's spec to revision 1's values; the operator deploys it.
    const rb = await me.json('POST', '/api/releases/development/web/rollback', {}, 202);
    const rbEnd = await me.finish(rb.operation);
    expect(rbEnd.state, rbEnd.error).toBe('succeeded');
    expect(rbEnd.result).toMatchObject({ via: 'operator', target: 1, revision: 3 });
    expect(rbEnd.lines.join('\n')).toMatch(/spec set to revision 1/);
    const back = (await env.admin.get(mr)) as any;
    expect(back.spec).toMatchObject({ module: 'simple-web-app:1.0.0-platform.1', values: { replicas: 2 }, metadata: { labels: { team: 'frontend' } } });
    const dep = (await env.admin.get(deployment)) as any;
    expect(dep.spec.replicas).toBe(2);
    // The operator applied the objects; the portal only wrote the ModuleRelease.
    const managers = dep.metadata.managedFields.map((m: any) => m.manager);
    expect(managers).toContain('opm-operator');
    expect(managers).not.toContain(FIELD_MANAGER);
    const hist = await me.json('GET', '/api/releases/development/web/history');
    expect(hist.revisions.map((r: any) => r.revision)).toEqual([1, 2, 3]);
    // A revision that does not exist: the operation fails with the CLI's message, the ModuleRelease is unchanged.
    const bad = await me.json('POST', '/api/releases/development/web/rollback', { revision: 9 }, 202);
    const badEnd = await me.finish(bad.operation);
    expect(badEnd.state).toBe('failed');
    expect(badEnd.error).toMatch(/has no revision 9 \(kept: 1, 2, 3\)/);
    expect(((await env.admin.get(mr)) as any).metadata.generation).toBe(back.metadata.generation);
    // Behind an authenticating proxy the rollback acts as the user: alice may read releases but not change a
    // ModuleRelease, so RBAC refuses her rollback and nothing changes.
    await env.admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'release-reader', namespace: 'development' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }, { apiGroups: ['core.opm.dev'], resources: ['modulereleases'], verbs: ['get', 'list'] }] } as unknown as KubeObject);
    await env.admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'alice', namespace: 'development' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'release-reader' }, subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }] } as unknown as KubeObject);
    const proxied = new Portal({ kube: loadKubeConfig({ kubeconfig: env.api.kubeconfigPath }), catalog: CATALOG, port: 0, inCluster: true, authProxyHeader: 'X-Forwarded-User', timeoutMs: 30_000, log: () => {} });
    try {
      const alice = new Caller((await proxied.start()).url, { 'x-forwarded-user': 'alice' });
      alice.csrf = (await alice.json('GET', '/api/session')).csrf;
      const denied = await alice.json('POST', '/api/releases/development/web/rollback', { revision: 2 }, 202);
      const deniedEnd = await alice.finish(denied.operation);
      expect(deniedEnd.state).toBe('failed');
      expect(deniedEnd.error).toMatch(/User "alice" cannot patch resource "modulereleases"/);
      expect(((await env.admin.get(mr)) as any).metadata.generation).toBe(back.metadata.generation);
    } finally {
      await proxied.close();
    }
    const del = await me.json('DELETE', '/api/releases/development/web', undefined, 202);
    expect((await me.finish(del.operation)).state).toBe('succeeded');
    const gone = Date.now() + 20_000;
    while ((await env.admin.get(deployment)) && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
    expect(await env.admin.get(deployment)).toBeUndefined();
  });
});
