// loadInstance: from a directory or a list of files to an evaluated Value.
// The loader selects the package's files, finds the module, walks the import
// graph up front (so that unresolved imports and cycles are reported with the
// importing file:line:col before evaluation starts) and then builds with a
// resolver that serves the packages it found.
import type { BuildOptions, Context, ImportResolver, ResolvedPackage, Source, Value } from '../api.js';
import type { Pos } from '../ast.js';
import { CueError, CueErrorList } from '../errors.js';
import { newContext } from '../engine-index.js';
import type { FileSystem } from './fs.js';
import { isBuiltinPath, resolveImport, type ResolveContext } from './imports.js';
import { moduleSource } from './embed-files.js';
import { findModuleRoot, readModule, type ModuleInfo } from './module.js';
import { ancestorFiles, choosePackage, readDirFiles, readPackageFile, type PackageFile } from './package-files.js';
import { dirname, isWithin, relative, resolve } from './paths.js';

export interface LoadOptions extends Omit<BuildOptions, 'resolver'> {
  fs: FileSystem;
  /** The engine context to build with; a new one by default. */
  context?: Context;
  /** Directory relative arguments are resolved against; file names are shown relative to it. Default '/'. */
  cwd?: string;
  /** Package to load from a directory holding several (`cue -p`); `_` selects package-less files. */
  package?: string;
  /** Module root; found by walking up to `cue.mod` when absent. */
  moduleRoot?: string;
  /** Module cache (`<cache>/<module>@<version>/...`); Node callers default it from CUE_CACHE_DIR. */
  cacheDir?: string;
  /** Consulted before any other resolution, e.g. opm's catalog. */
  resolver?: ImportResolver;
}

export interface LoadedInstance {
  /** The package name (`_` for package-less files). */
  packageName: string;
  /** Absolute directory of the instance. */
  dir: string;
  files: Source[];
  module?: ModuleInfo;
  /** Resolved non-builtin imports, by import path. */
  imports: Map<string, ResolvedPackage>;
  /** A resolver serving `imports` (and falling back to live resolution). */
  resolver: ImportResolver;
}

/** Loads the files and imports of one instance without evaluating it. */
export async function loadFiles(dirOrFiles: string | string[], opts: LoadOptions): Promise<LoadedInstance> {
  const cwd = opts.cwd ?? '/';
  // Positions name files as the user refers to them: relative to cwd when inside it.
  const displayName = (p: string) => (isWithin(cwd, p) ? relative(cwd, p) : p);
  const args = (typeof dirOrFiles === 'string' ? [dirOrFiles] : dirOrFiles).map((a) => resolve(cwd, a));
  if (args.length === 0) throw new CueError('import', 'no files or directory given');

  let dir: string;
  let selected: PackageFile[];
  let pkgName: string;
  const kind = args.length === 1 ? await opts.fs.stat(args[0]!) : 'file';
  if (kind === undefined) throw new CueError('import', `no such file or directory: ${displayName(args[0]!)}`);

  const moduleRoot = opts.moduleRoot ? resolve(cwd, opts.moduleRoot) : await findModuleRoot(opts.fs, kind === 'dir' ? args[0]! : dirname(args[0]!));
  const module = moduleRoot ? await readModule(opts.fs, moduleRoot, displayName) : undefined;

  if (kind === 'dir') {
    dir = args[0]!;
    const chosen = choosePackage(displayName(dir) || '.', await readDirFiles(opts.fs, dir, displayName), opts.package);
    pkgName = chosen.name;
    selected = [...(await ancestorFiles(opts.fs, moduleRoot, dir, pkgName, displayName)), ...chosen.files];
  } else {
    dir = dirname(args[0]!);
    selected = [];
    for (const a of args) {
      if ((await opts.fs.stat(a)) !== 'file') throw new CueError('import', `no such file: ${displayName(a)}`);
      selected.push(await readPackageFile(opts.fs, a, displayName));
    }
    const names = new Set(selected.map((f) => f.header.package).filter((n): n is string => n !== undefined));
    if (names.size > 1) throw new CueError('import', `files belong to different packages: ${[...names].map((n) => `"${n}"`).join(', ')}`);
    pkgName = [...names][0] ?? '_';
  }

  const rc: ResolveContext = { fs: opts.fs, displayName };
  if (module) rc.module = module;
  if (opts.cacheDir) rc.cacheDir = resolve(cwd, opts.cacheDir);
  if (opts.resolver) rc.resolver = opts.resolver;

  const rootId = `${dir}:${pkgName}`;
  const imports = await walkImports(rc, rootId, selected.flatMap((f) => f.header.imports.map((i) => ({ path: i.path, pos: i.pos, from: f.source.filename }))));
  const resolver: ImportResolver = {
    async resolve(path, fromFile) {
      const known = imports.get(path);
      if (known) return known;
      const got = await resolveImport(rc, path, fromFile, undefined);
      imports.set(path, got.pkg);
      return got.pkg;
    },
  };
  const out: LoadedInstance = { packageName: pkgName, dir, files: selected.map((f) => moduleSource(opts.fs, f, module)), imports, resolver };
  if (module) out.module = module;
  return out;
}

/** Loads and evaluates one instance. */
export async function loadInstance(dirOrFiles: string | string[], opts: LoadOptions): Promise<Value> {
  const inst = await loadFiles(dirOrFiles, opts);
  const build: BuildOptions = { resolver: inst.resolver };
  if (opts.imports) build.imports = opts.imports;
  if (opts.scope) build.scope = opts.scope;
  if (opts.tags) build.tags = opts.tags;
  return (opts.context ?? newContext()).build(inst.files, build);
}

interface PendingImport {
  path: string;
  pos: Pos;
  from: string;
}

/**
 * Resolves every non-builtin import reachable from the root files. Import
 * paths are absolute, so one resolution per path serves every importer. Cycles
 * are found by a depth-first walk over packages; all unresolved imports are
 * reported together.
 */
async function walkImports(rc: ResolveContext, rootId: string, roots: PendingImport[]): Promise<Map<string, ResolvedPackage>> {
  const resolved = new Map<string, ResolvedPackage>();
  const edges = new Map<string, PendingImport[]>([[rootId, roots]]); // by package id
  const errors: CueError[] = [];
  const failed = new Set<string>();

  const visit = async (imp: PendingImport) => {
    if (isBuiltinPath(imp.path) || resolved.has(imp.path) || failed.has(imp.path)) return;
    let got;
    try {
      got = await resolveImport(rc, imp.path, imp.from, imp.pos);
    } catch (err) {
      failed.add(imp.path);
      if (err instanceof CueError) errors.push(err);
      else errors.push(new CueError('import', `cannot load package "${imp.path}": ${(err as Error).message}`, { positions: [imp.pos] }));
      return;
    }
    resolved.set(imp.path, got.pkg);
    const next = got.imports.map((i) => ({ path: i.path, pos: i.pos, from: i.pos.file }));
    if (!edges.has(got.pkg.id)) edges.set(got.pkg.id, next);
    for (const n of next) await visit(n);
  };
  for (const r of roots) await visit(r);
  if (errors.length) throw errors.length === 1 ? errors[0]! : new CueErrorList(errors);

  // Cycle detection over package ids (two import paths may name one package,
  // and a package may import the root package back).
  const idOf = (p: string) => resolved.get(p)?.id ?? p;
  const state = new Map<string, 'active' | 'done'>();
  const stack: { id: string; path: string }[] = [];
  const dfs = (id: string) => {
    state.set(id, 'active');
    for (const e of edges.get(id) ?? []) {
      if (isBuiltinPath(e.path)) continue;
      const eid = idOf(e.path);
      if (state.get(eid) === 'active') {
        const start = stack.findIndex((s) => s.id === eid);
        const chain = [...stack.slice(Math.max(start, 0)).map((s) => s.path), e.path];
        throw new CueError('import', `import cycle not allowed: ${chain.map((c) => `"${c}"`).join(' -> ')}`, { positions: [e.pos] });
      }
      if (state.get(eid) === 'done') continue;
      stack.push({ id: eid, path: e.path });
      dfs(eid);
      stack.pop();
    }
    state.set(id, 'done');
  };
  stack.push({ id: rootId, path: '.' });
  dfs(rootId);
  return resolved;
}
