/**
 * What kube-controller-manager and kube-apiserver put into namespaces on a real cluster: the `default`
 * ServiceAccount and the `kube-root-ca.crt` ConfigMap in every namespace (created shortly after the
 * namespace), and the `kubernetes` Service in `default`.
 */
import type { ApiServerCore } from './server.js';

const CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/** A syntactically PEM-shaped placeholder used when the server runs without TLS. */
const PLACEHOLDER_CA = '-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBhrOHMtdGVzdC1h\ncGlzZXJ2ZXItY2EwHhcNMjQwMTAxMDAwMDAwWhcNMzQwMTAxMDAwMDAwWjAjMSEw\n-----END CERTIFICATE-----\n';

export function installNamespaceDefaults(core: ApiServerCore, opts: { caPem?: string }): void {
  const sys = { manager: 'kube-controller-manager', dryRun: false };
  const populate = (ns: string) => {
    const nsObj = core.store.get('/namespaces', '', ns);
    if (!nsObj || nsObj.metadata.deletionTimestamp) return;
    if (!core.store.get('/serviceaccounts', ns, 'default')) {
      core.systemCreate({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } }, sys);
    }
    if (!core.store.get('/configmaps', ns, 'kube-root-ca.crt')) {
      core.systemCreate(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'kube-root-ca.crt', namespace: ns, annotations: { 'kubernetes.io/description': CA_DESCRIPTION } },
          data: { 'ca.crt': opts.caPem ?? PLACEHOLDER_CA },
        },
        sys,
      );
    }
  };
  core.afterWrite.push((def, obj, type) => {
    if (def.kind !== 'Namespace' || def.custom || type === 'DELETED') return;
    const name = obj.metadata.name;
    core.defer(() => populate(name));
  });
  for (const { obj } of core.store.list('/namespaces')) populate(obj.metadata.name);
  if (!core.store.get('/services', 'default', 'kubernetes')) {
    core.systemCreate(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None', type: 'ClusterIP' },
      },
      { manager: 'kube-apiserver', dryRun: false },
    );
  }
}
