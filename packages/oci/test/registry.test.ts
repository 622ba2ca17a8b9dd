// End-to-end against a real registry (docker-registry, CNCF distribution).
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANNOTATION_CREATED,
  ANNOTATION_MODULE_NAME,
  ANNOTATION_MODULE_VERSION,
  ANNOTATION_SOURCE,
  ANNOTATION_TITLE,
  ANNOTATION_VERSION,
  ARTIFACT_TYPE,
  CONFIG_MEDIA_TYPE,
  DigestMismatchError,
  LAYER_MEDIA_TYPE,
  OciCatalog,
  OciError,
  RegistryClient,
  packModule,
  publish,
} from '../src/index.js';
import { countingFetch, makeModuleDir, moduleFiles } from './helpers.js';
import { startRegistry, TEST_PASSWORD, TEST_USER, type TestRegistry } from './registry.js';

const noAuthEnv = { HOME: '/nonexistent-home' };

describe('OCI catalog against a real registry', () => {
  let reg: TestRegistry;
  let cacheDir: string;
  const dirs: Record<string, string> = {};

  beforeAll(async () => {
    reg = await startRegistry();
    cacheDir = await mkdtemp(join(tmpdir(), 'opm-oci-cache-'));
    for (const [name, v] of [['web', '1.0.0'], ['web', '1.2.0-platform.1'], ['web', '2.0.0'], ['db', '0.3.1']] as const) {
      dirs[`${name}@${v}`] = await makeModuleDir(name, v, moduleFiles(name, v));
    }
  });
  afterAll(async () => {
    await reg?.stop();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  const catalog = (extra: Record<string, unknown> = {}) => new OciCatalog(`oci://${reg.host}/platform/catalog`, { cacheDir, env: noAuthEnv, ...extra });

  it('publishes modules, refuses to overwrite a version without force, and lists/resolves them', async () => {
    const published: Record<string, string> = {};
    for (const key of Object.keys(dirs)) {
      const [name, version] = key.split('@') as [string, string];
      const res = await publish(dirs[key]!, `oci://${reg.host}/platform/catalog/${name}`, { version, env: noAuthEnv, source: 'https://example.com/catalog' });
      expect(res.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(res.ref).toBe(`oci://${reg.host}/platform/catalog/${name}:${version}@${res.digest}`);
      published[key] = res.digest;
    }
    // Something outside the prefix is not part of the catalog.
    await publish(dirs['db@0.3.1']!, `oci://${reg.host}/other/db`, { version: '0.3.1', env: noAuthEnv });

    await expect(publish(dirs['web@1.0.0']!, `oci://${reg.host}/platform/catalog/web`, { version: '1.0.0', env: noAuthEnv })).rejects.toThrow(
      /platform\/catalog\/web:1\.0\.0 already exists \(sha256:[a-f0-9]{64}\); publish with --force/,
    );

    const cat = catalog({ pageSize: 1 }); // one repository per page: exercises Link pagination
    expect(await cat.listModules()).toEqual(['db', 'web']);
    expect(await cat.listVersions('web')).toEqual(['1.0.0', '1.2.0-platform.1', '2.0.0']);
    expect(await cat.listVersions('nope')).toEqual([]);
    expect(await cat.list()).toEqual([
      { name: 'db', versions: ['0.3.1'] },
      { name: 'web', versions: ['1.0.0', '1.2.0-platform.1', '2.0.0'] },
    ]);

    const inRange = await cat.resolve('web', '>=1.0.0 <2.0.0');
    expect(inRange).toMatchObject({ name: 'web', version: '1.2.0-platform.1', digest: published['web@1.2.0-platform.1'] });
    expect((await cat.resolve('web', '1.0.0')).digest).toBe(published['web@1.0.0']);
    expect((await cat.resolve('web', 'latest')).version).toBe('2.0.0');
    expect((await cat.resolve('web', '^1.0.0')).version).toBe('1.2.0-platform.1');
    await expect(cat.resolve('web', '>=3.0.0')).rejects.toThrow(/no version of web .* matches >=3\.0\.0 \(available: 1\.0\.0, 1\.2\.0-platform\.1, 2\.0\.0\)/);
    await expect(cat.resolve('web', '9.9.9')).rejects.toThrow(/web@9\.9\.9 is not in .*available: 1\.0\.0/);
    await expect(cat.resolve('web', 'not a range!')).rejects.toThrow(/neither a version nor a semver range/);
  });

  it('writes the manifest, config and annotations of an opm module artifact', async () => {
    const client = new RegistryClient({ registry: reg.host, env: noAuthEnv });
    const m = await client.getManifest('platform/catalog/web', '1.0.0');
    const manifest = JSON.parse(m.body.toString());
    expect(manifest).toMatchObject({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: ARTIFACT_TYPE,
      config: { mediaType: CONFIG_MEDIA_TYPE },
      layers: [{ mediaType: LAYER_MEDIA_TYPE }],
    });
    expect(manifest.annotations).toMatchObject({
      [ANNOTATION_TITLE]: 'web',
      [ANNOTATION_VERSION]: '1.0.0',
      [ANNOTATION_SOURCE]: 'https://example.com/catalog',
      [ANNOTATION_MODULE_NAME]: 'web',
      [ANNOTATION_MODULE_VERSION]: '1.0.0',
    });
    expect(manifest.annotations[ANNOTATION_CREATED]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const config = JSON.parse((await client.getBlob('platform/catalog/web', manifest.config.digest)).toString());
    expect(config).toMatchObject({ name: 'web', version: '1.0.0', files: ['definition.cue', 'module.cue', 'templates/deployment.cue'] });
    expect(await client.blobExists('platform/catalog/web', manifest.layers[0].digest)).toBe(true);
    const shown = await catalog().inspect('web', '~1.0.0');
    expect(shown).toMatchObject({ version: '1.0.0', digest: m.digest, annotations: { [ANNOTATION_SOURCE]: 'https://example.com/catalog' } });
    expect(shown.config.files).toContain('module.cue');
  });

  it('fetches into the digest cache, serves the second fetch from it, and verifies pins', async () => {
    const counter = countingFetch();
    const cat = catalog({ fetch: counter.fetch });
    const first = await cat.fetch('web', '>=1.0.0 <2.0.0');
    expect(first.cached).toBe(false);
    expect(first.version).toBe('1.2.0-platform.1');
    expect(first.dir).toBe(join(cacheDir, 'sha256', first.digest.slice('sha256:'.length), 'module'));
    expect((await readdir(first.dir)).sort()).toEqual(['definition.cue', 'module.cue', 'templates']);
    expect(await readFile(join(first.dir, 'module.cue'), 'utf8')).toBe(moduleFiles('web', '1.2.0-platform.1')['module.cue']);
    expect(first.config.name).toBe('web');
    // No temp directories left behind.
    expect(await readdir(join(cacheDir, '.tmp'))).toEqual([]);

    // Pinned digest: served from disk without any request.
    counter.reset();
    const pinned = await cat.fetch('web', '1.2.0-platform.1', { digest: first.digest });
    expect(pinned).toMatchObject({ cached: true, dir: first.dir, digest: first.digest });
    expect(counter.count()).toBe(0);

    // By version: one HEAD for the tag, no download.
    counter.reset();
    const again = await cat.fetch('web', '1.2.0-platform.1');
    expect(again.cached).toBe(true);
    expect(counter.log).toEqual([expect.stringMatching(/^HEAD .*\/manifests\/1\.2\.0-platform\.1$/)]);

    expect((await cat.verify('web', '1.2.0-platform.1', first.digest)).digest).toBe(first.digest);
  });

  it('keeps the unpacked module only: no layer blob stays in the cache after a pull', async () => {
    const counter = countingFetch();
    const cat = catalog({ fetch: counter.fetch });
    const m = await cat.fetch('db', '0.3.1');
    const layer = m.manifest.layers[0]!;
    // What is on disk: the entry (manifest, config, module files) and an empty .tmp; no second copy of the layer.
    expect((await readdir(cacheDir)).filter((n) => n !== 'sha256' && n !== '.tmp')).toEqual([]);
    expect(await readdir(join(cacheDir, '.tmp'))).toEqual([]);
    expect((await readdir(join(m.dir, '..'))).sort()).toEqual(['config.json', 'manifest.json', 'module']);
    // The module entry gone, the layer is downloaded again (and again not kept).
    await rm(join(m.dir, '..'), { recursive: true });
    counter.reset();
    const again = await cat.fetch('db', '0.3.1', { digest: m.digest });
    expect(again.cached).toBe(false);
    expect(counter.log.some((l) => l.endsWith(`/blobs/${layer.digest}`))).toBe(true);
    expect(await readFile(join(again.dir, 'module.cue'), 'utf8')).toBe(moduleFiles('db', '0.3.1')['module.cue']);
    expect(await readdir(join(cacheDir, '.tmp'))).toEqual([]);
  });

  it('refuses an artifact re-pushed under the same tag, naming both digests', async () => {
    const cat = catalog();
    const pinned = await cat.resolve('web', '2.0.0');
    const tampered = await makeModuleDir('web', '2.0.0', moduleFiles('web', '2.0.0', '\timage: "evil:latest"\n'));
    const res = await publish(tampered, `oci://${reg.host}/platform/catalog/web`, { version: '2.0.0', force: true, env: noAuthEnv });
    expect(res.digest).not.toBe(pinned.digest);
    expect(res.replaced).toBe(pinned.digest);

    const err = await cat.verify('web', '2.0.0', pinned.digest).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DigestMismatchError);
    expect((err as Error).message).toContain(pinned.digest);
    expect((err as Error).message).toContain(res.digest);
    expect((err as Error).message).toMatch(/changed since it was pinned.*re-pin/);
    // Re-pinning: resolve gives the new digest, which then verifies.
    const repinned = await cat.resolve('web', '2.0.0');
    expect(repinned.digest).toBe(res.digest);
    await expect(cat.verify('web', '2.0.0', repinned.digest)).resolves.toMatchObject({ digest: res.digest });
    // The pinned old content is still fetchable by digest (the registry keeps the manifest).
    const old = await cat.fetch('web', '2.0.0', { digest: pinned.digest });
    expect(await readFile(join(old.dir, 'module.cue'), 'utf8')).not.toContain('evil');
    await expect(cat.verify('web', '3.0.0', pinned.digest)).rejects.toThrow(/web:3\.0\.0 no longer exists/);
  });

  it('packs deterministically: same directory, same layer and config digests', async () => {
    const a = await packModule(dirs['web@1.0.0']!, { name: 'web', version: '1.0.0', created: '2026-01-01T00:00:00Z' });
    const copy = await makeModuleDir('web', '1.0.0', moduleFiles('web', '1.0.0'));
    const b = await packModule(copy, { name: 'web', version: '1.0.0', created: '2026-01-01T00:00:00Z' });
    expect(b.manifest.layers[0]!.digest).toBe(a.manifest.layers[0]!.digest);
    expect(b.manifest.config.digest).toBe(a.manifest.config.digest);
    expect(b.manifestBytes.equals(a.manifestBytes)).toBe(true);
    // With a fixed creation time, re-publishing the same content is a no-op digest-wise.
    const p1 = await publish(copy, `oci://${reg.host}/det/web`, { version: '1.0.0', created: '2026-01-01T00:00:00Z', env: noAuthEnv });
    const p2 = await publish(dirs['web@1.0.0']!, `oci://${reg.host}/det/web`, { version: '1.0.0', created: '2026-01-01T00:00:00Z', force: true, env: noAuthEnv });
    expect(p2.digest).toBe(p1.digest);
    expect(p2.replaced).toBeUndefined();
  });

  it('mounts blobs across repositories, skips existing ones, deletes manifests', async () => {
    const client = new RegistryClient({ registry: reg.host, env: noAuthEnv });
    const blob = Buffer.from('shared layer content');
    expect(await client.pushBlob('mount/a', blob)).toMatchObject({ uploaded: true });
    expect(await client.pushBlob('mount/a', blob)).toMatchObject({ uploaded: false }); // HEAD found it
    const mounted = await client.pushBlob('mount/b', blob, { mountFrom: 'mount/a' });
    expect(mounted).toMatchObject({ uploaded: false });
    expect(await client.blobExists('mount/b', mounted.digest)).toBe(true);
    expect((await client.getBlob('mount/b', mounted.digest)).equals(blob)).toBe(true);
    await expect(client.getBlob('mount/b', mounted.digest, { size: 3 })).rejects.toThrow(/too large|descriptor says 3/);

    const res = await publish(dirs['db@0.3.1']!, `oci://${reg.host}/del/db`, { version: '0.3.1', env: noAuthEnv });
    expect((await client.headManifest('del/db', '0.3.1'))?.digest).toBe(res.digest);
    await client.deleteManifest('del/db', res.digest);
    expect(await client.headManifest('del/db', '0.3.1')).toBeUndefined();
    await expect(client.getManifest('del/db', res.digest)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('takes the source annotation from the git remote, without credentials in it', async () => {
    const dir = await makeModuleDir('git', '1.0.0', moduleFiles('git', '1.0.0'));
    const { execFileSync } = await import('node:child_process');
    execFileSync('git', ['init', '-q', dir]);
    execFileSync('git', ['-C', dir, 'remote', 'add', 'origin', 'https://user:tok3n@git.example.com/acme/catalog.git']);
    const res = await publish(dir, `oci://${reg.host}/git/mod`, { version: '1.0.0', env: noAuthEnv });
    const client = new RegistryClient({ registry: reg.host, env: noAuthEnv });
    const manifest = JSON.parse((await client.getManifest('git/mod', res.digest)).body.toString());
    expect(manifest.annotations[ANNOTATION_SOURCE]).toBe('https://git.example.com/acme/catalog.git');
  });

  it('reports clear errors', async () => {
    const noCue = await makeModuleDir('x', '1.0.0', { 'README.md': 'hi' });
    await expect(publish(noCue, `oci://${reg.host}/x/web`, { version: '1.0.0', env: noAuthEnv })).rejects.toThrow(/has no CUE files/);
    await expect(publish(dirs['web@1.0.0']!, `oci://${reg.host}/x/web`, { version: 'one', env: noAuthEnv })).rejects.toThrow(/not a semantic version/);
    await expect(publish('/nonexistent/dir', `oci://${reg.host}/x/web`, { version: '1.0.0', env: noAuthEnv })).rejects.toThrow(/does not exist/);
    await expect(catalog().fetch('web', '7.0.0')).rejects.toThrow(/web@7\.0\.0 is not in/);
    const down = new OciCatalog('oci://127.0.0.1:1/catalog', { cacheDir, env: noAuthEnv, timeoutMs: 2000 });
    await expect(down.listVersions('web')).rejects.toThrow(/cannot reach registry 127\.0\.0\.1:1/);
  });
});

describe('test registry helper', () => {
  it('fails with a clear message when docker-registry is missing', async () => {
    await expect(startRegistry({ bin: '/nonexistent/docker-registry' })).rejects.toThrow(
      'these tests need docker-registry (apt-get install docker-registry)',
    );
  });
});

describe('Basic auth against an htpasswd-protected registry', () => {
  let reg: TestRegistry;
  let dir: string;
  let authDir: string;
  beforeAll(async () => {
    reg = await startRegistry({ htpasswd: true });
    dir = await makeModuleDir('web', '1.0.0', moduleFiles('web', '1.0.0'));
    authDir = await mkdtemp(join(tmpdir(), 'opm-oci-auth-'));
  });
  afterAll(async () => {
    await reg?.stop();
    if (authDir) await rm(authDir, { recursive: true, force: true });
  });

  it('publishes with explicit credentials and pulls with a docker config file', async () => {
    const res = await publish(dir, `oci://${reg.host}/secure/web`, { version: '1.0.0', credentials: { username: TEST_USER, password: TEST_PASSWORD }, env: noAuthEnv });
    const authFile = join(authDir, 'auth.json');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(authFile, JSON.stringify({ auths: { [`http://${reg.host}`]: { auth: Buffer.from(`${TEST_USER}:${TEST_PASSWORD}`).toString('base64') } } }));
    const cat = new OciCatalog(`oci://${reg.host}/secure`, { cacheDir: join(authDir, 'cache'), env: { REGISTRY_AUTH_FILE: authFile } });
    expect(await cat.listModules()).toEqual(['web']);
    const got = await cat.fetch('web', '1.0.0');
    expect(got.digest).toBe(res.digest);
  });

  it('fails clearly without or with wrong credentials, never echoing the password', async () => {
    const anon = new OciCatalog(`oci://${reg.host}/secure`, { cacheDir: join(authDir, 'c2'), env: noAuthEnv });
    await expect(anon.listVersions('web')).rejects.toThrow(/requires authentication .* no credentials were found/);
    const wrong = new OciCatalog(`oci://${reg.host}/secure`, { cacheDir: join(authDir, 'c3'), credentials: { username: TEST_USER, password: 'wrong-secret' } });
    const err = await wrong.listVersions('web').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OciError);
    expect((err as OciError).code).toBe('UNAUTHORIZED');
    expect((err as Error).message).toMatch(/authentication to 127\.0\.0\.1:\d+ failed/);
    expect((err as Error).message).not.toContain('wrong-secret');
  });
});
