// What the catalog offers, as the portal shows it: modules and versions with
// descriptions; for one version its components, the platform's scopes, the
// values schema tree, immutable values (and who locked them), and the
// environments a release of it may target.
import { catalogSnapshot, environmentFor, loadModule, loadPlatform, resolveVersion, shippedFromDisk, type CatalogSnapshot, type Environment, type LoadedModule, type Session } from '@opm/core';
import { HttpError } from './http.js';
import { schemaTree } from './schema-tree.js';
import type { ModuleDetail, ModuleSummary } from './api-types.js';

export type { EnvironmentInfo, ModuleDetail, ModuleSummary } from './api-types.js';

const labelsOf = (v: { exists(): boolean; fields(): { label: string }[] }) => (v.exists() ? v.fields().map((f) => f.label) : []);

function describe(mod: LoadedModule): string | undefined {
  const d = mod.value.lookup('#metadata', 'description');
  return d.exists() && d.isConcrete() ? String(d.toJS()) : undefined;
}

export class PortalCatalog {
  /** The catalog as the browser is told of it: a directory by its base name (no server path), an oci:// URL as is. */
  readonly label: string;
  private readonly root?: string;

  constructor(readonly session: Session) {
    const loc = session.catalog.location;
    if (/^(?:\/|[A-Za-z]:[\\/])/.test(loc)) {
      this.root = loc.replace(/[\\/]+$/, '');
      this.label = this.root.slice(Math.max(this.root.lastIndexOf('/'), this.root.lastIndexOf('\\')) + 1) || 'catalog';
    } else this.label = loc;
  }

  /** A message with the catalog directory's path made relative (`simple-web-app/1.0.0/module.cue`): no server path reaches a browser. */
  publicText(text: string): string {
    if (!this.root) return text;
    return text.split(`${this.root}/`).join('').split(this.root).join(this.label);
  }

  async modules(): Promise<ModuleSummary[]> {
    const out: ModuleSummary[] = [];
    for (const name of await this.session.catalog.listModules()) {
      const versions = await this.session.catalog.listVersions(name);
      if (versions.length === 0) continue;
      const latest = resolveVersion(name, versions, undefined);
      const mod = await loadModule(this.session, name, latest);
      out.push({ name, versions, latest, ...(describe(mod) ? { description: describe(mod) } : {}) });
    }
    return out;
  }

  async module(name: string, version: string): Promise<LoadedModule> {
    const versions = await this.session.catalog.listVersions(name).catch(() => [] as string[]);
    if (!versions.includes(version)) throw new HttpError(404, `module ${name} ${version} is not in the catalog ${this.label}`);
    return loadModule(this.session, name, version);
  }

  async environments(): Promise<Environment[]> {
    return (await loadPlatform(this.session)).environments;
  }

  async environmentFor(namespace: string): Promise<Environment | undefined> {
    return environmentFor(await loadPlatform(this.session), namespace);
  }

  /** What the browser validates with (@opm/core's browser entry): this module version, the platform rules, opm's schema. */
  async snapshot(name: string, version: string): Promise<CatalogSnapshot> {
    await this.module(name, version);
    return catalogSnapshot(this.session.catalog, shippedFromDisk, { modules: [{ name, version }] });
  }

  async detail(name: string, version: string, namespace?: string): Promise<ModuleDetail> {
    const mod = await this.module(name, version);
    const versions = await this.session.catalog.listVersions(name);
    const envs = await this.environments();
    const locks: { by: string; values: Record<string, unknown> }[] = [
      { by: 'module', values: mod.immutable },
      ...envs.filter((e) => Object.keys(e.immutable).length).map((e) => ({ by: `environment ${e.name}`, values: e.immutable })),
    ];
    const tree = await schemaTree(this.session, { name, version }, namespace);
    const components = labelsOf(mod.value.lookup('components'));
    const defined = new Set(labelsOf(mod.value.lookup('#definition', 'components')));
    const immutable = locks.flatMap((l) => flatLocks(l.values).map(([path, value]) => ({ path, value: mod.secretPaths.some((s) => path === s || path.startsWith(`${s}.`)) ? undefined : value, by: l.by })));
    return {
      name,
      version,
      versions,
      ...(mod.digest ? { digest: mod.digest } : {}),
      ...(describe(mod) ? { description: describe(mod) } : {}),
      definition: mod.definition,
      components: components.filter((c) => defined.size === 0 || defined.has(c)),
      platformComponents: components.filter((c) => defined.size > 0 && !defined.has(c)),
      policies: labelsOf(mod.value.lookup('scopes')),
      immutable,
      schema: tree.root,
      ...(tree.environment ? { environment: tree.environment } : {}),
      environments: envs.map((e) => ({
        name: e.name,
        tier: e.tier,
        namespaces: e.namespaces,
        requiredLabels: e.requiredLabels,
        requiredAnnotations: e.requiredAnnotations,
        ceilings: e.ceilings,
        immutable: e.immutable,
      })),
    };
  }
}

function flatLocks(v: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(v).flatMap(([k, x]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    return x && typeof x === 'object' && !Array.isArray(x) ? flatLocks(x as Record<string, unknown>, p) : [[p, x] as [string, unknown]];
  });
}
