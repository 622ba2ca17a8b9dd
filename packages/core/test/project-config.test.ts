// opm.yaml decides which catalog (rules, providers) a build uses: every mistake
// in it is an error naming the file, never a silent fall-back to another catalog.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveCatalogLocation } from '../src/directory-catalog.js';
import { ValidationError } from '../src/errors.js';
import { parseProjectConfig } from '../src/project-config.js';

function problems(text: string): string[] {
  try {
    parseProjectConfig(text, '/p/opm.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).problems;
  }
  throw new Error('expected opm.yaml to be rejected');
}

describe('opm.yaml', () => {
  it('reads the catalog', () => {
    expect(parseProjectConfig('# the platform catalog\ncatalog: ./cat\n', 'f')).toEqual({ catalog: './cat' });
    expect(parseProjectConfig('catalog: oci://127.0.0.1:5000/cat', 'f')).toEqual({ catalog: 'oci://127.0.0.1:5000/cat' });
  });

  it('rejects a misspelled key with the line and the key it resembles', () => {
    expect(problems('\ncatalgo: ./cat\n')).toEqual([
      '/p/opm.yaml:2: unknown key "catalgo" (did you mean catalog?); opm.yaml knows: catalog',
      '/p/opm.yaml: "catalog" is missing (catalog: DIR or oci://REGISTRY/PREFIX)',
    ]);
    expect(problems('catalog: ./cat\nregistry: x\n')[0]).toBe('/p/opm.yaml:2: unknown key "registry"; opm.yaml knows: catalog');
  });

  it.each([
    ['catalog: [unclosed\n', /^\/p\/opm\.yaml:\d+: not valid YAML: /],
    ['- catalog\n', /^\/p\/opm\.yaml: must be a mapping/],
    ['', /^\/p\/opm\.yaml: must be a mapping/],
    ['catalog: 42\n', /^\/p\/opm\.yaml: "catalog" must be a directory or an oci:\/\/ URL, not 42$/],
    ['catalog: ""\n', /"catalog" must be a directory/],
  ])('rejects %j naming the file', (text, expected) => {
    expect(problems(text)[0]).toMatch(expected);
  });

  it('is an error when catalogs are resolved, not a fall-back to the bundled catalog', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-yaml-'));
    const cwd = path.join(dir, 'sub');
    mkdirSync(cwd);
    writeFileSync(path.join(dir, 'opm.yaml'), 'catalgo: ./cat\n');
    await expect(resolveCatalogLocation({ env: {}, cwd })).rejects.toThrow(`${path.join(dir, 'opm.yaml')}:1: unknown key "catalgo"`);
  });
});
