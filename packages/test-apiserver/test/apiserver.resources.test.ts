import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type V1Lease,
} from '@kubernetes/client-node';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { apiFailure as failure } from './apiserver-helpers.js';

let api: TestApiServer;
let kc: KubeConfig;
let objs: KubernetesObjectApi;
let core: CoreV1Api;

beforeAll(async () => {
  api = await startTestApiServer({ controllers: true });
  kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  objs = KubernetesObjectApi.makeApiClient(kc);
  core = kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await api?.close();
});

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  size: { type: 'integer' },
                  // client-node's typed serializer expects the model property names (x_kubernetes_*) for x-kubernetes-* keys
                  ports: { type: 'array', x_kubernetes_list_type: 'map', x_kubernetes_list_map_keys: ['name'], items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } } } },
                },
              },
              status: { type: 'object', x_kubernetes_preserve_unknown_fields: true },
            },
          },
        },
      },
    ],
  },
};

describe('CustomResourceDefinitions', () => {
  it('registers the group/version, becomes Established and serves custom resources', async () => {
    await objs.create(crd as any);
    await api.settle();
    const c: any = await objs.read({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' } });
    expect(c.status.conditions.find((x: any) => x.type === 'Established').status).toBe('True');
    const res = await fetch(`${api.url}/apis/example.com/v1`, { headers: { authorization: `Bearer ${api.token}` } });
    const rl = (await res.json()) as any;
    expect(rl.resources.find((r: any) => r.name === 'widgets')).toMatchObject({ singularName: 'widget', kind: 'Widget', namespaced: true, shortNames: ['wd'] });
    const groups = (await (await fetch(`${api.url}/apis`, { headers: { authorization: `Bearer ${api.token}` } })).json()) as any;
    expect(groups.groups.find((g: any) => g.name === 'example.com').preferredVersion.groupVersion).toBe('example.com/v1');

    const w = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'default' }, spec: { size: 1, ports: [{ name: 'a', port: 1 }] } };
    const created: any = await objs.patch(w as any, undefined, undefined, 'opm', undefined, PatchStrategy.ServerSideApply);
    expect(created.metadata.generation).toBe(1);
    const other: any = await objs.patch(
      { ...w, spec: { ports: [{ name: 'b', port: 2 }] } } as any,
      undefined,
      undefined,
      'other',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    expect(other.spec.ports.map((p: any) => p.name)).toEqual(['a', 'b']); // x-kubernetes-list-type: map
    const list = await objs.list('example.com/v1', 'Widget', 'default');
    expect(list.items.map((i) => [i.kind, i.metadata?.name])).toEqual([['Widget', 'w1']]); // CR list items keep kind
    const bad = await failure(objs.create({ ...w, metadata: { name: 'w2', namespace: 'default' }, spec: { size: 'big' } } as any));
    expect(bad.code).toBe(422);
    const smp = await failure(objs.patch({ ...w, spec: { size: 3 } } as any, undefined, undefined, 'x', undefined, PatchStrategy.StrategicMergePatch));
    expect(smp.code).toBe(415);
  });

  it('deleting the CRD removes its resources and stops serving them', async () => {
    const res0 = await fetch(`${api.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${api.token}` },
    });
    const terminating = (await res0.json()) as any;
    expect(terminating.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    expect(terminating.metadata.deletionTimestamp).toBeTruthy();
    expect(terminating.status.conditions.find((c: any) => c.type === 'Terminating').status).toBe('True');
    await api.settle();
    expect(api.store.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'widgets.example.com')).toBeUndefined();
    const res = await fetch(`${api.url}/apis/example.com/v1/namespaces/default/widgets`, { headers: { authorization: `Bearer ${api.token}` } });
    expect(res.status).toBe(404);
  });
});

describe('Leases', () => {
  it('gives optimistic-concurrency conflicts to the loser of a race', async () => {
    const coord = kc.makeApiClient(CoordinationV1Api);
    const lease: V1Lease = { metadata: { name: 'opm-lock', namespace: 'default' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 30 } };
    const created = await coord.createNamespacedLease({ namespace: 'default', body: lease });
    const again = await failure(coord.createNamespacedLease({ namespace: 'default', body: lease }));
    expect(again.code).toBe(409);
    expect(again.body.reason).toBe('AlreadyExists');
    const a = { ...created, spec: { ...created.spec, holderIdentity: 'a2' } };
    const b = { ...created, spec: { ...created.spec, holderIdentity: 'b' } };
    await coord.replaceNamespacedLease({ name: 'opm-lock', namespace: 'default', body: a });
    const lost = await failure(coord.replaceNamespacedLease({ name: 'opm-lock', namespace: 'default', body: b }));
    expect(lost.code).toBe(409);
    expect(lost.body).toMatchObject({ reason: 'Conflict', details: { name: 'opm-lock', group: 'coordination.k8s.io', kind: 'leases' } });
    const cur = await coord.readNamespacedLease({ name: 'opm-lock', namespace: 'default' });
    expect(cur.spec?.holderIdentity).toBe('a2');
    // MicroTime needs exactly six fractional digits (Date#toISOString has three)
    const ms = await failure(coord.replaceNamespacedLease({ name: 'opm-lock', namespace: 'default', body: { ...cur, spec: { ...cur.spec, renewTime: '2026-01-02T03:04:05.123Z' as any } } }));
    expect(ms.code).toBe(400);
    expect(ms.body.message).toBe(
      'Lease in version "v1" cannot be handled as a Lease: parsing time "2026-01-02T03:04:05.123Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".123Z" as ".000000"',
    );
    const ok = await coord.replaceNamespacedLease({ name: 'opm-lock', namespace: 'default', body: { ...cur, spec: { ...cur.spec, renewTime: '2026-01-02T03:04:05.123000Z' as any } } });
    expect(String(ok.spec?.renewTime)).toContain('2026-01-02T03:04:05.123');
    const del = await failure(
      objs.delete({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'opm-lock', namespace: 'default' } } as any, undefined, undefined, undefined, undefined, undefined, {
        preconditions: { resourceVersion: created.metadata!.resourceVersion },
      } as any),
    );
    expect(del.code).toBe(409);
    expect(del.body.message).toMatch(/Precondition failed: ResourceVersion in precondition/);
  });
});

describe('limits and validation', () => {
  it('rejects Secrets over 1 MiB of data and objects over the etcd limit', async () => {
    const big = Buffer.alloc(1048577, 'a').toString('base64');
    const s = await failure(objs.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'big', namespace: 'default' }, data: { k: big } } as any));
    expect(s.code).toBe(422);
    expect(s.body.message).toBe('Secret "big" is invalid: data: Too long: must have at most 1048576 bytes');
    const cm = await failure(objs.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'default' }, data: { k: 'x'.repeat(1048577) } } as any));
    expect(cm.body.message).toBe('ConfigMap "big" is invalid: []: Too long: must have at most 1048576 bytes');
    const ann = 'a'.repeat(200 * 1024);
    const huge = await failure(
      objs.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'huge', namespace: 'default', annotations: { a: ann } },
        data: { k: 'x'.repeat(1000 * 1024), l: 'y'.repeat(500 * 1024) },
      } as any),
    );
    expect(huge.code).not.toBe(201);
  });

  it('enforces immutable fields', async () => {
    await objs.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'imm', namespace: 'default' }, stringData: { a: 'b' } } as any);
    const sec: any = await objs.read({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'imm', namespace: 'default' } });
    expect(sec.type).toBe('Opaque');
    expect(sec.data).toEqual({ a: Buffer.from('b').toString('base64') });
    expect(sec.stringData).toBeUndefined();
    const t = await failure(objs.replace({ ...sec, type: 'example.com/other' }));
    expect(t.body.message).toBe('Secret "imm" is invalid: type: Invalid value: "example.com/other": field is immutable');

    const svc: any = await objs.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc', namespace: 'default' },
      spec: { selector: { app: 'x' }, ports: [{ port: 80 }] },
    } as any);
    expect(svc.spec.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(svc.spec.ports[0]).toEqual({ port: 80, protocol: 'TCP', targetPort: 80 });
    const moved = await failure(objs.replace({ ...svc, spec: { ...svc.spec, clusterIP: '10.96.99.99', clusterIPs: ['10.96.99.99'] } }));
    expect(moved.code).toBe(422);
    // omitting the allocated clusterIP on update keeps it
    const kept: any = await objs.replace({ ...svc, spec: { selector: { app: 'y' }, ports: [{ port: 80 }] } });
    expect(kept.spec.clusterIP).toBe(svc.spec.clusterIP);

    const d: any = await objs.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'sel', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a', b: 'c' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    } as any);
    await api.settle(); // the simulated deployment controller writes status (new resourceVersion)
    const fresh: any = await objs.read(d);
    expect(fresh.metadata.resourceVersion).not.toBe(d.metadata.resourceVersion);
    const sel = await failure(objs.replace({ ...fresh, spec: { ...fresh.spec, selector: { matchLabels: { b: 'c' } } } }));
    expect(sel.code).toBe(422);
    expect(sel.body.details.causes[0].field).toBe('spec.selector');
  });

  it('validates selector/template agreement and names', async () => {
    const r = await failure(
      objs.create({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'mismatch', namespace: 'default' },
        spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
      } as any),
    );
    expect(r.body.message).toMatch(/spec.template.metadata.labels: Invalid value: .*: `selector` does not match template `labels`/);
    const n = await failure(core.createNamespace({ body: { metadata: { name: 'has.dot' } } }));
    expect(n.code).toBe(422);
    const tls = await failure(objs.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'default' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'YQ==' } } as any));
    expect(tls.body.message).toBe('Secret "tls" is invalid: data[tls.key]: Required value');
    const b64 = await failure(objs.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b64', namespace: 'default' }, data: { a: 'not base64!' } } as any));
    expect(b64.code).toBe(400);
    expect(b64.body.message).toBe('Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3');
    const key = await failure(objs.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keys', namespace: 'default' }, data: { 'bad key': 'x' } } as any));
    expect(key.body.details.causes[0]).toMatchObject({ reason: 'FieldValueInvalid', field: 'data[bad key]' });
    const ing = await failure(
      objs.create({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'ing', namespace: 'default' },
        spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 's', port: { number: 80 } } } }] } }] },
      } as any),
    );
    expect(ing.body.message).toBe('Ingress.networking.k8s.io "ing" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified');
  });
});

describe('dry run', () => {
  it('create/update/delete with dryRun=All do not persist', async () => {
    const rv = api.store.resourceVersion();
    const c: any = await objs.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry', namespace: 'default' }, data: { a: '1' } } as any, undefined, 'All');
    expect(c.metadata.uid).toBeTruthy();
    expect(c.metadata.resourceVersion).toBeUndefined();
    expect(api.store.get('v1', 'ConfigMap', 'default', 'dry')).toBeUndefined();
    await objs.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry', namespace: 'default' }, data: { a: '1' } } as any);
    await objs.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry', namespace: 'default' } } as any, undefined, 'All');
    expect(api.store.get('v1', 'ConfigMap', 'default', 'dry')).toBeDefined();
    expect(Number(api.store.resourceVersion())).toBe(Number(rv) + 1);
  });
});

describe('simulated controllers', () => {
  it('makes Deployments available, completes Jobs and binds PVCs', async () => {
    await objs.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ready', namespace: 'default' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'r' } }, template: { metadata: { labels: { app: 'r' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    } as any);
    await objs.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'job', namespace: 'default' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } } },
    } as any);
    await objs.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    } as any);
    await api.settle();
    const d: any = api.store.get('apps/v1', 'Deployment', 'default', 'ready');
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 2, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2 });
    expect(d.status.conditions.map((c: any) => `${c.type}=${c.status}`)).toEqual(['Available=True', 'Progressing=True']);
    const j: any = api.store.get('batch/v1', 'Job', 'default', 'job');
    expect(j.spec.selector.matchLabels['batch.kubernetes.io/controller-uid']).toBe(j.metadata.uid);
    expect(j.status.conditions.some((c: any) => c.type === 'Complete' && c.status === 'True')).toBe(true);
    const pvc: any = api.store.get('v1', 'PersistentVolumeClaim', 'default', 'data');
    expect(pvc.status.phase).toBe('Bound');
  });

  it('can make a rollout fail with ProgressDeadlineExceeded', async () => {
    api.controllers.failRollout({ kind: 'Deployment', name: 'doomed' });
    await objs.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'doomed', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    } as any);
    await api.settle();
    const d: any = api.store.get('apps/v1', 'Deployment', 'default', 'doomed');
    const p = d.status.conditions.find((c: any) => c.type === 'Progressing');
    expect(p).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
  });
});

describe('deletion', () => {
  it('deleting a namespace terminates it and removes its objects', async () => {
    await core.createNamespace({ body: { metadata: { name: 'doomed' } } });
    await objs.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'doomed' } } as any);
    const ns = await core.deleteNamespace({ name: 'doomed' });
    expect((ns as any).status?.phase).toBe('Terminating');
    await api.settle();
    expect(api.store.get('v1', 'ConfigMap', 'doomed', 'x')).toBeUndefined();
    const gone = await failure(core.readNamespace({ name: 'doomed' }));
    expect(gone.code).toBe(404);
  });

  it('keeps objects with finalizers until they are removed', async () => {
    await objs.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fin', namespace: 'default', finalizers: ['example.com/hold'] } } as any);
    await objs.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fin', namespace: 'default' } } as any);
    const held: any = api.store.get('v1', 'ConfigMap', 'default', 'fin');
    expect(held.metadata.deletionTimestamp).toBeTruthy();
    await objs.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fin', namespace: 'default', finalizers: null } } as any,
      undefined,
      undefined,
      'ctrl',
      undefined,
      PatchStrategy.MergePatch,
    );
    expect(api.store.get('v1', 'ConfigMap', 'default', 'fin')).toBeUndefined();
  });

  it('garbage-collects dependents (background) and orphans them on request', async () => {
    const owner: any = await objs.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace: 'default' } } as any);
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid };
    await objs.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'dep', namespace: 'default', ownerReferences: [ref] } } as any);
    await objs.delete(owner);
    await api.settle();
    expect(api.store.get('v1', 'Secret', 'default', 'dep')).toBeUndefined();

    const owner2: any = await objs.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner2', namespace: 'default' } } as any);
    await objs.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'dep2', namespace: 'default', ownerReferences: [{ ...ref, name: 'owner2', uid: owner2.metadata.uid }] } } as any);
    await objs.delete(owner2, undefined, undefined, undefined, undefined, 'Orphan');
    await api.settle();
    expect(api.store.get('v1', 'ConfigMap', 'default', 'owner2')).toBeUndefined();
    expect(api.store.get('v1', 'Secret', 'default', 'dep2').metadata.ownerReferences).toBeUndefined();
  });
});

describe('faults', () => {
  it('fails the Nth matching request and can delay', async () => {
    const off = api.faults.failNth(2, { method: 'GET', path: '/configmaps/', status: 503 });
    const read = () => objs.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root', namespace: 'default' } });
    await objs.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root', namespace: 'default' } } as any);
    await read();
    const f = await failure(read());
    expect(f.code).toBe(503);
    await read();
    off();
    api.faults.inject({ path: '/configmaps/kube-root', delayMs: 150 });
    const t0 = Date.now();
    await read();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    api.faults.clear();
  });
});

describe('namespace defaults', () => {
  it('populates namespaces like a real cluster (default ServiceAccount, kube-root-ca.crt, kubernetes Service)', async () => {
    await core.createNamespace({ body: { metadata: { name: 'populated' } } });
    await api.settle();
    expect(api.store.get('v1', 'ServiceAccount', 'populated', 'default')).toBeDefined();
    const ca = api.store.get('v1', 'ConfigMap', 'populated', 'kube-root-ca.crt');
    expect(ca.data['ca.crt']).toContain('BEGIN CERTIFICATE');
    const svc = api.store.get('v1', 'Service', 'default', 'kubernetes');
    expect(svc.spec).toMatchObject({ clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] });
  });
});
