// The CUE packages opm serves itself, whatever the catalog or module: the core
// schema and the built-in Kubernetes provider, whose helpers (#Meta,
// #Selector, #Container, #PodTemplate, ...) a catalog's own transformers
// import instead of copying them (see docs/writing-providers.md). The same
// import paths resolve in releases, catalog modules and providers, platform
// rules, and `opm cue` (outside a CUE module, or where its cue.mod lacks them).
import type { ResolvedPackage, Source } from '@opm/cue';
import { nodeFileSystem } from './fs.js';
import { CORE_IMPORT_PATH, KUBERNETES_PROVIDER_DIR, SCHEMA_DIR, readCuePackage } from './sources.js';

/** Import path of the built-in Kubernetes provider (package `kubernetes`). */
export const KUBERNETES_PROVIDER_IMPORT_PATH = 'opm.dev/providers/kubernetes';

const BUILTIN: Record<string, { dir: string; packageName: string }> = {
  [CORE_IMPORT_PATH]: { dir: SCHEMA_DIR, packageName: 'v1' },
  [KUBERNETES_PROVIDER_IMPORT_PATH]: { dir: KUBERNETES_PROVIDER_DIR, packageName: 'kubernetes' },
};

const files = new Map<string, Promise<Source[]>>();

/** The files of a built-in package (read once per process). */
export function builtinFiles(importPath: string): Promise<Source[]> | undefined {
  const b = BUILTIN[importPath];
  if (!b) return undefined;
  let p = files.get(importPath);
  if (!p) {
    p = readCuePackage(nodeFileSystem, b.dir);
    files.set(importPath, p);
    p.catch(() => files.delete(importPath));
  }
  return p;
}

/** A built-in package as an import resolves it, or undefined for any other path. */
export async function builtinPackage(importPath: string): Promise<ResolvedPackage | undefined> {
  const f = builtinFiles(importPath);
  if (!f) return undefined;
  return { id: importPath, packageName: BUILTIN[importPath]!.packageName, files: await f };
}
