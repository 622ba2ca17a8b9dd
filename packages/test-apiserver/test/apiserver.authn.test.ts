// Users with tokens of their own, impersonation by them (needs RBAC's
// `impersonate`), one group per Impersonate-Group header line, and the review
// APIs (TokenReview, SelfSubjectReview, SubjectAccessReview,
// SelfSubjectAccessReview), as kube-apiserver answers them.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';

let api: TestApiServer;
beforeAll(async () => {
  api = await startTestApiServer({
    namespaceDefaults: false,
    users: [
      { token: 'carol-token', name: 'carol', groups: ['release-admins'] },
      { token: 'proxy-token', name: 'portal-proxy' },
    ],
  });
  const admin = (path: string, body: unknown) => call('POST', path, {}, body);
  await admin('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
  await admin('/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'cm' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create'] }] });
  await admin('/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'admins-cm' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm' },
    subjects: [{ kind: 'Group', name: 'release-admins', apiGroup: 'rbac.authorization.k8s.io' }],
  });
  // portal-proxy may impersonate users, and the group release-admins only.
  await admin('/apis/rbac.authorization.k8s.io/v1/clusterroles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'impersonator' }, rules: [{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'] }, { apiGroups: [''], resources: ['groups'], verbs: ['impersonate'], resourceNames: ['release-admins'] }] });
  await admin('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'proxy' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'impersonator' }, subjects: [{ kind: 'User', name: 'portal-proxy', apiGroup: 'rbac.authorization.k8s.io' }] });
});
afterAll(async () => {
  await api?.close();
});

/** A request with repeatable headers ([name, value] pairs), as a client sending several Impersonate-Group lines does. */
function call(method: string, path: string, headers: Record<string, string> | [string, string][] = {}, body?: unknown, token = api.token): Promise<{ code: number; body: any }> {
  const pairs = Array.isArray(headers) ? headers : Object.entries(headers);
  // With headers given as a list, Node adds no Host header of its own.
  const flat = [['host', new URL(api.url).host], ['authorization', `Bearer ${token}`], ...(body ? [['content-type', 'application/json']] : []), ...pairs].flat();
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, { method, headers: flat }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ code: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const ssar = (attrs: Record<string, string>) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attrs } });

describe('users and their tokens', () => {
  it('authenticates a user token as its user and groups, authorized by RBAC (a Group binding counts); an unknown token is 401', async () => {
    expect((await call('GET', '/api/v1/namespaces/team/configmaps', {}, undefined, 'carol-token')).code).toBe(200);
    const denied = await call('GET', '/api/v1/namespaces/default/configmaps', {}, undefined, 'carol-token');
    expect(denied.code).toBe(403);
    expect(denied.body.message).toContain('User "carol" cannot list resource "configmaps"');
    expect((await call('GET', '/api/v1/namespaces/team/configmaps', {}, undefined, 'nope')).code).toBe(401);
  });

  it('answers SelfSubjectReview and TokenReview with the identity', async () => {
    const me = await call('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {}, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, 'carol-token');
    expect(me.code).toBe(201);
    expect(me.body.status.userInfo).toEqual({ username: 'carol', groups: ['release-admins', 'system:authenticated'] });
    const tr = await call('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {}, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'carol-token' } });
    expect(tr.body.status).toEqual({ authenticated: true, user: { username: 'carol', groups: ['release-admins', 'system:authenticated'] } });
    const bad = await call('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {}, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'nope' } });
    expect(bad.body.status.authenticated).toBe(false);
    // Only who RBAC allows may review tokens.
    expect((await call('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {}, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'x' } }, 'carol-token')).code).toBe(403);
    // Reviews are answered, never stored.
    expect((await call('GET', '/apis/authentication.k8s.io/v1/tokenreviews')).code).toBe(405);
  });

  it('answers SelfSubjectAccessReview for the caller, impersonated or not, and SubjectAccessReview for a subject', async () => {
    const can = await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {}, ssar({ namespace: 'team', verb: 'create', resource: 'configmaps' }), 'carol-token');
    expect(can.code).toBe(201);
    expect(can.body.status.allowed).toBe(true);
    expect((await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {}, ssar({ namespace: 'default', verb: 'create', resource: 'configmaps' }), 'carol-token')).body.status.allowed).toBe(false);
    // The admin impersonating dave (no groups): not allowed; with the group: allowed.
    expect((await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { 'Impersonate-User': 'dave' }, ssar({ namespace: 'team', verb: 'list', resource: 'configmaps' }))).body.status.allowed).toBe(false);
    expect((await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', [['Impersonate-User', 'dave'], ['Impersonate-Group', 'release-admins']], ssar({ namespace: 'team', verb: 'list', resource: 'configmaps' }))).body.status.allowed).toBe(true);
    const sar = await call('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {}, { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'erin', groups: ['release-admins'], resourceAttributes: { namespace: 'team', verb: 'get', resource: 'configmaps' } } });
    expect(sar.body.status.allowed).toBe(true);
  });
});

describe('impersonation by a user', () => {
  it('takes one group per Impersonate-Group line (a comma is part of the name)', async () => {
    const two: [string, string][] = [['Impersonate-User', 'dave'], ['Impersonate-Group', 'others'], ['Impersonate-Group', 'release-admins']];
    expect((await call('GET', '/api/v1/namespaces/team/configmaps', two)).code).toBe(200);
    expect((await call('GET', '/api/v1/namespaces/team/configmaps', [['Impersonate-User', 'dave'], ['Impersonate-Group', 'others,release-admins']])).code).toBe(403);
  });

  it('needs RBAC impersonate on the user and on each group', async () => {
    const asCarol: [string, string][] = [['Impersonate-User', 'dave'], ['Impersonate-Group', 'release-admins']];
    const refused = await call('GET', '/api/v1/namespaces/team/configmaps', asCarol, undefined, 'carol-token');
    expect(refused.code).toBe(403);
    expect(refused.body.message).toBe('users "dave" is forbidden: User "carol" cannot impersonate resource "users" in API group "" at the cluster scope');
    expect((await call('GET', '/api/v1/namespaces/team/configmaps', asCarol, undefined, 'proxy-token')).code).toBe(200);
    const group = await call('GET', '/api/v1/namespaces/team/configmaps', [['Impersonate-User', 'dave'], ['Impersonate-Group', 'system:masters']], undefined, 'proxy-token');
    expect(group.code).toBe(403);
    expect(group.body.message).toContain('cannot impersonate resource "groups"');
    // Without a group the proxy may impersonate dave, who may do nothing in team.
    expect((await call('GET', '/api/v1/namespaces/team/configmaps', { 'Impersonate-User': 'dave' }, undefined, 'proxy-token')).code).toBe(403);
  });
});
