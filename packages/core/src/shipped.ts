// Where the files shipped with @opm/core lie on disk (Node only): the core
// schema, the built-in Kubernetes provider and the example catalog. A browser
// gets the same sources as text instead (snapshot.ts).
import { fileURLToPath } from 'node:url';
import type { Source } from '@opm/cue';
import { nodeFileSystem } from './fs.js';
import type { ShippedSources } from './session.js';
import { readCuePackage } from './sources.js';

const pkgRoot = new URL('../', import.meta.url);
export const SCHEMA_DIR = fileURLToPath(new URL('schema', pkgRoot));
export const KUBERNETES_PROVIDER_DIR = fileURLToPath(new URL('providers/kubernetes', pkgRoot));
export const BUNDLED_CATALOG_DIR = fileURLToPath(new URL('../../examples/catalog', pkgRoot));

/** The shipped sources read from the package directory (once per process). */
export const shippedFromDisk: ShippedSources = {
  coreSchema: once(() => readCuePackage(nodeFileSystem, SCHEMA_DIR)),
  kubernetesProvider: once(() => readCuePackage(nodeFileSystem, KUBERNETES_PROVIDER_DIR)),
};

function once(read: () => Promise<Source[]>): () => Promise<Source[]> {
  let p: Promise<Source[]> | undefined;
  return () => {
    p ??= read();
    p.catch(() => (p = undefined));
    return p;
  };
}
