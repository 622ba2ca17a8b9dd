// Impersonation headers and the minimal RBAC authorizer (src/rbac.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';

let api: TestApiServer;
beforeAll(async () => {
  api = await startTestApiServer({ namespaceDefaults: false });
});
afterAll(async () => {
  await api?.close();
});

async function call(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ code: number; body: any }> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { code: res.status, body: await res.json() };
}

const asSa = { 'Impersonate-User': 'system:serviceaccount:team:bot' };

describe('impersonation and RBAC', () => {
  it('forbids an impersonated ServiceAccount what no binding grants, with the upstream message', async () => {
    await call('POST', '/api/v1/namespaces', {}, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    const r = await call('GET', '/api/v1/namespaces/team/configmaps', asSa);
    expect(r.code).toBe(403);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403, details: { kind: 'configmaps' } });
    expect(r.body.message).toBe('configmaps is forbidden: User "system:serviceaccount:team:bot" cannot list resource "configmaps" in API group "" in the namespace "team"');
    // The token's own identity (an admin) is not restricted.
    expect((await call('GET', '/api/v1/namespaces/team/configmaps')).code).toBe(200);
  });

  it('allows what a RoleBinding grants, in that namespace only, down to resource names and subresources', async () => {
    await call('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles', {}, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'cm' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create'] }, { apiGroups: ['apps'], resources: ['deployments/status'], verbs: ['get'], resourceNames: ['web'] }],
    });
    await call('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings', {}, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'bot-cm' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm' },
      subjects: [{ kind: 'ServiceAccount', name: 'bot', namespace: 'team' }],
    });
    expect((await call('GET', '/api/v1/namespaces/team/configmaps', asSa)).code).toBe(200);
    expect((await call('POST', '/api/v1/namespaces/team/configmaps', asSa, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).code).toBe(201);
    const del = await call('DELETE', '/api/v1/namespaces/team/configmaps/c', asSa);
    expect(del.code).toBe(403);
    expect(del.body.message).toBe('configmaps "c" is forbidden: User "system:serviceaccount:team:bot" cannot delete resource "configmaps" in API group "" in the namespace "team"');
    expect((await call('GET', '/api/v1/namespaces/default/configmaps', asSa)).code).toBe(403);
    expect((await call('GET', '/apis/apps/v1/namespaces/team/deployments/other/status', asSa)).code).toBe(403);
    expect((await call('GET', '/apis/apps/v1/namespaces/team/deployments/web/status', asSa)).code).toBe(404); // allowed, absent
  });

  it('matches groups through a ClusterRoleBinding (a ServiceAccount gets its ServiceAccount groups)', async () => {
    await call('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {}, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'ns-reader' },
      rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list'] }],
    });
    await call('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {}, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'sas-read-ns' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ns-reader' },
      subjects: [{ kind: 'Group', name: 'system:serviceaccounts:team', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    expect((await call('GET', '/api/v1/namespaces', asSa)).code).toBe(200);
    const other = await call('GET', '/api/v1/namespaces', { 'Impersonate-User': 'system:serviceaccount:elsewhere:bot' });
    expect(other.code).toBe(403);
    expect(other.body.message).toMatch(/cannot list resource "namespaces" in API group "" at the cluster scope$/);
  });
});
