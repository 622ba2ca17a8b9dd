// `opm mod vet DIR` and `opm mod build DIR`: a module directory under
// development, served in front of the configured catalog (whose platform
// rules and providers still apply).
import path from 'node:path';
import type { Source } from '@opm/cue';
import type { CatalogSource } from './catalog.js';
import { ValidationError } from './errors.js';
import { loadModule, type LoadedModule } from './module.js';
import type { PlainObject } from './paths.js';
import { nodeFileSystem } from './fs.js';
import { NodeSession, openSession, renderRelease } from './node-session.js';
import type { RenderOptions, RenderedRelease } from './release.js';
import type { Session } from './session.js';
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

/**
 * A module directory: a catalog entry (`#Module`), or an author's
 * ModuleDefinition alone (a definition whose `#kind` is "ModuleDefinition"),
 * which is served as a module of the same name and version that only wraps it
 * (no platform overrides or locks), so authors need no throwaway #Module.
 */
async function openModuleDir(dir: string, opts: RenderOptions): Promise<{ session: Session; module: LoadedModule; definitionOnly: boolean; dir: string }> {
  const base = await openSession(opts);
  const abs = path.resolve(opts.cwd ?? process.cwd(), dir);
  let files = await readCuePackage(base.fs ?? nodeFileSystem, abs);
  if (!files.length) throw new ValidationError([`${abs}: no .cue files`], 'module');
  const pkgName = packageNameOf(files[0]!.text);
  if (!pkgName) throw new ValidationError([`${files[0]!.filename}: no package clause`], 'module');
  const probe = await base.ctx.build(files, { resolver: base.resolver });
  let md = probe.lookup('#Module', '#metadata');
  let definitionOnly = false;
  if (!md.exists()) {
    const def = probe.fields({ definitions: true }).find((f) => f.label.startsWith('#') && f.value.lookup('#kind').exists() && f.value.lookup('#kind').toJS() === 'ModuleDefinition');
    if (!def) throw new ValidationError([`${abs}: the package declares neither a #Module nor a ModuleDefinition (a definition embedding core.#ModuleDefinition)`], 'module');
    const errs = def.value.validate({ all: true });
    if (errs.length) throw new ValidationError(errs.map((e) => `definition ${def.label}: ${e.message}`), 'module');
    const wrapper: Source = {
      filename: path.join(abs, '<opm: module wrapping the definition>.cue'),
      text: `package ${pkgName}\n\nimport opmcore "core.opm.dev/v1"\n\n#Module: {\n\topmcore.#Module\n\t#metadata: {name: ${def.label}.#metadata.name, version: ${def.label}.#metadata.version}\n\t#definition: ${def.label}\n}\n`,
    };
    files = [...files, wrapper];
    md = def.value.lookup('#metadata');
    definitionOnly = true;
  }
  const name = String(md.lookup('name').toJS());
  const version = String(md.lookup('version').toJS());
  const session = new NodeSession({ catalog: new OverlayCatalog(base.catalog, name, version, files, abs), shipped: base.shipped, ...(base.fs ? { fs: base.fs } : {}), noPlatformRules: base.noPlatformRules });
  return { session, module: await loadModule(session, name, version), definitionOnly, dir: abs };
}

/** What `opm mod vet` found: the module, and each render it checked (defaults, each example). */
export interface ModuleVet {
  module: LoadedModule;
  definitionOnly: boolean;
  renders: { values: string; objects: number }[];
  /** What was not checked, and why. */
  notes: string[];
}

/**
 * Validates a module directory the way every release of it would be checked:
 * its #Module (or ModuleDefinition), its platform layer, the catalog place
 * (`<catalog>/<name>/<version>/` must match #metadata, and the version be
 * semver), volume mounts against declared volumes, and renders with the
 * definition's defaults and with each example the module ships
 * (`debugValues`), through the platform's object rules (security, Pod
 * Security, registries, limits, requests within limits: policy.ts). All problems together.
 */
export async function vetModuleDir(dir: string, opts: RenderOptions = {}): Promise<ModuleVet> {
  const { session, module, definitionOnly, dir: abs } = await openModuleDir(dir, opts);
  const problems: string[] = [];
  const label = `module ${module.name} ${module.version}`;
  const parent = path.basename(path.dirname(abs));
  const leaf = path.basename(abs);
  if (/^v?\d+\.\d+/.test(leaf)) {
    // A catalog version directory: <name>/<version>/.
    if (!VERSION.test(leaf)) problems.push(`${abs}: directory ${leaf} is not a semantic version (like 1.0.0 or 1.0.0-platform.1)`);
    if (leaf !== module.version) problems.push(`${label}: #metadata.version ${module.version} does not match its catalog directory ${leaf}`);
    if (parent !== module.name) problems.push(`${label}: #metadata.name ${module.name} does not match its catalog directory ${parent}`);
  }
  problems.push(...mountProblems(module));
  const examples = module.value.lookup('#definition', 'debugValues');
  // Each example is rendered over the defaults; without examples, the defaults alone.
  const sets: { values: string; user: PlainObject }[] = [];
  if (examples.exists()) {
    const js = examples.toJS() as Record<string, PlainObject>;
    for (const [n, v] of Object.entries(js ?? {})) sets.push({ values: `debugValues.${n}`, user: v });
  }
  if (!sets.length) sets.push({ values: 'defaults', user: {} });
  const renders: ModuleVet['renders'] = [];
  const notes: string[] = [];
  for (const set of sets) {
    try {
      const r = await renderRelease(
        { name: module.name, namespace: opts.namespace ?? 'default', module: { name: module.name, version: module.version }, userValues: set.user },
        { ...opts, session, environmentPolicy: false },
      );
      renders.push({ values: set.values, objects: r.objects.length });
    } catch (err) {
      const e = err as { problems?: string[]; violations?: string[]; message: string; layer?: string };
      const list = e.problems ?? e.violations ?? [e.message];
      // Values a release must give (no default) leave the defaults incomplete: said, not a failure.
      if (set.values === 'defaults' && e.layer === 'final' && list.every((m) => /: incomplete value /.test(m))) {
        notes.push(`not rendered with the defaults alone: ${list.map((m) => /(values\.[^:]+):/.exec(m)?.[1] ?? m).join(', ')} have no default (ship debugValues to render the module)`);
        continue;
      }
      for (const m of list) problems.push(`rendering with ${set.values}: ${m}`);
    }
  }
  if (problems.length) throw new ValidationError(problems, 'module');
  return { module, definitionOnly, renders, notes };
}

const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** A container mounting a volume its component does not declare is a pod the API server refuses. */
function mountProblems(module: LoadedModule): string[] {
  const out: string[] = [];
  // Read by labels only: values may not be concrete before a release sets them.
  const labels = (v: { exists(): boolean; fields(): { label: string }[] }) => (v.exists() ? v.fields().map((f) => f.label) : []);
  const components = module.value.lookup('components');
  for (const cn of labels(components)) {
    const c = components.lookup(cn);
    const volumes = new Set(labels(c.lookup('volumes')));
    for (const [kind, key] of [['container', 'containers'], ['init container', 'initContainers']] as const) {
      const list = c.lookup('workload', key);
      for (const ctn of labels(list)) {
        for (const m of labels(list.lookup(ctn, 'volumeMounts'))) {
          if (!volumes.has(m)) out.push(`component ${cn}: ${kind} ${ctn} mounts volume ${m}, which the component does not declare (volumes: ${[...volumes].join(', ') || 'none'})`);
        }
      }
    }
  }
  return out;
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
