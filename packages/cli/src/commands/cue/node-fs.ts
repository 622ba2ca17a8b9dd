// The loader's FileSystem on node:fs (with lstat and no-follow reads, which
// `@embed` needs to refuse symbolic links), and cue's module cache location.
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export { nodeFileSystem } from '@opm/cue/loader/node-fs';

/** $CUE_CACHE_DIR, else cue's default: the user cache directory + /cue. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CUE_CACHE_DIR) return env.CUE_CACHE_DIR;
  if (platform() === 'darwin') return join(homedir(), 'Library', 'Caches', 'cue');
  if (platform() === 'win32') return join(env.LocalAppData ?? homedir(), 'cue');
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'cue');
}
