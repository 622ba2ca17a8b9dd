// `{1}` is the scalar 1: selecting a field from it is an error, as from 1,
// not an incomplete "undefined field" that a scalar next to it then hides
// (`a: {1} | 1; c: a & a.f` gave c: 1; written `1 | {1}` it failed).
import { describe, expect, it } from 'vitest';
import { compile, errOf } from './eval-helpers.js';

describe('selecting from an embedded scalar', () => {
  it('is an eval error, in any order', () => {
    for (const src of ['a: {1}\nc: a.f', 'a: {"s"}\nc: a.f', 'a: {1} | 1\nc: a & a.f', 'a: 1 | {1}\nc: a & a.f', 'a: {1}\nc: 1 & a.f']) {
      const e = errOf(src, 'c');
      expect(e.code, src).toBe('eval');
      expect(e.message, src).toMatch(/invalid selector f: .* is not a struct/);
    }
  });

  it('definitions next to the scalar can still be selected', () => {
    expect(compile('a: {1, #x: 2}\nc: a.#x').toJS()).toEqual({ a: 1, c: 2 });
  });
});
