// `opm cache prune`: the module cache is bounded by a command, as `helm` and
// `timoni` users expect; it removes what is unused and keeps what is not.
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheStore, packEntries, sha256Digest } from '@opm/oci';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupsFor } from '../src/commands/index.js';
import { run } from './run-opm.js';

let home: string;
let saved: string | undefined;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'opm-cli-cache-'));
  saved = process.env.OPM_CACHE_DIR;
  process.env.OPM_CACHE_DIR = home;
});
afterEach(async () => {
  if (saved === undefined) delete process.env.OPM_CACHE_DIR;
  else process.env.OPM_CACHE_DIR = saved;
  await rm(home, { recursive: true, force: true });
});

async function store(text: string, daysAgo: number): Promise<string> {
  const files = [{ path: 'module.cue', data: Buffer.from(text) }];
  const p = packEntries(files, { name: 'm', version: '1.0.0', created: '2020-01-01T00:00:00Z' });
  const digest = sha256Digest(p.manifestBytes);
  const entry = await cacheStore(join(home, 'oci'), digest, p.manifestBytes, p.configBytes, files);
  const t = new Date(Date.now() - daysAgo * 86_400_000);
  await utimes(join(entry.dir, '..'), t, t);
  return digest;
}

describe('opm cache prune', () => {
  it('loads only its own command group', () => {
    expect(groupsFor(['cache', 'prune'])).toEqual(['cache']);
  });

  it('removes modules unused for 30 days by default, keeps the others, and says what it did', async () => {
    const old = await store('package m\nold: 1\n', 45);
    const recent = await store('package m\nrecent: 1\n', 3);
    // An older version's kept layer blob, untouched for a day.
    const blob = join(home, 'oci', 'blobs', 'sha256', 'e'.repeat(64));
    await mkdir(join(blob, '..'), { recursive: true });
    await writeFile(blob, Buffer.alloc(2048));
    await utimes(blob, new Date(Date.now() - 86_400_000), new Date(Date.now() - 86_400_000));

    const dry = await run(['cache', 'prune', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`would remove module ${old}`);
    expect(dry.stdout).toContain('would remove layer blob');
    // Still there (looked at on disk: a lookup would count as a use).
    expect(await readdir(join(home, 'oci', 'sha256'))).toHaveLength(2);

    const r = await run(['cache', 'prune', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { cacheDir: string; removed: { kind: string; digest?: string }[]; kept: { entries: number } };
    expect(out.cacheDir).toBe(join(home, 'oci'));
    expect(out.removed.map((x) => x.digest ?? x.kind).sort()).toEqual([old, 'blob'].sort());
    expect(out.kept.entries).toBe(1);
    expect(await readdir(join(home, 'oci', 'sha256'))).toEqual([recent.slice('sha256:'.length)]);

    const short = await run(['cache', 'prune', '--unused-for', '2d']);
    expect(short.stdout).toContain(`removed module ${recent}`);
    expect(short.stdout).toMatch(/removed 1 item\(s\), .*; kept 0 module\(s\)/);
    expect(await readdir(join(home, 'oci', 'sha256'))).toEqual([]);
  });

  it('--all empties it; a bad duration is a usage error', async () => {
    await store('package m\na: 1\n', 0);
    expect((await run(['cache', 'prune', '--all'])).stdout).toMatch(/removed 1 item\(s\)/);
    expect(await readdir(join(home, 'oci', 'sha256'))).toEqual([]);
    const bad = await run(['cache', 'prune', '--unused-for', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--unused-for: invalid duration "soon"/);
  });
});
