import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';

let api: TestApiServer;
let objs: KubernetesObjectApi;

beforeAll(async () => {
  api = await startTestApiServer({ controllers: { pods: true, nodes: 2 } });
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  objs = KubernetesObjectApi.makeApiClient(kc);
});
afterAll(async () => {
  await api?.close();
});

const apply = (o: any) => objs.patch(o, undefined, undefined, 'opm', true, PatchStrategy.ServerSideApply) as Promise<any>;
const names = (apiVersion: string, kind: string) => api.store.list(apiVersion, kind, 'default').map((o: any) => o.metadata.name);

const deploy = (image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } } },
});

describe('simulated workload children (controllers: {pods: true})', () => {
  it('rolls Deployments through ReplicaSets and Pods, and garbage-collects them', async () => {
    await apply(deploy('nginx:1'));
    await api.settle();
    const rs1 = api.store.list('apps/v1', 'ReplicaSet', 'default');
    expect(rs1).toHaveLength(1);
    expect(rs1[0].metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
    expect(rs1[0].metadata.ownerReferences[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true });
    const pods = api.store.list('v1', 'Pod', 'default');
    expect(pods).toHaveLength(2);
    expect(pods[0].metadata.labels).toMatchObject({ app: 'web', 'pod-template-hash': rs1[0].metadata.labels['pod-template-hash'] });
    expect(pods[0].status.phase).toBe('Running');
    const d = api.store.get('apps/v1', 'Deployment', 'default', 'web');
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status.readyReplicas).toBe(2);

    await apply(deploy('nginx:2'));
    await api.settle();
    const rs2 = api.store.list('apps/v1', 'ReplicaSet', 'default');
    expect(rs2.map((r: any) => [r.metadata.annotations['deployment.kubernetes.io/revision'], r.spec.replicas]).sort()).toEqual([
      ['1', 0],
      ['2', 2],
    ]);
    expect(api.store.list('v1', 'Pod', 'default').map((p: any) => p.spec.containers[0].image)).toEqual(['nginx:2', 'nginx:2']);
    expect(api.store.get('apps/v1', 'Deployment', 'default', 'web').metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');

    await objs.delete({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } } as any);
    await api.settle();
    expect(names('apps/v1', 'ReplicaSet')).toEqual([]);
    expect(names('v1', 'Pod')).toEqual([]);
  });

  it('creates StatefulSet pods and PVCs (which outlive the StatefulSet), DaemonSet pods per node, Job pods', async () => {
    await apply({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'pg' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    });
    await apply({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'a' }] } } },
    });
    await apply({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'once', namespace: 'default' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'j' }] } } },
    });
    await api.settle();
    const pods = api.store.list('v1', 'Pod', 'default');
    expect(pods.filter((p: any) => p.metadata.labels.app === 'db').map((p: any) => p.metadata.name)).toEqual(['db-0', 'db-1']);
    expect(pods.filter((p: any) => p.metadata.labels.app === 'agent')).toHaveLength(2);
    const jobPod = pods.find((p: any) => p.metadata.labels['job-name'] === 'once');
    expect(jobPod.status.phase).toBe('Succeeded');
    expect(names('v1', 'PersistentVolumeClaim')).toEqual(['data-db-0', 'data-db-1']);
    expect(api.store.get('v1', 'PersistentVolumeClaim', 'default', 'data-db-0').status.phase).toBe('Bound');
    await objs.delete({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' } } as any);
    await api.settle();
    expect(api.store.list('v1', 'Pod', 'default').filter((p: any) => p.metadata.labels.app === 'db')).toEqual([]);
    expect(names('v1', 'PersistentVolumeClaim')).toEqual(['data-db-0', 'data-db-1']);
  });

  it('failed rollouts leave pods Pending in ImagePullBackOff', async () => {
    api.controllers.failRollout({ kind: 'Deployment', name: 'bad' }); // its ReplicaSet's pods fail too
    await apply({ ...deploy('nope:1'), metadata: { name: 'bad', namespace: 'default' }, spec: { ...deploy('x').spec, selector: { matchLabels: { app: 'bad' } }, template: { metadata: { labels: { app: 'bad' } }, spec: { containers: [{ name: 'c', image: 'nope:1' }] } } } });
    await api.settle();
    const pods = api.store.list('v1', 'Pod', 'default').filter((p: any) => p.metadata.labels.app === 'bad');
    expect(pods).toHaveLength(2);
    expect(pods[0].status.phase).toBe('Pending');
    expect(pods[0].status.containerStatuses[0].state.waiting.reason).toBe('ImagePullBackOff');
    api.controllers.clearFailures();
  });
});

describe('manual readiness', () => {
  it('leaves workloads alone without controllers until readyAll()', async () => {
    const manual = await startTestApiServer();
    try {
      manual.store.write({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'm', namespace: 'default' },
        spec: { selector: { matchLabels: { app: 'm' } }, template: { metadata: { labels: { app: 'm' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
      });
      await manual.settle();
      expect(manual.store.get('apps/v1', 'Deployment', 'default', 'm').status).toBeUndefined();
      manual.controllers.readyAll();
      const d = manual.store.get('apps/v1', 'Deployment', 'default', 'm');
      expect(d.status).toMatchObject({ observedGeneration: 1, readyReplicas: 1, availableReplicas: 1 });
      expect(d.metadata.managedFields.find((m: any) => m.subresource === 'status').manager).toBe('kube-controller-manager');
    } finally {
      await manual.close();
    }
  });
});
