import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api, KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { apiFailure as failure } from './apiserver-helpers.js';

let api: TestApiServer;
let objs: KubernetesObjectApi;
let core: CoreV1Api;

beforeAll(async () => {
  api = await startTestApiServer();
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  objs = KubernetesObjectApi.makeApiClient(kc);
  core = kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await api?.close();
});

async function raw(method: string, path: string, body?: unknown, contentType = 'application/json') {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, 'content-type': contentType },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { code: res.status, body: (await res.json()) as any, warning: res.headers.get('warning') };
}

const dep = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'p', namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: 'p' } },
    template: {
      metadata: { labels: { app: 'p' } },
      spec: {
        containers: [
          { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }] },
          { name: 'b', image: 'b:1' },
        ],
      },
    },
  },
};

describe('patch types', () => {
  it('strategic merge patch merges containers by name and honours $patch: delete', async () => {
    await objs.create(dep as any);
    const r = await raw(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/p',
      { spec: { template: { spec: { containers: [{ name: 'a', image: 'a:2', env: [{ name: 'Y', value: '2' }] }, { name: 'b', $patch: 'delete' }] } } } },
      'application/strategic-merge-patch+json',
    );
    expect(r.code).toBe(200);
    const cs = r.body.spec.template.spec.containers;
    expect(cs.map((c: any) => `${c.name}:${c.image}`)).toEqual(['a:a:2']);
    expect(cs[0].env).toEqual([
      { name: 'X', value: '1' },
      { name: 'Y', value: '2' },
    ]);
    expect(r.body.metadata.generation).toBe(2);
  });

  it('JSON merge patch replaces lists and deletes with null', async () => {
    const r = await raw('PATCH', '/apis/apps/v1/namespaces/default/deployments/p', { metadata: { labels: { x: 'y' } }, spec: { template: { spec: { containers: [{ name: 'only', image: 'o:1' }] } } } }, 'application/merge-patch+json');
    expect(r.body.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['only']);
    const r2 = await raw('PATCH', '/apis/apps/v1/namespaces/default/deployments/p', { metadata: { labels: { x: null } } }, 'application/merge-patch+json');
    expect(r2.body.metadata.labels).toBeUndefined();
  });

  it('JSON patch applies operations and fails a test op with 422', async () => {
    const r = await raw('PATCH', '/apis/apps/v1/namespaces/default/deployments/p', [{ op: 'replace', path: '/spec/replicas', value: 4 }, { op: 'add', path: '/metadata/annotations', value: { a: 'b' } }], 'application/json-patch+json');
    expect(r.body.spec.replicas).toBe(4);
    expect(r.body.metadata.annotations).toEqual({ a: 'b' });
    const bad = await raw('PATCH', '/apis/apps/v1/namespaces/default/deployments/p', [{ op: 'test', path: '/spec/replicas', value: 1 }], 'application/json-patch+json');
    expect(bad.code).toBe(422);
    expect(bad.body.message).toBe('the server rejected our request due to an error in our request');
    const rvGuard = await raw('PATCH', '/apis/apps/v1/namespaces/default/deployments/p', { metadata: { resourceVersion: '1' }, spec: { replicas: 1 } }, 'application/merge-patch+json');
    expect(rvGuard.code).toBe(409);
  });

  it('rejects unknown patch content types with 415, force on non-apply patches and bad dryRun with 422', async () => {
    const r = await raw('PATCH', '/apis/apps/v1/namespaces/default/deployments/p', {}, 'text/plain');
    expect(r.code).toBe(415);
    const f = await raw('PATCH', '/apis/apps/v1/namespaces/default/deployments/p?force=true', {}, 'application/merge-patch+json');
    expect(f.code).toBe(422);
    expect(f.body.message).toBe('PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
    const dry = await raw('PATCH', '/apis/apps/v1/namespaces/default/deployments/p?dryRun=Yes', {}, 'application/merge-patch+json');
    expect(dry.body.message).toBe('PatchOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Yes"}: supported values: "All"');
  });

  it('server-side apply accepts YAML bodies and creates objects', async () => {
    const r = await raw(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/yaml?fieldManager=opm',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml\ndata:\n  a: "1"\n',
      'application/apply-patch+yaml',
    );
    expect(r.code).toBe(201);
    expect(r.body.data).toEqual({ a: '1' });
    expect(r.body.metadata.managedFields[0]).toMatchObject({ manager: 'opm', operation: 'Apply' });
  });
});

describe('custom resource schemas', () => {
  it('prunes unknown fields with a warning, applies defaults, validates, and rejects under Strict', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'gadgets', kind: 'Gadget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    required: ['size'],
                    properties: {
                      size: { type: 'integer', minimum: 1 },
                      mode: { type: 'string', enum: ['fast', 'slow'], default: 'slow' },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    };
    expect((await raw('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).code).toBe(201);
    await api.settle();
    const g = (name: string, spec: unknown) => ({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name }, spec });
    const ok = await raw('POST', '/apis/example.com/v1/namespaces/default/gadgets', g('g1', { size: 2, colour: 'red' }));
    expect(ok.code).toBe(201);
    expect(ok.body.spec).toEqual({ size: 2, mode: 'slow' });
    expect(ok.warning).toBe('299 - "unknown field \\"spec.colour\\""');
    const strict = await raw('POST', '/apis/example.com/v1/namespaces/default/gadgets?fieldValidation=Strict', g('g2', { size: 2, colour: 'red' }));
    expect(strict.code).toBe(400);
    const invalid = await raw('POST', '/apis/example.com/v1/namespaces/default/gadgets', g('g3', { size: 0, mode: 'warp' }));
    expect(invalid.code).toBe(422);
    expect(invalid.body.message).toBe(
      'Gadget.example.com "g3" is invalid: [spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1, spec.mode: Unsupported value: "warp": supported values: "fast", "slow"]',
    );
    const missing = await raw('POST', '/apis/example.com/v1/namespaces/default/gadgets', g('g4', {}));
    expect(missing.body.details.causes).toEqual([{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.size' }]);
    const noKind = await raw('POST', '/apis/example.com/v1/namespaces/default/gadgets', { metadata: { name: 'g5' }, spec: { size: 1 } });
    expect(noKind.code).toBe(400);
  });
});

describe('namespaces', () => {
  it('protects system namespaces and reports a terminating namespace', async () => {
    const d = await failure(core.deleteNamespace({ name: 'default' }));
    expect(d.code).toBe(403);
    expect(d.body.message).toBe('namespaces "default" is forbidden: this namespace may not be deleted');
    await core.createNamespace({ body: { metadata: { name: 'held' } } });
    await objs.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f', namespace: 'held', finalizers: ['x/y'] } } as any);
    await core.deleteNamespace({ name: 'held' });
    await api.settle();
    const ns = await core.readNamespace({ name: 'held' });
    expect(ns.status?.phase).toBe('Terminating');
    const again = await failure(core.deleteNamespace({ name: 'held' }));
    expect(again.code).toBe(409);
    const create = await failure(objs.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new', namespace: 'held' } } as any));
    expect(create.code).toBe(403);
    expect(create.body.message).toBe('configmaps "new" is forbidden: unable to create new content in namespace held because it is being terminated');
    api.store.clearFinalizers('v1', 'ConfigMap', 'held', 'f');
    await api.settle();
    expect(api.store.get('v1', 'Namespace', undefined, 'held')).toBeUndefined();
  });
});

describe('unknown fields in built-in kinds', () => {
  it('drops them with a warning, fails under Strict, and refuses them in server-side apply', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'uf', namespace: 'default', lables: { a: 'b' } }, data: { a: '1' }, spec: { x: 1 } };
    const r = await raw('POST', '/api/v1/namespaces/default/configmaps', cm);
    expect(r.code).toBe(201);
    expect(r.body.spec).toBeUndefined();
    expect(r.body.metadata.lables).toBeUndefined();
    expect(r.warning).toBe('299 - "unknown field \\"metadata.lables\\"", 299 - "unknown field \\"spec\\""');
    const strict = await raw('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', { ...cm, metadata: { name: 'uf2' } });
    expect(strict.code).toBe(400);
    expect(strict.body.message).toBe('strict decoding error: unknown field "spec"');
    const applied = await raw(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/uf?fieldManager=opm',
      { ...dep, metadata: { name: 'uf' }, spec: { ...dep.spec, template: { ...dep.spec.template, spec: { containers: [{ name: 'a', image: 'a:1', imagePullPolcy: 'Always' }] } } } },
      'application/apply-patch+yaml',
    );
    expect(applied.code).toBe(500);
    expect(applied.body.message).toBe(
      'failed to create typed patch object (/uf; apps/v1, Kind=Deployment): .spec.template.spec.containers[name="a"].imagePullPolcy: field not declared in schema',
    );
    const deep = await raw(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/uf?fieldManager=opm',
      { ...dep, metadata: { name: 'uf' }, spec: { ...dep.spec, template: { ...dep.spec.template, spec: { containers: [{ name: 'a', image: 'a:1', env: [{ name: 'X', valeu: '1' }], ports: [{ containerPort: 80, nmae: 'http' }] }] } } } },
      'application/apply-patch+yaml',
    );
    expect(deep.body.message).toBe(
      'failed to create typed patch object (/uf; apps/v1, Kind=Deployment): .spec.template.spec.containers[name="a"].env[name="X"].valeu: field not declared in schema\n' +
        '.spec.template.spec.containers[name="a"].ports[containerPort=80,protocol="TCP"].nmae: field not declared in schema',
    );
    const vol = await raw('POST', '/apis/apps/v1/namespaces/default/deployments', {
      ...dep,
      metadata: { name: 'vol', namespace: 'default' },
      spec: { ...dep.spec, template: { ...dep.spec.template, spec: { ...dep.spec.template.spec, volumes: [{ name: 'v', configMap: { name: 'x' }, configMapp: { name: 'x' } }] } } },
    });
    expect(vol.code).toBe(201);
    expect(vol.warning).toBe('299 - "unknown field \\"spec.template.spec.volumes[0].configMapp\\""');
  });
});
