// A release carrying a CRD and its custom resources (the CR waits for the CRD
// to be Established), and --dry-run=client|server writing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRelease } from '../src/apply-release.js';
import { deleteRelease } from '../src/delete-release.js';
import { releaseHistory, releaseStatus } from '../src/status.js';
import type { KubeObject } from '../src/types.js';
import { configMap, deployment, namespace, release, startEnv, type Env } from './lifecycle-helpers.js';

let env: Env;
beforeAll(async () => {
  env = await startEnv({ controllers: true, crdEstablishDelayMs: 300 });
});
afterAll(async () => {
  await env?.api.close();
});
const take = () => env.lines.splice(0, env.lines.length);

const crd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};
const widget = (size: number): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size } });

describe('CRDs and their custom resources in one release', () => {
  it('a server dry run of a CRD and its CR together reports both as created', async () => {
    take();
    await applyRelease(env.ctx, release('w', 'crds', [widget(1), crd, namespace('crds')]), { dryRun: 'server' });
    expect(take()).toEqual([
      'namespace/crds created (server dry run)',
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created (server dry run)',
      'widget.example.com/w created (kind not served yet) (server dry run)',
    ]);
    expect(env.api.resources().some((r) => r.kind === 'Widget')).toBe(false);
  });

  it('applies the CRD first, waits for Established, then the CR', async () => {
    take();
    await applyRelease(env.ctx, release('w', 'crds', [widget(1), crd, namespace('crds')]), { wait: true, timeoutMs: 20_000 });
    const lines = take();
    expect(lines).toEqual([
      'namespace/crds created',
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created',
      'widget.example.com/w created',
    ]);
    expect(env.api.store.get('example.com/v1', 'Widget', 'crds', 'w').spec.size).toBe(1);
    const st = await releaseStatus(env.client, 'crds', 'w');
    expect(st.health).toBe('Ready');
  });

  it('delete removes the CR, then the namespace-scoped rest, then the namespace', async () => {
    await deleteRelease(env.ctx, 'crds', 'w', { timeoutMs: 20_000 });
    await env.api.settle();
    expect(env.api.resources().some((r) => r.kind === 'Widget')).toBe(false);
  });
});

describe('dry runs write nothing', () => {
  const ns = 'dry';
  it('server and client dry runs report what would change', async () => {
    await applyRelease(env.ctx, release('d', ns, [namespace(ns), deployment('web', 1), configMap('gone', { a: 'b' })]), {});
    const next = release('d', ns, [namespace(ns), deployment('web', 2), configMap('new', { a: 'b' })]);
    for (const mode of ['server', 'client'] as const) {
      take();
      await applyRelease(env.ctx, next, { dryRun: mode });
      expect(take()).toEqual([
        `namespace/dry unchanged (${mode} dry run)`,
        `configmap/new created (${mode} dry run)`,
        `deployment.apps/web configured (${mode} dry run)`,
        `configmap/gone pruned (${mode} dry run)`,
      ]);
    }
    expect(env.api.store.get('apps/v1', 'Deployment', ns, 'web').spec.replicas).toBe(1);
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'gone')).toBeDefined();
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'new')).toBeUndefined();
    expect((await releaseHistory(env.client, ns, 'd')).length).toBe(1);
  });

  it('a dry run of a release into a namespace that does not exist yet works', async () => {
    take();
    await applyRelease(env.ctx, release('fresh', 'nowhere', [namespace('nowhere'), configMap('c', { a: 'b' })]), { dryRun: 'server' });
    expect(take()).toEqual([
      'namespace/nowhere created (server dry run)',
      'configmap/c created (namespace not created yet) (server dry run)',
    ]);
  });
});
