// len and close check the kind of their argument: one that can never have a
// length (`len(int)`, `len(>0)`) or never be a struct (`close(1)`) is an
// eval error. Before, `len(number) & 2` exported 2 and `close(1)` was 1.
import { describe, expect, it } from 'vitest';
import { compile, errOf } from './eval-helpers.js';

describe('builtin argument kinds', () => {
  it('len of a type without a length is an error', () => {
    for (const src of ['a: len(number) & 2', 'a: 2 & len(number)', 'a: len(>0)', 'a: len(int)', 'a: len(null)', 'a: len(int | bool)']) {
      expect(errOf(src, 'a').code, src).toBe('eval');
    }
    for (const src of ['a: len(string)', 'a: len(_)', 'a: len([...int] | string)']) expect(errOf(src, 'a').code, src).toBe('incomplete');
    expect(compile('a: len(*"ab" | int)').toJS()).toEqual({ a: 2 });
  });

  it('close of a value that cannot be a struct is an error', () => {
    for (const src of ['a: close(1)', 'a: close(int)', 'a: close(1) & 1', 'a: close("s" | 1)', 'b: 1\na: close(b)', 'a: close(b)\nb: "s"', 'a: close([])', 'b: [1]\na: close(b)', 'a: close(1 | {} | *null)']) {
      const e = errOf(src, 'a');
      expect(e.code, src).toBe('eval');
      expect(e.message, src).toContain('as struct in argument 1 to close');
    }
    // `_` is no struct yet: close(_) is an error in CUE too ("struct argument must be concrete").
    expect(errOf('a: close(_)', 'a').message).toContain('struct argument must be concrete');
    expect(compile('#D: {x: _, y: close(x)}\na: (#D & {x: {b: 1}}).y').toJS()).toEqual({ a: { b: 1 } });
    expect(compile('a: close(*{} | 1)').toJS()).toEqual({ a: {} });
    expect(compile('a: close({x: 1})').toJS()).toEqual({ a: { x: 1 } });
    expect(compile('b: {x: 1}\na: close(b)').toJS()).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });
});
