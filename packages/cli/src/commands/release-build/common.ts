// Shared by `opm release build/vet/values`, `opm catalog` and `opm mod`:
// catalog selection (directory or OCI), secrets flags, output helpers.
import { constants as fsConstants, promises as fsp } from 'node:fs';
import path from 'node:path';
import {
  CatalogError,
  directoryCatalogFor,
  mapBounded,
  FILE_READ_CONCURRENCY,
  Session,
  SECRET_MASK,
  readSecretSpecs,
  resolveCatalogLocation,
  sortVersions,
  type CatalogSource,
  type KubeObject,
} from '@opm/core';
import type { OciCatalog } from '@opm/oci';
import { toYaml } from '../../plain-yaml.js';
import { fetchGovernance, GOVERNANCE_REPOSITORIES, platformSources, PLATFORM_REPOSITORY, providerSources, PROVIDERS_REPOSITORY } from '../catalog-governance.js';
import { UsageError, UserFacingError } from '../../errors.js';
import type { RegistryAccess } from '../registry-flags.js';
import { writeErr } from '../../stdio.js';
import { escapeC1, safeText } from '../../terminal.js';

/**
 * An OCI catalog (packages/oci) seen as a core CatalogSource. Its platform
 * rules and providers are artifacts of their own in the registry
 * (catalog-governance.ts, written by `opm catalog publish`); OPM_PLATFORM (a
 * platform.cue) replaces the published rules when set.
 */
class OciCatalogSource implements CatalogSource {
  readonly location: string;
  constructor(private readonly oci: OciCatalog) {
    this.location = oci.url;
  }
  async listModules() {
    return (await this.oci.listModules()).filter((m) => !GOVERNANCE_REPOSITORIES.has(m));
  }
  async listVersions(name: string) {
    const versions = await this.oci.listVersions(name);
    // The registry answers an unknown repository with no tags; say which module is missing.
    if (!versions.length) throw new CatalogError(`catalog ${this.location} has no module ${name} (no versions published)`);
    return sortVersions(versions);
  }
  async fetch(name: string, version: string) {
    const m = await this.oci.fetch(name, version);
    const names = (await fsp.readdir(m.dir)).filter((f) => f.endsWith('.cue')).sort();
    // Bounded: thousands of files opened at once fail with EMFILE.
    const files = await mapBounded(names, FILE_READ_CONCURRENCY, async (n) => ({ filename: path.join(m.dir, n), text: await fsp.readFile(path.join(m.dir, n), 'utf8') }));
    return { files, digest: m.digest, ref: m.ref };
  }
  private platform?: ReturnType<typeof fetchGovernance>;
  private published() {
    this.platform ??= fetchGovernance(this.oci, PLATFORM_REPOSITORY);
    return this.platform;
  }
  async platformFiles() {
    const file = process.env.OPM_PLATFORM;
    if (file) return [{ filename: path.resolve(file), text: await fsp.readFile(file, 'utf8') }];
    const a = await this.published();
    return a ? platformSources(a) : undefined;
  }
  /** Recorded with every release: the published artifact, or the OPM_PLATFORM file that replaced it (said on every render). */
  async platformSource() {
    const file = process.env.OPM_PLATFORM;
    if (file) {
      const source = `OPM_PLATFORM=${path.resolve(file)}`;
      return { source, warning: `${source}: these platform rules replace the ones published in ${this.location}` };
    }
    const a = await this.published();
    return a ? { source: a.ref } : undefined;
  }
  async providerPackages() {
    const a = await fetchGovernance(this.oci, PROVIDERS_REPOSITORY);
    return a ? providerSources(a) : [];
  }
}

export async function catalogFor(flag: string | undefined, access: RegistryAccess = {}): Promise<CatalogSource> {
  return (await catalogWithOrigin(flag, access)).catalog;
}

/** The catalog, and whether it was named (flag, OPM_CATALOG, opm.yaml) or is the bundled default. */
export async function catalogWithOrigin(flag: string | undefined, access: RegistryAccess = {}): Promise<{ catalog: CatalogSource; given: boolean }> {
  const loc = await resolveCatalogLocation({ flag });
  warn(loc.warnings ?? []);
  const { location } = loc;
  const given = loc.origin !== 'default';
  if (!location.startsWith('oci://')) return { catalog: directoryCatalogFor(loc), given };
  // Loaded only for registry catalogs: the OCI client brings crypto, zlib and streams, which a directory catalog never needs.
  const { OciCatalog } = await import('@opm/oci');
  return { catalog: new OciCatalogSource(new OciCatalog(location, access)), given };
}

export async function sessionFor(flag: string | undefined, access: RegistryAccess = {}, rules: PlatformRulesFlags = {}): Promise<Session> {
  return new Session({ catalog: await catalogFor(flag, access), noPlatformRules: rules.platformRules === false });
}

export interface PlatformRulesFlags {
  /** false with --no-platform-rules (commander's negatable option). */
  platformRules?: boolean;
}

/** `--no-platform-rules`: a catalog without platform rules is refused unless this is given (and a warning says so every run). */
export function addPlatformRulesFlag<C extends { option(flags: string, description: string): C }>(cmd: C): C {
  return cmd.option('--no-platform-rules', 'build without the catalog platform rules (refused otherwise when the catalog has none; warns on every run)');
}

export function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

export async function secretsFrom(specs: string[] | undefined): Promise<Record<string, string> | undefined> {
  return specs?.length ? readSecretSpecs(specs) : undefined;
}

export function outputFormat(o: string | undefined, allowed: string[] = ['yaml', 'json']): string {
  const f = o ?? allowed[0]!;
  if (!allowed.includes(f)) throw new UsageError(`-o ${f}: expected ${allowed.join(' or ')}`);
  return f;
}

/** Secret objects with every value replaced by `<secret>`: printed output never carries secrets. */
export function maskObjects(objs: KubeObject[]): KubeObject[] {
  return objs.map((o) => {
    if (o.kind !== 'Secret') return o;
    const m = { ...o };
    for (const k of ['data', 'stringData'] as const) {
      const d = o[k] as Record<string, string> | undefined;
      if (d) m[k] = Object.fromEntries(Object.keys(d).map((key) => [key, SECRET_MASK]));
    }
    return m;
  });
}

export function yamlStream(objs: unknown[]): string {
  return objs.map((o) => `---\n${toYaml(o)}`).join('');
}

/**
 * One file per object: `<dir>/<release>/<NN>-<kind>-<name>.yaml`, numbered in
 * apply order. Symbolic links are never followed (a link planted as
 * `<release>` or as one of the file names would make opm overwrite its target):
 * the release directory and each file must be what opm creates, or an earlier
 * run's plain directory and files.
 */
export async function writeOutDir(dir: string, release: string, objs: KubeObject[], format: string, holdsSecrets = false): Promise<string[]> {
  const base = path.join(dir, release);
  await fsp.mkdir(dir, { recursive: true });
  const st = await fsp.lstat(base).catch(() => undefined);
  if (st?.isSymbolicLink() || (st && !st.isDirectory())) throw new UserFacingError(`--out-dir: ${base} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a directory'}; refusing to write through it`, 3);
  if (!st) await fsp.mkdir(base);
  const written: string[] = [];
  for (const [i, o] of objs.entries()) {
    const file = path.join(base, `${String(i + 1).padStart(2, '0')}-${o.kind.toLowerCase()}-${o.metadata.name}.${format === 'json' ? 'json' : 'yaml'}`);
    // Revealed Secrets are readable by their owner only.
    const mode = holdsSecrets && o.kind === 'Secret' ? 0o600 : 0o644;
    let fh;
    try {
      fh = await fsp.open(file, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC | fsConstants.O_NOFOLLOW, mode);
    } catch (err) {
      if ((err as { code?: string }).code === 'ELOOP') throw new UserFacingError(`--out-dir: ${file} is a symbolic link; refusing to write through it`, 3);
      throw err;
    }
    try {
      // An existing file keeps its mode on open: set it, so a revealed Secret is never left readable by others.
      await fh.chmod(mode);
      await fh.writeFile(format === 'json' ? json(o) : toYaml(o));
    } finally {
      await fh.close();
    }
    written.push(file);
  }
  return written;
}

export function warn(lines: string[]): void {
  for (const l of lines) writeErr(`opm: warning: ${safeText(l)}\n`);
}

export function json(x: unknown): string {
  return `${escapeC1(JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? Number(v) : v), 2))}\n`;
}
