import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

// The terms of a disjunction are evaluated while its field is in progress;
// a term that refers back to the field reads what the field is so far. A
// scalar the field got from a conjunct written before the disjunction must
// not be read there, since one written after it is not: `xe1: 9` above the
// disjunction made every term fail (6 & 9-2) and xe1 an error, while below
// it xe1 is 9 as CUE gives (conformance cycle/051, found by the invariance
// checker's permute rewrite). (Entered from xe2 instead, the cycle still
// gives another value: which field is evaluated first is another matter.)
describe('a disjunction whose terms refer back to its field', () => {
  const disj = 'xe1: xe2 & 8 | xe4 & 9 | xe5 & 9';
  const rest = ['xe2: xe3 + 2', 'xe3: 6 & xe1-2', 'xe4: xe2 + 1', 'xe5: xe2 + 2'];
  const value = (lines: string[]) => {
    const v = compile(lines.join('\n'));
    return Object.fromEntries(['xe1', 'xe2', 'xe3', 'xe4', 'xe5'].map((l) => [l, v.lookupPath(l).err() ? 'error' : v.lookupPath(l).toJS()]));
  };

  it('has the same value wherever the scalar conjunct is written', () => {
    const want = { xe1: 9, xe2: 8, xe3: 'error', xe4: 9, xe5: 10 };
    expect(value([disj, ...rest, 'xe1: 9'])).toEqual(want);
    expect(value(['xe1: 9', disj, ...rest])).toEqual(want);
    expect(value(['xe1: 9', ...rest, disj])).toEqual(want);
  });
});
