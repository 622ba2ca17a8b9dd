// The client reuses connections (client-node alone opens one per request),
// and a read whose kept-alive connection the server drops is sent again once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KubeClient } from '../src/client.js';
import { loadKubeConfig } from '../src/kubeconfig.js';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';

let api: TestApiServer;
let client: KubeClient;
beforeAll(async () => {
  api = await startTestApiServer({ namespaceDefaults: false });
  client = new KubeClient(loadKubeConfig({ kubeconfig: api.kubeconfigPath }));
});
afterAll(async () => {
  await api?.close();
});

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { k: name } });
const ref = (name: string) => ({ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'default', name });

it('sends many requests over a few kept-alive connections', async () => {
  const before = api.connections();
  await Promise.all(Array.from({ length: 40 }, (_, i) => client.apply(cm(`ka-${i}`))));
  for (let i = 0; i < 40; i++) expect((await client.get(ref(`ka-${i}`)))?.data).toEqual({ k: `ka-${i}` });
  // 80 requests (and discovery) over at most 16 connections (the agent's bound), not one per request.
  expect(api.connections() - before).toBeLessThanOrEqual(16);
});

it('a read whose connection is reset is retried once; a write is not', async () => {
  await client.apply(cm('reset'));
  api.faults.inject({ method: 'GET', path: '/configmaps/reset', reset: true });
  expect((await client.get(ref('reset')))?.data).toEqual({ k: 'reset' });
  api.faults.inject({ method: 'GET', path: '/configmaps/reset', reset: true, times: 2 });
  await expect(client.get(ref('reset'))).rejects.toMatchObject({ code: 'ECONNRESET' });
  api.faults.inject({ method: 'PATCH', path: '/configmaps/reset', reset: true });
  await expect(client.apply(cm('reset'))).rejects.toMatchObject({ code: 'ECONNRESET' });
});
