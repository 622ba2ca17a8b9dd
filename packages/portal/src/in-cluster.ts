// The portal running in a pod: the API server's address and CA from the
// pod's service account mount. In cluster mode these are all it uses of the
// config: requests carry each caller's credentials (auth.ts).
import { KubeConfig } from '@kubernetes/client-node';
import type { ResolvedConfig } from '@opm/kube';

export function inClusterConfig(env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  if (!env.KUBERNETES_SERVICE_HOST) throw new Error('--in-cluster without --kubeconfig needs to run in a pod (KUBERNETES_SERVICE_HOST is not set)');
  const kc = new KubeConfig();
  kc.loadFromCluster();
  return { kc, source: 'in-cluster service account', context: kc.getCurrentContext(), contextNamespace: kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default', server: kc.getCurrentCluster()?.server ?? '' };
}
