import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheEntryDir, cacheLookup, cacheStore, defaultCacheDir, packEntries, sha256Digest } from '../src/index.js';

describe('digest cache', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'opm-oci-cachetest-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const files = [{ path: 'module.cue', data: Buffer.from('a') }, { path: 'sub/x.cue', data: Buffer.from('b'), mode: 0o755 }];
  const packed = packEntries(files, { name: 'm', version: '1.0.0', created: '2020-01-01T00:00:00Z' });
  const manifest = packed.manifestBytes;
  const config = packed.configBytes;
  const digest = sha256Digest(manifest);

  it('defaults to ~/.cache/opm/oci, OPM_CACHE_DIR and XDG_CACHE_HOME override', () => {
    expect(defaultCacheDir({ HOME: '/h' })).toBe('/h/.cache/opm/oci');
    expect(defaultCacheDir({ HOME: '/h', XDG_CACHE_HOME: '/x' })).toBe('/x/opm/oci');
    expect(defaultCacheDir({ HOME: '/h', XDG_CACHE_HOME: '/x', OPM_CACHE_DIR: '/o' })).toBe('/o/oci');
    expect(cacheEntryDir('/c', digest)).toBe(`/c/sha256/${digest.slice(7)}`);
    expect(() => cacheEntryDir('/c', 'sha256:../../etc')).toThrow(/invalid digest/);
  });

  it('stores atomically, looks up, and replaces damaged entries', async () => {
    expect(await cacheLookup(root, digest)).toBeUndefined();
    const entry = await cacheStore(root, digest, manifest, config, files);
    expect(await readFile(join(entry.dir, 'sub/x.cue'), 'utf8')).toBe('b');
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
    // Storing again (another process racing) keeps one good entry.
    await cacheStore(root, digest, manifest, config, files);
    expect((await cacheLookup(root, digest))?.dir).toBe(entry.dir);

    // A manifest that no longer hashes to the key: the entry is dropped, and a new store replaces it.
    await writeFile(join(cacheEntryDir(root, digest), 'manifest.json'), 'tampered');
    expect(await cacheLookup(root, digest)).toBeUndefined();
    await mkdir(join(cacheEntryDir(root, digest), 'module'), { recursive: true }); // half-written leftover
    await writeFile(join(cacheEntryDir(root, digest), 'module', 'junk'), 'x');
    const again = await cacheStore(root, digest, manifest, config, files);
    expect((await readdir(again.dir)).sort()).toEqual(['module.cue', 'sub']);
  });
});
