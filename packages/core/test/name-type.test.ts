// One source for #NameType: the TypeScript constant (name-type.ts) is the
// pattern the shipped schema declares, and accepts exactly what the schema
// accepts; the directory catalog refuses other module names with that rule.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DirectoryCatalog } from '../src/index.js';
import { NAME_TYPE_PATTERN, NAME_TYPE_RULE, isNameType } from '../src/name-type.js';
import { bundledSession } from './helpers.js';
import { BUNDLED_CATALOG_DIR } from '../src/shipped.js';

describe('#NameType', () => {
  it('is the pattern of core\'s schema (schema/metadata.cue)', async () => {
    const core = await (await bundledSession()).coreSchema();
    expect(core.lookup('#NameType').toCUE()).toBe(`=~${JSON.stringify(NAME_TYPE_PATTERN)}`);
  });

  it('accepts exactly what the schema accepts', async () => {
    const session = await bundledSession();
    const nameType = (await session.coreSchema()).lookup('#NameType');
    const schemaAccepts = (s: string) => !nameType.unify(session.ctx.encode(s)).err();
    const label = fc.oneof(
      fc.stringMatching(/^[a-z0-9-]{0,70}$/),
      fc.string({ maxLength: 70 }),
      fc.constantFrom('a', 'a-b', '-a', 'a-', 'A', 'a_b', 'a.b', 'a'.repeat(63), 'a'.repeat(64), ''),
    );
    fc.assert(fc.property(label, (s) => isNameType(s) === schemaAccepts(s)), { numRuns: 300 });
  });

  it('a catalog has no module whose name is not one, saying the rule', async () => {
    const cat = new DirectoryCatalog(BUNDLED_CATALOG_DIR);
    await expect(cat.fetch('../simple-web-app', '1.0.0')).rejects.toThrow(`has no module ../simple-web-app (a module name must match ${NAME_TYPE_RULE})`);
    await expect(cat.fetch('Simple-Web-App', '1.0.0')).rejects.toThrow(/a module name must match #NameType .*; modules: ecommerce-platform, simple-web-app/);
    // A valid name that is not there: no rule to state.
    await expect(cat.fetch('wordpress', '1.0.0')).rejects.toThrow(/has no module wordpress; modules:/);
  });
});
