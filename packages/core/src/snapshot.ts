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
 * File names are kept as the catalog gives them (messages quote the base name
 * of module files, so they read the same in a browser as in the CLI).
 */
export async function catalogSnapshot(catalog: CatalogSource, shipped: ShippedSources, opts: { modules?: { name: string; version: string }[] } = {}): Promise<CatalogSnapshot> {
  let wanted = opts.modules;
  if (!wanted) {
    wanted = [];
    for (const name of await catalog.listModules()) for (const version of await catalog.listVersions(name)) wanted.push({ name, version });
  }
  const modules: SnapshotModule[] = [];
  for (const { name, version } of wanted) {
    const m = await catalog.fetch(name, version);
    modules.push({ name, version, files: m.files.map(copySource), ...(m.digest ? { digest: m.digest } : {}), ...(m.ref ? { ref: m.ref } : {}) });
  }
  const platform = await catalog.platformFiles?.();
  return {
    format: SNAPSHOT_FORMAT,
    location: catalog.location,
    core: { schema: (await shipped.coreSchema()).map(copySource), kubernetesProvider: (await shipped.kubernetesProvider()).map(copySource) },
    ...(platform?.length ? { platform: platform.map(copySource) } : {}),
    providers: ((await catalog.providerPackages?.()) ?? []).map((p) => p.map(copySource)),
    modules,
  };
}

function copySource(s: Source): Source {
  return { filename: s.filename, text: s.text, ...(s.languageVersion ? { languageVersion: s.languageVersion } : {}), ...(s.experiments?.length ? { experiments: [...s.experiments] } : {}) };
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
