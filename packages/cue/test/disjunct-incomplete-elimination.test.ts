// A struct or list disjunct whose evaluation ends in an incomplete error
// (in itself or a field below it) is eliminated, as CUE v3's doDisjunct does
// with a disjunct's errors; a disjunction left empty by such errors is itself
// incomplete, as it may still be satisfied once more is known.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const codeAt = (src: string, path: string) => compile(src).lookupPath(path).err()?.code;

describe('incomplete disjuncts', () => {
  it('are eliminated when another disjunct is complete', () => {
    const v = compile('y: int\nx: {a: y + 1} | {b: 1}\nw: *{a: y + 1} | {b: 1}');
    expect(v.lookupPath('x').toJS()).toEqual({ b: 1 });
    expect(v.lookupPath('w').toJS()).toEqual({ b: 1 });
  });

  it('leave an incomplete empty disjunction when none is complete', () => {
    const src = 'list: [...] | *[]\nlist: ["\\(c)"]\nc: _';
    expect(codeAt(src, 'list')).toBe('incomplete');
    expect(compile(src).lookupPath('list').err()?.detail).toContain('2 errors in empty disjunction');
    expect(codeAt('y: int\nz: {a: y + 1} | {a: y + 2}', 'z')).toBe('incomplete');
  });

  it('make a mix of failed and incomplete disjuncts incomplete', () => {
    expect(codeAt('y: int\nz: {a: y + 1} | null\nz: {}', 'z')).toBe('incomplete');
    // Only permanent failures: a permanent error.
    expect(codeAt('z: {a: 1} | null\nz: {a: 2}', 'z')).toBe('eval');
  });
});
