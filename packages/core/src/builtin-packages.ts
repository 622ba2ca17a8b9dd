// The CUE packages opm serves itself, whatever the catalog or module: the core
// schema and the built-in Kubernetes provider, whose helpers (#Meta,
// #Selector, #Container, #PodTemplate, ...) a catalog's own transformers
// import instead of copying them (see docs/writing-providers.md). The same
// import paths resolve in releases, catalog modules and providers, platform
// rules, and `opm cue` (outside a CUE module, or where its cue.mod lacks them).
// Browser-safe: the files come from ShippedSources.
import type { ResolvedPackage } from '@opm/cue';
import type { ShippedSources } from './session.js';
import { CORE_IMPORT_PATH } from './sources.js';

/** Import path of the built-in Kubernetes provider (package `kubernetes`). */
export const KUBERNETES_PROVIDER_IMPORT_PATH = 'opm.dev/providers/kubernetes';

/** A shipped package as an import resolves it, or undefined for any other path. */
export async function shippedPackage(importPath: string, shipped: ShippedSources): Promise<ResolvedPackage | undefined> {
  if (importPath === CORE_IMPORT_PATH) return { id: CORE_IMPORT_PATH, packageName: 'v1', files: await shipped.coreSchema() };
  if (importPath === KUBERNETES_PROVIDER_IMPORT_PATH) return { id: KUBERNETES_PROVIDER_IMPORT_PATH, packageName: 'kubernetes', files: await shipped.kubernetesProvider() };
  return undefined;
}
