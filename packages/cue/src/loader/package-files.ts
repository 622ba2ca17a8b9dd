// Selecting the files of one package in a directory, like `cue`: `.cue` files
// whose names do not start with `_` or `.`, minus `_tool.cue` and `_test.cue`
// files, grouped by their package clause.
import type { Source } from '../api.js';
import { CueError } from '../errors.js';
import type { FileSystem } from './fs.js';
import { scanHeader, HeaderSyntaxError, type FileHeader } from './header.js';
import { join, relative, isWithin, dirname } from './paths.js';

export interface PackageFile {
  /** Absolute path. */
  path: string;
  source: Source;
  header: FileHeader;
}

export function isPackageFileName(name: string): boolean {
  return name.endsWith('.cue') && !name.startsWith('_') && !name.startsWith('.') && !name.endsWith('_tool.cue') && !name.endsWith('_test.cue');
}

export async function readPackageFile(fs: FileSystem, path: string, displayName: (p: string) => string): Promise<PackageFile> {
  const filename = displayName(path);
  const text = await fs.readFile(path);
  let header: FileHeader;
  try {
    header = scanHeader(filename, text);
  } catch (err) {
    if (err instanceof HeaderSyntaxError) throw new CueError('syntax', err.message, { positions: [err.pos] });
    throw err;
  }
  return { path, source: { filename, text }, header };
}

export async function readDirFiles(fs: FileSystem, dir: string, displayName: (p: string) => string): Promise<PackageFile[]> {
  const entries = await fs.readDir(dir);
  const out: PackageFile[] = [];
  for (const e of entries) {
    if (e.isDir || !isPackageFileName(e.name)) continue;
    out.push(await readPackageFile(fs, join(dir, e.name), displayName));
  }
  return out;
}

/** Package name → files; package-less files under `_`. */
export function groupByPackage(files: PackageFile[]): Map<string, PackageFile[]> {
  const groups = new Map<string, PackageFile[]>();
  for (const f of files) {
    const name = f.header.package ?? '_';
    const g = groups.get(name);
    if (g) g.push(f);
    else groups.set(name, [f]);
  }
  return groups;
}

/**
 * Chooses the package of a directory given on the command line: `wanted` (from
 * `-p`) if set; otherwise the only named package; otherwise the package-less files.
 */
export function choosePackage(dir: string, files: PackageFile[], wanted?: string): { name: string; files: PackageFile[] } {
  const groups = groupByPackage(files);
  if (wanted !== undefined) {
    const g = groups.get(wanted);
    if (!g) {
      const found = [...groups.keys()].filter((k) => k !== '_');
      throw new CueError('import', `no files of package "${wanted}" in ${dir}${found.length ? ` (found ${found.map((n) => `"${n}"`).join(', ')})` : ''}`);
    }
    return { name: wanted, files: g };
  }
  const named = [...groups.keys()].filter((k) => k !== '_');
  if (named.length === 1) return { name: named[0]!, files: groups.get(named[0]!)! };
  if (named.length > 1) {
    const desc = named.map((n) => `"${n}" (${groups.get(n)![0]!.source.filename})`).join(', ');
    throw new CueError('import', `found packages ${desc} in ${dir}; select one with -p/package`);
  }
  const anon = groups.get('_');
  if (!anon) throw new CueError('import', `no CUE files in ${dir}`);
  return { name: '_', files: anon };
}

/**
 * CUE also includes the files of the same (named) package found in the
 * directories between the module root and `dir`: returns those ancestor files,
 * outermost first.
 */
export async function ancestorFiles(fs: FileSystem, moduleRoot: string | undefined, dir: string, pkg: string, displayName: (p: string) => string): Promise<PackageFile[]> {
  if (!moduleRoot || pkg === '_' || dir === moduleRoot || !isWithin(moduleRoot, dir)) return [];
  const dirs: string[] = [];
  for (let d = dirname(dir); isWithin(moduleRoot, d); d = dirname(d)) {
    dirs.unshift(d);
    if (d === moduleRoot || d === '/') break;
  }
  const out: PackageFile[] = [];
  for (const d of dirs) {
    if (relative(moduleRoot, d).startsWith('cue.mod')) continue;
    for (const f of await readDirFiles(fs, d, displayName)) if (f.header.package === pkg) out.push(f);
  }
  return out;
}
