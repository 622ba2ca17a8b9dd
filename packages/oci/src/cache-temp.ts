// Temporary files of the cache: everything being written lives under
// `<cacheDir>/.tmp/` with a name that says who wrote it, so that what a killed
// process left behind (SIGKILL, power loss: no `finally` runs) is recognised
// and removed by the next run, while a download another process is making
// right now is left alone.
//
// Name: `<kind>-<alg>-<hex>.<host>.<pid>.<random>`. A temp file of this host
// whose process no longer exists is a leftover at once; any other one (a
// process on another host or PID namespace sharing the cache, a name we do
// not know) only once it has not changed for STALE_TEMP_MS. A live download
// keeps its file fresh (every chunk written moves its mtime) and is bounded
// by the request timeout, so it never looks stale.
import { randomBytes } from 'node:crypto';
import { lstat, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** A temp file or directory untouched this long is a leftover whoever wrote it. */
export const STALE_TEMP_MS = 15 * 60_000;

/** `<cacheDir>/.tmp`: the only place the cache writes anything that is not finished. */
export function tempRoot(cacheDir: string): string {
  return join(cacheDir, '.tmp');
}

/** This host, reduced to characters safe in a file name (a name must not be confused with another host's). */
function hostTag(): string {
  return hostname().replace(/[^a-zA-Z0-9-]/g, '-').slice(0, 63) || 'host';
}

/** A fresh temp name for `kind` (`blob`, `entry`, `layer`) of `digest`, owned by this process. */
export function tempName(kind: string, digest: string): string {
  return `${kind}-${digest.replace(':', '-')}.${hostTag()}.${process.pid}.${randomBytes(6).toString('hex')}`;
}

const NAME = /^[a-z]+-[a-z0-9]+-[0-9a-f]+\.([a-zA-Z0-9-]+)\.(\d+)\.[0-9a-f]+$/;

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else (alive, as far as we can tell).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the temp file `name`, last changed at `mtimeMs`, was left behind by a process that is gone. */
export function isLeftover(name: string, mtimeMs: number, now = Date.now()): boolean {
  if (now - mtimeMs >= STALE_TEMP_MS) return true;
  const m = NAME.exec(name);
  if (!m || m[1] !== hostTag()) return false;
  const pid = Number(m[2]);
  return pid !== process.pid && !processIsAlive(pid);
}

export interface Removed {
  path: string;
  bytes: number;
}

/** Size on disk of a file or directory tree (not following links). */
export async function sizeOf(path: string): Promise<number> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const name of await readdir(path).catch(() => [] as string[])) total += await sizeOf(join(path, name));
  return total;
}

/** Removes the leftovers of killed processes from `<cacheDir>/.tmp` (see isLeftover); returns what went (or would, with dryRun). */
export async function removeLeftoverTemps(cacheDir: string, now = Date.now(), dryRun = false): Promise<Removed[]> {
  const root = tempRoot(cacheDir);
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  const removed: Removed[] = [];
  for (const name of names) {
    const path = join(root, name);
    const st = await lstat(path).catch(() => undefined);
    if (!st || !isLeftover(name, st.mtimeMs, now)) continue;
    const bytes = await sizeOf(path);
    if (!dryRun) await rm(path, { recursive: true, force: true });
    removed.push({ path, bytes });
  }
  return removed;
}
