// Catalogs: where modules come from, and which version a reference means.
// Sources plug in through CatalogSource: directories (directory-catalog.ts),
// OCI registries (packages/oci, adapted by the CLI), a snapshot sent to a
// browser (snapshot.ts).
import semver from 'semver';
import type { Source } from '@opm/cue';
import { CatalogError } from './errors.js';

export interface CatalogModuleFiles {
  files: Source[];
  /** Content digest when the source has one (OCI manifests). */
  digest?: string;
  /** Where exactly the files came from, when the source can say (`oci://REGISTRY/REPO:TAG@DIGEST`). */
  ref?: string;
}

export interface CatalogSource {
  /** Where the catalog is, for messages (a directory or an oci:// URL). */
  readonly location: string;
  listModules(): Promise<string[]>;
  /** Versions of one module, oldest first; rejects with the known modules if there is no such module. */
  listVersions(name: string): Promise<string[]>;
  /** The package files of one module version; rejects listing the available versions if absent. */
  fetch(name: string, version: string): Promise<CatalogModuleFiles>;
  /** The catalog's platform rules (platform.cue); undefined when it has none. */
  platformFiles?(): Promise<Source[] | undefined>;
  /** Packages of extra transformers the catalog adds to the built-in Kubernetes provider. */
  providerPackages?(): Promise<Source[][]>;
}

export function sortVersions(vs: string[]): string[] {
  return [...vs].sort((a, b) => (semver.valid(a) && semver.valid(b) ? semver.compare(a, b) : a < b ? -1 : 1));
}

/**
 * The version a `NAME:SPEC` reference means: SPEC is an exact version, a
 * semver range (`>=1.0.0 <2.0.0`, `^1.2`) or `latest`/absent (the newest).
 */
export function resolveVersion(name: string, versions: string[], spec: string | undefined): string {
  const sorted = sortVersions(versions);
  if (!sorted.length) throw new CatalogError(`module ${name} has no versions`);
  if (spec === undefined || spec === 'latest') return sorted[sorted.length - 1]!;
  if (sorted.includes(spec)) return spec;
  const matching = semver.valid(spec) ? [] : matchVersions(sorted, spec);
  if (!matching.length) throw new CatalogError(`no version of module ${name} matches ${spec}; available: ${sorted.join(', ')}`);
  return matching[matching.length - 1]!;
}

/**
 * The versions (sorted) that satisfy a semver range; CatalogError for a
 * malformed range. Platform builds such as `1.2.0-platform.1` are semver
 * prereleases, yet they are releases of 1.2.0 for the platform: unless the
 * range itself names a prerelease, a version is judged by its release part,
 * so `>=1.0.0 <2.0.0` holds `1.2.0-platform.1` and not `2.0.0-platform.1`.
 */
export function matchVersions(versions: string[], range: string): string[] {
  const spec = range === 'latest' ? '*' : range;
  const r = semver.validRange(spec, { includePrerelease: true });
  if (!r) throw new CatalogError(`${JSON.stringify(range)} is neither a version nor a semver range (e.g. ">=1.0.0 <2.0.0")`);
  const exactPrereleases = /\d+\.\d+\.\d+-/.test(spec);
  return sortVersions(
    versions.filter((v) => {
      const p = semver.parse(v);
      if (!p) return false;
      return exactPrereleases ? semver.satisfies(p, r, { includePrerelease: true }) : semver.satisfies(`${p.major}.${p.minor}.${p.patch}`, r);
    }),
  );
}

