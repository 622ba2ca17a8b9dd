// Re-applying an unchanged release is a no-op: for every bundled example, the
// second `opm release apply` sends no PATCH (nor any other write) to the API
// server, reports every object unchanged, records no new revision and says so.
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { clusterOpm } from './cluster-harness.js';

const root = resolve(__dirname, '../../..');
const catalog = resolve(root, 'examples/catalog');
const EXAMPLES = ['web-app-dev', 'web-app-prod', 'ecommerce-staging', 'ecommerce-analytics', 'ecommerce-tenant-acme'];
let api: TestApiServer;

beforeAll(async () => {
  api = await startTestApiServer({ controllers: true });
});
afterAll(async () => {
  await api?.close();
});

const opm = (args: string[]) => clusterOpm()(args, api.kubeconfigPath);

const historyHeads = (ns: string, name: string) =>
  api.store.list('v1', 'Secret', ns).filter((s: any) => s.metadata.labels?.['opm.dev/name'] === name && s.metadata.labels?.['opm.dev/chunk'] === '0');

it.each(EXAMPLES)('re-applying %s unchanged sends no PATCH and records no revision', async (name) => {
  const file = resolve(root, 'examples/releases', `${name}.cue`);
  const first = await opm(['release', 'apply', file, '--catalog', catalog, '--create-namespace', '--wait', '--timeout', '60s']);
  expect(first.code, first.err).toBe(0);
  await api.settle();
  const ns = /deployed in namespace (\S+)/.exec(first.out)![1]!;
  const revisions = historyHeads(ns, name).length;
  expect(revisions).toBe(1);
  const versions = new Map(api.store.list('apps/v1', 'Deployment', ns).concat(api.store.list('apps/v1', 'StatefulSet', ns), api.store.list('batch/v1', 'CronJob', ns)).map((o: any) => [o.metadata.name, o.metadata.resourceVersion]));

  const before = api.requests.length;
  const again = await opm(['release', 'apply', file, '--catalog', catalog]);
  expect(again.code, again.err).toBe(0);
  const writes = api.requests.slice(before).filter((r) => r.method !== 'GET' && !/\/leases\//.test(r.path) && !/\/leases$/.test(r.path));
  expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  expect(again.out).not.toMatch(/ (configured|created)\b/);
  expect(again.out).toContain(`release ${name} unchanged: no new revision (revision 1 stays deployed in namespace ${ns}`);
  expect(historyHeads(ns, name).length).toBe(revisions);
  for (const [n, rv] of versions) {
    const live = [...api.store.list('apps/v1', 'Deployment', ns), ...api.store.list('apps/v1', 'StatefulSet', ns), ...api.store.list('batch/v1', 'CronJob', ns)].find((o: any) => o.metadata.name === n);
    expect(live.metadata.resourceVersion, n).toBe(rv);
  }
  // Nothing drifted either: the rendered StatefulSet claim templates carry what the server defaults.
  const status = await opm(['release', 'status', name, '-n', ns, '--drift']);
  expect(status.out).not.toMatch(/volumeMode|drift: \d/);
  expect(status.code, status.out).toBe(0);
});
