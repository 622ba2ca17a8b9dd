// A catalog's governance in an OCI registry: its platform rules (platform.cue)
// and its providers (providers/<name>/*.cue) are artifacts of their own, next
// to the modules, in the repositories PREFIX/opm-platform and
// PREFIX/opm-providers (reserved names), one semver tag per published version
// and resolved, like modules, to a version and the digest of its manifest.
// `opm catalog publish` writes them; an oci:// catalog reads the newest
// version. Without them the platform rules cannot be found and builds are
// refused (core's loadPlatform), so no environment rule is skipped silently.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Source } from '@opm/cue';
import type { OciCatalog } from '@opm/oci';

export const PLATFORM_REPOSITORY = 'opm-platform';
export const PROVIDERS_REPOSITORY = 'opm-providers';
export const GOVERNANCE_REPOSITORIES = new Set([PLATFORM_REPOSITORY, PROVIDERS_REPOSITORY]);

export interface GovernanceArtifact {
  version: string;
  digest: string;
  ref: string;
  dir: string;
}

/** The newest published version of a governance artifact, fetched (digest-checked) into the cache. */
export async function fetchGovernance(oci: OciCatalog, repository: string): Promise<GovernanceArtifact | undefined> {
  const versions = await oci.listVersions(repository);
  if (!versions.length) return undefined;
  const m = await oci.fetch(repository, versions[versions.length - 1]!);
  return { version: m.version, digest: m.digest, ref: m.ref, dir: m.dir };
}

async function cueFiles(dir: string): Promise<Source[]> {
  const names = (await fsp.readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.cue')).map((e) => e.name).sort();
  return Promise.all(names.map(async (n) => ({ filename: path.join(dir, n), text: await fsp.readFile(path.join(dir, n), 'utf8') })));
}

/** platform.cue of the published platform artifact. */
export async function platformSources(a: GovernanceArtifact): Promise<Source[]> {
  return cueFiles(a.dir);
}

/** One package per provider directory of the published providers artifact. */
export async function providerSources(a: GovernanceArtifact): Promise<Source[][]> {
  const out: Source[][] = [];
  for (const e of (await fsp.readdir(a.dir, { withFileTypes: true })).filter((x) => x.isDirectory()).sort((x, y) => (x.name < y.name ? -1 : 1))) {
    const files = await cueFiles(path.join(a.dir, e.name));
    if (files.length) out.push(files);
  }
  return out;
}
