// Shared by `opm release build/vet/values`, `opm catalog` and `opm mod`:
// catalog selection (directory or OCI), secrets flags, output helpers.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import {
  CatalogError,
  directoryCatalogFor,
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
import { UsageError } from '../../errors.js';
import type { RegistryAccess } from '../registry-flags.js';

/**
 * An OCI catalog (packages/oci) seen as a core CatalogSource. A registry holds
 * modules only: the platform rules come from the file named by OPM_PLATFORM
 * (a platform.cue), without which no environment rules apply.
 */
class OciCatalogSource implements CatalogSource {
  readonly location: string;
  constructor(private readonly oci: OciCatalog) {
    this.location = oci.url;
  }
  listModules() {
    return this.oci.listModules();
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
    const files = await Promise.all(names.map(async (n) => ({ filename: path.join(m.dir, n), text: await fsp.readFile(path.join(m.dir, n), 'utf8') })));
    return { files, digest: m.digest, ref: m.ref };
  }
  async platformFiles() {
    const file = process.env.OPM_PLATFORM;
    if (!file) return undefined;
    return [{ filename: path.resolve(file), text: await fsp.readFile(file, 'utf8') }];
  }
}

export async function catalogFor(flag: string | undefined, access: RegistryAccess = {}): Promise<CatalogSource> {
  const loc = await resolveCatalogLocation({ flag });
  warn(loc.warnings ?? []);
  const { location } = loc;
  if (!location.startsWith('oci://')) return directoryCatalogFor(loc);
  // Loaded only for registry catalogs: the OCI client brings crypto, zlib and streams, which a directory catalog never needs.
  const { OciCatalog } = await import('@opm/oci');
  return new OciCatalogSource(new OciCatalog(location, access));
}

export async function sessionFor(flag: string | undefined, access: RegistryAccess = {}): Promise<Session> {
  return new Session({ catalog: await catalogFor(flag, access) });
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

/** One file per object: `<dir>/<release>/<NN>-<kind>-<name>.yaml`, numbered in apply order. */
export async function writeOutDir(dir: string, release: string, objs: KubeObject[], format: string, holdsSecrets = false): Promise<string[]> {
  const base = path.join(dir, release);
  await fsp.mkdir(base, { recursive: true });
  const written: string[] = [];
  for (const [i, o] of objs.entries()) {
    const file = path.join(base, `${String(i + 1).padStart(2, '0')}-${o.kind.toLowerCase()}-${o.metadata.name}.${format === 'json' ? 'json' : 'yaml'}`);
    // Revealed Secrets are readable by their owner only.
    const mode = holdsSecrets && o.kind === 'Secret' ? 0o600 : 0o644;
    await fsp.writeFile(file, format === 'json' ? `${JSON.stringify(o, null, 2)}\n` : toYaml(o), { mode });
    written.push(file);
  }
  return written;
}

export function warn(lines: string[]): void {
  for (const l of lines) process.stderr.write(`opm: warning: ${l}\n`);
}

export function json(x: unknown): string {
  return `${JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? Number(v) : v), 2)}\n`;
}
