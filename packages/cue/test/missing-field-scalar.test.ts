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

  it('embedded in a struct whose comprehension or condition waits on the missing field, is incomplete too', () => {
    for (const src of [
      'a: {}\nb: {for k, v in a.f {}, 1}',
      'a: {}\nb: {if a.f == 1 {}, 1}',
      'a: {}\nb: {#x: 1, for k, v in a.f {}, "s"}',
      'a: [1] | *{}\nb: {for k, v in a.f {}, (int | string)}\nb: 1',
      'a: {}\nb: {for k, v in a.f {}, 1}\nc: b + 1',
    ]) {
      for (const path of src.includes('c:') ? ['c'] : ['b']) expect(() => compile(src).lookupPath(path).toJSON(), src).toThrow(/undefined field: f/);
      expect(() => compile(src).toJSON(), src).toThrow(/undefined field: f/);
    }
    expect(compile('a: {f: {}}\nb: {for k, v in a.f {}, 1}').toJS()).toEqual({ a: { f: {} }, b: 1 });
    expect(compile('a: {}\nb: {if a.f != _|_ {}, 1}').toJS()).toEqual({ a: {}, b: 1 });
  });

  it('is the scalar once the field is there', () => {
    expect(compile('a: {x: 1}\nc: 1 & a.f\na: f: 1').toJS()).toEqual({ a: { x: 1, f: 1 }, c: 1 });
    expect(compile('a: {x: 1}\nc: 1 & a.f\nd: c + 1\na: f: int').lookupPath('d').toJS()).toEqual(2);
  });
});
