// Cluster mode: the portal acts for each caller. With bearer tokens the
// caller's token goes to the API server (a bad one is refused there); behind
// an authenticating proxy the named user is impersonated, so RBAC decides
// which releases each user sees and what they may change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from '@opm/kube';
import { Portal } from '../src/portal.js';
import { CATALOG, Caller, startEnv, stopEnv, webAppForm, type Env } from './helpers.js';

let env: Env;
let bearer: Portal;
let proxied: Portal;
let bearerBase: string;
let proxiedBase: string;
let adminToken: string;

async function csrfOf(base: string, headers: Record<string, string>): Promise<string> {
  const r = await fetch(new URL('/api/session', base), { headers });
  expect(r.status).toBe(200);
  return ((await r.json()) as { csrf: string }).csrf;
}

beforeAll(async () => {
  // dave has a token of his own (in group team2-deployers), so RBAC applies to his requests.
  env = await startEnv({}, { controllers: true, users: [{ token: 'dave-token', name: 'dave', groups: ['team2-deployers'] }] });
  for (const ns of ['development', 'dev-team2']) await env.admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  // alice may read release history in `development` only.
  await env.admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'release-reader', namespace: 'development' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }] });
  await env.admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'alice', namespace: 'development' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'release-reader' }, subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }] });
  // The group team2-deployers may create and read releases (their history Secrets) in dev-team2.
  await env.admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'release-writer', namespace: 'dev-team2' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }] });
  await env.admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'team2-deployers', namespace: 'dev-team2' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'release-writer' }, subjects: [{ kind: 'Group', name: 'team2-deployers', apiGroup: 'rbac.authorization.k8s.io' }] });
  await env.api.settle();
  const kube = loadKubeConfig({ kubeconfig: env.api.kubeconfigPath });
  adminToken = kube.kc.getCurrentUser()!.token!;
  bearer = new Portal({ kube, catalog: CATALOG, port: 0, inCluster: true, timeoutMs: 30_000, log: () => {} });
  proxied = new Portal({ kube, catalog: CATALOG, port: 0, inCluster: true, authProxyHeader: 'X-Forwarded-User', authProxyGroupsHeader: 'X-Forwarded-Groups', timeoutMs: 30_000, log: () => {} });
  bearerBase = (await bearer.start()).url;
  proxiedBase = (await proxied.start()).url;
  // Two releases, deployed through the bearer-token portal with the admin's token.
  const admin = new Caller(bearerBase, { authorization: `Bearer ${adminToken}` });
  admin.csrf = await csrfOf(bearerBase, admin.headers);
  for (const [name, ns] of [['web', 'development'], ['other', 'dev-team2']] as const) {
    const d = await admin.json('POST', '/api/releases', webAppForm(name, ns), 202);
    const end = await admin.finish(d.operation);
    expect(end.state, end.error).toBe('succeeded');
  }
});
afterAll(async () => {
  await bearer?.close();
  await proxied?.close();
  await stopEnv(env);
});

describe('bearer tokens', () => {
  it('answers 401 without a token, and passes a bad token to the API server, which refuses it', async () => {
    expect((await fetch(new URL('/api/releases', bearerBase))).status).toBe(401);
    const r = await fetch(new URL('/api/releases', bearerBase), { headers: { authorization: 'Bearer wrong' } });
    expect(r.status).toBe(401);
  });

  it('shows what the token may see', async () => {
    const me = new Caller(bearerBase, { authorization: `Bearer ${adminToken}` });
    const list = await me.json('GET', '/api/releases');
    expect(list.namespaces).toBe('cluster');
    expect(list.releases.map((r: any) => `${r.namespace}/${r.name}`)).toEqual(['dev-team2/other', 'development/web']);
  });

  it("shows the token's own user and groups (SelfSubjectReview), and RBAC by group decides what it sees and where it may deploy", async () => {
    const dave = new Caller(bearerBase, { authorization: 'Bearer dave-token' });
    const me = await dave.json('GET', '/api/session');
    expect(me.user).toBe('dave');
    expect(me.groups).toEqual(['team2-deployers', 'system:authenticated']);
    // Not cluster-wide: dev-team2 (found through the environment's pattern dev-*) is where his group may read.
    const list = await dave.json('GET', '/api/releases');
    expect(list.namespaces).toEqual(['dev-team2']);
    expect(list.releases.map((r: any) => `${r.namespace}/${r.name}`)).toEqual(['dev-team2/other']);
    expect(await dave.json('GET', '/api/namespaces')).toEqual({ namespaces: [{ name: 'dev-team2', environment: 'development' }], checked: 'create secrets' });
  });

  it("offers the admin every namespace the platform's environments allow", async () => {
    const admin = new Caller(bearerBase, { authorization: `Bearer ${adminToken}` });
    const ns = (await admin.json('GET', '/api/namespaces')).namespaces;
    // Literal names of platform.cue, and the cluster's namespaces matching a pattern (dev-team2 by dev-*); no pattern itself.
    expect(ns).toEqual(expect.arrayContaining([{ name: 'development', environment: 'development' }, { name: 'dev-team2', environment: 'development' }, { name: 'staging', environment: 'staging' }, { name: 'production', environment: 'production' }]));
    expect(ns.some((n: any) => n.name.includes('*'))).toBe(false);
  });

  it('needs the CSRF token of that caller for changes', async () => {
    const r = await fetch(new URL('/api/releases/development/web/scale', bearerBase), {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', 'x-csrf-token': 'forged' },
      body: '{"replicas":2}',
    });
    expect(r.status).toBe(403);
  });
});

describe('an authenticating proxy and impersonation', () => {
  it('answers 401 when the proxy names no user', async () => {
    expect((await fetch(new URL('/api/releases', proxiedBase))).status).toBe(401);
  });

  it('lists only the releases RBAC lets the user read', async () => {
    const alice = new Caller(proxiedBase, { 'x-forwarded-user': 'alice' });
    const list = await alice.json('GET', '/api/releases');
    expect(list.namespaces).toEqual(['development']);
    expect(list.releases.map((r: any) => `${r.namespace}/${r.name}`)).toEqual(['development/web']);
    const bob = new Caller(proxiedBase, { 'x-forwarded-user': 'bob' });
    expect((await bob.json('GET', '/api/releases')).releases).toEqual([]);
    expect((await bob.get('/api/releases/development/web')).status).toBe(403);
  });

  it('offers only the namespaces where RBAC lets the user create a release', async () => {
    // alice may read in development but create nothing: no namespace to deploy to.
    const alice = new Caller(proxiedBase, { 'x-forwarded-user': 'alice' });
    expect((await alice.json('GET', '/api/namespaces')).namespaces).toEqual([]);
  });

  it("impersonates the proxy's groups too: a binding to the group counts", async () => {
    const alone = new Caller(proxiedBase, { 'x-forwarded-user': 'carol' });
    expect((await alone.json('GET', '/api/releases')).releases).toEqual([]);
    expect((await alone.json('GET', '/api/namespaces')).namespaces).toEqual([]);
    // Two groups: the binding matches only if each reaches the API server as an Impersonate-Group line of its own.
    const carol = new Caller(proxiedBase, { 'x-forwarded-user': 'carol', 'x-forwarded-groups': 'team2-deployers, readers' });
    const me = await carol.json('GET', '/api/session');
    expect(me).toMatchObject({ user: 'carol', groups: ['readers', 'team2-deployers'] });
    expect((await carol.json('GET', '/api/releases')).releases.map((r: any) => `${r.namespace}/${r.name}`)).toEqual(['dev-team2/other']);
    expect((await carol.json('GET', '/api/namespaces')).namespaces).toEqual([{ name: 'dev-team2', environment: 'development' }]);
    // Other groups are another identity: another CSRF token.
    expect(me.csrf).not.toBe((await alone.json('GET', '/api/session')).csrf);
  });

  it("refuses the user's change the API server forbids, and changes nothing", async () => {
    const alice = new Caller(proxiedBase, { 'x-forwarded-user': 'alice' });
    alice.csrf = await csrfOf(proxiedBase, alice.headers);
    // Another user's CSRF token does not work for alice.
    const bobCsrf = await csrfOf(proxiedBase, { 'x-forwarded-user': 'bob' });
    expect(bobCsrf).not.toBe(alice.csrf);
    const before = await env.admin.list('v1', 'Secret', { namespace: 'development', labelSelector: 'opm.dev/owner=opm' });
    const d = await alice.json('POST', '/api/releases/development/web/scale', { replicas: 3 }, 202);
    const end = await alice.finish(d.operation);
    expect(end.state).toBe('failed');
    expect(end.error).toMatch(/forbidden/i);
    expect(end.error).toMatch(/alice/);
    const dep = (await env.admin.get({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'development', name: 'web-web' })) as unknown as { spec: { replicas: number } };
    expect(dep.spec.replicas).toBe(1);
    expect((await env.admin.list('v1', 'Secret', { namespace: 'development', labelSelector: 'opm.dev/owner=opm' })).length).toBe(before.length);
  });
});
