// The CLI side of the operator: `opm release apply/scale/rollback` refuse a
// release a ModuleRelease manages unless --take-ownership (which suspends it);
// `opm release build -o resource`; `opm operator manifests`.
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, loadKubeConfig } from '@opm/kube';
import { DirectoryCatalog } from '@opm/core';
import { Operator, moduleReleaseCRD } from '@opm/operator';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { clusterOpm } from './cluster-harness.js';
import { run } from './run-opm.js';

const root = resolve(__dirname, '../../..');
const devRelease = resolve(root, 'examples/releases/web-app-dev.cue');
const staging = resolve(root, 'examples/releases/ecommerce-staging.cue');
const catalog = resolve(root, 'examples/catalog');

const opm = (api: TestApiServer, args: string[]) => clusterOpm()(args, api.kubeconfigPath);

describe('the CLI and an operator-managed release', () => {
  let api: TestApiServer;
  let client: KubeClient;
  const mrRef = { group: 'core.opm.dev', version: 'v1alpha1', kind: 'ModuleRelease', namespace: 'development', name: 'web-app-dev' };
  beforeAll(async () => {
    api = await startTestApiServer({ controllers: true });
    client = new KubeClient(loadKubeConfig({ kubeconfig: api.kubeconfigPath }));
    await client.create(moduleReleaseCRD() as never);
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'development' } });
    await api.settle();
    await client.create({
      apiVersion: 'core.opm.dev/v1alpha1',
      kind: 'ModuleRelease',
      metadata: { name: 'web-app-dev', namespace: 'development' },
      spec: { module: 'simple-web-app:1.0.0-platform.1', values: { replicas: 1 } },
    } as never);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('refuses apply, scale and rollback naming the operator, and writes nothing', async () => {
    const before = api.requests.filter((r) => r.method !== 'GET').length;
    const apply = await opm(api, ['release', 'apply', devRelease, '--catalog', catalog]);
    expect(apply.code).toBe(1);
    expect(apply.err).toMatch(/release web-app-dev in namespace development is managed by the opm operator \(ModuleRelease development\/web-app-dev, field manager opm-operator\).*--take-ownership/);
    const scale = await opm(api, ['release', 'scale', 'web-app-dev', '--replicas', '2', '-n', 'development', '--catalog', catalog]);
    expect(scale.code).toBe(1);
    expect(scale.err).toMatch(/managed by the opm operator/);
    const rollback = await opm(api, ['release', 'rollback', 'web-app-dev', '-n', 'development']);
    expect(rollback.code).toBe(1);
    expect(rollback.err).toMatch(/managed by the opm operator/);
    expect(api.requests.filter((r) => r.method !== 'GET').length).toBe(before);
  });

  it('takes the release over with --take-ownership: the ModuleRelease is suspended, then the CLI applies', async () => {
    const r = await opm(api, ['release', 'apply', devRelease, '--catalog', catalog, '--take-ownership']);
    expect(r.err).toMatch(/ModuleRelease development\/web-app-dev suspended/);
    expect(r.code).toBe(0);
    expect(((await client.get(mrRef)) as unknown as { spec: { suspend?: boolean } }).spec.suspend).toBe(true);
    // A suspended ModuleRelease no longer claims the release.
    const again = await opm(api, ['release', 'apply', devRelease, '--catalog', catalog]);
    expect(again.code).toBe(0);
  });
});

describe('opm release list/status/history on an operator-managed release', () => {
  it('shows what the operator deployed', async () => {
    const api = await startTestApiServer({ controllers: true });
    const client = new KubeClient(loadKubeConfig({ kubeconfig: api.kubeconfigPath }));
    const op = new Operator({ config: loadKubeConfig({ kubeconfig: api.kubeconfigPath }), catalog: new DirectoryCatalog(catalog), leaderElection: false });
    try {
      await client.create(moduleReleaseCRD() as never);
      await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'development' } });
      await api.settle();
      await op.start();
      await client.create({
        apiVersion: 'core.opm.dev/v1alpha1',
        kind: 'ModuleRelease',
        metadata: { name: 'web', namespace: 'development' },
        spec: { module: 'simple-web-app:1.0.0-platform.1', values: { replicas: 2 }, metadata: { labels: { environment: 'development', team: 'a', owner: 'b' } } },
      } as never);
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && !(api.store.get('core.opm.dev/v1alpha1', 'ModuleRelease', 'development', 'web')?.status?.revision)) await new Promise((r) => setTimeout(r, 100));
      const list = await opm(api, ['release', 'list', '-A', '-o', 'json']);
      expect(list.code).toBe(0);
      expect(JSON.parse(list.out)).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'web', namespace: 'development', revision: 1, status: 'deployed' })]));
      const hist = await opm(api, ['release', 'history', 'web', '-n', 'development']);
      expect(hist.code).toBe(0);
      expect(hist.out).toMatch(/install simple-web-app@1\.0\.0-platform\.1/);
      const status = await opm(api, ['release', 'status', 'web', '-n', 'development']);
      expect(status.code).toBe(0);
      expect(status.out).toMatch(/deployment\.apps\/web-web/);
    } finally {
      await op.stop();
      await api.close();
    }
  });
});

describe('opm release build -o resource and opm operator manifests', () => {
  it('turns CUE releases into ModuleRelease objects, secret values left out', async () => {
    const r = await run(['release', 'build', devRelease, staging, '--catalog', catalog, '-o', 'resource']);
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(docs.map((d) => `${d.kind} ${d.metadata.namespace}/${d.metadata.name} ${d.spec.module}`)).toEqual([
      'ModuleRelease development/web-app-dev simple-web-app:1.0.0-platform.1',
      'ModuleRelease ecommerce-staging/ecommerce-staging ecommerce-platform:2.1.0-enterprise.3',
    ]);
    expect(docs[0].spec.metadata.labels).toMatchObject({ team: 'frontend' });
    expect(docs[1].spec.values.database.password).toBeUndefined();
    expect(docs[1].spec.secretValues).toContainEqual({ path: 'database.password', secretKeyRef: { name: 'ecommerce-staging-values', key: 'database.password' } });
    expect(r.stdout).not.toContain('staging-secure-password-123');
    expect(r.stderr).toMatch(/create Secret ecommerce-staging-values in namespace ecommerce-staging/);
  });

  it('prints the install manifests', async () => {
    const r = await run(['operator', 'manifests']);
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
    const kinds = docs.map((d) => `${d.kind}/${d.metadata.name}`);
    for (const k of ['CustomResourceDefinition/modulereleases.core.opm.dev', 'Namespace/opm-system', 'ServiceAccount/opm-operator', 'ClusterRole/opm-operator', 'ClusterRoleBinding/opm-operator', 'Deployment/opm-operator', 'Service/opm-operator-webhook', 'Certificate/opm-operator-webhook', 'ValidatingWebhookConfiguration/opm-operator', 'ClusterRole/opm-release-editor', 'ClusterRole/opm-release-viewer']) {
      expect(kinds).toContain(k);
    }
    const vwc = docs.find((d) => d.kind === 'ValidatingWebhookConfiguration');
    expect(vwc.metadata.annotations['cert-manager.io/inject-ca-from']).toBe('opm-system/opm-operator-webhook');
    expect(vwc.webhooks[0].failurePolicy).toBe('Fail');
    const editor = docs.find((d) => d.metadata.name === 'opm-release-editor');
    expect(editor.rules).toEqual([{ apiGroups: ['core.opm.dev'], resources: ['modulereleases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }]);
    const bad = await run(['operator', 'manifests', '--ca-bundle', devRelease]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a PEM certificate/);
  });
});
