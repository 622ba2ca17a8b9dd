import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api, KubeConfig, KubernetesObjectApi, Watch, makeInformer, type V1ConfigMap } from '@kubernetes/client-node';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';

let api: TestApiServer;
let kc: KubeConfig;
let objs: KubernetesObjectApi;
let core: CoreV1Api;

beforeAll(async () => {
  // these tests count namespace contents exactly, so no default ServiceAccount / kube-root-ca.crt ConfigMap
  api = await startTestApiServer({ historyLimit: 50, namespaceDefaults: false });
  kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  objs = KubernetesObjectApi.makeApiClient(kc);
  core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: 'w' } } });
});
afterAll(async () => {
  await api?.close();
});

const cm = (name: string, labels: Record<string, string> = {}, ns = 'w'): any => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, labels },
  data: { k: name },
});

function until<T>(fn: () => T | undefined, ms = 3000): Promise<T> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const v = fn();
      if (v !== undefined) return resolve(v);
      if (Date.now() - start > ms) return reject(new Error('timed out'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

describe('list', () => {
  it('filters with label selectors (equality, set-based, exists, !key) and field selectors', async () => {
    await core.createNamespace({ body: { metadata: { name: 'sel' } } });
    await objs.create(cm('a', { app: 'x', tier: 'web' }, 'sel'));
    await objs.create(cm('b', { app: 'y', tier: 'db' }, 'sel'));
    await objs.create(cm('c', { app: 'x' }, 'sel'));
    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (await core.listNamespacedConfigMap({ namespace: 'sel', labelSelector, fieldSelector })).items.map((i) => i.metadata!.name);
    expect(await names('app=x')).toEqual(['a', 'c']);
    expect(await names('app==x,tier')).toEqual(['a']);
    expect(await names('app!=x')).toEqual(['b']);
    expect(await names('tier in (web,db)')).toEqual(['a', 'b']);
    expect(await names('tier notin (web)')).toEqual(['b', 'c']);
    expect(await names('!tier')).toEqual(['c']);
    expect(await names(undefined, 'metadata.name=b')).toEqual(['b']);
    expect(await names(undefined, 'metadata.name!=b')).toEqual(['a', 'c']);
    const all = await core.listConfigMapForAllNamespaces({ fieldSelector: 'metadata.namespace=sel' });
    expect(all.items).toHaveLength(3);
  });

  it('pages with limit/continue and reports the list resourceVersion', async () => {
    await core.createNamespace({ body: { metadata: { name: 'page' } } });
    for (let i = 0; i < 7; i++) await objs.create(cm(`p${i}`, {}, 'page'));
    const seen: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    let firstRV: string | undefined;
    do {
      const r = await core.listNamespacedConfigMap({ namespace: 'page', limit: 3, _continue: cont });
      firstRV = firstRV ?? r.metadata!.resourceVersion;
      expect(r.metadata!.resourceVersion).toBe(firstRV);
      if (pages === 0) expect(r.metadata!.remainingItemCount).toBe(4);
      seen.push(...r.items.map((i) => i.metadata!.name!));
      cont = r.metadata!._continue || undefined;
      pages++;
    } while (cont && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
  });

  it('continues paged lists from a consistent snapshot and serves resourceVersionMatch=Exact', async () => {
    await core.createNamespace({ body: { metadata: { name: 'snap' } } });
    for (const n of ['b', 'c', 'd', 'e']) await objs.create(cm(n, {}, 'snap'));
    const first = await core.listNamespacedConfigMap({ namespace: 'snap', limit: 2 });
    expect(first.items.map((i) => i.metadata!.name)).toEqual(['b', 'c']);
    await objs.create(cm('a', {}, 'snap'));
    await objs.delete(cm('e', {}, 'snap'));
    await objs.patch({ ...cm('d', {}, 'snap'), data: { k: 'changed' } }, undefined, undefined, 't', undefined, 'application/merge-patch+json' as any);
    const rest = await core.listNamespacedConfigMap({ namespace: 'snap', limit: 2, _continue: first.metadata!._continue });
    expect(rest.items.map((i) => `${i.metadata!.name}:${i.data!.k}`)).toEqual(['d:d', 'e:e']);
    expect(rest.metadata!.resourceVersion).toBe(first.metadata!.resourceVersion);
    const exact = await core.listNamespacedConfigMap({ namespace: 'snap', resourceVersion: first.metadata!.resourceVersion, resourceVersionMatch: 'Exact' });
    expect(exact.items.map((i) => i.metadata!.name)).toEqual(['b', 'c', 'd', 'e']);
    const now = await core.listNamespacedConfigMap({ namespace: 'snap' });
    expect(now.items.map((i) => i.metadata!.name)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('typed list items carry no apiVersion/kind (like kube-apiserver)', async () => {
    const res = await fetch(`${api.url}/api/v1/namespaces/sel/configmaps`, { headers: { authorization: `Bearer ${api.token}` } });
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ kind: 'ConfigMapList', apiVersion: 'v1' });
    expect(body.items[0].kind).toBeUndefined();
  });
});

describe('watch', () => {
  it('streams ADDED/MODIFIED/DELETED from a resourceVersion to client-node Watch', async () => {
    const start = (await core.listNamespacedConfigMap({ namespace: 'w' })).metadata!.resourceVersion!;
    const events: string[] = [];
    const w = new Watch(kc);
    const req = await w.watch(
      '/api/v1/namespaces/w/configmaps',
      { resourceVersion: start },
      (type, obj: V1ConfigMap) => events.push(`${type}:${obj.metadata!.name}:${obj.data?.k}`),
      () => {},
    );
    await objs.create(cm('one'));
    await objs.patch({ ...cm('one'), data: { k: 'changed' } }, undefined, undefined, 'test', undefined, 'application/merge-patch+json' as any);
    await objs.delete(cm('one'));
    await until(() => (events.length >= 3 ? true : undefined));
    req.abort();
    expect(events).toEqual(['ADDED:one:one', 'MODIFIED:one:changed', 'DELETED:one:changed']);
  });

  it('filters by label selector, turning objects that leave the selection into DELETED', async () => {
    const events: string[] = [];
    const w = new Watch(kc);
    const req = await w.watch('/api/v1/namespaces/w/configmaps', { labelSelector: 'sel=yes', resourceVersion: api.store.resourceVersion() }, (t, o: any) => events.push(`${t}:${o.metadata.name}`), () => {});
    await objs.create(cm('in', { sel: 'yes' }));
    await objs.create(cm('out', { sel: 'no' }));
    await objs.patch({ ...cm('in'), metadata: { name: 'in', namespace: 'w', labels: { sel: 'no' } } }, undefined, undefined, 't', undefined, 'application/merge-patch+json' as any);
    await until(() => (events.length >= 2 ? true : undefined));
    req.abort();
    expect(events).toEqual(['ADDED:in', 'DELETED:in']);
  });

  it('sends synthetic ADDED events for existing objects when no resourceVersion is given, and honours timeoutSeconds', async () => {
    const events: string[] = [];
    let done = false;
    const w = new Watch(kc);
    await w.watch('/api/v1/namespaces/sel/configmaps', { timeoutSeconds: 1 }, (t, o: any) => events.push(`${t}:${o.metadata.name}`), () => {
      done = true;
    });
    await until(() => (done ? true : undefined), 4000);
    expect(events).toEqual(['ADDED:a', 'ADDED:b', 'ADDED:c']);
  });

  it('answers a too-old resourceVersion with an ERROR event carrying 410 Expired', async () => {
    for (let i = 0; i < 60; i++) await objs.create(cm(`old${i}`));
    const events: any[] = [];
    let done = false;
    const w = new Watch(kc);
    await w.watch('/api/v1/namespaces/w/configmaps', { resourceVersion: '2' }, (t, o) => events.push({ t, o }), () => {
      done = true;
    });
    await until(() => (done ? true : undefined));
    expect(events[0].t).toBe('ERROR');
    expect(events[0].o).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect(events[0].o.message).toMatch(/^too old resource version: 2 \(\d+\)$/);
  });

  it('supports sendInitialEvents with the initial-events-end bookmark', async () => {
    const events: any[] = [];
    const w = new Watch(kc);
    const req = await w.watch(
      '/api/v1/namespaces/sel/configmaps',
      { sendInitialEvents: true, allowWatchBookmarks: true, resourceVersionMatch: 'NotOlderThan' },
      (t, o: any) => events.push({ t, name: o.metadata.name, ann: o.metadata.annotations }),
      () => {},
    );
    await until(() => (events.length >= 4 ? true : undefined));
    req.abort();
    expect(events.map((e) => e.t)).toEqual(['ADDED', 'ADDED', 'ADDED', 'BOOKMARK']);
    expect(events[3].ann).toEqual({ 'k8s.io/initial-events-end': 'true' });
  });

  it('feeds a client-node informer (list + watch)', async () => {
    await core.createNamespace({ body: { metadata: { name: 'inf' } } });
    await objs.create(cm('pre', {}, 'inf'));
    const informer = makeInformer(kc, '/api/v1/namespaces/inf/configmaps', () => core.listNamespacedConfigMap({ namespace: 'inf' }));
    const added: string[] = [];
    informer.on('add', (o) => added.push(o.metadata!.name!));
    await informer.start();
    await objs.create(cm('post', {}, 'inf'));
    await until(() => (added.length >= 2 ? true : undefined));
    await informer.stop();
    expect(added).toEqual(['pre', 'post']);
    expect((informer as unknown as { list(ns: string): V1ConfigMap[] }).list('inf').map((o) => o.metadata!.name).sort()).toEqual(['post', 'pre']);
  });
});
