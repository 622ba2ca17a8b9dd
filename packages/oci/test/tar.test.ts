import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { collectFiles, packEntries, packLayer, parseModuleManifest, readTar, unpackLayer, writeTar, type TarEntry } from '../src/index.js';

const enc = (s: string) => Buffer.from(s);

function sorted(entries: TarEntry[]) {
  return entries.map((e) => ({ path: e.path, data: Buffer.from(e.data).toString('utf8') })).sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** A raw header for hand-made archives (what other tools may produce). */
function rawHeader(name: string, size: number, type: string, prefix = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.fill(0x20, 148, 156);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.write(prefix, 345);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}
const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);

describe('tar', () => {
  it('round-trips files, including long paths and binary content', () => {
    const longDir = 'a'.repeat(90) + '/' + 'b'.repeat(60);
    const entries: TarEntry[] = [
      { path: 'module.cue', data: enc('package web\n') },
      { path: 'sub/dir/definition.cue', data: enc('x: 1\n') },
      { path: `${longDir}/${'c'.repeat(95)}.cue`, data: enc('long\n') },
      { path: 'empty.txt', data: Buffer.alloc(0) },
      { path: 'bin.dat', data: Buffer.from([0, 1, 2, 255, 254]), mode: 0o755 },
      { path: 'exactly512', data: Buffer.alloc(512, 7) },
      { path: 'ünïcode.cue', data: enc('ü: "ß"\n') },
    ];
    const tar = writeTar(entries);
    expect(tar.length % 512).toBe(0);
    const back = readTar(tar);
    expect(sorted(back)).toEqual(sorted(entries));
    expect(back.find((e) => e.path === 'bin.dat')!.mode).toBe(0o755);
    expect(back.find((e) => e.path === 'module.cue')!.mode).toBe(0o644);
  });

  it('is deterministic: order of input and modes do not change the bytes', () => {
    const a = writeTar([{ path: 'b', data: enc('2') }, { path: 'a', data: enc('1'), mode: 0o600 }]);
    const b = writeTar([{ path: 'a', data: enc('1'), mode: 0o664 }, { path: 'b', data: enc('2') }]);
    expect(a.equals(b)).toBe(true);
    // Zeroed mtime (offset 136) and uid/gid.
    expect(a.subarray(136, 147).toString()).toBe('00000000000');
    expect(packLayer([{ path: 'a', data: enc('1') }]).layer.equals(packLayer([{ path: 'a', data: enc('1') }]).layer)).toBe(true);
    // The gzip OS byte is fixed, and the layer is valid gzip.
    const { layer, tar } = packLayer([{ path: 'a', data: enc('1') }]);
    expect(layer[9]).toBe(0xff);
    expect(gunzipSync(layer).equals(tar)).toBe(true);
  });

  it('refuses unsafe paths, links and duplicates', () => {
    expect(() => writeTar([{ path: '../evil', data: enc('') }])).toThrow(/leaves the module directory/);
    expect(() => writeTar([{ path: '/etc/passwd', data: enc('') }])).toThrow(/absolute/);
    expect(() => writeTar([{ path: 'a', data: enc('') }, { path: './a', data: enc('') }])).toThrow(/duplicate/);
    const traversal = Buffer.concat([rawHeader('x/../../evil', 0, '0'), Buffer.alloc(1024)]);
    expect(() => readTar(traversal)).toThrow(/leaves the module directory/);
    const link = Buffer.concat([rawHeader('link', 0, '2'), Buffer.alloc(1024)]);
    expect(() => readTar(link)).toThrow(/not supported yet: tar entry type "2"/);
    const bad = rawHeader('a', 0, '0');
    bad[0] = 'b'.charCodeAt(0); // checksum now wrong
    expect(() => readTar(Buffer.concat([bad, Buffer.alloc(1024)]))).toThrow(/checksum/);
    expect(() => readTar(Buffer.concat([rawHeader('a', 100, '0'), Buffer.alloc(10)]))).toThrow(/truncated/);
  });

  it('reads archives of other tools: directories, ustar prefix, GNU long names, PAX paths', () => {
    const long = `${'long-directory-name-'.repeat(8)}/${'d/'.repeat(10)}file.cue`; // long (PAX), not deep
    const pax = Buffer.from(`${(`path=${long}\n`.length + 4).toString()} path=${long}\n`);
    expect(pax.toString().startsWith(`${pax.length} `)).toBe(true);
    const gnuName = Buffer.from(`${'g'.repeat(140)}/gnu.cue\0`);
    const archive = Buffer.concat([
      rawHeader('dir/', 0, '5'),
      rawHeader('name.cue', 2, '0', 'pre/fix'),
      pad(enc('p\n')),
      rawHeader('PaxHeader', pax.length, 'x'),
      pad(pax),
      rawHeader('ignored', 2, '0'),
      pad(enc('x\n')),
      rawHeader('././@LongLink', gnuName.length, 'L'),
      pad(gnuName),
      rawHeader('truncated', 2, '0'),
      pad(enc('g\n')),
      Buffer.alloc(1024),
    ]);
    expect(readTar(archive).map((e) => e.path)).toEqual(['pre/fix/name.cue', long, `${'g'.repeat(140)}/gnu.cue`]);
  });

  it('rejects gzip bombs and garbage layers with a clear error', () => {
    expect(() => unpackLayer(Buffer.from('not gzip'))).toThrow(/not valid gzip/);
  });
});

describe('module packing', () => {
  it('collects regular files recursively and refuses symlinks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opm-oci-collect-'));
    try {
      await writeFile(join(dir, 'module.cue'), 'a');
      expect((await collectFiles(dir)).map((e) => e.path)).toEqual(['module.cue']);
      await symlink('/etc/passwd', join(dir, 'link.cue'));
      await expect(collectFiles(dir)).rejects.toThrow(/not supported yet: symbolic links.*link\.cue/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await expect(collectFiles(join(dir, 'missing'))).rejects.toThrow(/does not exist/);
  });

  it('builds a manifest that parses back as an opm module, and refuses others', () => {
    const p = packEntries([{ path: 'module.cue', data: enc('x') }], { name: 'web', version: '1.0.0', created: '2026-01-01T00:00:00Z' });
    expect(parseModuleManifest(p.manifestBytes, 'x').layers).toHaveLength(1);
    expect(p.config.contentDigest).toMatch(/^sha256:/);
    const image = Buffer.from(JSON.stringify({ schemaVersion: 2, config: { mediaType: 'application/vnd.oci.image.config.v1+json' }, layers: [] }));
    expect(() => parseModuleManifest(image, 'oci://r/img:1')).toThrow(/oci:\/\/r\/img:1 is not an opm module artifact/);
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] }));
    expect(() => parseModuleManifest(index, 'x')).toThrow(/not supported yet: .* image index/);
    // SOURCE_DATE_EPOCH fixes `created` for reproducible manifests.
    const r = packEntries([{ path: 'a', data: enc('') }], { name: 'w', version: '1.0.0', env: { SOURCE_DATE_EPOCH: '1700000000' } });
    expect(r.manifest.annotations!['org.opencontainers.image.created']).toBe('2023-11-14T22:13:20Z');
  });
});
