// A Session ties one CUE context to one catalog: it builds the core schema,
// resolves `<host>/catalog/<name>:<version>` imports through the catalog,
// and caches what it loaded (modules, platform rules, transformers) so that
// building many releases in one process evaluates each of them once.
// Browser-safe: the core schema and built-in provider come in as sources
// (ShippedSources); node-session.ts reads them from the package directory.
import type { Context, ImportResolver, ResolvedPackage, Source, Value } from '@opm/cue';
import type { CatalogModuleFiles, CatalogSource } from './catalog.js';
import { cueContext } from './engine.js';
import { CatalogError } from './errors.js';
import type { FileSystem } from './fs.js';
import { CORE_IMPORT_PATH, packageNameOf } from './sources.js';
import { KUBERNETES_PROVIDER_IMPORT_PATH } from './builtin-packages.js';
import type { TransformerMeta } from './render.js';

/** `platform.company.com/catalog/simple-web-app:1.0.0-platform.1` → name and version. */
export function parseCatalogImport(importPath: string): { name: string; version: string } | undefined {
  const m = /^[^/]+(?:\/[^/]+)*\/catalog\/([a-z0-9][-a-z0-9]*):([^:@/]+)$/.exec(importPath);
  return m ? { name: m[1]!, version: m[2]! } : undefined;
}

/** The files opm ships beside the engine: the core schema (`core.opm.dev/v1`) and the built-in Kubernetes provider. */
export interface ShippedSources {
  coreSchema(): Promise<Source[]>;
  kubernetesProvider(): Promise<Source[]>;
  /** What the built-in provider's transformers declare, when known without evaluating them (shipped-transformers.ts). */
  builtinTransformers?(): Promise<Record<string, TransformerMeta> | undefined>;
}

export interface SessionOptions {
  catalog: CatalogSource;
  shipped: ShippedSources;
  /** Where release files are read from when no text is given; without one, callers give the text. */
  fs?: FileSystem;
  context?: Context;
  /** Said while choosing the catalog (an ignored opm.yaml): repeated with every render's warnings. */
  warnings?: string[];
  /** Build without the catalog's platform rules (`--no-platform-rules`): said in every render's warnings. */
  noPlatformRules?: boolean;
  /** What every render says when building without rules, instead of the --no-platform-rules warning (author builds given none). */
  noPlatformRulesNote?: string;
}

export class Session {
  readonly ctx: Context;
  readonly fs: FileSystem | undefined;
  readonly catalog: CatalogSource;
  readonly shipped: ShippedSources;
  private schemaFiles?: Promise<Source[]>;
  private providerFiles?: Promise<Source[]>;
  private schemaValue?: Promise<Value>;
  private fetched = new Map<string, Promise<CatalogModuleFiles>>();
  readonly resolver: ImportResolver;
  readonly warnings: string[];
  readonly noPlatformRules: boolean;

  constructor(opts: SessionOptions) {
    this.noPlatformRules = opts.noPlatformRules ?? false;
    this.warnings = [
      ...(opts.warnings ?? []),
      ...(this.noPlatformRules ? [opts.noPlatformRulesNote ?? `--no-platform-rules: the platform rules of catalog ${opts.catalog.location} are NOT applied (no environments, locks, ceilings, Pod Security or registry rules)`] : []),
    ];
    this.ctx = opts.context ?? cueContext();
    this.fs = opts.fs;
    this.catalog = opts.catalog;
    this.shipped = opts.shipped;
    this.resolver = { resolve: (p) => this.resolveImport(p) };
  }

  coreSchemaFiles(): Promise<Source[]> {
    this.schemaFiles ??= this.shipped.coreSchema();
    return this.schemaFiles;
  }

  /** The built-in Kubernetes provider's package (the catalog's providers come from the catalog). */
  kubernetesProviderFiles(): Promise<Source[]> {
    this.providerFiles ??= this.shipped.kubernetesProvider();
    return this.providerFiles;
  }

  /**
   * The core schema package: what release files see as their scope
   * (#ModuleRelease, ...). Built as its import is, so that catalog modules
   * and platform files importing it get this value rather than a second
   * parse and evaluation of the same files.
   */
  coreSchema(): Promise<Value> {
    this.schemaValue ??= this.coreSchemaFiles().then((files) => this.ctx.buildPackage(this.corePackage(files)));
    return this.schemaValue;
  }

  private corePackage(files: Source[]): ResolvedPackage {
    return { id: CORE_IMPORT_PATH, packageName: 'v1', files };
  }

  /** The built-in provider as catalog providers import it (opm.dev/providers/kubernetes): one evaluation serves both. */
  providerPackage(files: Source[]): ResolvedPackage {
    return { id: KUBERNETES_PROVIDER_IMPORT_PATH, packageName: 'kubernetes', files };
  }

  /** The files of a catalog module (cached); CatalogError lists the versions available. */
  fetchModule(name: string, version: string): Promise<CatalogModuleFiles> {
    const key = `${name}@${version}`;
    let p = this.fetched.get(key);
    if (!p) {
      p = this.catalog.fetch(name, version);
      this.fetched.set(key, p);
      p.catch(() => this.fetched.delete(key));
    }
    return p;
  }

  private async resolveImport(importPath: string): Promise<ResolvedPackage | undefined> {
    if (importPath === CORE_IMPORT_PATH) return this.corePackage(await this.coreSchemaFiles());
    if (importPath === KUBERNETES_PROVIDER_IMPORT_PATH) return this.providerPackage(await this.kubernetesProviderFiles());
    const ref = parseCatalogImport(importPath);
    if (!ref) return undefined;
    const { files } = await this.fetchModule(ref.name, ref.version);
    const packageName = packageNameOf(files[0]!.text);
    if (!packageName) throw new CatalogError(`module ${ref.name} ${ref.version}: ${files[0]!.filename} has no package clause`);
    return { id: `${this.catalog.location}#${ref.name}@${ref.version}`, packageName, files };
  }
}
