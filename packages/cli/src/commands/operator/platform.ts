// `opm operator run --platform`: the platform rules the operator enforces, from a platform.cue file or from
// an OCI catalog's published governance (`opm catalog publish` pushes them as PREFIX/opm-platform; the same
// artifact an oci:// catalog's builds read). Registry rules are fetched once, at start, and pinned by digest
// for the operator's life: a tag re-pushed later changes nothing until a restart, and a registry without
// rules stops the operator from starting (fail closed) rather than letting it run without them.
import type { CatalogSource } from '@opm/core';
import { withPlatformFile, withPlatformRules } from '@opm/operator';
import { UserFacingError } from '../../errors.js';
import { fetchGovernance, platformSources, PLATFORM_REPOSITORY } from '../catalog-governance.js';
import type { RegistryAccess } from '../registry-flags.js';

export interface PlatformChoice {
  catalog: CatalogSource;
  /** What the log says the rules are: the file, or the artifact's reference with its version and digest. */
  describe: string;
}

export async function withPlatform(catalog: CatalogSource, flag: string | undefined, access: RegistryAccess): Promise<PlatformChoice> {
  if (!flag) return { catalog, describe: `the catalog's own (${catalog.location})` };
  if (!flag.startsWith('oci://')) return { catalog: withPlatformFile(catalog, flag), describe: flag };
  const { OciCatalog } = await import('@opm/oci');
  let artifact;
  try {
    artifact = await fetchGovernance(new OciCatalog(flag, access), PLATFORM_REPOSITORY);
  } catch (e) {
    throw new UserFacingError(`--platform ${flag}: ${(e as Error).message}`, 1);
  }
  if (!artifact) {
    throw new UserFacingError(`--platform ${flag}: no platform rules are published there (repository ${PLATFORM_REPOSITORY}); publish them with \`opm catalog publish\`; the operator does not run without platform rules`, 1);
  }
  const sources = await platformSources(artifact);
  if (!sources.length) throw new UserFacingError(`--platform ${flag}: ${artifact.ref} holds no .cue file`, 1);
  return { catalog: withPlatformRules(catalog, async () => sources), describe: `${artifact.ref} (version ${artifact.version})` };
}
