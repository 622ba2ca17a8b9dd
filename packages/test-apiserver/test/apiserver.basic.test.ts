import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { apiFailure as status } from './apiserver-helpers.js';

let api: TestApiServer;
let kc: KubeConfig;
let objs: KubernetesObjectApi;
let core: CoreV1Api;

beforeAll(async () => {
  api = await startTestApiServer();
  kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  objs = KubernetesObjectApi.makeApiClient(kc);
  core = kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await api?.close();
});

const deployment = (name: string, extra: any = {}): KubernetesObject & any => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', labels: { app: name } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
    ...extra,
  },
});

describe('discovery', () => {
  it('serves /api, /apis and resource lists that client-node uses', async () => {
    const res = await fetch(`${api.url}/apis`, { headers: { authorization: `Bearer ${api.token}` } });
    const groups = (await res.json()) as any;
    expect(groups.kind).toBe('APIGroupList');
    const names = groups.groups.map((g: any) => g.name);
    expect(names).toEqual(expect.arrayContaining(['apps', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'coordination.k8s.io', 'apiextensions.k8s.io', 'policy', 'autoscaling']));
    const core1 = await core.getAPIResources();
    const cm = core1.resources.find((r) => r.name === 'configmaps')!;
    expect(cm).toMatchObject({ singularName: 'configmap', namespaced: true, kind: 'ConfigMap', shortNames: ['cm'] });
    expect(core1.resources.find((r) => r.name === 'namespaces')?.namespaced).toBe(false);
  });

  it('rejects requests without the token', async () => {
    const res = await fetch(`${api.url}/api/v1/namespaces`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });
});

describe('CRUD via KubernetesObjectApi', () => {
  it('creates, reads, lists, replaces and deletes', async () => {
    const created = await objs.create(deployment('web'));
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.generation).toBe(1);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect((created as any).spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    const read = await objs.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } });
    expect(read.metadata?.uid).toBe(created.metadata?.uid);
    const dup = await status(objs.create(deployment('web')));
    expect(dup.code).toBe(409);
    expect(dup.body).toMatchObject({ reason: 'AlreadyExists', message: 'deployments.apps "web" already exists', details: { name: 'web', group: 'apps', kind: 'deployments' } });

    const upd: any = { ...read, spec: { ...(read as any).spec, replicas: 3 } };
    const replaced = await objs.replace(upd);
    expect(replaced.metadata?.generation).toBe(2);
    const stale = await status(objs.replace(upd));
    expect(stale.code).toBe(409);
    expect(stale.body.message).toBe(
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    );
    const list = await objs.list('apps/v1', 'Deployment', 'default');
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['web']);
    await objs.delete({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } });
    const gone = await status(objs.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } }));
    expect(gone.code).toBe(404);
    expect(gone.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', message: 'deployments.apps "web" not found', code: 404 });
  });

  it('rejects a create carrying a resourceVersion like etcd3 (500)', async () => {
    const r = await status(objs.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rv', namespace: 'default', resourceVersion: '12' } } as any));
    expect(r.code).toBe(500);
    expect(r.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'resourceVersion should not be set on objects to be created', code: 500 });
  });

  it('rejects objects in missing namespaces and invalid names', async () => {
    const r = await status(objs.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'nope' } } as any));
    expect(r.code).toBe(404);
    expect(r.body.message).toBe('namespaces "nope" not found');
    const bad = await status(objs.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name', namespace: 'default' } } as any));
    expect(bad.code).toBe(422);
    expect(bad.body.reason).toBe('Invalid');
    expect(bad.body.message).toMatch(/^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  });
});

describe('server-side apply', () => {
  it('tracks managers, conflicts and force', async () => {
    const a = await objs.patch(deployment('ssa'), undefined, undefined, 'opm', undefined, PatchStrategy.ServerSideApply);
    const mf = (a.metadata as any).managedFields;
    expect(mf).toHaveLength(1);
    expect(mf[0]).toMatchObject({ manager: 'opm', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' });
    expect(mf[0].fieldsV1['f:spec']['f:replicas']).toEqual({});
    expect(mf[0].fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}']).toEqual({ '.': {}, 'f:image': {}, 'f:name': {} });

    const other = deployment('ssa', { replicas: 5 });
    const c = await status(objs.patch(other, undefined, undefined, 'kubectl', undefined, PatchStrategy.ServerSideApply));
    expect(c.code).toBe(409);
    expect(c.body.message).toBe('Apply failed with 1 conflict: conflict with "opm": .spec.replicas');
    expect(c.body.details.causes).toEqual([{ reason: 'FieldManagerConflict', message: 'conflict with "opm"', field: '.spec.replicas' }]);

    const forced: any = await objs.patch(other, undefined, undefined, 'kubectl', true, PatchStrategy.ServerSideApply);
    expect(forced.spec.replicas).toBe(5);
    const owners = Object.fromEntries(forced.metadata.managedFields.map((m: any) => [m.manager, !!m.fieldsV1['f:spec']?.['f:replicas']]));
    expect(owners).toEqual({ opm: false, kubectl: true });
  });
});

describe('TLS', () => {
  it('serves HTTPS with a generated CA in the kubeconfig when asked', async () => {
    const tlsApi = await startTestApiServer({ tls: true });
    try {
      expect(tlsApi.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(tlsApi.kubeconfigYaml).toContain('certificate-authority-data:');
      expect(tlsApi.kubeconfigYaml).not.toContain('insecure-skip-tls-verify');
      const k = new KubeConfig();
      k.loadFromFile(tlsApi.kubeconfigPath);
      const ns = await k.makeApiClient(CoreV1Api).readNamespace({ name: 'default' });
      expect(ns.metadata?.name).toBe('default');
    } finally {
      await tlsApi.close();
    }
  });
});

describe('typed client-node APIs', () => {
  it('AppsV1Api create/read/replaceStatus/delete and CoreV1Api lists behave as against a real server', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const created = await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('typed') });
    expect(created.spec?.strategy?.type).toBe('RollingUpdate');
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const st = await apps.readNamespacedDeploymentStatus({ name: 'typed', namespace: 'default' });
    const updated = await apps.replaceNamespacedDeploymentStatus({
      name: 'typed',
      namespace: 'default',
      body: { ...st, status: { observedGeneration: 1, replicas: 2, readyReplicas: 2 } },
    });
    expect(updated.status?.readyReplicas).toBe(2);
    expect(updated.metadata?.generation).toBe(1);
    const nsList = await core.listNamespace();
    expect(nsList.items.map((n) => n.metadata?.name)).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']));
    const del = await apps.deleteNamespacedDeployment({ name: 'typed', namespace: 'default' });
    expect(del).toMatchObject({ status: 'Success', details: { name: 'typed', group: 'apps', kind: 'deployments' } });
    const gone = await status(apps.readNamespacedDeployment({ name: 'typed', namespace: 'default' }));
    expect(gone.code).toBe(404);
  });
});

describe('metadata-only responses (as=PartialObjectMetadata[List])', () => {
  const get = async (path: string, accept: string) => {
    const res = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${api.token}`, accept } });
    return { type: res.headers.get('content-type'), body: (await res.json()) as any };
  };

  it('lists and gets only metadata when asked, with the upstream kinds and content type', async () => {
    await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'meta-only', labels: { t: 'meta' } }, stringData: { payload: 'x'.repeat(5000) } } });
    const accept = 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json;q=0.9';
    const list = await get('/api/v1/namespaces/default/secrets?labelSelector=t%3Dmeta', accept);
    expect(list.type).toBe('application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1');
    expect(list.body).toMatchObject({ kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: expect.any(String) } });
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: expect.objectContaining({ name: 'meta-only', labels: { t: 'meta' } }) });
    expect(list.body.items[0].metadata.managedFields).toHaveLength(1);

    const one = await get('/api/v1/namespaces/default/secrets/meta-only', 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io');
    expect(one.body).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: list.body.items[0].metadata });

    // A transform this server does not serve falls through to the next range; plain JSON last.
    const table = await get('/api/v1/namespaces/default/secrets/meta-only', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json');
    expect(table.type).toBe('application/json');
    expect(table.body).toMatchObject({ kind: 'Secret', data: { payload: expect.any(String) } });
    // A list transform is not a single-object one.
    expect((await get('/api/v1/namespaces/default/secrets/meta-only', accept)).body.kind).toBe('Secret');
  });
});
