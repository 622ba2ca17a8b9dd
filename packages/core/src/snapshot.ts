// A catalog snapshot: everything a session needs, as source texts in one
// JSON-serialisable object, so a server can send a catalog (or one module
// version of it) to a browser, which evaluates it with the same engine and
// rules as the CLI. Browser-safe.
import type { Source } from '@opm/cue';
import { sortVersions, type CatalogModuleFiles, type CatalogSource } from './catalog.js';
import { CatalogError, ValidationError } from './errors.js';
import type { ShippedSources } from './session.js';

export const SNAPSHOT_FORMAT = 'opm.dev/catalog-snapshot/v1';

export interface SnapshotModule {
  name: string;
  version: string;
  files: Source[];
  digest?: string;
  ref?: string;
}

export interface CatalogSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** The catalog's location, as messages name it (a directory or an oci:// URL). */
  location: string;
  /** opm's own sources: the core schema (`core.opm.dev/v1`) and the built-in Kubernetes provider. */
  core: { schema: Source[]; kubernetesProvider: Source[] };
  /** The catalog's platform rules (platform.cue); absent when it has none. */
  platform?: Source[];
  /** The catalog's extra transformer packages. */
  providers: Source[][];
  /** The module versions included (a snapshot may hold only the one a form needs). */
  modules: SnapshotModule[];
}

/**
 * Reads a snapshot from a catalog: every module version, or only `modules`.
 * A snapshot goes to browsers, so it holds no path of the machine that made
 * it: file names are relative to the catalog directory (or, for files outside
 * it, to their own directory under a role prefix: `opm/schema/…`), and a
 * directory catalog's location is its base name. Messages quote module and
 * platform files by base name, so they read the same as the CLI's.
 */
export async function catalogSnapshot(catalog: CatalogSource, shipped: ShippedSources, opts: { modules?: { name: string; version: string }[] } = {}): Promise<CatalogSnapshot> {
  let wanted = opts.modules;
  if (!wanted) {
    wanted = [];
    for (const name of await catalog.listModules()) for (const version of await catalog.listVersions(name)) wanted.push({ name, version });
  }
  const root = isAbsolute(catalog.location) ? trimSlash(normalise(catalog.location)) : undefined;
  const copy = (files: Source[], prefix: string) => copySources(files, root, prefix);
  const modules: SnapshotModule[] = [];
  for (const { name, version } of wanted) {
    const m = await catalog.fetch(name, version);
    modules.push({ name, version, files: copy(m.files, `${name}/${version}/`), ...(m.digest ? { digest: m.digest } : {}), ...(m.ref ? { ref: m.ref } : {}) });
  }
  const platform = await catalog.platformFiles?.();
  return {
    format: SNAPSHOT_FORMAT,
    location: root ? root.slice(root.lastIndexOf('/') + 1) || 'catalog' : catalog.location,
    core: { schema: copySources(await shipped.coreSchema(), undefined, 'opm/schema/'), kubernetesProvider: copySources(await shipped.kubernetesProvider(), undefined, 'opm/providers/kubernetes/') },
    ...(platform?.length ? { platform: copy(platform, '') } : {}),
    providers: ((await catalog.providerPackages?.()) ?? []).map((p, i) => copy(p, `providers/${i}/`)),
    modules,
  };
}

const normalise = (f: string) => f.replace(/\\/g, '/');
const trimSlash = (f: string) => f.replace(/\/+$/, '');
/** A path of the machine (`/x`, `C:\\x`, `\\\\host\\x`); names such as `<opm: module …>` are not. */
const isAbsolute = (f: string) => /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(f);

/**
 * The files with machine-free names: relative to the catalog directory `root`
 * when inside it, else `prefix` + the name relative to the files' common directory.
 */
function copySources(files: Source[], root: string | undefined, prefix: string): Source[] {
  const abs = files.filter((f) => isAbsolute(f.filename)).map((f) => normalise(f.filename));
  const inRoot = root !== undefined && abs.length > 0 && abs.every((f) => f.startsWith(`${root}/`));
  const base = inRoot ? `${root}/` : commonDir(abs);
  const rename = (f: string) => {
    if (!isAbsolute(f)) return f;
    const n = normalise(f);
    return inRoot ? n.slice(base.length) : prefix + n.slice(base.length);
  };
  return files.map((s) => ({ filename: rename(s.filename), text: s.text, ...(s.languageVersion ? { languageVersion: s.languageVersion } : {}), ...(s.experiments?.length ? { experiments: [...s.experiments] } : {}) }));
}

/** The longest directory (with its trailing `/`) that holds every one of `files`. */
function commonDir(files: string[]): string {
  if (!files.length) return '';
  let dir = files[0]!.slice(0, files[0]!.lastIndexOf('/') + 1);
  while (dir && !files.every((f) => f.startsWith(dir))) dir = dir.slice(0, dir.lastIndexOf('/', dir.length - 2) + 1);
  return dir;
}

/** Checks that a value received (e.g. parsed JSON) has the snapshot's shape; ValidationError says what is wrong. */
export function parseCatalogSnapshot(x: unknown): CatalogSnapshot {
  const problems: string[] = [];
  const isSources = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'object' && s !== null && typeof (s as Source).filename === 'string' && typeof (s as Source).text === 'string');
  const o = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
  if (o.format !== SNAPSHOT_FORMAT) problems.push(`format: expected ${JSON.stringify(SNAPSHOT_FORMAT)}, got ${JSON.stringify(o.format)}`);
  if (typeof o.location !== 'string') problems.push('location: expected a string');
  const core = (o.core ?? {}) as Record<string, unknown>;
  if (!isSources(core.schema) || !(core.schema as unknown[]).length) problems.push('core.schema: expected a list of {filename, text}');
  if (!isSources(core.kubernetesProvider) || !(core.kubernetesProvider as unknown[]).length) problems.push('core.kubernetesProvider: expected a list of {filename, text}');
  if (o.platform !== undefined && !isSources(o.platform)) problems.push('platform: expected a list of {filename, text}');
  if (!Array.isArray(o.providers) || !o.providers.every(isSources)) problems.push('providers: expected a list of lists of {filename, text}');
  if (!Array.isArray(o.modules)) problems.push('modules: expected a list');
  else
    o.modules.forEach((m: unknown, i) => {
      const mm = (m ?? {}) as Record<string, unknown>;
      if (typeof mm.name !== 'string' || typeof mm.version !== 'string' || !isSources(mm.files)) problems.push(`modules[${i}]: expected {name, version, files}`);
    });
  if (problems.length) throw new ValidationError(problems.map((p) => `catalog snapshot: ${p}`), 'snapshot');
  return x as CatalogSnapshot;
}

/** The snapshot as a CatalogSource: what it holds, with the errors a directory catalog gives for what it does not. */
export class SnapshotCatalog implements CatalogSource {
  readonly location: string;
  constructor(private readonly snapshot: CatalogSnapshot) {
    this.location = snapshot.location;
  }

  async listModules(): Promise<string[]> {
    return [...new Set(this.snapshot.modules.map((m) => m.name))].sort();
  }

  async listVersions(name: string): Promise<string[]> {
    const versions = this.snapshot.modules.filter((m) => m.name === name).map((m) => m.version);
    if (!versions.length) throw new CatalogError(`catalog ${this.location} has no module ${name}; modules: ${(await this.listModules()).join(', ') || '(none)'}`);
    return sortVersions(versions);
  }

  async fetch(name: string, version: string): Promise<CatalogModuleFiles> {
    const versions = await this.listVersions(name);
    const m = this.snapshot.modules.find((x) => x.name === name && x.version === version);
    if (!m) throw new CatalogError(`catalog ${this.location} has no version ${version} of module ${name}; available: ${versions.join(', ')}`);
    return { files: m.files, ...(m.digest ? { digest: m.digest } : {}), ...(m.ref ? { ref: m.ref } : {}) };
  }

  async platformFiles(): Promise<Source[] | undefined> {
    return this.snapshot.platform;
  }

  async providerPackages(): Promise<Source[][]> {
    return this.snapshot.providers;
  }
}

/** The core schema and built-in provider a snapshot carries. */
export function snapshotShipped(snapshot: CatalogSnapshot): ShippedSources {
  return {
    coreSchema: async () => snapshot.core.schema,
    kubernetesProvider: async () => snapshot.core.kubernetesProvider,
  };
}
