// On-disk cache of pulled module artifacts, keyed by manifest digest.
//
// Layout: <cacheDir>/<algorithm>/<hex>/
//   manifest.json   the manifest bytes exactly as pulled (their hash is the key)
//   config.json     the module config blob
//   module/         the unpacked content layer
// An entry appears by one rename of a fully written temporary directory, so
// readers never see half an entry and concurrent pulls of the same digest are
// harmless (the loser discards its copy).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { digestMatches } from './digest.js';
import { assertDigest } from './reference.js';
import type { TarEntry } from './tar.js';

type Env = Record<string, string | undefined>;

/**
 * `$OPM_CACHE_DIR/oci` when OPM_CACHE_DIR is set (it replaces `~/.cache/opm`),
 * else `$XDG_CACHE_HOME/opm/oci`, else `~/.cache/opm/oci`.
 */
export function defaultCacheDir(env: Env = process.env): string {
  if (env.OPM_CACHE_DIR) return join(env.OPM_CACHE_DIR, 'oci');
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'opm', 'oci');
}

export function cacheEntryDir(cacheDir: string, digest: string): string {
  const [alg, hex] = assertDigest(digest).split(':') as [string, string];
  return join(cacheDir, alg, hex);
}

export interface CacheEntry {
  /** The unpacked module files. */
  dir: string;
  manifestBytes: Buffer;
  configBytes: Buffer;
}

/** The cached entry for `digest`, or undefined. A damaged entry (its manifest does not hash to the key) is removed. */
export async function cacheLookup(cacheDir: string, digest: string): Promise<CacheEntry | undefined> {
  const entry = cacheEntryDir(cacheDir, digest);
  let manifestBytes: Buffer;
  let configBytes: Buffer;
  try {
    manifestBytes = await readFile(join(entry, 'manifest.json'));
    configBytes = await readFile(join(entry, 'config.json'));
    if (!(await stat(join(entry, 'module'))).isDirectory()) throw new Error('no module dir');
  } catch {
    return undefined;
  }
  if (!digestMatches(manifestBytes, digest)) {
    await rm(entry, { recursive: true, force: true });
    return undefined;
  }
  return { dir: join(entry, 'module'), manifestBytes, configBytes };
}

/** Writes an entry atomically; returns the entry as found on disk afterwards. */
export async function cacheStore(cacheDir: string, digest: string, manifestBytes: Buffer, configBytes: Buffer, files: readonly TarEntry[]): Promise<CacheEntry> {
  const entry = cacheEntryDir(cacheDir, digest);
  const tmpRoot = join(cacheDir, '.tmp');
  const tmp = join(tmpRoot, `${digest.replace(':', '-')}.${process.pid}.${randomBytes(6).toString('hex')}`);
  await mkdir(join(tmp, 'module'), { recursive: true });
  try {
    for (const f of files) {
      // Paths were checked by the tar reader (relative, no `..`).
      const p = join(tmp, 'module', ...f.path.split('/'));
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, f.data, { mode: (f.mode ?? 0o644) & 0o111 ? 0o755 : 0o644 });
    }
    await writeFile(join(tmp, 'config.json'), configBytes);
    // manifest.json last: its presence marks a complete entry even if a rename were not atomic.
    await writeFile(join(tmp, 'manifest.json'), manifestBytes);
    await mkdir(dirname(entry), { recursive: true });
    try {
      await rename(tmp, entry);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY' && code !== 'EPERM') throw err;
      // Another process stored the same digest first; its copy is as good as
      // ours. A damaged leftover (say from a crash) is replaced.
      if (!(await cacheLookup(cacheDir, digest))) {
        await rm(entry, { recursive: true, force: true });
        await rename(tmp, entry);
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const found = await cacheLookup(cacheDir, digest);
  if (!found) throw new Error(`cache entry ${entry} could not be written`);
  return found;
}
