// Defaults of several unified disjunctions are decided over their product, not
// pairwise (spec, "Default values"; CUE's evaluator does the same): a
// disjunction none of whose marked terms survives the whole product counts as
// unmarked, and a value is a default when it chose the marked term of every
// disjunction whose marked terms survive. Pairwise, an intermediate result
// forgot which disjunctions its terms came from, so the answer depended on the
// order of the operands.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const show = (src: string, path = 'p') => compile(src).lookupPath(path).toCUE();

const abc = `
A: 0 | 1 | 2 | string
B: *(2 | 3) | (0 | 1 | 4) | string
C: *(0 | 3 | 4) | string
`;

describe('defaults over the product of unified disjunctions', () => {
  it('do not depend on the order of the operands', () => {
    const orders = ['A & B & C', 'A & C & B', 'B & A & C', 'B & C & A', 'C & A & B', 'C & B & A', '(C & B) & A', 'C & (B & A)'];
    for (const o of orders) expect(show(`${abc}p: ${o}`), o).toBe('*0 | string');
  });

  it('a disjunction whose marked terms die in a later operand counts as unmarked', () => {
    // B's defaults survive C (3), then die in A: C's default decides.
    expect(show(`${abc}q: C & B\np: q & A`)).toBe('*0 | string');
    expect(show(`${abc}p: C & B`)).toBe('0 | *3 | 4 | string');
  });

  it('marked terms that survive in different values leave no default', () => {
    expect(show('p: (*1|2|3) & (1|*2|3)')).toBe('1 | 2 | 3');
    for (const src of ['p: (int|*4) & (int|*1) & (int|*3)', 'p: (int|*3) & (int|*1) & (int|*4)']) {
      expect(show(src)).not.toContain('*');
      expect(() => compile(src).lookupPath('p').toJS()).toThrow(/incomplete/);
    }
    // One value chosen by every marked term: the default.
    expect(compile('p: (*1|2|3) & (*1|3) & (2|*1|3)').lookupPath('p').toJS()).toBe(1);
  });

  it('unifying a disjunction with itself keeps its default', () => {
    expect(compile('x: int | *1\np: x & x & x').lookupPath('p').toJS()).toBe(1);
    expect(show('x: int | *1\np: x & x & x')).toBe('int | *1');
  });
});
