// A builtin argument holding a permanent error below it (a list or struct
// with a failing element) fails the call with that error, as in CUE, where
// such a value is itself that error when passed on; or() does not silently
// drop the failing element. Incomplete elements are passed on.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const errCode = (src: string, path: string) => compile(src).lookupPath(path).err()?.code;

describe('builtin arguments with failing elements', () => {
  it('fail or(), and(), len() and package functions', () => {
    const src = 'import "list"\nx1: len([1, 1 & 2])\nx2: or([1, 1 & 2])\nx3: list.Concat([[1 & 2]])\nx5: len({a: 1 & 2})\nx6: and([1, 1 & 2])';
    for (const p of ['x1', 'x2', 'x3', 'x5', 'x6']) expect(errCode(src, p), p).toBe('eval');
    expect(compile(src).lookupPath('x2').err()?.detail).toContain('conflicting values 1 and 2');
  });

  it('leave incomplete elements to the disjunction', () => {
    const v = compile('a: {}\nx: or([a.b, 1])\ny: x & 1');
    expect(v.lookupPath('y').toJS()).toBe(1);
  });
});
