// Tenancy: a ModuleRelease renders only into its own namespace. Namespaced
// objects must land there; the only cluster-scoped object allowed is that
// namespace itself (environments with createNamespace render it).
import { UnknownKindError, type KubeObject } from '@opm/kube';

export async function checkTenancy(
  objects: KubeObject[],
  namespace: string,
  isNamespaced: (apiVersion: string, kind: string) => Promise<boolean>,
): Promise<string[]> {
  const out: string[] = [];
  for (const o of objects) {
    const what = `${o.kind.toLowerCase()}/${o.metadata.name}`;
    if (o.apiVersion === 'v1' && o.kind === 'Namespace') {
      if (o.metadata.name !== namespace) out.push(`${what}: a ModuleRelease in namespace ${namespace} may not create or change another namespace`);
      continue;
    }
    let namespaced: boolean;
    try {
      namespaced = await isNamespaced(o.apiVersion, o.kind);
    } catch (e) {
      if (e instanceof UnknownKindError) {
        out.push(`${what}: ${o.apiVersion} ${o.kind} is not served by the cluster; a ModuleRelease may only render namespaced kinds the cluster serves`);
        continue;
      }
      throw e;
    }
    if (!namespaced) out.push(`${what}: ${o.kind} is cluster-scoped; a ModuleRelease renders only into its own namespace ${namespace}`);
    else if (o.metadata.namespace && o.metadata.namespace !== namespace) {
      out.push(`${what}: rendered into namespace ${o.metadata.namespace}; a ModuleRelease renders only into its own namespace ${namespace}`);
    }
  }
  return out;
}
