// Where the files shipped with @opm/core lie on disk (Node only): the core
// schema, the built-in Kubernetes provider and the example catalog. A browser
// gets the same sources as text instead (snapshot.ts).
import { fileURLToPath } from 'node:url';
import type { ResolvedPackage } from '@opm/cue';
import { shippedPackage } from './builtin-packages.js';
import { nodeFileSystem } from './fs.js';
import type { ShippedSources } from './session.js';
import { withShippedTrees } from './shipped-trees.js';
import { shippedTransformers } from './shipped-transformers.js';
import { readCuePackage } from './sources.js';

const pkgRoot = new URL('../', import.meta.url);
export const SCHEMA_DIR = fileURLToPath(new URL('schema', pkgRoot));
export const KUBERNETES_PROVIDER_DIR = fileURLToPath(new URL('providers/kubernetes', pkgRoot));
export const BUNDLED_CATALOG_DIR = fileURLToPath(new URL('../../examples/catalog', pkgRoot));

const coreSchema = once(async () => withShippedTrees(await readCuePackage(nodeFileSystem, SCHEMA_DIR)));
const kubernetesProvider = once(async () => withShippedTrees(await readCuePackage(nodeFileSystem, KUBERNETES_PROVIDER_DIR)));

/** The shipped sources read from the package directory (once per process), with their build-time trees (shipped-trees.ts) and transformer declarations (shipped-transformers.ts). */
export const shippedFromDisk: ShippedSources = {
  coreSchema,
  kubernetesProvider,
  builtinTransformers: once(async () => shippedTransformers([...(await coreSchema()), ...(await kubernetesProvider())])),
};

function once<T>(read: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= read();
    p.catch(() => (p = undefined));
    return p;
  };
}

/** A shipped package (core schema, built-in provider) by import path, read from disk: for `opm cue`'s resolver. */
export function builtinPackage(importPath: string): Promise<ResolvedPackage | undefined> {
  return shippedPackage(importPath, shippedFromDisk);
}
