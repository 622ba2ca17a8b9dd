// Directory catalogs: `<dir>/<module-name>/<version>/*.cue` plus
// `<dir>/platform.cue` (platform rules) and optional
// `<dir>/providers/<name>/*.cue` (extra transformers); and which catalog the
// CLI uses (--catalog, OPM_CATALOG, opm.yaml, the bundled one). Node only.
import path from 'node:path';
import { parseProjectConfig } from './project-config.js';
import type { Source } from '@opm/cue';
import { sortVersions, type CatalogModuleFiles, type CatalogSource } from './catalog.js';
import { isNameType, NAME_TYPE_RULE } from './name-type.js';
import { CatalogError, NotSupportedError } from './errors.js';
import { nodeFileSystem, type DirEntry, type FileSystem, type PathInfo } from './fs.js';
import { BUNDLED_CATALOG_DIR } from './shipped.js';
import { readConfined, readCuePackage } from './sources.js';

export interface DirectoryCatalogOptions {
  /**
   * Only for a catalog opm found by itself (opm.yaml): every directory and file
   * read must belong to this user (or root) and not be writable by group or
   * others, so another local user cannot change what it holds.
   */
  ownerUid?: number;
}

export class DirectoryCatalog implements CatalogSource {
  readonly location: string;
  constructor(dir: string, private readonly fs: FileSystem = nodeFileSystem, private readonly opts: DirectoryCatalogOptions = {}) {
    this.location = path.resolve(dir);
  }

  /** What is at `p`, refusing a symbolic link (a catalog reads nothing outside itself) and, when asked, a path someone else controls. */
  private async kindOf(p: string): Promise<'file' | 'dir' | undefined> {
    if (!this.fs.lstat) return this.fs.stat(p);
    const info = await this.fs.lstat(p);
    if (!info) return undefined;
    if (info.kind === 'symlink') throw new CatalogError(`${p} is a symbolic link: a catalog's modules, versions, providers and platform.cue must lie inside it (links are not followed)`);
    if (this.opts.ownerUid !== undefined) {
      const why = untrustedBecause(info, this.opts.ownerUid);
      if (why) throw new CatalogError(`${p} ${why}: refusing the catalog found through opm.yaml (pass --catalog to use it anyway)`);
    }
    return info.kind === 'other' ? undefined : info.kind;
  }

  private async entries(dir: string): Promise<DirEntry[]> {
    const ents = await this.fs.readDir(dir);
    if (this.opts.ownerUid !== undefined) for (const e of ents) if (e.isDir) await this.kindOf(`${dir}/${e.name}`);
    return ents;
  }

  private async cuePackage(dir: string): Promise<Source[]> {
    const files = await readCuePackage(this.fs, dir);
    if (this.opts.ownerUid !== undefined) for (const f of files) await this.kindOf(f.filename);
    return files;
  }

  async listModules(): Promise<string[]> {
    if ((await this.fs.stat(this.location)) !== 'dir') throw new CatalogError(`catalog ${this.location} is not a directory`);
    const out: string[] = [];
    for (const e of await this.entries(this.location)) {
      if (!e.isDir || e.name === 'providers' || e.name.startsWith('.')) continue;
      const versions = (await this.fs.readDir(`${this.location}/${e.name}`)).filter((v) => v.isDir);
      if (versions.length) out.push(e.name);
    }
    return out.sort();
  }

  async listVersions(name: string): Promise<string[]> {
    const dir = `${this.location}/${name}`;
    // A module's name is its #metadata.name, a #NameType: anything else (a path, `..`) is no module of it.
    const named = isNameType(name);
    if (!named || (await this.kindOf(dir)) !== 'dir') {
      const known = await this.listModules();
      const why = named ? '' : ` (a module name must match ${NAME_TYPE_RULE})`;
      throw new CatalogError(`catalog ${this.location} has no module ${name}${why}; modules: ${known.join(', ') || '(none)'}`);
    }
    const ents = await this.entries(dir);
    const link = ents.find((e) => e.isSymlink);
    if (link) await this.kindOf(`${dir}/${link.name}`); // throws: a linked version directory
    return sortVersions(ents.filter((e) => e.isDir).map((e) => e.name));
  }

  async fetch(name: string, version: string): Promise<CatalogModuleFiles> {
    const versions = await this.listVersions(name);
    if (!versions.includes(version)) {
      throw new CatalogError(
        `catalog ${this.location} has no version ${version} of module ${name}; available: ${versions.join(', ') || '(none)'}`,
      );
    }
    const files = await this.cuePackage(`${this.location}/${name}/${version}`);
    if (!files.length) throw new CatalogError(`module ${name} ${version} in ${this.location} has no .cue files`);
    return { files };
  }

  async platformFiles(): Promise<Source[] | undefined> {
    const p = `${this.location}/platform.cue`;
    if ((await this.kindOf(p)) !== 'file') return undefined;
    return [{ filename: p, text: await readConfined(this.fs, p) }];
  }

  async providerPackages(): Promise<Source[][]> {
    const dir = `${this.location}/providers`;
    if ((await this.kindOf(dir)) !== 'dir') return [];
    const out: Source[][] = [];
    for (const e of await this.entries(dir)) {
      if (e.isSymlink) await this.kindOf(`${dir}/${e.name}`); // throws: a linked provider
      if (e.isDir) out.push(await this.cuePackage(`${dir}/${e.name}`));
    }
    return out.filter((p) => p.length);
  }
}

/** Why a path is not safe to take from someone else's hands, or undefined (owner: the user or root; not group/other-writable). */
export function untrustedBecause(info: PathInfo, uid: number): string | undefined {
  if (info.uid !== undefined && info.uid !== uid && info.uid !== 0) return `is owned by another user (uid ${info.uid})`;
  if (info.mode !== undefined && (info.mode & 0o022) !== 0) return `is writable by ${info.mode & 0o002 ? 'others' : 'its group'} (mode ${(info.mode & 0o777).toString(8)})`;
  return undefined;
}

export type CatalogOrigin = 'flag' | 'env' | 'opm.yaml' | 'default';

export interface CatalogLocation {
  location: string;
  origin: CatalogOrigin;
  /** opm.yaml files or catalogs that were ignored, and why (print them). */
  warnings?: string[];
  /** For a catalog found through opm.yaml: whose it must be (see DirectoryCatalogOptions). */
  ownerUid?: number;
}

/**
 * Which catalog to use: `--catalog` (flag), then `OPM_CATALOG`, then the
 * nearest `opm.yaml` (`catalog: DIR`, relative to that file) from `cwd` up,
 * then the catalog bundled with opm (examples/catalog).
 *
 * The search for opm.yaml stops at the repository root (a directory holding
 * `.git`) or at $HOME, so a file planted higher up (`/tmp/opm.yaml`) is never
 * reached from below. Like git's safe.directory, an opm.yaml, or the catalog it
 * names, that belongs to another user (root excepted) or that group or others
 * may write is ignored with a warning: someone else would choose the rules and
 * providers applied with this user's cluster credentials.
 */
export async function resolveCatalogLocation(opts: {
  flag?: string | undefined;
  env?: Record<string, string | undefined>;
  cwd?: string;
  fs?: FileSystem;
  /** The user to trust (default: this process's effective uid). */
  uid?: number;
}): Promise<CatalogLocation> {
  const cwd = opts.cwd ?? process.cwd();
  const fs = opts.fs ?? nodeFileSystem;
  if (opts.flag) return { location: absolutize(opts.flag, cwd), origin: 'flag' };
  const env = opts.env ?? process.env;
  if (env.OPM_CATALOG) return { location: absolutize(env.OPM_CATALOG, cwd), origin: 'env' };
  const uid = opts.uid ?? process.geteuid?.();
  const home = env.HOME ? path.resolve(env.HOME) : undefined;
  const warnings: string[] = [];
  const untrusted = async (p: string): Promise<string | undefined> => {
    const info = await fs.lstat?.(p);
    if (!info || uid === undefined) return undefined;
    if (info.kind === 'symlink') return 'is a symbolic link';
    return untrustedBecause(info, uid);
  };
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const f = path.join(dir, 'opm.yaml');
    if ((await fs.stat(f)) === 'file') {
      const why = await untrusted(f);
      if (why) warnings.push(`ignoring ${f}: it ${why} (pass --catalog or set OPM_CATALOG to choose a catalog)`);
      else {
        const { catalog } = parseProjectConfig(await readConfined(fs, f), f);
        const location = absolutize(catalog, dir);
        const whyCat = location.startsWith('oci://') ? undefined : await untrusted(location);
        if (!whyCat) return { location, origin: 'opm.yaml', ...(uid !== undefined && !location.startsWith('oci://') ? { ownerUid: uid } : {}), ...(warnings.length ? { warnings } : {}) };
        warnings.push(`ignoring catalog ${location} named by ${f}: it ${whyCat} (pass --catalog to use it anyway)`);
      }
    }
    // The repository root and $HOME end the search: above them, files belong to someone else's choice.
    if (dir === home || (await fs.stat(path.join(dir, '.git'))) !== undefined) break;
    if (path.dirname(dir) === dir) break;
  }
  return { location: BUNDLED_CATALOG_DIR, origin: 'default', ...(warnings.length ? { warnings } : {}) };
}

/** The CatalogSource for a resolved directory location (with the owner checks of a catalog found through opm.yaml). */
export function directoryCatalogFor(loc: CatalogLocation, fs?: FileSystem): DirectoryCatalog {
  return new DirectoryCatalog(loc.location, fs, loc.ownerUid !== undefined ? { ownerUid: loc.ownerUid } : {});
}

function absolutize(loc: string, base: string): string {
  return loc.startsWith('oci://') ? loc : path.resolve(base, loc);
}

/** A CatalogSource for a location; only directories here (the CLI adapts OCI catalogs from packages/oci). */
export function openDirectoryCatalog(location: string, fs?: FileSystem): CatalogSource {
  if (location.startsWith('oci://')) throw new NotSupportedError(`OCI catalog ${location} without an OCI catalog source (use the opm CLI)`);
  return new DirectoryCatalog(location, fs);
}
