import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const errOf = (src: string) => compile(src).lookupPath('a').err();

// `{ A }` is A, and `{}` is a struct: `{} & {1}` is `{} & 1`, a conflict.
// Only an empty literal embedded in another (`{{}, 1}`) used to count; an
// empty literal met as a value of its own (`a: {}` beside `a: {1}`) was
// dropped and `a` exported 1 (found by the differential fuzz against CUE).
describe('an empty struct literal beside an embedded scalar', () => {
  it('conflicts, however the two meet', () => {
    for (const src of ['a: {}\na: {1}', 'a: {} & {1}', 'a: {...} & {1}', '#D: 1\na: {...}\na: {#D}', 'a: {{}, 1}', 'a: {} & {"s"}']) {
      expect(errOf(src)?.message, src).toMatch(/conflicting values .* \(mismatched types (int|string) and struct\)/);
    }
  });

  it('leaves literals of definitions only beside an embedded scalar alone', () => {
    expect(compile('f: {#a + 1, #a: int}\na: f & {#a: 2}').lookupPath('a').toJS()).toBe(3);
    expect(compile('a: {1, #x: 2}').lookupPath('a').toJS()).toBe(1);
    expect(compile('a: {1}\na: {#x: 2}').lookupPath('a').toJS()).toBe(1);
  });
});
