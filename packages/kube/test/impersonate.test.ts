// impersonating(): every request, watches included, acts as the user and
// each of the groups (one Impersonate-Group line per group), so RBAC bindings
// to a Group count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Watch } from '@kubernetes/client-node';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { KubeClient, impersonating, loadKubeConfig, type ResolvedConfig } from '../src/index.js';

let api: TestApiServer;
let base: ResolvedConfig;
let admin: KubeClient;

beforeAll(async () => {
  api = await startTestApiServer({ namespaceDefaults: false });
  base = loadKubeConfig({ kubeconfig: api.kubeconfigPath });
  admin = new KubeClient(base);
  await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
  await admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'cm', namespace: 'team' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }] } as never);
  await admin.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'admins', namespace: 'team' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm' }, subjects: [{ kind: 'Group', name: 'release-admins', apiGroup: 'rbac.authorization.k8s.io' }] } as never);
});
afterAll(async () => {
  await api?.close();
});

/** Opens a watch on team's ConfigMaps with `cfg`; resolves 'open' once it is established, or the error's code. */
function watchOutcome(cfg: ResolvedConfig): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), 10_000);
    new Watch(cfg.kc)
      .watch('/api/v1/namespaces/team/configmaps', {}, () => {}, (err: unknown) => {
        clearTimeout(timer);
        resolve(err ? String((err as { statusCode?: number; code?: number }).statusCode ?? (err as { code?: number }).code ?? err) : 'closed');
      })
      .then(
        (c) => {
          clearTimeout(timer);
          resolve('open');
          c.abort();
        },
        (err: unknown) => {
          clearTimeout(timer);
          resolve(String((err as { statusCode?: number; code?: number }).statusCode ?? (err as { code?: number }).code ?? err));
        },
      );
  });
}

describe('impersonating', () => {
  it('acts as the user in every group given: a Group binding allows; without the group RBAC forbids', async () => {
    const withGroups = new KubeClient(impersonating(base, 'dave', ['others', 'release-admins']));
    expect(await withGroups.list('v1', 'ConfigMap', { namespace: 'team' })).toEqual([]);
    const alone = new KubeClient(impersonating(base, 'dave'));
    await expect(alone.list('v1', 'ConfigMap', { namespace: 'team' })).rejects.toMatchObject({ code: 403, message: expect.stringContaining('User "dave" cannot list') });
  });

  it('sends the groups on watches too', async () => {
    expect(await watchOutcome(impersonating(base, 'dave', ['others', 'release-admins']))).toBe('open');
    expect(await watchOutcome(impersonating(base, 'dave'))).not.toBe('open');
  });
});
