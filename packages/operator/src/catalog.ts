// The operator's catalog and platform rules come from its own flags only:
// a tenant's ModuleRelease names a module, never where modules or rules live.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { NotSupportedError, Session, type CatalogSource } from '@opm/core';

type Sources = Awaited<ReturnType<NonNullable<CatalogSource['platformFiles']>>>;

/** Platform rules fetched from a registry: the artifact (`oci://…/opm-platform:VERSION@sha256:…`), its version and digest. */
export interface PlatformPin {
  ref: string;
  version: string;
  digest: string;
}

/**
 * A catalog whose platform rules are replaced by the ones the platform team named (`--platform`): the
 * files of a platform.cue, or of the platform rules published in an OCI catalog (resolved by the caller).
 */
export function withPlatformRules(catalog: CatalogSource, rules: () => Promise<Sources>): CatalogSource {
  return {
    location: catalog.location,
    listModules: () => catalog.listModules(),
    listVersions: (n) => catalog.listVersions(n),
    fetch: (n, v) => catalog.fetch(n, v),
    platformFiles: rules,
    ...(catalog.providerPackages ? { providerPackages: () => catalog.providerPackages!() } : {}),
  };
}

/** A catalog whose platform rules are replaced by the file the platform team named (`--platform FILE`). */
export function withPlatformFile(catalog: CatalogSource, platformFile: string | undefined): CatalogSource {
  if (!platformFile) return catalog;
  // oci:// rules are fetched by the CLI (`opm operator run`), which owns registry access and governance artifacts.
  if (platformFile.startsWith('oci://')) throw new NotSupportedError(`--platform ${platformFile}: resolve registry platform rules first and use withPlatformRules`);
  const file = path.resolve(platformFile);
  return withPlatformRules(catalog, async () => [{ filename: file, text: await fsp.readFile(file, 'utf8') }]);
}

/** One session for the operator's life: modules, rules and transformers are loaded once and cached. */
export function operatorSession(catalog: CatalogSource): Session {
  return new Session({ catalog });
}
