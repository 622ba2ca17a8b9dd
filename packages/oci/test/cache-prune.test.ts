// What the module cache keeps, and how it is bounded: entries unused for a
// while, leftovers of killed processes and the layer blobs older versions kept
// are pruned; a download in progress and a fresh entry are not.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STALE_TEMP_MS, cacheLookup, cacheStore, isLeftover, packEntries, pruneCache, sha256Digest, tempName } from '../src/index.js';

let cacheDir: string;
beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'opm-oci-prune-'));
});
afterEach(() => rm(cacheDir, { recursive: true, force: true }));

async function store(text: string): Promise<{ digest: string; dir: string }> {
  const files = [{ path: 'module.cue', data: Buffer.from(text) }];
  const p = packEntries(files, { name: 'm', version: '1.0.0', created: '2020-01-01T00:00:00Z' });
  const digest = sha256Digest(p.manifestBytes);
  const entry = await cacheStore(cacheDir, digest, p.manifestBytes, p.configBytes, files);
  return { digest, dir: join(entry.dir, '..') };
}

async function age(path: string, ms: number): Promise<void> {
  const t = new Date(Date.now() - ms);
  await utimes(path, t, t);
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

const DAY = 86_400_000;

describe('module cache pruning', () => {
  it('removes entries unused for the given time; a lookup counts as a use', async () => {
    const old = await store('package m\nold: 1\n');
    const used = await store('package m\nused: 1\n');
    const fresh = await store('package m\nfresh: 1\n');
    await age(old.dir, 40 * DAY);
    await age(used.dir, 40 * DAY);
    expect(await cacheLookup(cacheDir, used.digest)).toBeDefined();

    const dry = await pruneCache(cacheDir, { unusedForMs: 30 * DAY, dryRun: true });
    expect(dry.removed.map((r) => r.digest)).toEqual([old.digest]);
    expect(existsSync(old.dir)).toBe(true);

    const res = await pruneCache(cacheDir, { unusedForMs: 30 * DAY });
    expect(res.removed).toEqual([{ kind: 'module', path: old.dir, digest: old.digest, bytes: expect.any(Number) }]);
    expect(res.bytes).toBeGreaterThan(0);
    expect(res.kept.entries).toBe(2);
    expect(existsSync(old.dir)).toBe(false);
    expect(await cacheLookup(cacheDir, used.digest)).toBeDefined();
    expect(await cacheLookup(cacheDir, fresh.digest)).toBeDefined();
    expect(await readdir(join(cacheDir, '.tmp'))).toEqual([]);

    const all = await pruneCache(cacheDir, { all: true });
    expect(all.removed.map((r) => r.digest).sort()).toEqual([used.digest, fresh.digest].sort());
    expect(await readdir(join(cacheDir, 'sha256'))).toEqual([]);
    expect(all.kept).toEqual({ entries: 0, bytes: 0 });
  });

  it('removes temporary files of dead processes at once, and anyone else’s only once stale', async () => {
    const tmp = join(cacheDir, '.tmp');
    await mkdir(tmp, { recursive: true });
    const digest = `sha256:${'b'.repeat(64)}`;
    const host = hostname().replace(/[^a-zA-Z0-9-]/g, '-').slice(0, 63);
    const names = {
      dead: `blob-sha256-${'b'.repeat(64)}.${host}.${deadPid()}.0a0b0c0d0e0f`,
      mine: tempName('blob', digest),
      live: `blob-sha256-${'b'.repeat(64)}.${host}.${process.ppid}.0a0b0c0d0e0f`,
      otherHost: `blob-sha256-${'b'.repeat(64)}.another-host.1.0a0b0c0d0e0f`,
      staleOtherHost: `entry-sha256-${'b'.repeat(64)}.another-host.1.0a0b0c0d0e0f`,
      unknown: 'something-else',
    };
    for (const n of Object.values(names)) await writeFile(join(tmp, n), 'x');
    await age(join(tmp, names.staleOtherHost), STALE_TEMP_MS + 60_000);
    expect(isLeftover(names.dead, Date.now())).toBe(true);
    expect(isLeftover(names.mine, Date.now())).toBe(false);

    const res = await pruneCache(cacheDir);
    expect(res.removed.map((r) => r.path).sort()).toEqual([join(tmp, names.dead), join(tmp, names.staleOtherHost)].sort());
    expect((await readdir(tmp)).sort()).toEqual([names.mine, names.live, names.otherHost, names.unknown].sort());
    // An hour later every one of them is a leftover.
    const later = await pruneCache(cacheDir, { now: Date.now() + 2 * STALE_TEMP_MS });
    expect(later.removed).toHaveLength(4);
    expect(await readdir(tmp)).toEqual([]);
  });

  it('removes the layer blobs older versions kept in blobs/, unless just written', async () => {
    const blobs = join(cacheDir, 'blobs', 'sha256');
    await mkdir(blobs, { recursive: true });
    await writeFile(join(blobs, 'c'.repeat(64)), Buffer.alloc(1000));
    await writeFile(join(blobs, 'd'.repeat(64)), Buffer.alloc(10));
    await age(join(blobs, 'c'.repeat(64)), DAY);
    const res = await pruneCache(cacheDir);
    expect(res.removed).toEqual([{ kind: 'blob', path: join(blobs, 'c'.repeat(64)), bytes: 1000 }]);
    expect(await readdir(blobs)).toEqual(['d'.repeat(64)]);
    await age(join(blobs, 'd'.repeat(64)), DAY);
    await pruneCache(cacheDir);
    expect(existsSync(join(cacheDir, 'blobs'))).toBe(false);
  });

  it('a missing cache is empty', async () => {
    expect(await pruneCache(join(cacheDir, 'nope'), { all: true })).toEqual({ removed: [], bytes: 0, kept: { entries: 0, bytes: 0 } });
  });
});
