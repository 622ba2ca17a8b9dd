// The cluster commands with the real renderer (@opm/core) on the bundled
// example catalog and releases, against the in-process test API server.
import { resolve } from 'node:path';
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

const opm = (args: string[]) => clusterOpm()(args, api.kubeconfigPath);

it('apply, diff, scale (policy-checked), status and delete a real example release', async () => {
  const a = await opm(['release', 'apply', devRelease, '--catalog', catalog, '--create-namespace', '--wait', '--timeout', '60s']);
  // The render's warnings, as `opm release build` prints them (render-warnings.test.ts).
  const said = 'opm: warning: release web-app-dev: label owner: "john.doe@company.com" is not a valid Kubernetes label value; rendered as an annotation\n';
  expect(a.err).toBe(said);
  expect(a.code).toBe(0);
  expect(a.out).toContain('namespace/development created (not owned by the release)');
  expect(a.out).toContain('deployment.apps/web-app-dev-web created');
  expect(a.out).toContain('release web-app-dev revision 1 deployed in namespace development');

  const d = await opm(['release', 'diff', devRelease, '--catalog', catalog]);
  expect(d.err).toBe(said);
  expect(d.code).toBe(0);

  const s = await opm(['release', 'scale', 'web-app-dev', '--replicas', '3', '-n', 'development', '--catalog', catalog]);
  expect(s.err).toBe(said);
  expect(s.out).toContain('scaled to 3 (revision 2)');
  expect(api.store.get('apps/v1', 'Deployment', 'development', 'web-app-dev-web').spec.replicas).toBe(3);

  // The module's schema caps replicas at 20: the re-render refuses, nothing changes.
  const tooMany = await opm(['release', 'scale', 'web-app-dev', '--replicas', '50', '-n', 'development', '--catalog', catalog]);
  expect(tooMany.code).toBe(1);
  expect(tooMany.err).toMatch(/replicas: 50/);
  expect(api.store.get('apps/v1', 'Deployment', 'development', 'web-app-dev-web').spec.replicas).toBe(3);

  // The release file still says 1; the recorded scale is kept by the next apply and by diff.
  expect((await opm(['release', 'diff', devRelease, '--catalog', catalog])).code).toBe(0);
  const again = await opm(['release', 'apply', devRelease, '--catalog', catalog]);
  expect(again.code).toBe(0);
  expect(api.store.get('apps/v1', 'Deployment', 'development', 'web-app-dev-web').spec.replicas).toBe(3);

  const st = await opm(['release', 'status', 'web-app-dev', '-n', 'development']);
  expect(st.out).toContain('MODULE: simple-web-app@1.0.0-platform.1');
  expect(st.out).toContain('HEALTH: Ready');

  const del = await opm(['release', 'delete', 'web-app-dev', '-n', 'development', '--yes']);
  expect(del.code).toBe(0);
  expect(del.out).toContain('release web-app-dev deleted');
  expect(api.store.get('apps/v1', 'Deployment', 'development', 'web-app-dev-web')).toBeUndefined();
}, 120_000);
