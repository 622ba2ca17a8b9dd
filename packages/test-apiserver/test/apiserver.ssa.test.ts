import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { apiFailure as failure } from './apiserver-helpers.js';

let api: TestApiServer;
let objs: KubernetesObjectApi;

beforeAll(async () => {
  api = await startTestApiServer();
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  objs = KubernetesObjectApi.makeApiClient(kc);
});
afterAll(async () => {
  await api?.close();
});

const apply = (obj: any, manager: string, force?: boolean, dryRun?: string) =>
  objs.patch(obj, undefined, dryRun, manager, force, PatchStrategy.ServerSideApply) as Promise<any>;

function deploy(name: string, spec: any = {}, labels: Record<string, string> = { app: name }) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

const cm = (name: string, data: Record<string, string>, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
  data,
});

describe('server-side apply', () => {
  it('a repeated identical apply is a no-op (resourceVersion unchanged)', async () => {
    const a = await apply(cm('noop', { a: '1' }), 'opm');
    const b = await apply(cm('noop', { a: '1' }), 'opm');
    expect(b.metadata.resourceVersion).toBe(a.metadata.resourceVersion);
    expect(b.metadata.managedFields).toEqual(a.metadata.managedFields);
    const c = await apply(cm('noop', { a: '2' }), 'opm');
    expect(Number(c.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
  });

  it('removes fields the manager stops applying, unless another manager owns them', async () => {
    await apply(cm('prune', { a: '1', b: '2', c: '3' }, { x: '1', y: '2' }), 'opm');
    await apply(cm('prune', { c: '3' }), 'other'); // shared ownership of data.c (same value: no conflict)
    const r = await apply(cm('prune', { a: '1' }, { x: '1' }), 'opm');
    expect(r.data).toEqual({ a: '1', c: '3' });
    expect(r.metadata.labels).toEqual({ x: '1' });
    const mine = r.metadata.managedFields.find((m: any) => m.manager === 'opm');
    expect(mine.fieldsV1).toEqual({ 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:x': {} } } });
  });

  it('shares ownership when values agree and conflicts when they differ', async () => {
    await apply(cm('share', { k: 'v' }), 'a');
    const same = await apply(cm('share', { k: 'v' }), 'b');
    expect(same.metadata.managedFields.map((m: any) => m.manager)).toEqual(['a', 'b']);
    const c = await failure(apply(cm('share', { k: 'other' }), 'c'));
    expect(c.code).toBe(409);
    expect(c.body.reason).toBe('Conflict');
    expect(c.body.message).toBe('Apply failed with 2 conflicts: conflicts with "a":\n- .data.k\nconflicts with "b":\n- .data.k');
    expect(c.body.details.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "a"', field: '.data.k' },
      { reason: 'FieldManagerConflict', message: 'conflict with "b"', field: '.data.k' },
    ]);
  });

  it('an Update takes ownership; a later apply conflicts with "<manager>" using <apiVersion>', async () => {
    await apply(deploy('upd', { replicas: 2 }), 'opm');
    await objs.patch(
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'upd', namespace: 'default' }, spec: { replicas: 4 } } as any,
      undefined,
      undefined,
      'kubectl-scale',
      undefined,
      PatchStrategy.MergePatch,
    );
    const c = await failure(apply(deploy('upd', { replicas: 2 }), 'opm'));
    expect(c.body.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas');
    const f = await apply(deploy('upd', { replicas: 2 }), 'opm', true);
    expect(f.spec.replicas).toBe(2);
    expect(f.metadata.managedFields.map((m: any) => `${m.manager}/${m.operation}`)).toEqual(['opm/Apply']);
  });

  it('lists many conflicts across managers, managers sorted', async () => {
    await apply(deploy('multi', { replicas: 1, minReadySeconds: 5 }), 'zeta');
    const c = await failure(apply(deploy('multi', { replicas: 3, minReadySeconds: 7 }), 'alpha'));
    expect(c.body.message).toBe('Apply failed with 2 conflicts: conflicts with "zeta":\n- .spec.minReadySeconds\n- .spec.replicas');
  });

  it('merges associative lists by key across managers and prunes only own items', async () => {
    await apply(deploy('lists'), 'a');
    const side = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'lists', namespace: 'default' },
      spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'envoy:1' }] } } },
    };
    const both = await apply(side, 'b');
    expect(both.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['web', 'sidecar']);
    const c = await failure(apply({ ...side, spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } } }, 'b'));
    expect(c.body.message).toBe('Apply failed with 1 conflict: conflict with "a": .spec.template.spec.containers[name="web"].image');
    const after = await apply({ ...side, spec: { template: { spec: { containers: [] } } } }, 'b');
    expect(after.spec.template.spec.containers.map((x: any) => x.name)).toEqual(['web']);
  });

  it('generation moves only with spec; resourceVersion with every write', async () => {
    const a = await apply(deploy('gen'), 'opm');
    expect(a.metadata.generation).toBe(1);
    const b = await apply(deploy('gen', {}, { app: 'gen', tier: 'web' }), 'opm');
    expect(b.metadata.generation).toBe(1);
    expect(b.metadata.resourceVersion).not.toBe(a.metadata.resourceVersion);
    const c = await apply(deploy('gen', { replicas: 3 }, { app: 'gen', tier: 'web' }), 'opm');
    expect(c.metadata.generation).toBe(2);
  });

  it('ignores status in main-resource applies; /status writes keep generation', async () => {
    const a = await apply({ ...deploy('st'), status: { replicas: 9 } }, 'opm');
    expect(a.status).toBeUndefined();
    const res = await fetch(`${api.url}/apis/apps/v1/namespaces/default/deployments/st/status`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ status: { observedGeneration: 1, readyReplicas: 1 }, spec: { replicas: 7 } }),
    });
    const s = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(s.status).toEqual({ observedGeneration: 1, readyReplicas: 1 });
    expect(s.spec.replicas).toBe(1);
    expect(s.metadata.generation).toBe(1);
    const statusManager = s.metadata.managedFields.find((m: any) => m.subresource === 'status');
    expect(statusManager).toMatchObject({ operation: 'Update', subresource: 'status' });
  });

  it('requires fieldManager (422 PatchOptions), a name, and no managedFields in the applied object', async () => {
    const res = await fetch(`${api.url}/api/v1/namespaces/default/configmaps/x`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/apply-patch+yaml' },
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const noName = await fetch(`${api.url}/api/v1/namespaces/default/configmaps/x?fieldManager=a`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/apply-patch+yaml' },
      body: 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n',
    });
    expect(noName.status).toBe(400);
    const mf = await fetch(`${api.url}/api/v1/namespaces/default/configmaps/x?fieldManager=a`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/apply-patch+yaml' },
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', managedFields: [{ manager: 'a' }] } }),
    });
    expect(mf.status).toBe(400);
  });

  it('dryRun=All returns the result without persisting', async () => {
    const r = await apply(cm('dry', { a: '1' }), 'opm', undefined, 'All');
    expect(r.data).toEqual({ a: '1' });
    expect(api.store.get('v1', 'ConfigMap', 'default', 'dry')).toBeUndefined();
    await apply(cm('dry', { a: '1' }), 'opm');
    const before = api.store.get('v1', 'ConfigMap', 'default', 'dry');
    const r2 = await apply(cm('dry', { a: '2' }), 'opm', undefined, 'All');
    expect(r2.data).toEqual({ a: '2' });
    expect(api.store.get('v1', 'ConfigMap', 'default', 'dry')).toEqual(before);
  });

  it('managedFields can be reset with [{}]', async () => {
    await apply(cm('reset', { a: '1' }), 'opm');
    const r: any = await objs.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'reset', namespace: 'default', managedFields: [{}] } } as any,
      undefined,
      undefined,
      'x',
      undefined,
      PatchStrategy.MergePatch,
    );
    expect(r.metadata.managedFields).toBeUndefined();
  });

  it('defaults missing key fields of associative lists (ports without protocol) instead of duplicating items', async () => {
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ports', namespace: 'default' },
      spec: { selector: { app: 'x' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    };
    const a = await apply(svc, 'opm');
    const b = await apply(svc, 'opm');
    expect(b.spec.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }]);
    expect(b.metadata.resourceVersion).toBe(a.metadata.resourceVersion);
    const f = b.metadata.managedFields[0].fieldsV1['f:spec']['f:ports'];
    expect(Object.keys(f)).toEqual(['k:{"port":80,"protocol":"TCP"}']);
    const c = await apply({ ...svc, spec: { ...svc.spec, ports: [{ name: 'https', port: 443 }] } }, 'opm');
    expect(c.spec.ports.map((p: any) => p.port)).toEqual([443]);
  });

  it('reproduces upstream no-op quirks: empty maps are no-ops, empty atomic lists bump resourceVersion (kubernetes#131175)', async () => {
    const crb = (subjects: unknown) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'quirk', annotations: {} },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects,
    });
    const a = await apply(crb([{ kind: 'User', name: 'u', apiGroup: 'rbac.authorization.k8s.io' }]), 'opm');
    const b = await apply(crb([{ kind: 'User', name: 'u', apiGroup: 'rbac.authorization.k8s.io' }]), 'opm');
    expect(b.metadata.resourceVersion).toBe(a.metadata.resourceVersion);
    const c = await apply(crb([]), 'opm');
    expect(c.subjects).toBeUndefined();
    const d = await apply(crb([]), 'opm');
    expect(Number(d.metadata.resourceVersion)).toBeGreaterThan(Number(c.metadata.resourceVersion));
  });

  it('orders managedFields like upstream (Apply entries before Update entries)', async () => {
    await objs.create(cm('order', { a: '1' }) as any, undefined, undefined, 'creator');
    const r = await apply(cm('order', { b: '2' }), 'zz');
    expect(r.metadata.managedFields.map((m: any) => `${m.manager}/${m.operation}`)).toEqual(['zz/Apply', 'creator/Update']);
  });

  it('records Update ownership like typed.Compare (new maps/lists get "."), Apply ownership like ToFieldSet (no ".")', async () => {
    const created: any = await objs.create(
      { ...deploy('shape'), spec: { ...deploy('shape').spec, template: { metadata: { labels: { app: 'shape' } }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }] }] } } } } as any,
      undefined,
      undefined,
      'kubectl-create',
    );
    const f = created.metadata.managedFields[0].fieldsV1;
    expect(created.metadata.managedFields[0]).toMatchObject({ manager: 'kubectl-create', operation: 'Update' });
    expect(f['f:metadata']['f:labels']).toEqual({ '.': {}, 'f:app': {} });
    expect(f['f:spec']['f:strategy']['f:rollingUpdate']['.']).toEqual({});
    expect(f['f:spec']['f:strategy']['.']).toBeUndefined();
    expect(f['f:spec']['.']).toBeUndefined();
    const c = f['f:spec']['f:template']['f:spec']['f:containers'];
    expect(c['.']).toBeUndefined();
    expect(c['k:{"name":"c"}']['f:ports']['.']).toEqual({});
    const applied = await apply(deploy('shape2'), 'opm');
    expect(applied.metadata.managedFields[0].fieldsV1['f:metadata']['f:labels']).toEqual({ 'f:app': {} });
  });

  it('serves the scale subresource; a scale is an Update with subresource "scale" that later applies conflict with', async () => {
    await apply(deploy('scaled', { replicas: 2 }), 'opm');
    const get = await fetch(`${api.url}/apis/apps/v1/namespaces/default/deployments/scaled/scale`, { headers: { authorization: `Bearer ${api.token}` } });
    expect(await get.json()).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { selector: 'app=scaled' } });
    const res = await fetch(`${api.url}/apis/apps/v1/namespaces/default/deployments/scaled/scale?fieldManager=kubectl`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { replicas: 5 } }),
    });
    expect(res.status).toBe(200);
    const live: any = await objs.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'scaled', namespace: 'default' } });
    expect(live.spec.replicas).toBe(5);
    expect(live.metadata.generation).toBe(2);
    expect(live.metadata.managedFields.find((m: any) => m.manager === 'kubectl')).toMatchObject({ operation: 'Update', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    const c = await failure(apply(deploy('scaled', { replicas: 2 }), 'opm'));
    expect(c.body.message).toBe('Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
  });
});
