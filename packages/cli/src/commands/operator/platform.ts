// `opm operator run --platform`: the platform rules the operator enforces, from a platform.cue file or from
// an OCI catalog's published governance (`opm catalog publish` pushes them as PREFIX/opm-platform; the same
// artifact an oci:// catalog's builds read). Registry rules are fetched once, at start, and pinned by digest
// for the operator's life: a tag re-pushed later changes nothing until a restart, and a registry without
// rules stops the operator from starting (fail closed) rather than letting it run without them.
//   oci://REGISTRY/PREFIX                       the newest published version
//   oci://REGISTRY/PREFIX:VERSION               that version (its tag), resolved to a digest at start
//   oci://REGISTRY/PREFIX[:VERSION]@sha256:…    exactly that artifact (a version alongside must be its own)
// PREFIX may also name the artifact's repository itself (PREFIX/opm-platform), as the log and status print it.
import type { CatalogSource } from '@opm/core';
import { withPlatformFile, withPlatformRules, type PlatformPin } from '@opm/operator';
import { UserFacingError } from '../../errors.js';
import { fetchGovernance, platformSources, PLATFORM_REPOSITORY, type GovernanceArtifact } from '../catalog-governance.js';
import type { RegistryAccess } from '../registry-flags.js';

export interface PlatformChoice {
  catalog: CatalogSource;
  /** What the log says the rules are: the file, or the artifact's reference with its version and digest. */
  describe: string;
  /** Registry rules: the artifact and its digest, recorded in each ModuleRelease's status. */
  pin?: PlatformPin;
}

export async function withPlatform(catalog: CatalogSource, flag: string | undefined, access: RegistryAccess): Promise<PlatformChoice> {
  if (!flag) return { catalog, describe: `the catalog's own (${catalog.location})` };
  if (!flag.startsWith('oci://')) return { catalog: withPlatformFile(catalog, flag), describe: flag };
  let artifact: GovernanceArtifact | undefined;
  try {
    artifact = await fetchPlatform(flag, access);
  } catch (e) {
    throw new UserFacingError(`--platform ${flag}: ${(e as Error).message}`, 1);
  }
  if (!artifact) {
    throw new UserFacingError(`--platform ${flag}: no platform rules are published there (repository ${PLATFORM_REPOSITORY}); publish them with \`opm catalog publish\`; the operator does not run without platform rules`, 1);
  }
  const sources = await platformSources(artifact);
  if (!sources.length) throw new UserFacingError(`--platform ${flag}: ${artifact.ref} holds no .cue file`, 1);
  return {
    catalog: withPlatformRules(catalog, async () => sources),
    describe: `${artifact.ref} (version ${artifact.version})`,
    pin: { ref: artifact.ref, version: artifact.version, digest: artifact.digest },
  };
}

/** The platform artifact a `--platform oci://…` names, fetched and checked against its digest; undefined when none is published. */
async function fetchPlatform(flag: string, access: RegistryAccess): Promise<GovernanceArtifact | undefined> {
  const { OciCatalog, formatOciReference, parseOciReference, tagToVersion } = await import('@opm/oci');
  const r = parseOciReference(flag, { allowEmptyRepository: true });
  const segs = r.repository ? r.repository.split('/') : [];
  const prefix = segs[segs.length - 1] === PLATFORM_REPOSITORY ? segs.slice(0, -1).join('/') : r.repository;
  const oci = new OciCatalog(formatOciReference({ registry: r.registry, repository: prefix }), access);
  const tagVersion = r.tag !== undefined ? tagToVersion(r.tag) : undefined;
  let m;
  if (r.digest) {
    // Pinned by digest: that artifact and no other, whatever its tags point to now.
    const version = await oci.versionAt(PLATFORM_REPOSITORY, r.digest);
    if (tagVersion !== undefined && tagVersion !== version) {
      throw new Error(`${r.digest} is version ${version} of ${oci.refOf(PLATFORM_REPOSITORY)}, not ${tagVersion}: give the digest alone, or the version it was published as`);
    }
    m = await oci.fetch(PLATFORM_REPOSITORY, version, { digest: r.digest });
  } else if (tagVersion !== undefined) {
    if ((await oci.listVersions(PLATFORM_REPOSITORY)).length === 0) return undefined;
    m = await oci.fetch(PLATFORM_REPOSITORY, tagVersion);
  } else {
    return fetchGovernance(oci, PLATFORM_REPOSITORY);
  }
  return { version: m.version, digest: m.digest, ref: m.ref, dir: m.dir };
}
