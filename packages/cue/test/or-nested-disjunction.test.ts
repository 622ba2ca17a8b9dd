// or() of a list holding a struct or list disjunction: that element gives
// its disjuncts (and defaults), as `a | (b | *c)` does. Kept whole, each
// split of the result evaluated the call again and split again without end
// (`or([_, ([_] | *number)])` hung; found by the permutation test).
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

describe('or() with a nested disjunction', () => {
  it('ends, and keeps the nested defaults', () => {
    // The default is `number`: not concrete, so not exportable.
    for (const src of ['b: or([_, ([_] | *number)])', 'b: or([_, _, ([_, "s", ..._] | *number)])']) {
      expect(() => compile(src).lookupPath('b').toJSON(), src).toThrow(/incomplete value number/);
    }
    expect(compile('b: or([{a: 1}, ({b: 1} | *{c: 1})])').toJS()).toEqual({ b: { c: 1 } });
    expect(compile('b: or([{a: int}, ([...int] | *{c: 1})])\nb: [1]').toJS()).toEqual({ b: [1] });
  });
});
