// An incomplete disjunct prints as the term it took, as `cue eval` prints an
// incomplete value as the expression written: a disjunct is a clone of the
// field holding all of the field's conjuncts, and printing those made
// `a: *b | int` (b cyclic) print as `**b | int | int`.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

describe('an incomplete disjunct prints as its own term', () => {
  it('a default term that is a reference cycle', () => {
    const v = compile('a: *b | int\nb: a + 1');
    expect(v.lookupPath('a').toCUE()).toBe('*b | int');
    expect(v.lookupPath('b').toCUE()).toBe('a + 1');
  });
  it('a disjunction that is an operand of `&`', () => {
    const v = compile('a: (*b | int) & c\nb: a + 1\nc: int');
    expect(v.lookupPath('a').toCUE()).toBe('*b & c | int');
  });
  it('the whole value is still reported as a cycle by export', () => {
    expect(() => compile('a: *b | int\nb: a + 1').toJS()).toThrow(/cycle/);
  });
});
