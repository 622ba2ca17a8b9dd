// The loader's FileSystem on node:fs, and cue's module cache location. (The
// same helpers exist at '@opm/cue/loader/node'; they are repeated here because
// the package index is browser-safe and tests map only the index to sources.)
import { readFile, readdir, stat } from 'node:fs/promises';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import type { FileSystem } from '@opm/cue';

export const nodeFileSystem: FileSystem = {
  readFile: (p) => readFile(p, 'utf8'),
  async readDir(p) {
    const entries = await readdir(p, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, isDir: e.isDirectory() })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  },
  async stat(p) {
    const s = await stat(p).catch(() => undefined);
    return s ? (s.isDirectory() ? 'dir' : 'file') : undefined;
  },
};

/** $CUE_CACHE_DIR, else cue's default: the user cache directory + /cue. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CUE_CACHE_DIR) return env.CUE_CACHE_DIR;
  if (platform() === 'darwin') return join(homedir(), 'Library', 'Caches', 'cue');
  if (platform() === 'win32') return join(env.LocalAppData ?? homedir(), 'cue');
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'cue');
}
