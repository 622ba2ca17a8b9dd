// Security (issue 18.1, 18.2): a catalog reads nothing outside itself, and a
// catalog opm finds by itself cannot be planted or changed by another user.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectoryCatalog, directoryCatalogFor, resolveCatalogLocation } from '../src/directory-catalog.js';
import { renderReleaseFile } from '../src/node-session.js';
import { BUNDLED_CATALOG_DIR } from '../src/shipped.js';
import { mapBounded, readCuePackage } from '../src/sources.js';
import { nodeFileSystem } from '../src/fs.js';
import { RELEASES_DIR } from './helpers.js';

const MOD = 'simple-web-app';
const VER = '1.0.0-platform.1';

function catalogCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'opm-sec-cat-'));
  cpSync(BUNDLED_CATALOG_DIR, dir, { recursive: true });
  return dir;
}

/** A file outside the catalog that would evaluate as CUE, as ~/.docker/config.json does. */
function outsideSecret(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'opm-sec-home-'));
  const f = path.join(dir, 'config.json');
  writeFileSync(f, '{"auths": {"registry.example": {"auth": "c2VjcmV0LXRva2VuLTQy"}}}\n');
  return f;
}

describe('security: a directory catalog reads nothing outside itself (18.1)', () => {
  it('refuses a .cue symlink in a module version, naming it', async () => {
    const cat = catalogCopy();
    symlinkSync(outsideSecret(), path.join(cat, MOD, VER, 'zz-leak.cue'));
    const err = await new DirectoryCatalog(cat).fetch(MOD, VER).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/zz-leak\.cue is a symbolic link/);
    // And through a whole render: the release fails, nothing of the linked file is printed.
    const e2 = await renderReleaseFile(path.join(RELEASES_DIR, 'web-app-dev.cue'), { catalog: cat }).then(() => undefined, (e: Error) => e);
    expect(e2?.message).toMatch(/symbolic link/);
    expect(e2?.message).not.toContain('c2VjcmV0');
  });

  it('refuses a linked module directory, version directory, provider and platform.cue', async () => {
    const outsideDir = mkdtempSync(path.join(tmpdir(), 'opm-sec-out-'));
    cpSync(path.join(BUNDLED_CATALOG_DIR, MOD), path.join(outsideDir, MOD), { recursive: true });

    const a = catalogCopy();
    symlinkSync(path.join(outsideDir, MOD), path.join(a, 'linked-mod'));
    await expect(new DirectoryCatalog(a).fetch('linked-mod', VER)).rejects.toThrow(/linked-mod is a symbolic link/);

    const b = catalogCopy();
    symlinkSync(path.join(outsideDir, MOD, VER), path.join(b, MOD, '9.9.9'));
    await expect(new DirectoryCatalog(b).listVersions(MOD)).rejects.toThrow(/9\.9\.9 is a symbolic link/);

    const c = catalogCopy();
    mkdirSync(path.join(c, 'providers'));
    symlinkSync(outsideDir, path.join(c, 'providers', 'evil'));
    await expect(new DirectoryCatalog(c).providerPackages()).rejects.toThrow(/providers\/evil is a symbolic link/);

    const d = catalogCopy();
    mkdirSync(path.join(d, 'providers', 'p'), { recursive: true });
    symlinkSync(outsideSecret(), path.join(d, 'providers', 'p', 'x.cue'));
    await expect(new DirectoryCatalog(d).providerPackages()).rejects.toThrow(/x\.cue is a symbolic link/);

    const e = catalogCopy();
    const realPlatform = path.join(outsideDir, 'platform.cue');
    cpSync(path.join(BUNDLED_CATALOG_DIR, 'platform.cue'), realPlatform);
    const { rmSync } = await import('node:fs');
    rmSync(path.join(e, 'platform.cue'));
    symlinkSync(realPlatform, path.join(e, 'platform.cue'));
    await expect(new DirectoryCatalog(e).platformFiles()).rejects.toThrow(/platform\.cue is a symbolic link/);
  });

  it('refuses @embed in a catalog module, at file:line:col: a parent path, a linked file and even a file of its own directory', async () => {
    // Catalog sources come without the loader's EmbedFiles, so a catalog module embeds nothing (its files would not
    // travel with it to an OCI artifact or a browser snapshot either); the paths are refused before any read.
    const secret = outsideSecret();
    const cases: [string, RegExp][] = [
      ['_leak: _ @embed(file="../../secret.json")', /@embed: cannot embed files when not in a module\n\s+\S*module\.cue:6:\d+/],
      ['_leak: _ @embed(file=linked.json)', /@embed: cannot embed files when not in a module\n\s+\S*module\.cue:6:\d+/],
      ['_leak: _ @embed(file=data.json)', /@embed: cannot embed files when not in a module/],
      ['_leak: _ @embed(glob=*.json)', /@embed: cannot embed files when not in a module/],
    ];
    for (const [decl, re] of cases) {
      const cat = catalogCopy();
      const dir = path.join(cat, MOD, VER);
      writeFileSync(path.join(cat, 'secret.json'), readFileSync(secret));
      writeFileSync(path.join(dir, 'data.json'), readFileSync(secret));
      symlinkSync(secret, path.join(dir, 'linked.json'));
      const file = path.join(dir, 'module.cue');
      writeFileSync(file, `@extern(embed)\n\n${readFileSync(file, 'utf8')}\n${decl}\n`);
      const text = readFileSync(file, 'utf8');
      const line = text.split('\n').findIndex((l) => l.startsWith('_leak')) + 1;
      const e = await renderReleaseFile(path.join(RELEASES_DIR, 'web-app-dev.cue'), { catalog: cat }).then(() => undefined, (x: Error) => x);
      expect(e?.message, decl).toMatch(new RegExp(re.source.replace('module\\.cue:6:', `module\\.cue:${line}:`)));
      expect(e?.message, decl).not.toContain('c2VjcmV0');
    }
  });

  it('does not follow a link swapped in after the directory was listed (O_NOFOLLOW)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-sec-race-'));
    symlinkSync(outsideSecret(), path.join(dir, 'a.cue'));
    // The listing is taken as if a.cue were a plain file; the read itself must still refuse the link.
    const fs = { ...nodeFileSystem, readDir: async () => [{ name: 'a.cue', isDir: false }] };
    await expect(readCuePackage(fs, dir)).rejects.toThrow(/a\.cue is a symbolic link/);
  });

  it('reads thousands of catalog files with bounded concurrency (no EMFILE)', async () => {
    let open = 0;
    let most = 0;
    const out = await mapBounded(Array.from({ length: 5000 }, (_, i) => i), 32, async (i) => {
      open++;
      most = Math.max(most, open);
      await new Promise((r) => setImmediate(r));
      open--;
      return i * 2;
    });
    expect(most).toBeLessThanOrEqual(32);
    expect(out[4999]).toBe(9998);
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-sec-many-'));
    for (let i = 0; i < 3000; i++) writeFileSync(path.join(dir, `f${i}.cue`), `package p\nf${i}: ${i}\n`);
    expect((await readCuePackage(nodeFileSystem, dir)).length).toBe(3000);
  });
});

describe('security: the catalog cannot be chosen by someone else (18.2)', () => {
  const env = (home: string) => ({ HOME: home });

  it('stops looking for opm.yaml at the repository root and at $HOME', async () => {
    const top = mkdtempSync(path.join(tmpdir(), 'opm-sec-walk-'));
    writeFileSync(path.join(top, 'opm.yaml'), `catalog: ${catalogCopy()}\n`); // planted above the repository
    const repo = path.join(top, 'repo');
    mkdirSync(path.join(repo, '.git'), { recursive: true });
    mkdirSync(path.join(repo, 'src'));
    const inRepo = await resolveCatalogLocation({ env: env('/nonexistent-home'), cwd: path.join(repo, 'src') });
    expect(inRepo.origin).toBe('default');

    const home = path.join(top, 'home');
    mkdirSync(path.join(home, 'work'), { recursive: true });
    const inHome = await resolveCatalogLocation({ env: env(home), cwd: path.join(home, 'work') });
    expect(inHome.origin).toBe('default');

    // Inside the repository an opm.yaml is still found.
    writeFileSync(path.join(repo, 'opm.yaml'), 'catalog: ./cat\n');
    mkdirSync(path.join(repo, 'cat'));
    expect(await resolveCatalogLocation({ env: env('/nonexistent-home'), cwd: path.join(repo, 'src') })).toMatchObject({ location: path.join(repo, 'cat'), origin: 'opm.yaml' });
  });

  it("ignores, with a warning, an opm.yaml or catalog that is another user's or writable by others", async () => {
    const top = mkdtempSync(path.join(tmpdir(), 'opm-sec-own-'));
    mkdirSync(path.join(top, '.git'));
    const cat = catalogCopy();
    writeFileSync(path.join(top, 'opm.yaml'), `catalog: ${cat}\n`);
    // The file belongs to the test's user; seen from another user's process it is someone else's.
    const me = process.geteuid!();
    const other = me === 0 ? 4242 : me + 1;
    const foreign = await resolveCatalogLocation({ env: env('/nonexistent-home'), cwd: top, uid: other });
    if (me !== 0) {
      expect(foreign.origin).toBe('default');
      expect(foreign.warnings?.join('\n')).toMatch(/ignoring .*opm\.yaml: it is owned by another user/);
    } else {
      // Files of root are trusted (root can change anything anyway): give the file to the other uid.
      const { chownSync } = await import('node:fs');
      chownSync(path.join(top, 'opm.yaml'), 4243, 4243);
      const r = await resolveCatalogLocation({ env: env('/nonexistent-home'), cwd: top, uid: other });
      expect(r.origin).toBe('default');
      expect(r.warnings?.join('\n')).toMatch(/ignoring .*opm\.yaml: it is owned by another user \(uid 4243\)/);
      chownSync(path.join(top, 'opm.yaml'), me, me);
    }

    chmodSync(path.join(top, 'opm.yaml'), 0o666);
    const writable = await resolveCatalogLocation({ env: env('/nonexistent-home'), cwd: top });
    expect(writable.origin).toBe('default');
    expect(writable.warnings?.join('\n')).toMatch(/opm\.yaml: it is writable by others \(mode 666\)/);
    chmodSync(path.join(top, 'opm.yaml'), 0o644);

    chmodSync(cat, 0o777);
    const badCat = await resolveCatalogLocation({ env: env('/nonexistent-home'), cwd: top });
    expect(badCat.origin).toBe('default');
    expect(badCat.warnings?.join('\n')).toMatch(/ignoring catalog .* it is writable by others/);
    chmodSync(cat, 0o755);

    // A catalog found this way has every directory and file checked as it is read.
    const ok = await resolveCatalogLocation({ env: env('/nonexistent-home'), cwd: top });
    expect(ok).toMatchObject({ location: cat, origin: 'opm.yaml' });
    chmodSync(path.join(cat, MOD, VER), 0o777);
    await expect(directoryCatalogFor(ok).fetch(MOD, VER)).rejects.toThrow(/is writable by others.*refusing the catalog found through opm\.yaml/);
    // Chosen explicitly, the same catalog is the user's decision.
    expect((await new DirectoryCatalog(cat).fetch(MOD, VER)).files.length).toBeGreaterThan(0);
    expect(readdirSync(cat)).toContain(MOD);
  });
});
