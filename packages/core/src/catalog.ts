// Catalogs: where modules come from. A directory catalog is
// `<dir>/<module-name>/<version>/*.cue` plus `<dir>/platform.cue` (platform
// rules) and optional `<dir>/providers/<name>/*.cue` (extra transformers).
// Other kinds (OCI, written in packages/oci) plug in through CatalogSource.
import path from 'node:path';
import semver from 'semver';
import { parseProjectConfig } from './project-config.js';
import type { Source } from '@opm/cue';
import { CatalogError, NotSupportedError } from './errors.js';
import { nodeFileSystem, type FileSystem } from './fs.js';
import { BUNDLED_CATALOG_DIR, readCuePackage } from './sources.js';

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

export class DirectoryCatalog implements CatalogSource {
  readonly location: string;
  constructor(dir: string, private readonly fs: FileSystem = nodeFileSystem) {
    this.location = path.resolve(dir);
  }

  async listModules(): Promise<string[]> {
    if ((await this.fs.stat(this.location)) !== 'dir') throw new CatalogError(`catalog ${this.location} is not a directory`);
    const out: string[] = [];
    for (const e of await this.fs.readDir(this.location)) {
      if (!e.isDir || e.name === 'providers' || e.name.startsWith('.')) continue;
      const versions = (await this.fs.readDir(`${this.location}/${e.name}`)).filter((v) => v.isDir);
      if (versions.length) out.push(e.name);
    }
    return out.sort();
  }

  async listVersions(name: string): Promise<string[]> {
    const dir = `${this.location}/${name}`;
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || (await this.fs.stat(dir)) !== 'dir') {
      const known = await this.listModules();
      throw new CatalogError(`catalog ${this.location} has no module ${name}; modules: ${known.join(', ') || '(none)'}`);
    }
    const vs = (await this.fs.readDir(dir)).filter((e) => e.isDir).map((e) => e.name);
    return sortVersions(vs);
  }

  async fetch(name: string, version: string): Promise<CatalogModuleFiles> {
    const versions = await this.listVersions(name);
    if (!versions.includes(version)) {
      throw new CatalogError(
        `catalog ${this.location} has no version ${version} of module ${name}; available: ${versions.join(', ') || '(none)'}`,
      );
    }
    const files = await readCuePackage(this.fs, `${this.location}/${name}/${version}`);
    if (!files.length) throw new CatalogError(`module ${name} ${version} in ${this.location} has no .cue files`);
    return { files };
  }

  async platformFiles(): Promise<Source[] | undefined> {
    const p = `${this.location}/platform.cue`;
    if ((await this.fs.stat(p)) !== 'file') return undefined;
    return [{ filename: p, text: await this.fs.readFile(p) }];
  }

  async providerPackages(): Promise<Source[][]> {
    const dir = `${this.location}/providers`;
    if ((await this.fs.stat(dir)) !== 'dir') return [];
    const out: Source[][] = [];
    for (const e of await this.fs.readDir(dir)) if (e.isDir) out.push(await readCuePackage(this.fs, `${dir}/${e.name}`));
    return out.filter((p) => p.length);
  }
}

export type CatalogOrigin = 'flag' | 'env' | 'opm.yaml' | 'default';

/**
 * Which catalog to use: `--catalog` (flag), then `OPM_CATALOG`, then the
 * nearest `opm.yaml` (`catalog: DIR`, relative to that file) from `cwd` up,
 * then the catalog bundled with opm (examples/catalog).
 */
export async function resolveCatalogLocation(opts: {
  flag?: string | undefined;
  env?: Record<string, string | undefined>;
  cwd?: string;
  fs?: FileSystem;
}): Promise<{ location: string; origin: CatalogOrigin }> {
  const cwd = opts.cwd ?? process.cwd();
  const fs = opts.fs ?? nodeFileSystem;
  if (opts.flag) return { location: absolutize(opts.flag, cwd), origin: 'flag' };
  const env = opts.env ?? process.env;
  if (env.OPM_CATALOG) return { location: absolutize(env.OPM_CATALOG, cwd), origin: 'env' };
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const f = path.join(dir, 'opm.yaml');
    if ((await fs.stat(f)) === 'file') {
      const { catalog } = parseProjectConfig(await fs.readFile(f), f);
      return { location: absolutize(catalog, dir), origin: 'opm.yaml' };
    }
    if (path.dirname(dir) === dir) break;
  }
  return { location: BUNDLED_CATALOG_DIR, origin: 'default' };
}

function absolutize(loc: string, base: string): string {
  return loc.startsWith('oci://') ? loc : path.resolve(base, loc);
}

/** A CatalogSource for a location; only directories here (the CLI adapts OCI catalogs from packages/oci). */
export function openDirectoryCatalog(location: string, fs?: FileSystem): CatalogSource {
  if (location.startsWith('oci://')) throw new NotSupportedError(`OCI catalog ${location} without an OCI catalog source (use the opm CLI)`);
  return new DirectoryCatalog(location, fs);
}
