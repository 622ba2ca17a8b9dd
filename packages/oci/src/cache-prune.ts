// Bounding the module cache. What it keeps is one unpacked entry per manifest
// digest (cache.ts); layer blobs are not kept (earlier versions kept them in
// `blobs/`, so every layer was on disk twice). `pruneCache` removes entries
// not used for a while (an entry's mtime is its last lookup), the leftovers
// of killed processes in `.tmp/`, and the old `blobs/` directory; `opm cache
// prune` runs it. Removing an entry is safe at any time: it is renamed away
// in one step (a reader sees it whole or not at all) and is pulled again by
// digest when a release needs it.
import { lstat, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { STALE_TEMP_MS, removeLeftoverTemps, sizeOf, tempName, tempRoot } from './cache-temp.js';

export interface PrunedItem {
  kind: 'module' | 'temp' | 'blob';
  path: string;
  /** For a module entry: its manifest digest. */
  digest?: string;
  bytes: number;
}

export interface PruneOptions {
  /** Remove module entries not used for this long (ms). Default: none are removed. */
  unusedForMs?: number;
  /** Remove every module entry. */
  all?: boolean;
  /** Only say what would be removed. */
  dryRun?: boolean;
  now?: number;
}

export interface PruneResult {
  removed: PrunedItem[];
  bytes: number;
  /** Module entries kept, and their size. */
  kept: { entries: number; bytes: number };
}

const ALGORITHMS = ['sha256', 'sha512'];

/** Removes layer blobs an older opm kept in `<cacheDir>/blobs` (only those untouched for STALE_TEMP_MS: one may be in use). */
export async function removeLegacyBlobs(cacheDir: string, now = Date.now(), dryRun = false): Promise<PrunedItem[]> {
  const root = join(cacheDir, 'blobs');
  const out: PrunedItem[] = [];
  for (const alg of await readdir(root).catch(() => [] as string[])) {
    const dir = join(root, alg);
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const path = join(dir, name);
      const st = await lstat(path).catch(() => undefined);
      if (!st || now - st.mtimeMs < STALE_TEMP_MS) continue;
      out.push({ kind: 'blob', path, bytes: await sizeOf(path) });
      if (!dryRun) await rm(path, { recursive: true, force: true });
    }
    if (!dryRun) await rmdir(dir).catch(() => undefined);
  }
  if (!dryRun) await rmdir(root).catch(() => undefined);
  return out;
}

/** Prunes the cache at `cacheDir` (see the file comment). A missing cache is empty. */
export async function pruneCache(cacheDir: string, opts: PruneOptions = {}): Promise<PruneResult> {
  const now = opts.now ?? Date.now();
  const removed: PrunedItem[] = [];
  const kept = { entries: 0, bytes: 0 };
  for (const alg of ALGORITHMS) {
    const dir = join(cacheDir, alg);
    for (const hex of (await readdir(dir).catch(() => [] as string[])).sort()) {
      const path = join(dir, hex);
      const st = await lstat(path).catch(() => undefined);
      if (!st) continue;
      const bytes = await sizeOf(path);
      const unused = opts.unusedForMs !== undefined && now - st.mtimeMs >= opts.unusedForMs;
      if (!opts.all && !unused) {
        kept.entries++;
        kept.bytes += bytes;
        continue;
      }
      const digest = `${alg}:${hex}`;
      removed.push({ kind: 'module', path, digest, bytes });
      if (opts.dryRun) continue;
      // One rename takes the entry out of sight; the slow delete happens out of the way.
      const away = join(tempRoot(cacheDir), tempName('prune', digest));
      try {
        await rename(path, away);
      } catch {
        await rm(path, { recursive: true, force: true });
        continue;
      }
      await rm(away, { recursive: true, force: true });
    }
  }
  for (const r of await removeLeftoverTemps(cacheDir, now, opts.dryRun)) removed.push({ kind: 'temp', ...r });
  removed.push(...(await removeLegacyBlobs(cacheDir, now, opts.dryRun)));
  return { removed, bytes: removed.reduce((n, r) => n + r.bytes, 0), kept };
}
