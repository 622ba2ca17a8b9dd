// Disjuncts are merged only when equal as CUE's structural equality sees
// them, which includes what a value allows beyond its fields: whether a list
// is open, its element type, pattern constraints. `[] | [...int]` was merged
// into `[]` (and `[...int] | [...string]` into `[...int]`), so a reference
// to the field (`p & [1]`) failed on the disjunct that had been dropped.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

describe('disjuncts that differ only in what they allow', () => {
  const cases: [string, string, unknown][] = [
    ['[] | [...int]', '[1]', [1]],
    ['[...int] | [...string]', '["a"]', ['a']],
    ['{[string]: int} | {[string]: string}', '{a: "s"}', { a: 's' }],
  ];
  for (const [d, data, want] of cases) {
    it(d, () => {
      const v = compile(`x: ${d}\ny: x & ${data}`);
      expect(v.lookupPath('x').toCUE().replace(/\s+/g, ' ')).toContain('|');
      expect(v.lookupPath('y').toJS()).toEqual(want);
    });
  }
  it('equal ones are still merged', () => {
    const v = compile('x: [...int] | [...int]\nz: {[string]: int} | {[string]: int}');
    expect(v.lookupPath('x').toCUE()).toBe('[...int]');
    expect(v.lookupPath('z').toCUE()).not.toContain('|');
  });
});

// Disjunctions inside disjuncts are compared term by term in the order CUE
// keeps them, defaults first: `{a: *1 | 2}` and `{a: 1 | *2}` differ (they
// were merged, and the value exported as {a: 1}); `{a: *1 | 2}` and
// `{a: 1 | 2}` are the same terms in the same order and merge, as in CUE.
describe('disjuncts holding disjunctions with different defaults', () => {
  it('are kept apart when their defaults differ', () => {
    const v = compile('x: {a: *1 | 2} | {a: 1 | *2}');
    expect(v.lookupPath('x').toCUE().replace(/\s+/g, ' ')).toBe('{ a: *1 | 2 } | { a: 1 | *2 }');
    expect(() => v.lookupPath('x').toJS()).toThrow(/incomplete/);
  });
  it('are merged when the terms are the same in the same order', () => {
    expect(compile('z: {a: *1 | 2} | {a: 1 | 2}').lookupPath('z').toJS()).toEqual({ a: 1 });
  });
});
