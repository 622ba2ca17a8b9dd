// Tenancy through RBAC: a ModuleRelease with spec.serviceAccountName is
// applied as that ServiceAccount (Impersonate-User), so it gets no more than
// the ServiceAccount's own RBAC; the test API server authorizes impersonated
// requests against the stored Roles and bindings.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { condition, ensureNamespace, eventually, getRelease, startEnv, startOperator, stopEnv, waitReady, webAppRelease, type Env } from './helpers.js';

let env: Env;
beforeEach(async () => {
  env = await startEnv();
  await ensureNamespace(env, 'dev-a');
  await env.api.settle();
});
afterEach(async () => {
  await stopEnv(env);
});

const rbac = (kind: string, body: Record<string, unknown>) => env.client.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, ...body } as never);

it("applies as the release's ServiceAccount: refused what its RBAC does not allow, applied once it does", async () => {
  await env.client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deployer', namespace: 'dev-a' } });
  // Enough for the release's bookkeeping (its namespace, Lease, history Secrets) and config objects, not for workloads.
  await rbac('Role', {
    metadata: { name: 'limited', namespace: 'dev-a' },
    rules: [
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
      { apiGroups: [''], resources: ['secrets', 'configmaps', 'services'], verbs: ['*'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['*'] },
      { apiGroups: ['networking.k8s.io', 'policy', 'autoscaling'], resources: ['*'], verbs: ['*'] },
    ],
  });
  await rbac('RoleBinding', {
    metadata: { name: 'deployer-limited', namespace: 'dev-a' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'limited' },
    subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'dev-a' }],
  });
  const op = startOperator(env);
  await op.start();
  await env.client.create(webAppRelease('web', 'dev-a', {}, { serviceAccountName: 'deployer' }) as never);
  const mr = await eventually(async () => {
    const m = await getRelease(env, 'dev-a', 'web');
    return condition(m, 'Ready')?.reason === 'ApplyFailed' ? m : undefined;
  });
  expect(condition(mr, 'Ready')?.message).toMatch(/User "system:serviceaccount:dev-a:deployer" cannot \w+ resource "deployments" in API group "apps" in the namespace "dev-a"/);
  expect(env.api.store.list('apps/v1', 'Deployment', 'dev-a')).toEqual([]);

  // The platform grants workloads to this tenant: the release converges (back-off retry).
  await rbac('Role', { metadata: { name: 'workloads', namespace: 'dev-a' }, rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] }] });
  await rbac('RoleBinding', {
    metadata: { name: 'deployer-workloads', namespace: 'dev-a' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'workloads' },
    subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'dev-a' }],
  });
  const ready = await waitReady(env, 'dev-a', 'web', 30_000);
  expect(ready.status?.revision).toBeGreaterThanOrEqual(1);
  expect(env.api.store.list('apps/v1', 'Deployment', 'dev-a').map((d: { metadata: { name: string } }) => d.metadata.name)).toEqual(['web-web']);
});

it('uses --default-service-account when the ModuleRelease names none', async () => {
  const op = startOperator(env, { defaultServiceAccount: 'opm-tenant' });
  await op.start();
  await env.client.create(webAppRelease('web', 'dev-a') as never);
  const mr = await eventually(async () => {
    const m = await getRelease(env, 'dev-a', 'web');
    return condition(m, 'Ready')?.reason === 'ApplyFailed' ? m : undefined;
  });
  expect(condition(mr, 'Ready')?.message).toMatch(/User "system:serviceaccount:dev-a:opm-tenant" cannot/);
});
