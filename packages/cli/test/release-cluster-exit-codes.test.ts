// Exit codes as documented (opm --help): 1 for what the user must fix —
// validation (a 422 from the API server too, with or without --atomic),
// conflicts, not ready, nothing to roll back — and 3 only for connection or
// internal errors. Every conflicting object and field is named, and every
// object's outcome is printed even when the apply fails.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterOpm } from './cluster-harness.js';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import type { DesiredRelease, KubeObject, RenderRelease } from '@opm/kube';

let api: TestApiServer;
let dir: string;
beforeAll(async () => {
  api = await startTestApiServer({ controllers: true });
  dir = mkdtempSync(join(tmpdir(), 'opm-cli-exit-'));
});
afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

const deployment = (name: string, replicas: number, labels = { app: name }): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: `${name}:1` }] } },
  },
});
const configMap = (name: string, data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const service = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }] } });

function file(name: string, ns: string, objects: KubeObject[]): string {
  const d: DesiredRelease = {
    name: 'app',
    namespace: ns,
    module: { name: 'simple-web-app', version: '1.0.0' },
    userValues: {},
    finalValues: {},
    objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, ...objects],
  };
  const p = join(dir, `${ns}-${name}.json`);
  writeFileSync(p, JSON.stringify(d));
  return p;
}
const render: RenderRelease = async (f) => JSON.parse(readFileSync(f, 'utf8')) as DesiredRelease;

const opm = (args: string[]) => clusterOpm({ render }, dir)(args, api.kubeconfigPath);

describe('exit codes of the cluster commands', () => {
  it('a 422 from the API server is a validation failure (exit 1), with or without --atomic', async () => {
    // The selector does not match the template's labels: the API server answers 422 Invalid.
    const bad = file('invalid', 'inv', [configMap('cfg', { a: '1' }), deployment('web', 1, { app: 'other' })]);
    const r = await opm(['release', 'apply', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/applying deployment\.apps\/web: Deployment\.apps "web" is invalid: .*`selector` does not match template `labels` \(Invalid, HTTP 422\)/);
    const a = await opm(['release', 'apply', bad, '--atomic', '--timeout', '20s']);
    expect(a.code).toBe(1);
    expect(a.err).toMatch(/\(Invalid, HTTP 422\)/);
    expect(a.err).toMatch(/atomic: revision 2 failed; its objects were removed/);
  });

  it('"nothing to roll back" exits 1', async () => {
    expect((await opm(['release', 'apply', file('one', 'rb', [configMap('cfg', { a: '1' })])])).code).toBe(0);
    const r = await opm(['release', 'rollback', 'app', '-n', 'rb']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('release app has no earlier good revision to roll back to');
  });

  it('not ready within --timeout exits 1', async () => {
    api.controllers.hold({ kind: 'Deployment', namespace: 'slow', name: 'web' });
    const r = await opm(['release', 'apply', file('slow', 'slow', [deployment('web', 1)]), '--wait', '--timeout', '2s']);
    api.controllers.clearFailures();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/timed out waiting for: deployment\.apps\/web/);
  });

  describe('conflicts', () => {
    const ns = 'conf';
    const objects = () => [configMap('cfg', { a: '1', b: '1' }), deployment('web', 2), service('web')];
    beforeAll(async () => {
      expect((await opm(['release', 'apply', file('v1', ns, objects())])).code).toBe(0);
      // Two objects changed by other managers, and the Service deleted by hand.
      const d = api.store.get('apps/v1', 'Deployment', ns, 'web');
      api.store.write({ ...d, spec: { ...d.spec, replicas: 5 } }, { manager: 'kubectl-scale' });
      const c = api.store.get('v1', 'ConfigMap', ns, 'cfg');
      api.store.write({ ...c, data: { a: '9', b: '9' } }, { manager: 'kubectl-edit' });
      api.store.delete('v1', 'Service', ns, 'web');
    });
    const v2 = () => [configMap('cfg', { a: '2', b: '2' }), deployment('web', 3), service('web')];

    it('diff shows the diff and every conflict, and exits 1', async () => {
      const r = await opm(['release', 'diff', file('v2', ns, v2())]);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/^\+\s+replicas: 3$/m);
      expect(r.out).toContain('+++ desired/service/web');
      expect(r.err).toContain('conflict applying configmap/cfg: fields owned by another field manager:\n    .data.a (managed by "kubectl-edit")\n    .data.b (managed by "kubectl-edit")');
      expect(r.err).toContain('conflict applying deployment.apps/web: fields owned by another field manager:\n    .spec.replicas (managed by "kubectl-scale")');
    });

    it('apply names every conflicting object and field, prints every outcome, and exits 1', async () => {
      const r = await opm(['release', 'apply', file('v2', ns, v2())]);
      expect(r.code).toBe(1);
      expect(r.out).toContain('service/web created');
      expect(r.out).toContain('configmap/cfg failed (conflict)');
      expect(r.out).toContain('deployment.apps/web failed (conflict)');
      expect(r.err).toContain('.data.a (managed by "kubectl-edit")');
      expect(r.err).toContain('.data.b (managed by "kubectl-edit")');
      expect(r.err).toContain('.spec.replicas (managed by "kubectl-scale")');
      expect(r.err).toContain('re-run with --force-conflicts to take ownership of them');
    });
  });
});

it('opm --help documents the exit codes', async () => {
  const { run } = await import('./run-opm.js');
  const r = await run(['--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/Exit codes:\n {2}0 {2}success\n {2}1 {2}.*validation \(including a 422 from the\n/);
  expect(r.stdout).toMatch(/\n {2}2 {2}usage error/);
  expect(r.stdout).toMatch(/\n {2}3 {2}connection or internal error/);
});
