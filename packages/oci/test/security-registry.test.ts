// Security (issue 18.3, 18.4, 18.6): a hostile registry on 127.0.0.1 serving
// crafted responses. Downloads, archives and listings stay bounded with a clear
// error; credentials never go in clear text to another host; the cache is
// private and re-verified on every read.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OciCatalog, RegistryClient, packEntries, sha256Digest, writeTar } from '../src/index.js';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | void;

let server: Server;
let host: string;
let handler: Handler = () => false;
const requests: { path: string; auth?: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    requests.push({ path: url.pathname + url.search, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
    if (handler(req, res, url) === false || !res.headersSent) {
      if (!res.headersSent) res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"NOT_FOUND"}]}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  host = `127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  requests.length = 0;
  handler = () => false;
});

/** Serves one module `m` at tag 1.0.0 from the given manifest, config and layer (any of them crafted). */
function serveModule(manifest: Buffer, blobs: Record<string, Buffer | ((res: ServerResponse) => void)>): string {
  const digest = sha256Digest(manifest);
  handler = (req, res, url) => {
    const p = url.pathname;
    if (p === '/v2/cat/m/tags/list') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ tags: ['1.0.0'] }));
    if (p === '/v2/cat/m/manifests/1.0.0' || p === `/v2/cat/m/manifests/${digest}`) {
      return void res
        .writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': digest, 'content-length': String(manifest.length) })
        .end(req.method === 'HEAD' ? undefined : manifest);
    }
    const m = /^\/v2\/cat\/m\/blobs\/(sha256:[0-9a-f]+)$/.exec(p);
    const b = m && blobs[m[1]!];
    if (b) return void (typeof b === 'function' ? b(res) : res.writeHead(200, { 'content-length': String(b.length) }).end(b));
    return false;
  };
  return digest;
}

/** A manifest around a config and layer (descriptor sizes overridable). */
function craft(config: Buffer, layer: Buffer, sizes: { layer?: number } = {}): Buffer {
  const base = packEntries([{ path: 'module.cue', data: Buffer.from('package m\n') }], { name: 'm', version: '1.0.0', created: '2020-01-01T00:00:00Z' }).manifest;
  return Buffer.from(
    JSON.stringify({
      ...base,
      config: { ...base.config, digest: sha256Digest(config), size: config.length },
      layers: [{ ...base.layers[0]!, digest: sha256Digest(layer), size: sizes.layer ?? layer.length }],
    }),
  );
}

function catalog(): { cat: OciCatalog; cacheDir: string } {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'opm-sec-cache-'));
  return { cat: new OciCatalog(`oci://${host}/cat`, { cacheDir, env: { HOME: '/nonexistent' }, timeoutMs: 10_000 }), cacheDir };
}

function cacheIsEmpty(cacheDir: string): boolean {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  return walk(cacheDir).length === 0;
}

/** Runs a snippet against the compiled package in a child with a small heap: it must end with a clean error, not a crash. */
function childWithSmallHeap(code: string): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const dist = new URL('../dist/index.js', import.meta.url).href;
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--max-old-space-size=64', '--input-type=module', '-e', `const oci = await import(${JSON.stringify(dist)});\n${code}`],
      { timeout: 60_000, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr, ms: Date.now() - t0 }),
    );
  });
}

describe('security: downloads are bounded by opm, not by the descriptor (18.4)', () => {
  it('refuses an 8 GiB descriptor before downloading anything, in a 64 MB heap', async () => {
    const config = Buffer.from('{}');
    const layer = Buffer.from('x');
    // Were it downloaded, this blob would never end.
    const endless = (res: ServerResponse) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(1 << 20, 1);
      const pump = () => { while (res.write(chunk)); };
      res.on('drain', pump);
      pump();
      res.on('close', () => res.removeAllListeners('drain'));
    };
    serveModule(craft(config, layer, { layer: 8 * 1024 ** 3 }), { [sha256Digest(config)]: config, [sha256Digest(layer)]: endless });
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'opm-sec-cache-'));
    const r = await childWithSmallHeap(
      `const cat = new oci.OciCatalog('oci://${host}/cat', { cacheDir: ${JSON.stringify(cacheDir)}, env: { HOME: '/nonexistent' } });
       try { await cat.fetch('m', '1.0.0'); console.log('FETCHED'); } catch (e) { console.log('ERROR ' + e.message); }`,
    );
    expect(r.stderr).not.toMatch(/heap out of memory/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ERROR blob sha256:[0-9a-f]+ in cat\/m is too large \(its descriptor says 8589934592 bytes, at most 67108864\)/);
    expect(requests.some((q) => q.path === `/v2/cat/m/blobs/${sha256Digest(layer)}`)).toBe(false);
    expect(cacheIsEmpty(cacheDir)).toBe(true);
  });

  it('stops a blob that sends more than its descriptor says', async () => {
    const client = new RegistryClient({ registry: host });
    const big = Buffer.alloc(5 << 20, 7);
    handler = (_req, res, url) => (url.pathname.startsWith('/v2/cat/m/blobs/') ? void res.writeHead(200).end(big) : false);
    await expect(client.getBlob('cat/m', sha256Digest(Buffer.from('small')), { size: 5 })).rejects.toThrow(/too large/);
  });
});

describe('security: hostile archives are refused before anything reaches the cache (18.4)', () => {
  async function fetchLayer(tar: Buffer): Promise<{ err: Error | undefined; cacheDir: string }> {
    const layer = gzipSync(tar);
    const config = Buffer.from(JSON.stringify({ schemaVersion: 1, name: 'm', version: '1.0.0', files: [], contentDigest: sha256Digest(tar) }));
    serveModule(craft(config, layer), { [sha256Digest(config)]: config, [sha256Digest(layer)]: layer });
    const { cat, cacheDir } = catalog();
    const err = await cat.fetch('m', '1.0.0').then(() => undefined, (e: Error) => e);
    return { err, cacheDir };
  }

  /** A tar of `n` empty files (their headers only), built without keeping n entries around. */
  function manyFiles(n: number, nameOf: (i: number) => string): Buffer {
    const one = (name: string) => writeTar([{ path: name, data: new Uint8Array() }]).subarray(0, 512);
    const parts: Buffer[] = [];
    for (let i = 0; i < n; i++) parts.push(one(nameOf(i)));
    parts.push(Buffer.alloc(1024));
    return Buffer.concat(parts);
  }

  it('refuses 20,000 empty files quickly, and the cache stays empty', async () => {
    const t0 = Date.now();
    const { err, cacheDir } = await fetchLayer(manyFiles(20_000, (i) => `f${i}.cue`));
    expect(err?.message).toMatch(/more than 10000 entries/);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(cacheIsEmpty(cacheDir)).toBe(true);
  });

  it('refuses a deeply nested path', async () => {
    const { err, cacheDir } = await fetchLayer(manyFiles(1, () => `${'d/'.repeat(40)}x.cue`));
    expect(err?.message).toMatch(/deeper than 16 directories/);
    expect(cacheIsEmpty(cacheDir)).toBe(true);
  });

  it('refuses content that does not match the config it comes with', async () => {
    const tar = writeTar([{ path: 'module.cue', data: Buffer.from('package m\nx: 1\n') }]);
    const layer = gzipSync(tar);
    const config = Buffer.from(JSON.stringify({ schemaVersion: 1, name: 'm', version: '1.0.0', files: ['module.cue'], contentDigest: sha256Digest(Buffer.from('other')) }));
    serveModule(craft(config, layer), { [sha256Digest(config)]: config, [sha256Digest(layer)]: layer });
    const { cat, cacheDir } = catalog();
    await expect(cat.fetch('m', '1.0.0')).rejects.toThrow(/does not match the contentDigest/);
    expect(cacheIsEmpty(cacheDir)).toBe(true);
  });
});

describe('security: listings are bounded and stay on the registry (18.4, 18.6)', () => {
  it('stops endless tag pages with a clear error, in a 64 MB heap', async () => {
    handler = (_req, res, url) => {
      if (url.pathname !== '/v2/cat/m/tags/list') return false;
      const page = Number(url.searchParams.get('page') ?? 0);
      const tags = Array.from({ length: 1000 }, (_, i) => `1.${page}.${i}-${'x'.repeat(200)}`);
      res.writeHead(200, { 'content-type': 'application/json', link: `</v2/cat/m/tags/list?page=${page + 1}>; rel="next"` }).end(JSON.stringify({ tags }));
    };
    const r = await childWithSmallHeap(
      `const c = new oci.RegistryClient({ registry: '${host}' });
       try { await c.listTags('cat/m'); console.log('LISTED'); } catch (e) { console.log('ERROR ' + e.message); }`,
    );
    expect(r.stderr).not.toMatch(/heap out of memory/);
    expect(r.stdout).toMatch(/ERROR (list tags of cat\/m.*more than (100000 entries|\d+ bytes)|.*too large)/);
    expect(r.ms).toBeLessThan(60_000);
  });

  it('does not follow a next-page link to another host or scheme', async () => {
    handler = (_req, res, url) => {
      if (url.pathname !== '/v2/cat/m/tags/list') return false;
      res.writeHead(200, { 'content-type': 'application/json', link: '<http://localhost:1/v2/cat/m/tags/list?last=a>; rel="next"' }).end('{"tags":["1.0.0"]}');
    };
    await expect(new RegistryClient({ registry: host }).listTags('cat/m')).rejects.toThrow(/next-page link to another host or scheme \(http:\/\/localhost:1\)/);
  });
});

describe('security: credentials go in clear text only to the same loopback host (18.3)', () => {
  it('refuses to send Basic credentials over http to a token service on another host', async () => {
    // The registry is loopback http; its realm points at another host name (still reachable here).
    const port = host.split(':')[1];
    handler = (_req, res, url) => {
      if (url.pathname === '/token') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"t"}');
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://localhost:${port}/token",service="s"` }).end();
    };
    const client = new RegistryClient({ registry: host, credentials: { username: 'alice', password: 'clear-text-pw' } });
    const err = (await client.listTags('cat/m').catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/refusing to send credentials to token service http:\/\/localhost:\d+ over plain http/);
    expect(err.message).not.toContain('clear-text-pw');
    expect(requests.filter((q) => q.path.startsWith('/token'))).toEqual([]);
    expect(requests.some((q) => q.auth?.startsWith('Basic'))).toBe(false);
  });
});

describe('security: the module cache is private and re-verified on read (18.6)', () => {
  it('serves an edited cached file never: the entry is dropped and pulled again', async () => {
    const packed = packEntries([{ path: 'module.cue', data: Buffer.from('package m\nreplicas: 1\n') }], { name: 'm', version: '1.0.0', created: '2020-01-01T00:00:00Z' });
    const digest = serveModule(packed.manifestBytes, { [sha256Digest(packed.configBytes)]: packed.configBytes, [sha256Digest(packed.layer)]: packed.layer });
    const { cat, cacheDir } = catalog();
    const first = await cat.fetch('m', '1.0.0');
    expect(first.digest).toBe(digest);
    // Private: directories 0700, files 0600.
    expect(statSync(path.join(cacheDir)).mode & 0o077).toBe(0);
    expect(statSync(first.dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(first.dir, 'module.cue')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(first.dir, '..', 'manifest.json')).mode & 0o777).toBe(0o600);

    writeFileSync(path.join(first.dir, 'module.cue'), 'package m\nreplicas: 1\nhostNetwork: true\n');
    const again = await cat.fetch('m', '1.0.0', { digest });
    expect(again.cached).toBe(false);
    expect(readFileSync(path.join(again.dir, 'module.cue'), 'utf8')).toBe('package m\nreplicas: 1\n');
    // Unchanged, it is served from the cache.
    expect((await cat.fetch('m', '1.0.0', { digest })).cached).toBe(true);
  });
});

describe('security: layer blobs stream to disk, verified, and are not kept once unpacked (18.4)', () => {
  /** Every file under the cache (temporary ones included), relative. */
  const filesIn = (dir: string): string[] => {
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.relative(dir, path.join(d, e.name))]));
    return walk(dir);
  };
  function module(): { manifest: Buffer; config: Buffer; layer: Buffer } {
    // Incompressible content, so that the layer is large enough to arrive in several chunks.
    const packed = packEntries([{ path: 'module.cue', data: Buffer.from(`package m\nx: "${randomBytes(96 * 1024).toString('base64')}"\n`) }], { name: 'm', version: '1.0.0', created: '2020-01-01T00:00:00Z' });
    return { manifest: packed.manifestBytes, config: packed.configBytes, layer: packed.layer };
  }
  /** Serves the module with the layer answered by `send`. */
  function serveLayer(send: (res: ServerResponse, layer: Buffer) => void): { cat: OciCatalog; cacheDir: string; layer: Buffer } {
    const m = module();
    serveModule(m.manifest, { [sha256Digest(m.config)]: m.config, [sha256Digest(m.layer)]: (res) => send(res, m.layer) });
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'opm-sec-blob-'));
    return { cat: new OciCatalog(`oci://${host}/cat`, { cacheDir, env: { HOME: '/nonexistent' }, timeoutMs: 1500 }), cacheDir, layer: m.layer };
  }

  it('keeps no layer blob once the module is unpacked, and removes the blobs an older version kept', async () => {
    const { cat, cacheDir, layer } = serveLayer((res, l) => void res.writeHead(200, { 'content-length': String(l.length) }).end(l));
    // An older opm kept every layer in blobs/ as well as unpacked: such a blob, untouched for an hour, is removed.
    const legacy = path.join(cacheDir, 'blobs', 'sha256', 'a'.repeat(64));
    mkdirSync(path.dirname(legacy), { recursive: true });
    writeFileSync(legacy, randomBytes(4096));
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(legacy, hourAgo, hourAgo);
    const first = await cat.fetch('m', '1.0.0');
    expect(filesIn(cacheDir).sort()).toEqual(['config.json', 'manifest.json', 'module/module.cue'].map((f) => path.relative(cacheDir, path.join(first.dir, '..', f))).sort());
    expect(readdirSync(cacheDir).sort()).toEqual(['.tmp', 'sha256']);
    // The entry gone, the layer is downloaded again: it was not kept anywhere.
    rmSync(path.dirname(first.dir), { recursive: true });
    requests.length = 0;
    expect((await cat.fetch('m', '1.0.0')).cached).toBe(false);
    expect(requests.some((q) => q.path.endsWith(`/blobs/${sha256Digest(layer)}`))).toBe(true);
    expect(filesIn(path.join(cacheDir, '.tmp'))).toEqual([]);
  });

  const hostile: [string, (res: ServerResponse, layer: Buffer) => void, RegExp][] = [
    ['bytes that do not match the digest', (res, l) => void res.writeHead(200, { 'content-length': String(l.length) }).end(randomBytes(l.length)), /does not match its digest/],
    ['more bytes than the descriptor says (no length given)', (res, l) => void res.writeHead(200).end(Buffer.concat([l, randomBytes(200_000)])), /sends more than the \d+ bytes its descriptor says/],
    ['a declared length above the descriptor', (res, l) => void res.writeHead(200, { 'content-length': String(l.length + 1) }).end(), /too large \(\d+ bytes, at most \d+\)/],
    ['fewer bytes than the descriptor says', (res, l) => void res.writeHead(200).end(l.subarray(0, l.length >> 1)), /has \d+ bytes, its descriptor says \d+/],
    [
      'a connection closed halfway',
      (res, l) => {
        res.writeHead(200, { 'content-length': String(l.length) });
        res.write(l.subarray(0, l.length >> 1), () => setTimeout(() => res.destroy(), 50));
      },
      /download of blob sha256:[0-9a-f]+ from cat\/m failed after \d+ bytes/,
    ],
    [
      'a body that stops halfway and never ends',
      (res, l) => {
        res.writeHead(200, { 'content-length': String(l.length) });
        res.write(l.subarray(0, l.length >> 1));
      },
      /failed after \d+ bytes: no answer within 1500 ms/,
    ],
  ];
  for (const [what, send, message] of hostile) {
    it(`refuses ${what}, leaving no file behind`, async () => {
      const { cat, cacheDir } = serveLayer(send);
      await expect(cat.fetch('m', '1.0.0')).rejects.toThrow(message);
      expect(filesIn(cacheDir)).toEqual([]);
    });
  }

  it('an aborted download leaves no file behind', async () => {
    const m = module();
    let started!: () => void;
    const sent = new Promise<void>((r) => (started = r));
    handler = (_req, res, url) => {
      if (!url.pathname.startsWith('/v2/cat/m/blobs/')) return false;
      res.writeHead(200, { 'content-length': String(m.layer.length) });
      res.write(m.layer.subarray(0, 1000), () => started());
    };
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'opm-sec-blob-'));
    const abort = new AbortController();
    const dest = path.join(cacheDir, 'blobs', 'x');
    const download = new RegistryClient({ registry: host }).downloadBlob('cat/m', sha256Digest(m.layer), dest, { size: m.layer.length, tmpDir: path.join(cacheDir, '.tmp'), signal: abort.signal });
    await sent;
    // Most often the body has started to arrive by now; either way the download ends, cleanly.
    await new Promise((r) => setTimeout(r, 300));
    abort.abort();
    await expect(download).rejects.toThrow(/: aborted$/);
    expect(filesIn(cacheDir)).toEqual([]);
  });

  it('a large blob goes to disk, not memory: 256 MiB in a child whose resident size grows far less', async () => {
    const size = 256 << 20;
    const chunk = Buffer.alloc(1 << 20, 0x5a);
    let digest = '';
    {
      const h = createHash('sha256');
      for (let i = 0; i < size / chunk.length; i++) h.update(chunk);
      digest = `sha256:${h.digest('hex')}`;
    }
    handler = (_req, res, url) => {
      if (url.pathname !== `/v2/cat/m/blobs/${digest}`) return false;
      res.writeHead(200, { 'content-length': String(size) });
      let left = size / chunk.length;
      const pump = () => {
        while (left > 0) {
          left--;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    };
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'opm-sec-blob-'));
    const dest = path.join(cacheDir, 'blobs', 'big');
    try {
      const r = await childWithSmallHeap(
        `const base = process.memoryUsage().rss; let peak = base;
         const t = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
         try {
           const res = await new oci.RegistryClient({ registry: '${host}' }).downloadBlob('cat/m', '${digest}', ${JSON.stringify(dest)}, { size: ${size}, tmpDir: ${JSON.stringify(path.join(cacheDir, '.tmp'))} });
           console.log('SIZE ' + res.size + ' GROWTH ' + Math.round((peak - base) / 1048576));
         } catch (e) { console.log('ERROR ' + e.message); } finally { clearInterval(t); }`,
      );
      const m = /SIZE (\d+) GROWTH (\d+)/.exec(r.stdout);
      expect(m, r.stdout + r.stderr).not.toBeNull();
      expect(Number(m![1])).toBe(size);
      expect(statSync(dest).size).toBe(size);
      expect(Number(m![2])).toBeLessThan(96);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }, 120_000);
});
