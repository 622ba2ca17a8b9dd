// An open struct `{...}` is still a struct: unified with a list it
// conflicts, as `{}` does (`c: [1] & {...}` exported [1]).
import { describe, expect, it } from 'vitest';
import { compile, errOf } from './eval-helpers.js';

describe('a list unified with an open struct', () => {
  it('conflicts, in either order and through a definition', () => {
    for (const src of ['c: [1] & {...}', 'c: {...} & [1]', 'c: [1]\nc: {...}', '#A: {...}\nc: #A & [1]', 'c: [...int]\nc: {...}', 'c: []\nc: {}']) {
      const e = errOf(src, 'c');
      expect(e.code, src).toBe('eval');
      expect(e.message, src).toContain('conflicting values');
    }
  });

  it('a list embedded next to definitions is still that list', () => {
    expect(compile('b: {#f: 1, [1]}').toJS()).toEqual({ b: [1] });
    expect(compile('b: [1] & {[1]}').toJS()).toEqual({ b: [1] });
  });
});
