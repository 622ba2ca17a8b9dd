// Install, upgrade with prune, no-op apply, rollback, scale, delete, atomic
// failure, field-manager conflict — against the in-process test API server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRelease } from '../src/apply-release.js';
import { rollbackRelease } from '../src/rollback.js';
import { releaseHistory, releaseStatus, listReleases } from '../src/status.js';
import { deleteRelease } from '../src/delete-release.js';
import { HistoryStore } from '../src/history/store.js';
import { configMap, deployment, namespace, release, secret, service, startEnv, type Env } from './lifecycle-helpers.js';

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await env?.api.close();
});

const take = () => env.lines.splice(0, env.lines.length);

describe('install, upgrade, no-op, rollback, delete', () => {
  const ns = 'shop';
  const v1 = () =>
    release('web', ns, [namespace(ns), deployment('web', 2), service('web'), configMap('web-config', { mode: 'a' }), secret('web-creds', { password: 'hunter2-very-secret' })], { replicas: 2 });

  it('installs: objects created in stages, revision 1 deployed', async () => {
    take();
    const res = await applyRelease(env.ctx, v1(), { wait: true, timeoutMs: 20_000 });
    expect(res.revision).toBe(1);
    const lines = take();
    expect(lines).toContain('namespace/shop created');
    expect(lines).toContain('deployment.apps/web created');
    expect(lines).toContain('configmap/web-config created');
    // Namespace stage comes before the rest.
    expect(lines.indexOf('namespace/shop created')).toBeLessThan(lines.indexOf('deployment.apps/web created'));
    const live = env.api.store.get('apps/v1', 'Deployment', ns, 'web');
    expect(live.metadata.labels['opm.dev/release']).toBe('web');
    expect(live.metadata.managedFields.some((m: { manager: string }) => m.manager === 'opm')).toBe(true);
    const hist = await releaseHistory(env.client, ns, 'web');
    expect(hist.map((h) => [h.revision, h.status])).toEqual([[1, 'deployed']]);
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });

  it('a no-op apply reports every object unchanged, without patching any, and records no revision', async () => {
    take();
    const before = env.api.requests.length;
    const res = await applyRelease(env.ctx, v1(), {});
    const writes = env.api.requests.slice(before).filter((r) => r.method !== 'GET' && !r.path.includes('/leases'));
    expect(writes).toEqual([]);
    expect(res).toMatchObject({ revision: 1, unchanged: true });
    const lines = take();
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/ unchanged$/);
    expect((await releaseHistory(env.client, ns, 'web')).map((h) => [h.revision, h.status])).toEqual([[1, 'deployed']]);
  });

  it('the same release over drifted objects is applied and recorded as a revision', async () => {
    const live = env.api.store.get('v1', 'ConfigMap', ns, 'web-config');
    env.api.store.write({ ...live, apiVersion: 'v1', kind: 'ConfigMap', data: { mode: 'edited by hand' } }, { manager: 'kubectl-edit' });
    take();
    const res = await applyRelease(env.ctx, v1(), { force: true });
    expect(res.unchanged).toBeFalsy();
    expect(res.revision).toBe(2);
    expect(take()).toContain('configmap/web-config configured');
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'web-config').data).toEqual({ mode: 'a' });
  });

  it('upgrades: configured objects, removed ones pruned', async () => {
    take();
    const v2 = release('web', ns, [namespace(ns), deployment('web', 3, 'nginx:1.28'), service('web'), secret('web-creds', { password: 'hunter2-very-secret' })], { replicas: 3 }, '1.1.0');
    const res = await applyRelease(env.ctx, v2, { wait: true, timeoutMs: 20_000 });
    expect(res.revision).toBe(3);
    const lines = take();
    expect(lines).toContain('deployment.apps/web configured');
    expect(lines).toContain('service/web unchanged');
    expect(lines).toContain('configmap/web-config pruned');
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'web-config')).toBeUndefined();
    const st = await releaseStatus(env.client, ns, 'web');
    expect(st.revision).toBe(3);
    expect(st.module.version).toBe('1.1.0');
    expect(st.health).toBe('Ready');
    expect(st.objects.find((o) => o.ref.kind === 'Deployment')?.health).toBe('Ready');
    const hist = await releaseHistory(env.client, ns, 'web');
    expect(hist.map((h) => h.status)).toEqual(['superseded', 'superseded', 'deployed']);
  });

  it('rolls back to the previous good revision as a new revision, re-creating pruned objects', async () => {
    take();
    const res = await rollbackRelease(env.ctx, ns, 'web', undefined, { wait: true, timeoutMs: 20_000 });
    expect(res.target).toBe(2);
    expect(res.revision).toBe(4);
    const lines = take();
    expect(lines).toContain('configmap/web-config created');
    expect(lines).toContain('deployment.apps/web configured');
    expect(env.api.store.get('apps/v1', 'Deployment', ns, 'web').spec.replicas).toBe(2);
    const st = await releaseStatus(env.client, ns, 'web');
    expect(st.description).toBe('rollback to 2');
    expect(st.module.version).toBe('1.0.0');
  });

  it('lists releases from metadata', async () => {
    const rels = await listReleases(env.client);
    const web = rels.find((r) => r.name === 'web');
    expect(web).toMatchObject({ namespace: ns, revision: 4, status: 'deployed', module: 'simple-web-app', moduleVersion: '1.0.0' });
  });

  it('deletes every inventoried object, then history', async () => {
    take();
    const before = env.api.requests.length;
    await deleteRelease(env.ctx, ns, 'web', { dryRun: 'client' });
    expect(take()).toContain('deployment.apps/web pruned (client dry run)');
    expect(env.api.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
    await deleteRelease(env.ctx, ns, 'web', { timeoutMs: 20_000 });
    const lines = take();
    expect(lines).toContain('deployment.apps/web pruned');
    expect(lines).toContain('release web deleted');
    await env.api.settle();
    expect(env.api.store.get('apps/v1', 'Deployment', ns, 'web')).toBeUndefined();
    expect(await new HistoryStore(env.client, ns, 'web').summaries()).toEqual([]);
  });
});
