// Node entry of the loader: the real file system, process.cwd() and the module
// cache from CUE_CACHE_DIR (`cue`'s default location otherwise).
import { homedir, platform } from 'node:os';
import { join as pjoin } from 'node:path';
import type { Value } from '../api.js';
import { loadFiles as loadFilesWith, loadInstance as loadInstanceWith, type LoadOptions, type LoadedInstance } from './loader.js';
import { nodeFileSystem } from './node-fs.js';

export type NodeLoadOptions = Omit<LoadOptions, 'fs' | 'cwd'> & Partial<Pick<LoadOptions, 'fs' | 'cwd'>>;

/** Default module cache directory, like `cue`: $CUE_CACHE_DIR, else the user cache dir + /cue. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CUE_CACHE_DIR) return env.CUE_CACHE_DIR;
  const home = homedir();
  if (platform() === 'darwin') return pjoin(home, 'Library', 'Caches', 'cue');
  if (platform() === 'win32') return pjoin(env.LocalAppData ?? home, 'cue');
  return pjoin(env.XDG_CACHE_HOME ?? pjoin(home, '.cache'), 'cue');
}

function withDefaults(opts: NodeLoadOptions): LoadOptions {
  return { ...opts, fs: opts.fs ?? nodeFileSystem, cwd: opts.cwd ?? process.cwd(), cacheDir: opts.cacheDir ?? defaultCacheDir() };
}

export function loadFiles(dirOrFiles: string | string[], opts: NodeLoadOptions): Promise<LoadedInstance> {
  return loadFilesWith(dirOrFiles, withDefaults(opts));
}

export function loadInstance(dirOrFiles: string | string[], opts: NodeLoadOptions): Promise<Value> {
  return loadInstanceWith(dirOrFiles, withDefaults(opts));
}

export { nodeFileSystem };
