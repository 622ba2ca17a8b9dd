// Resolving non-builtin import paths to package files, in the order `cue`
// uses plus opm's hook: (1) the caller's ImportResolver, (2) the main module
// (`<module>/sub` → `<root>/sub`), (3) a dependency in the module cache keyed by
// `deps` in module.cue, (4) `cue.mod/pkg`, `cue.mod/gen` and `cue.mod/usr`
// (merged, as in the legacy layout).
import type { ImportResolver, ResolvedPackage, Source } from '../api.js';
import type { Pos } from '../ast.js';
import { CueError } from '../errors.js';
import type { FileSystem } from './fs.js';
import { scanHeader } from './header.js';
import { isBuiltinPath, parseImportPath, splitModulePath, type ImportPath } from './importpath.js';
import { moduleSource } from './embed-files.js';
import { readModule, type ModuleInfo } from './module.js';
import { ancestorFiles, groupByPackage, readDirFiles, type PackageFile } from './package-files.js';
import { join } from './paths.js';

export interface ResolveContext {
  fs: FileSystem;
  module?: ModuleInfo;
  cacheDir?: string;
  resolver?: ImportResolver;
  displayName: (absPath: string) => string;
}

/** A resolved package with the import declarations of its files (for the graph walk). */
export interface LoadedImport {
  pkg: ResolvedPackage;
  /** Imports of the package's files, with the position of each import path. */
  imports: { path: string; pos: Pos }[];
}

export async function resolveImport(rc: ResolveContext, raw: string, fromFile: string, pos: Pos | undefined): Promise<LoadedImport> {
  if (rc.resolver) {
    const got = await rc.resolver.resolve(raw, fromFile);
    if (got) return { pkg: got, imports: importsOfSources(got.files) };
  }
  const ip = parseImportPath(raw);
  const notFound = (why: string) =>
    new CueError('import', `cannot find package "${raw}"${why ? `: ${why}` : ''}`, pos ? { positions: [pos] } : {});
  const { dirs, module } = await candidateDirs(rc, ip);
  if (dirs.length === 0) return Promise.reject(notFound(rc.module ? '' : 'no cue.mod/module.cue found (not in a module)'));
  const files: PackageFile[] = [];
  for (const dir of dirs) files.push(...(await readDirFiles(rc.fs, dir, rc.displayName)));
  const groups = groupByPackage(files);
  let name = ip.packageName;
  let chosen = groups.get(name);
  // Without a qualifier, a directory holding a single package is accepted even
  // if its name differs from the last path element (as with `cue` for
  // non-identifier path elements like `my-pkg`).
  if (!chosen && ip.qualifier === undefined) {
    const named = [...groups.keys()].filter((k) => k !== '_');
    if (named.length === 1) {
      name = named[0]!;
      chosen = groups.get(name);
    }
  }
  if (!chosen || name === '_') {
    const found = [...groups.keys()].filter((k) => k !== '_');
    return Promise.reject(
      notFound(found.length ? `found packages ${found.map((f) => `"${f}"`).join(', ')}, not "${ip.packageName}"` : `no CUE files in ${dirs.map(rc.displayName).join(', ')}`),
    );
  }
  const main = rc.module && dirs.length === 1 && isMainModule(rc.module, ip);
  const ancestors = main ? await ancestorFiles(rc.fs, rc.module!.root, dirs[0]!, name, rc.displayName) : [];
  const all = [...ancestors, ...chosen];
  return {
    pkg: { id: `${dirs.join('+')}:${name}`, packageName: name, files: all.map((f) => moduleSource(rc.fs, f, module)) },
    imports: all.flatMap((f) => f.header.imports.map((i) => ({ path: i.path, pos: i.pos }))),
  };
}

function isMainModule(mod: ModuleInfo, ip: ImportPath): boolean {
  if (!mod.basePath) return false;
  if (ip.base !== mod.basePath && !ip.base.startsWith(`${mod.basePath}/`)) return false;
  const major = splitModulePath(mod.path).major;
  return ip.version === undefined || major === undefined || ip.version === major;
}

/** The directories of an import, and the module they belong to (its language version applies to their files). */
async function candidateDirs(rc: ResolveContext, ip: ImportPath): Promise<{ dirs: string[]; module?: ModuleInfo }> {
  const { fs, module: mod } = rc;
  if (!mod) return { dirs: [] };
  if (isMainModule(mod, ip)) {
    const dir = join(mod.root, ip.base.slice(mod.basePath.length));
    return { dirs: (await fs.stat(dir)) === 'dir' ? [dir] : [], module: mod };
  }
  // A dependency: the longest `deps` module path that prefixes the import.
  let best: { base: string; key: string } | undefined;
  for (const key of Object.keys(mod.deps)) {
    const { base, major } = splitModulePath(key);
    if (ip.base !== base && !ip.base.startsWith(`${base}/`)) continue;
    if (ip.version !== undefined && major !== undefined && ip.version !== major) continue;
    if (!best || base.length > best.base.length) best = { base, key };
  }
  if (best && rc.cacheDir) {
    const version = mod.deps[best.key]!;
    const sub = ip.base.slice(best.base.length);
    for (const top of [join(rc.cacheDir, `${best.base}@${version}`), join(rc.cacheDir, 'mod', 'extract', `${best.base}@${version}`)]) {
      const dir = join(top, sub);
      if ((await fs.stat(dir)) === 'dir') return { dirs: [dir], module: await readModule(fs, top, rc.displayName) };
    }
  }
  const legacy: string[] = [];
  for (const kind of ['pkg', 'gen', 'usr']) {
    const dir = join(mod.root, 'cue.mod', kind, ip.base);
    if ((await fs.stat(dir)) === 'dir') legacy.push(dir);
  }
  return { dirs: legacy, module: mod };
}

/** Imports of files served by a caller's resolver. */
function importsOfSources(files: Source[]): { path: string; pos: Pos }[] {
  const out: { path: string; pos: Pos }[] = [];
  for (const f of files) {
    try {
      for (const i of scanHeader(f.filename, f.text).imports) out.push({ path: i.path, pos: i.pos });
    } catch {
      // Syntax errors surface with positions when the evaluator parses the file.
    }
  }
  return out;
}

export { isBuiltinPath };
