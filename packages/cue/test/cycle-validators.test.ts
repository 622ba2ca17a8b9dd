// A validator applied to a value that is a structural cycle fails as that
// cycle (code structural cycle), not as an ordinary validation error.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

describe('validators over a structural cycle', () => {
  it('keep the structural cycle code, for lists and structs, nested and in definitions', () => {
    for (const [src, path] of [
      ['import "list"\na: list.MinItems(1) & [a]', 'a'],
      ['import "list"\nl: list.UniqueItems() & [l]', 'l'],
      ['import "struct"\ns: struct.MinFields(1) & {a: s}', 's'],
      ['import "list"\nd: {l: [list.MaxItems(3) & [d]]}', 'd.l[0]'],
      ['import "list"\n#L: list.MinItems(1) & [#L]', '#L'],
    ] as const) {
      const e = compile(src).lookupPath(path).err();
      expect(e?.code, src).toBe('structural cycle');
      expect(e?.detail, src).toContain('structural cycle');
    }
  });

  it('a validator that fails on its own is still an eval error', () => {
    expect(compile('import "list"\na: list.MinItems(2) & [1]').lookupPath('a').err()?.code).toBe('eval');
  });
});
