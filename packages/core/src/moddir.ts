// `opm mod vet DIR` and `opm mod build DIR`: a module directory under
// development, served in front of the configured catalog (whose platform
// rules and providers still apply).
import path from 'node:path';
import type { Source } from '@opm/cue';
import type { CatalogSource } from './catalog.js';
import { ValidationError } from './errors.js';
import { loadModule, type LoadedModule } from './module.js';
import type { PlainObject } from './paths.js';
import { openSession, renderRelease, type RenderOptions, type RenderedRelease } from './release.js';
import { Session } from './session.js';
import { packageNameOf, readCuePackage } from './sources.js';

class OverlayCatalog implements CatalogSource {
  readonly location: string;
  constructor(private readonly base: CatalogSource, private readonly name: string, private readonly version: string, private readonly files: Source[], dir: string) {
    this.location = `${dir} (over ${base.location})`;
  }
  async listModules() {
    const b = await this.base.listModules().catch(() => [] as string[]);
    return [...new Set([...b, this.name])].sort();
  }
  async listVersions(n: string) {
    if (n !== this.name) return this.base.listVersions(n);
    const b = await this.base.listVersions(n).catch(() => [] as string[]);
    return [...new Set([...b, this.version])];
  }
  async fetch(n: string, v: string) {
    return n === this.name && v === this.version ? { files: this.files } : this.base.fetch(n, v);
  }
  platformFiles() {
    return this.base.platformFiles?.() ?? Promise.resolve(undefined);
  }
  providerPackages() {
    return this.base.providerPackages?.() ?? Promise.resolve([]);
  }
}

/** Reads name and version from the module directory's #Module (without evaluating it). */
async function openModuleDir(dir: string, opts: RenderOptions): Promise<{ session: Session; module: LoadedModule }> {
  const base = await openSession(opts);
  const abs = path.resolve(opts.cwd ?? process.cwd(), dir);
  const files = await readCuePackage(base.fs, abs);
  if (!files.length) throw new ValidationError([`${abs}: no .cue files`], 'module');
  if (!packageNameOf(files[0]!.text)) throw new ValidationError([`${files[0]!.filename}: no package clause`], 'module');
  const probe = await base.ctx.build(files, { resolver: base.resolver });
  const md = probe.lookup('#Module', '#metadata');
  if (!md.exists()) throw new ValidationError([`${abs}: the package declares no #Module`], 'module');
  const name = String(md.lookup('name').toJS());
  const version = String(md.lookup('version').toJS());
  const session = new Session({ catalog: new OverlayCatalog(base.catalog, name, version, files, abs), fs: base.fs, noPlatformRules: base.noPlatformRules });
  return { session, module: await loadModule(session, name, version) };
}

/** Validates a module directory: its #Module, definition and platform layer. */
export async function vetModuleDir(dir: string, opts: RenderOptions = {}): Promise<LoadedModule> {
  return (await openModuleDir(dir, opts)).module;
}

/** Renders a module directory with the given values, as a release named after the module. */
export async function buildModuleDir(
  dir: string,
  values: PlainObject,
  opts: RenderOptions & { name?: string; namespace?: string } = {},
): Promise<RenderedRelease> {
  const { session, module } = await openModuleDir(dir, opts);
  return renderRelease(
    { name: opts.name ?? module.name, namespace: opts.namespace ?? 'default', module: { name: module.name, version: module.version }, userValues: values },
    { ...opts, session, environmentPolicy: false },
  );
}
