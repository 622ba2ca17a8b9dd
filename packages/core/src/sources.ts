// Reading CUE packages (all .cue files of one directory) through a
// FileSystem, and reading source texts. Browser-safe: where opm's own files lie
// on disk is shipped.ts's business.
import type { Source } from '@opm/cue';
import { CatalogError } from './errors.js';
import type { FileSystem } from './fs.js';

export const CORE_IMPORT_PATH = 'core.opm.dev/v1';

/**
 * The .cue files of one directory. A symbolic link is refused, not followed:
 * a catalog (or a module under review) must not pull in a file from elsewhere
 * on the machine (`x.cue -> ~/.docker/config.json` would otherwise be
 * evaluated, and its content rendered into the cluster).
 */
export async function readCuePackage(fs: FileSystem, dir: string): Promise<Source[]> {
  const ents = await fs.readDir(dir);
  const links = ents.filter((e) => e.isSymlink && e.name.endsWith('.cue'));
  if (links.length) throw new CatalogError(`${dir}/${links[0]!.name} is a symbolic link: files of a module or provider must lie in its directory (links are not followed)`);
  const files = ents.filter((e) => !e.isDir && !e.isSymlink && e.name.endsWith('.cue')).map((e) => `${dir}/${e.name}`);
  return mapBounded(files, FILE_READ_CONCURRENCY, async (filename) => ({ filename, text: await readConfined(fs, filename) }));
}

/** At most this many files are open at once: thousands at once fail with EMFILE. */
export const FILE_READ_CONCURRENCY = 32;

/** Reads a file without following a symbolic link in its last component, where the file system can say. */
export async function readConfined(fs: FileSystem, file: string): Promise<string> {
  if (!fs.readFileNoFollow) return fs.readFile(file);
  try {
    return await fs.readFileNoFollow(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw new CatalogError(`${file} is a symbolic link: catalog files must lie inside the catalog (links are not followed)`);
    if (code === 'ENOTFILE') throw new CatalogError(`${file} is not a regular file`);
    throw err;
  }
}

/** `Promise.all(items.map(fn))` with at most `limit` calls running at once; results in input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The package clause of a CUE file (`package x`), read without evaluating it. */
export function packageNameOf(text: string): string | undefined {
  const stripped = text.replace(/\/\/[^\n]*/g, '');
  return /^\s*(?:@[A-Za-z_]\w*\([^)]*\)\s*)*package\s+([A-Za-z_$#][\w$]*)/.exec(stripped)?.[1];
}

/** The text of line `line` (1-based) of a source, trimmed. */
export function sourceLine(files: Source[], file: string, line: number): string | undefined {
  const f = files.find((s) => s.filename === file);
  return f?.text.split('\n')[line - 1]?.trim();
}

/** The last segment of a `/`-separated file name, as messages name module files (`definition.cue line 40`). */
export function baseName(file: string): string {
  const trimmed = file.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
