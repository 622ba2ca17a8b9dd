// Reading CUE packages (all .cue files of one directory) and locating the
// files shipped with opm (core schema, built-in Kubernetes provider, example catalog).
import { fileURLToPath } from 'node:url';
import type { Source } from '@opm/cue';
import type { FileSystem } from './fs.js';

export const CORE_IMPORT_PATH = 'core.opm.dev/v1';

const pkgRoot = new URL('../', import.meta.url);
export const SCHEMA_DIR = fileURLToPath(new URL('schema', pkgRoot));
export const KUBERNETES_PROVIDER_DIR = fileURLToPath(new URL('providers/kubernetes', pkgRoot));
export const BUNDLED_CATALOG_DIR = fileURLToPath(new URL('../../examples/catalog', pkgRoot));

export async function readCuePackage(fs: FileSystem, dir: string): Promise<Source[]> {
  const ents = await fs.readDir(dir);
  const files = ents.filter((e) => !e.isDir && e.name.endsWith('.cue')).map((e) => `${dir}/${e.name}`);
  return Promise.all(files.map(async (filename) => ({ filename, text: await fs.readFile(filename) })));
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
