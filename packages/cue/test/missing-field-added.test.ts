// `a.f == _|_` read while a is still being evaluated answers "f is missing";
// a comprehension of a that then adds f contradicts that answer. No order of
// evaluation gives such a value, so it is an error (as in CUE), not the
// silently self-contradicting `{x: 1, y: 2}`: a cycle ("circular dependency
// in evaluation of conditionals", CUE's post check of the test).
import { describe, expect, it } from 'vitest';
import { compile, errOf } from './eval-helpers.js';

describe('a field added after a test found it missing', () => {
  it('is an error, whichever comprehension adds it', () => {
    for (const src of [
      'a: {x: 1, if a.y == _|_ {y: 2}}',
      'a: {x: 1, if (a.y) == _|_ {y: 2}}',
      'a: {x: 1, if a.y != _|_ {z: 2}, if true {y: 1}}',
    ]) {
      const e = errOf(src, 'a');
      // CUE's post check of the test: a cycle.
      expect(e.code, src).toBe('cycle');
      expect(e.message, src).toContain('circular dependency in evaluation of conditionals: field y added after a test found it missing');
    }
  });

  it('is an error also when the field goes into a struct below the one being evaluated', () => {
    for (const [src, at] of [
      ['a: {b: {}, if a.b.c == _|_ {b: c: 2}}', 'a.b'],
      ['a: {b: {}, if b.c == _|_ {b: c: 2}}', 'a.b'],
      ['a: {b: d: {}, if a.b.d.c == _|_ {b: d: c: 2}}', 'a.b.d'],
    ]) {
      const e = errOf(src!, at!);
      expect(e.message, src).toContain('field c added after a test found it missing');
    }
    // A test on a field that stays missing, or is there already, is fine.
    expect(compile('a: {b: {}, if a.b.c == _|_ {b: d: 2}}').lookupPath('a').toJS()).toEqual({ b: { d: 2 } });
    expect(compile('a: {b: {c: 1}, if a.b.c != _|_ {b: d: 2}}').lookupPath('a').toJS()).toEqual({ b: { c: 1, d: 2 } });
  });

  it('a test that stays true or a field that was there first is no error', () => {
    const cases: [string, unknown][] = [
      ['a: {x: 1, if a.y == _|_ {z: 2}}', { x: 1, z: 2 }],
      ['a: {if a.x == _|_ {y: 1}, x: 2}', { x: 2 }],
      ['a: {x: 1, if a.y == _|_ {z: 2}}\na: {y: 3}', { x: 1, y: 3 }],
      ['a: {if true {y: 1}, if a.y == _|_ {z: 2}}', { y: 1 }],
      ['a: {x: 1, if a.y == _|_ {b: y: 2}}', { x: 1, b: { y: 2 } }],
    ];
    for (const [src, want] of cases) expect(compile(src).lookupPath('a').toJS(), src).toEqual(want);
  });

  it('a definition testing its parameter gets the value of each use', () => {
    const src = `
#m: {#c: {...}, out: {if #c.name == _|_ {name: "def"}, if #c.name != _|_ {name: #c.name}}}
r: #m & {#c: {name: "n"}}
s: #m
`;
    expect(compile(src).lookupPath('r.out.name').toJS()).toBe('n');
    expect(compile(src).lookupPath('s.out.name').toJS()).toBe('def');
  });
});
