// A module's values can be secret only when a file it is built from (its own,
// or a package they import) holds a `@secret()` attribute; otherwise the walks
// for secret fields are skipped (src/secret-sources.ts). The text test must
// never miss an attribute: it may only leave out comment lines.
import { describe, expect, it } from 'vitest';
import { loadModule, openSession } from '../src/index.js';
import { textMayMarkSecrets } from '../src/secret-sources.js';
import { BUNDLED_CATALOG_DIR } from '../src/shipped.js';
import { tempCatalog } from './helpers.js';

describe('whether a module can hold secrets', () => {
  it('an attribute anywhere outside a comment line counts, also after a "//" inside a string', () => {
    expect(textMayMarkSecrets('a: string @secret()')).toBe(true);
    expect(textMayMarkSecrets('url: "http://x" @secret()')).toBe(true);
    expect(textMayMarkSecrets('a: 1\n\tb: string @secret(), c: 2')).toBe(true);
    expect(textMayMarkSecrets('// mark a field with @secret()\n\t// or @secret(x)\na: 1')).toBe(false);
    expect(textMayMarkSecrets('s: """\n\t// @secret() here is text\n\t"""')).toBe(false);
    // Another attribute whose name starts the same way still counts (the test stays on the safe side).
    expect(textMayMarkSecrets('a: int @secretive()')).toBe(true);
    expect(textMayMarkSecrets('a: int @tag(x)')).toBe(false);
  });

  it('a module without secrets is known to have none; one with secrets keeps every path', async () => {
    const session = await openSession({ catalog: BUNDLED_CATALOG_DIR });
    const web = await loadModule(session, 'simple-web-app', '1.0.0-platform.1');
    expect(web.secretsPossible).toBe(false);
    expect(web.secretPaths).toEqual([]);
    const shop = await loadModule(session, 'ecommerce-platform', '2.1.0-enterprise.3');
    expect(shop.secretsPossible).toBe(true);
    expect(shop.secretPaths).toEqual(expect.arrayContaining(['database.password', 'platform.monitoring.alerts.pagerduty']));
  });

  it('a secret that comes from an imported package counts', async () => {
    const catalog = tempCatalog('simple-web-app/1.0.0-platform.1/definition.cue', (s) =>
      s
        .replace('import core "core.opm.dev/v1"', 'import (\n\tcore "core.opm.dev/v1"\n\tshop "platform.company.com/catalog/ecommerce-platform:2.1.0-enterprise.3"\n)')
        .replace('\tvalues: {\n', '\tvalues: {\n\t\tdb?: shop.#Definition.values.database\n'),
    );
    const web = await loadModule(await openSession({ catalog }), 'simple-web-app', '1.0.0-platform.1');
    expect(web.secretsPossible).toBe(true);
    expect(web.secretPaths).toContain('db.password');
  });
});
