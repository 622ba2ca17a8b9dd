// A disjunct whose comprehension ranges over the disjunct itself cannot get
// the fields it ranges over: it fails like any other failed disjunct, and
// the result does not depend on where it is written in the disjunction
// (found by the permutation property test).
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

describe('a disjunct ranging over itself', () => {
  it('is eliminated, in either order', () => {
    const cases: [string, unknown][] = [
      ['c: *{for k, v in c {"x\\(k)": v}} | {}', {}],
      ['c: {} | *{for k, v in c {"x\\(k)": v}}', {}],
      ['c: {for k, v in c {"x\\(k)": v}} | {}', {}],
      ['c: *{for k, v in c {"x\\(k)": v}} | 1', 1],
      ['c: 1 | {for k, v in c {"x\\(k)": v}}', 1],
      ['c: *{for k, v in c {"x\\(k)": v}} | {a: 1}', { a: 1 }],
      ['c: {a: 1} | *{for k, v in c {"x\\(k)": v}}', { a: 1 }],
    ];
    for (const [src, want] of cases) expect(compile(src).lookupPath('c').toJS(), src).toEqual(want);
  });

  it('inside a parenthesized group, it is eliminated as a failing scalar term is', () => {
    // `(1 | *S)` with S eliminated is the group `1`, as `(1 | *(1&2))` is: the
    // programs, in any order, leave `{} | 1`. (By the spec the scalar analogue
    // `{} | (*(1 | *(1&2)) | 1)` defaults to 1, as `*⟨1⟩` is ⟨1, 1⟩: see
    // disjunction-sole-default.test.ts; the self-ranging group does not yet.)
    const self = '*{for k, v in c {"x\\(k)": v}}';
    for (const src of [`c: ({} | (*(1 | ${self}) | 1))`, `c: ((1 | *(${self} | 1)) | {})`]) {
      expect(() => compile(src).lookupPath('c').toJSON(), src).toThrow(/incomplete value \{\.\.\.\} \| 1|incomplete value 1 \| \{\.\.\.\}/);
    }
  });

  it('alone it is still a cycle error', () => {
    const v = compile('c: {for k, v in c {"x\\(k)": v}}').lookupPath('c');
    expect(v.err()?.message).toContain('cycle');
  });
});
