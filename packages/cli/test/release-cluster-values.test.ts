// apply and diff take -f/--set (the release layer, recorded with the revision so
// scale re-renders with them) and read a release from stdin with `-`.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { clusterOpm } from './cluster-harness.js';

const root = resolve(__dirname, '../../..');
const devRelease = resolve(root, 'examples/releases/web-app-dev.cue');
const catalog = resolve(root, 'examples/catalog');
let api: TestApiServer;

beforeAll(async () => {
  api = await startTestApiServer({ controllers: true });
});
afterAll(async () => {
  await api?.close();
});

const opm = (args: string[], stdin?: string) => clusterOpm()([...args, '--catalog', catalog], api.kubeconfigPath, { stdin });

const replicas = () => (api.store.get('apps/v1', 'Deployment', 'development', 'web-app-dev-web') as { spec: { replicas: number } } | undefined)?.spec.replicas;

it('apply -f / --set deploy the overlaid values; diff shows a --set change; a bad --set is refused before anything is sent', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opm-vals-'));
  const f = join(dir, 'v.yaml');
  writeFileSync(f, 'replicas: 2\nimage:\n  tag: from-file\n');
  const a = await opm(['release', 'apply', devRelease, '--create-namespace', '-f', f]);
  expect(a.code, a.err).toBe(0);
  expect(replicas()).toBe(2);

  const d = await opm(['release', 'diff', devRelease, '-f', f, '--set', 'replicas=3']);
  expect(d.code).toBe(1);
  expect(d.out).toMatch(/-\s+replicas: 2\n\+\s+replicas: 3/);
  expect((await opm(['release', 'diff', devRelease, '-f', f])).code).toBe(0);

  const before = api.requests.length;
  const bad = await opm(['release', 'apply', devRelease, '--set', 'replicas=99']);
  expect(bad.code).toBe(1);
  expect(bad.err).toContain('values.replicas: 99');
  expect(api.requests.slice(before).filter((r) => r.method !== 'GET').length).toBe(0);
  expect(replicas()).toBe(2);
});

it('apply reads the release from stdin with -', async () => {
  const a = await opm(['release', 'apply', '-', '--set', 'replicas=3'], readFileSync(devRelease, 'utf8'));
  expect(a.code, a.err).toBe(0);
  expect(replicas()).toBe(3);
});
