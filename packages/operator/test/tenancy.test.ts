// Tenancy: a ModuleRelease renders only into its own namespace, and the
// platform's environments decide which namespaces may be used at all.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '@opm/kube';
import { checkTenancy } from '../src/tenancy.js';
import { condition, eventually, getRelease, startEnv, startOperator, stopEnv, webAppRelease, type Env } from './helpers.js';

const namespaced = async (_v: string, kind: string) => !['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition'].includes(kind);
const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } });

describe('tenancy', () => {
  it('refuses objects in another namespace, other namespaces and cluster-scoped kinds', async () => {
    const problems = await checkTenancy(
      [
        obj('v1', 'ConfigMap', 'ok', 'team-a'),
        obj('v1', 'Namespace', 'team-a'),
        obj('v1', 'ConfigMap', 'elsewhere', 'kube-system'),
        obj('v1', 'Namespace', 'team-b'),
        obj('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'admin'),
      ],
      'team-a',
      namespaced,
    );
    expect(problems).toEqual([
      'configmap/elsewhere: rendered into namespace kube-system; a ModuleRelease renders only into its own namespace team-a',
      'namespace/team-b: a ModuleRelease in namespace team-a may not create or change another namespace',
      'clusterrolebinding/admin: ClusterRoleBinding is cluster-scoped; a ModuleRelease renders only into its own namespace team-a',
    ]);
  });

  describe('against the cluster', () => {
    let env: Env;
    beforeEach(async () => {
      env = await startEnv();
    });
    afterEach(async () => {
      await stopEnv(env);
    });

    it('stalls a ModuleRelease in a namespace no platform environment covers (kube-system), applying nothing', async () => {
      const op = startOperator(env);
      await op.start();
      await env.client.create(webAppRelease('evil', 'kube-system') as never);
      const mr = await eventually(async () => {
        const m = await getRelease(env, 'kube-system', 'evil');
        return condition(m, 'Stalled')?.status === 'True' ? m : undefined;
      });
      expect(condition(mr, 'Stalled')?.reason).toBe('PolicyViolation');
      expect(condition(mr, 'Stalled')?.message).toMatch(/namespace kube-system/);
      expect(env.api.store.list('apps/v1', 'Deployment', 'kube-system')).toEqual([]);
      expect(env.api.store.list('v1', 'Secret', 'kube-system').filter((s: { type?: string }) => s.type === 'opm.dev/release.v1')).toEqual([]);
    });
  });
});
