import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectoryCatalog, resolveCatalogLocation } from '../src/directory-catalog.js';
import { readSecretSpecs } from '../src/secrets.js';
import { parseCatalogImport } from '../src/session.js';
import { BUNDLED_CATALOG_DIR } from '../src/shipped.js';
import { packageNameOf } from '../src/sources.js';

describe('directory catalog', () => {
  const cat = new DirectoryCatalog(BUNDLED_CATALOG_DIR);

  it('lists the bundled modules and versions', async () => {
    expect(await cat.listModules()).toEqual(['ecommerce-platform', 'simple-web-app']);
    expect(await cat.listVersions('simple-web-app')).toEqual(['1.0.0-platform.1']);
    const { files } = await cat.fetch('ecommerce-platform', '2.1.0-enterprise.3');
    expect(files.map((f) => path.basename(f.filename)).sort()).toEqual(['definition.cue', 'module.cue']);
    expect((await cat.platformFiles())?.[0]?.filename).toMatch(/platform\.cue$/);
  });

  it('rejects an unknown module, listing the modules it has', async () => {
    await expect(cat.fetch('wordpress', '1.0.0')).rejects.toThrow(/has no module wordpress; modules: ecommerce-platform, simple-web-app/);
  });

  it('rejects an unknown version, listing the versions it has', async () => {
    await expect(cat.fetch('simple-web-app', '2.0.0')).rejects.toThrow(/has no version 2.0.0 of module simple-web-app; available: 1.0.0-platform.1/);
  });

  it('sorts versions by semver', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-cat-'));
    for (const v of ['1.10.0', '1.2.0', '1.2.0-platform.1']) mkdirSync(path.join(dir, 'm', v), { recursive: true });
    expect(await new DirectoryCatalog(dir).listVersions('m')).toEqual(['1.2.0-platform.1', '1.2.0', '1.10.0']);
  });
});

describe('catalog location', () => {
  it('prefers --catalog, then OPM_CATALOG, then opm.yaml, then the bundled catalog', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-loc-'));
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'opm.yaml'), 'catalog: ./my-catalog\n');
    const cwd = path.join(dir, 'sub');
    expect(await resolveCatalogLocation({ flag: 'x', env: { OPM_CATALOG: '/y' }, cwd })).toEqual({ location: path.join(cwd, 'x'), origin: 'flag' });
    expect(await resolveCatalogLocation({ env: { OPM_CATALOG: '/y' }, cwd })).toEqual({ location: '/y', origin: 'env' });
    expect(await resolveCatalogLocation({ env: {}, cwd })).toMatchObject({ location: path.join(dir, 'my-catalog'), origin: 'opm.yaml' });
    expect(await resolveCatalogLocation({ env: {}, cwd: tmpdir() })).toEqual({ location: BUNDLED_CATALOG_DIR, origin: 'default' });
    expect((await resolveCatalogLocation({ env: { OPM_CATALOG: 'oci://reg.example/cat' }, cwd })).location).toBe('oci://reg.example/cat');
  });
});

describe('import paths and packages', () => {
  it('parses catalog imports', () => {
    expect(parseCatalogImport('platform.company.com/catalog/simple-web-app:1.0.0-platform.1')).toEqual({ name: 'simple-web-app', version: '1.0.0-platform.1' });
    expect(parseCatalogImport('strings')).toBeUndefined();
    expect(parseCatalogImport('example.com/catalog/x')).toBeUndefined();
  });

  it('reads package clauses', () => {
    expect(packageNameOf('// c\npackage simplewebapp\n')).toBe('simplewebapp');
    expect(packageNameOf('x: 1')).toBeUndefined();
  });
});

describe('secrets supplied at build time', () => {
  it('reads env: and file: sources and refuses literals', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-sec-'));
    writeFileSync(path.join(dir, 'pw'), 'from-file-secret\n');
    expect(await readSecretSpecs(['database.password=env:DB_PW', 'a.b=file:pw'], { env: { DB_PW: 'from-env-secret' }, cwd: dir })).toEqual({
      'database.password': 'from-env-secret',
      'a.b': 'from-file-secret',
    });
    await expect(readSecretSpecs(['database.password=hunter2'], { env: {} })).rejects.toThrow(/expected PATH=env:VAR or PATH=file:FILE/);
    await expect(readSecretSpecs(['x=env:NOPE'], { env: {} })).rejects.toThrow(/environment variable NOPE is not set/);
  });
});
