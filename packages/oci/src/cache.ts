// On-disk cache of pulled module artifacts, keyed by manifest digest.
//
// Layout: <cacheDir>/<algorithm>/<hex>/
//   manifest.json   the manifest bytes exactly as pulled (their hash is the key)
//   config.json     the module config blob
//   module/         the unpacked content layer
// Nothing else is kept: layer blobs live in `.tmp/` only while they are
// downloaded and unpacked (cache-temp.ts names them so that a killed
// process's leftovers are removed by the next pull), and an entry's mtime is
// its last use, so `pruneCache` (`opm cache prune`) can bound the cache.
// An entry appears by one rename of a fully written temporary directory, so
// readers never see half an entry and concurrent pulls of the same digest are
// harmless (the loser discards its copy).
//
// The cache is private (directories 0700, files 0600) and trusted only as far
// as it checks out: every lookup re-verifies the manifest against its key, the
// config against the manifest, and the files against the config's
// contentDigest, so an edited cached file is never served as the pinned digest.
import { lstat, mkdir, readdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { digestMatches } from './digest.js';
import { contentDigestOf } from './pack.js';
import { assertDigest } from './reference.js';
import type { TarEntry } from './tar.js';
import { tempName, tempRoot } from './cache-temp.js';

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

/** The cached entry for `digest`, or undefined. A damaged or edited entry (anything that does not verify against the key) is removed. */
export async function cacheLookup(cacheDir: string, digest: string): Promise<CacheEntry | undefined> {
  const entry = cacheEntryDir(cacheDir, digest);
  let manifestBytes: Buffer;
  let configBytes: Buffer;
  try {
    manifestBytes = await readFile(join(entry, 'manifest.json'));
    configBytes = await readFile(join(entry, 'config.json'));
    if (!(await lstat(join(entry, 'module'))).isDirectory()) throw new Error('no module dir');
  } catch {
    return undefined;
  }
  if (!digestMatches(manifestBytes, digest) || !(await verifyEntry(join(entry, 'module'), manifestBytes, configBytes))) {
    await rm(entry, { recursive: true, force: true });
    return undefined;
  }
  // The entry's mtime is its last use: `pruneCache` removes entries unused for long.
  const now = new Date();
  await utimes(entry, now, now).catch(() => undefined);
  return { dir: join(entry, 'module'), manifestBytes, configBytes };
}

/** Whether the config matches the manifest and the files on disk match the config's contentDigest. */
async function verifyEntry(moduleDir: string, manifestBytes: Buffer, configBytes: Buffer): Promise<boolean> {
  try {
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { config?: { digest?: unknown } };
    const config = JSON.parse(configBytes.toString('utf8')) as { contentDigest?: unknown };
    if (typeof manifest.config?.digest !== 'string' || !digestMatches(configBytes, manifest.config.digest)) return false;
    if (typeof config.contentDigest !== 'string') return false;
    return contentDigestOf(await readEntryFiles(moduleDir)) === config.contentDigest;
  } catch {
    return false;
  }
}

/** The files of an entry as TarEntries; a link or special file makes the entry invalid (throws). */
async function readEntryFiles(dir: string, rel = ''): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const p = join(dir, name);
    const r = rel ? `${rel}/${name}` : name;
    const st = await lstat(p);
    if (st.isDirectory()) out.push(...(await readEntryFiles(p, r)));
    else if (st.isFile()) out.push({ path: r, data: await readFile(p), mode: st.mode & 0o777 });
    else throw new Error(`${p}: not a regular file`);
  }
  return out;
}

/** Writes an entry atomically; returns the entry as found on disk afterwards. */
export async function cacheStore(cacheDir: string, digest: string, manifestBytes: Buffer, configBytes: Buffer, files: readonly TarEntry[]): Promise<CacheEntry> {
  const entry = cacheEntryDir(cacheDir, digest);
  const tmp = join(tempRoot(cacheDir), tempName('entry', digest));
  await mkdir(join(tmp, 'module'), { recursive: true, mode: 0o700 });
  try {
    for (const f of files) {
      // Paths were checked by the tar reader (relative, no `..`).
      const p = join(tmp, 'module', ...f.path.split('/'));
      await mkdir(dirname(p), { recursive: true, mode: 0o700 });
      await writeFile(p, f.data, { mode: (f.mode ?? 0o644) & 0o111 ? 0o700 : 0o600 });
    }
    await writeFile(join(tmp, 'config.json'), configBytes, { mode: 0o600 });
    // manifest.json last: its presence marks a complete entry even if a rename were not atomic.
    await writeFile(join(tmp, 'manifest.json'), manifestBytes, { mode: 0o600 });
    await mkdir(dirname(entry), { recursive: true, mode: 0o700 });
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
