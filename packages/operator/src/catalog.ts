// The operator's catalog and platform rules come from its own flags only:
// a tenant's ModuleRelease names a module, never where modules or rules live.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { NotSupportedError, Session, type CatalogSource } from '@opm/core';

/** A catalog whose platform rules are replaced by the file the platform team named (`--platform FILE`). */
export function withPlatformFile(catalog: CatalogSource, platformFile: string | undefined): CatalogSource {
  if (!platformFile) return catalog;
  if (platformFile.startsWith('oci://')) throw new NotSupportedError(`--platform ${platformFile}: platform rules from a registry (give a platform.cue file)`);
  const file = path.resolve(platformFile);
  return {
    location: catalog.location,
    listModules: () => catalog.listModules(),
    listVersions: (n) => catalog.listVersions(n),
    fetch: (n, v) => catalog.fetch(n, v),
    platformFiles: async () => [{ filename: file, text: await fsp.readFile(file, 'utf8') }],
    ...(catalog.providerPackages ? { providerPackages: () => catalog.providerPackages!() } : {}),
  };
}

/** One session for the operator's life: modules, rules and transformers are loaded once and cached. */
export function operatorSession(catalog: CatalogSource): Session {
  return new Session({ catalog });
}
