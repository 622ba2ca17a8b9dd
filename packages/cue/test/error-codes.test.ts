// Error codes: what can never become valid is an `eval` error, what may still
// be completed is `incomplete`; comparing with _|_ sees errors inside structs.
import { describe, expect, it } from 'vitest';
import { compile, json } from './eval-helpers.js';

const codeAt = (src: string, path: string) => compile(src).lookupPath(path).err()?.code;

describe('selecting a missing field', () => {
  it('of a closed struct is a permanent (eval) error', () => {
    const src = '#a: {}\nr: #a.b\n#D: {x: int}\nu: #D.y\nw: #D.x';
    expect(codeAt(src, 'r')).toBe('eval');
    expect(compile(src).lookupPath('r').err()?.detail).toContain('undefined field: b');
    expect(codeAt(src, 'u')).toBe('eval');
    expect(codeAt(src, 'w')).toBeUndefined();
  });

  it('of an open struct is incomplete (it may still be added)', () => {
    expect(codeAt('a: {}\nr: a.b', 'r')).toBe('incomplete');
  });

  it('of a closed struct that a comprehension still adds to is not an error', () => {
    const src = '#D: {\n#funcs: {}\nfor k in [0, 1] { #funcs: "\\(k)": k }\nout: #funcs["0"]\n}';
    expect(compile(src).lookupPath('#D.out').err()).toBeUndefined();
  });
});

describe('comparison with _|_', () => {
  it('is true for a struct with a conflicting field', () => {
    expect(json('x: ({a: 1} & {a: 2}) == _|_\ny: ({a: 1} & {a: 2}) != _|_\nz: {a: int} == _|_')).toEqual({ x: true, y: false, z: false });
  });
});
