// `opm release scale` records the count with the release; it says so, and
// `opm release apply --reset-scale` goes back to the release file's values.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import type { DesiredRelease, RenderRelease, RerenderRelease } from '@opm/kube';
import { clusterOpm } from './cluster-harness.js';

let api: TestApiServer;
let dir: string;
beforeAll(async () => {
  api = await startTestApiServer({ controllers: true });
  dir = mkdtempSync(join(tmpdir(), 'opm-cli-scale-'));
});
afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

const desired = (replicas: number): DesiredRelease => ({
  name: 'web',
  namespace: 'sc',
  module: { name: 'simple-web-app', version: '1.0.0' },
  userValues: { replicas },
  finalValues: { replicas },
  objects: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sc' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } } },
    },
  ],
});
// Stand-ins for @opm/core: the file holds a replica count; recorded overrides win over it.
const render: RenderRelease = async (file, opts) => {
  const fromFile = Number(JSON.parse(readFileSync(file, 'utf8')).replicas);
  const r = (opts.valueOverrides as { replicas?: number } | undefined)?.replicas;
  return desired(r ?? fromFile);
};
const rerender: RerenderRelease = async (input) => desired(Number((input.userValues as { replicas: number }).replicas));
const opm = (args: string[]) => clusterOpm({ render, rerender }, dir)(args, api.kubeconfigPath);
const replicas = () => api.store.get('apps/v1', 'Deployment', 'sc', 'web').spec.replicas;

it('scale says later applies keep the count; apply --reset-scale goes back to the file and stays there', async () => {
  const file = join(dir, 'web.json');
  writeFileSync(file, JSON.stringify({ replicas: 2 }));
  expect((await opm(['release', 'apply', file])).code).toBe(0);
  const s = await opm(['release', 'scale', 'web', '--replicas', '4', '-n', 'sc']);
  expect(s.code).toBe(0);
  expect(s.out).toContain('release web scaled to 4 (revision 2)\n');
  expect(s.out).toContain(
    'note: values.replicas=4 is recorded with the release: later applies of the release file keep it until `opm release apply FILE --reset-scale` goes back to the file\'s values',
  );
  expect((await opm(['release', 'apply', file])).code).toBe(0);
  expect(replicas()).toBe(4);

  const r = await opm(['release', 'apply', file, '--reset-scale']);
  expect(r.code).toBe(0);
  expect(r.err).toBe('opm: --reset-scale: dropping values.replicas=4 recorded by `opm release scale`\n');
  expect(replicas()).toBe(2);
  // Nothing recorded any more: the next plain apply keeps the file's value.
  const again = await opm(['release', 'apply', file]);
  expect(again.code).toBe(0);
  expect(again.err).toBe('');
  expect(replicas()).toBe(2);
});
