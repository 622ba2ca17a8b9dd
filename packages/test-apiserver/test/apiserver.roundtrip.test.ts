import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';

let api: TestApiServer;
let objs: KubernetesObjectApi;

beforeAll(async () => {
  api = await startTestApiServer({ controllers: true });
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  objs = KubernetesObjectApi.makeApiClient(kc);
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
  return { code: res.status, body: (await res.json()) as any };
}

const manifests: any[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'rt', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'rt' } },
      template: {
        metadata: { labels: { app: 'rt' } },
        spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] }], volumes: [{ name: 'v', configMap: { name: 'x' } }] },
      },
    },
  },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'rt', namespace: 'default' }, spec: { type: 'NodePort', selector: { app: 'rt' }, ports: [{ name: 'http', port: 80 }] } },
  { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'rt', namespace: 'default' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'rt', namespace: 'default' }, stringData: { a: 'b' } },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'rt', namespace: 'default' }, spec: { serviceName: 'rt', selector: { matchLabels: { app: 'rs' } }, template: { metadata: { labels: { app: 'rs' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } },
  { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'rt', namespace: 'default' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'i' }] } } } } } },
];

describe('round trips', () => {
  it('GET then PUT of an unchanged object is a no-op, and so is re-applying the manifest', async () => {
    for (const m of manifests) {
      await objs.patch(m, undefined, undefined, 'opm', true, PatchStrategy.ServerSideApply);
    }
    await api.settle();
    for (const m of manifests) {
      const path = `/${m.apiVersion.includes('/') ? 'apis' : 'api'}/${m.apiVersion}/namespaces/default/${m.kind.toLowerCase()}s/rt`;
      const cur = await raw('GET', path);
      const put = await raw('PUT', path, cur.body);
      expect([m.kind, put.code, put.body.metadata.resourceVersion]).toEqual([m.kind, 200, cur.body.metadata.resourceVersion]);
      const again: any = await objs.patch(m, undefined, undefined, 'opm', true, PatchStrategy.ServerSideApply);
      expect([m.kind, again.metadata.resourceVersion]).toEqual([m.kind, cur.body.metadata.resourceVersion]);
      const merge = await raw('PATCH', path, { metadata: { labels: null } }, 'application/merge-patch+json');
      expect([m.kind, merge.body.metadata.resourceVersion]).toEqual([m.kind, cur.body.metadata.resourceVersion]);
    }
  });

  it('applies to the status subresource and tracks the manager with subresource: status', async () => {
    const st = await raw(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/rt/status?fieldManager=my-controller&force=true',
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'rt' }, status: { conditions: [{ type: 'Custom', status: 'True' }] }, spec: { replicas: 9 } },
      'application/apply-patch+yaml',
    );
    expect(st.code).toBe(200);
    expect(st.body.spec.replicas).toBe(1);
    expect(st.body.status.conditions.map((c: any) => c.type)).toContain('Custom');
    const entry = st.body.metadata.managedFields.find((m: any) => m.manager === 'my-controller');
    expect(entry).toMatchObject({ operation: 'Apply', subresource: 'status' });
    expect(Object.keys(entry.fieldsV1)).toEqual(['f:status']);
  });
});
