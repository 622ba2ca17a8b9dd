// A field whose disjuncts a structural cycle eliminated (`#a: string | #b`,
// `#b: c: [#a]`) is given again where it is referred to, and met again below
// that place it goes on only when another conjunct decides it (a type, data).
// Two references to it (`c: [#a] & [#a]`, or `#b` written as `{...} & {...}`,
// the invariance checker's duplicate rewrite on cycle/structural b9) counted
// as "another conjunct" for each other, and the value unfolded two levels
// deeper than with one reference.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const one = '#a: string | #b | #ref\n#b: {\n\tc: [#a]\n}\n#ref: ref: string\nx: #b | #ref';
const two = '#a: string | #b | #ref\n#b: {\n\tc: [#a]\n} & {\n\tc: [#a]\n}\n#ref: ref: string\nx: #b | #ref';

describe('a repeated field given again by two references', () => {
  it('unfolds as with one reference', () => {
    const a = compile(one).lookupPath('x').toCUE();
    expect(compile(two).lookupPath('x').toCUE()).toBe(a);
    expect(a).not.toContain('c: [string | {\n\t\t\tc:');
  });
  it('still goes on when a type decides it', () => {
    expect(compile(`${two}\ny: x & {c: [string]}`).lookupPath('y').toCUE()).toBe('c: [string]');
  });
});
