// The run both `--platform oci://` tests make: an operator on a test API server with the chosen catalog
// (and pinned platform rules), the web release created in `development` and in `dev-a`, until `development` is
// Stalled and `dev-a` Ready (at most 60 s); the test then reads the outcome, and everything is stopped.
import { KubeClient, loadKubeConfig } from '@opm/kube';
import { Operator, moduleReleaseCRD, type OperatorOptions } from '@opm/operator';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { webAppRelease } from '../../operator/test/helpers.js';

export interface WebReleasesRun {
  api: TestApiServer;
  /** The web ModuleRelease in namespace ns, as stored. */
  mr: (ns: string) => any;
  /** Its condition of the given type. */
  cond: (ns: string, type: string) => any;
}

export async function runWebReleases(options: Pick<OperatorOptions, 'catalog' | 'platform'>, check: (run: WebReleasesRun) => void | Promise<void>): Promise<void> {
  const api = await startTestApiServer({ controllers: true });
  const client = new KubeClient(loadKubeConfig({ kubeconfig: api.kubeconfigPath }));
  const op = new Operator({ config: loadKubeConfig({ kubeconfig: api.kubeconfigPath }), ...options, leaderElection: false });
  try {
    await client.create(moduleReleaseCRD() as never);
    for (const ns of ['development', 'dev-a']) await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await api.settle();
    await op.start();
    await client.create(webAppRelease('web', 'development') as never);
    await client.create(webAppRelease('web', 'dev-a') as never);
    const mr = (ns: string) => api.store.get('core.opm.dev/v1alpha1', 'ModuleRelease', ns, 'web');
    const cond = (ns: string, type: string) => (mr(ns)?.status?.conditions ?? []).find((c: { type: string }) => c.type === type);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !(cond('development', 'Stalled')?.status === 'True' && cond('dev-a', 'Ready')?.status === 'True')) await new Promise((r) => setTimeout(r, 100));
    await check({ api, mr, cond });
  } finally {
    await op.stop();
    await api.close();
  }
}
