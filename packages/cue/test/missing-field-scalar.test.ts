// `c: 1 & a.f` where a has no field f (yet): the conjunct is incomplete, so
// c is not 1 yet; exporting c or computing with it is an incomplete error,
// never the silently accepted 1 (found by the differential fuzz).
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

describe('a scalar unified with a missing field', () => {
  it('is incomplete, not the scalar', () => {
    for (const [src, path] of [
      ['a: {x: 1}\nc: 1 & a.f', 'c'],
      ['a: {x: 1}\nc: a.f & 1', 'c'],
      ['a: {x: 1}\nc: "s" & a.f', 'c'],
      ['a: {x: 1}\nc: {y: 1 & a.f}', 'c.y'],
      ['a: {x: 1}\nc: [1 & a.f]', 'c[0]'],
      ['a: {x: 1}\nc: 1 & a.f\nd: c + 1', 'd'],
      ['a: {x: 1}\nc: "s" & a.f\nd: "\\(c)x"', 'd'],
    ]) {
      const v = compile(src!).lookupPath(path!);
      expect(() => v.toJSON(), src).toThrow(/undefined field: f/);
    }
    expect(() => compile('a: {x: 1}\nc: 1 & a.f').toJSON()).toThrow(/c: undefined field: f/);
  });

  it('is the scalar once the field is there', () => {
    expect(compile('a: {x: 1}\nc: 1 & a.f\na: f: 1').toJS()).toEqual({ a: { x: 1, f: 1 }, c: 1 });
    expect(compile('a: {x: 1}\nc: 1 & a.f\nd: c + 1\na: f: int').lookupPath('d').toJS()).toEqual(2);
  });
});
