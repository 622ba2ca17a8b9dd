// A value lifted out of a definition by a reference that names no definition
// (`r: a.b` with `a: #A`) is not typo checked: CUE's v3 evaluator starts a
// typo check only for a reference with a definition in its path (`#A.b`,
// `x.#d`) or for a conjunct that itself refers to a definition (Go CUE v0.4
// gives the same).
import { describe, expect, it } from 'vitest';
import { compile, errAt } from './eval-helpers.js';

const r = (src: string, path = 'r') => compile(src).lookupPath(path).toJS();

describe('a field lifted out of a definition through a regular reference', () => {
  it('is open, at every depth', () => {
    expect(r('#A: b: {a: int}\na: #A\nr: a.b\nr: {a: 1, c: 1}')).toEqual({ a: 1, c: 1 });
    expect(r('#A: b: {a: {x: int}}\na: #A\nr: a.b\nr: a: {x: 1, y: 1}')).toEqual({ a: { x: 1, y: 1 } });
    expect(r('#A: b: [{a: int}]\na: #A\nr: a.b[0]\nr: {a: 1, c: 1}')).toEqual({ a: 1, c: 1 });
  });

  it('stays open when embedded or an operand of &', () => {
    expect(r('#A: b: {a: int}\na: #A\nr: {a.b, d: 2}\nr: {a: 1, c: 1}')).toEqual({ a: 1, d: 2, c: 1 });
    expect(r('#A: b: {a: int}\na: #A\nr: a.b & {c: 1}\nr: a: 1')).toEqual({ a: 1, c: 1 });
  });

  it('is open in parentheses, as a disjunction term keeps them', () => {
    expect(r('#A: b: {a: int}\na: #A\nr: (a.b) | int\nr: {a: 1, c: 1}')).toEqual({ a: 1, c: 1 });
    expect(r('#A: b: {a: int}\na: #A\nr: ((a.b)) | int\nr: {a: 1, c: 1}')).toEqual({ a: 1, c: 1 });
    expect(errAt('#A: b: {a: int}\nr: (#A.b) | int\nr: {a: 1, c: 1}', 'r')).toContain('field not allowed');
  });

  it('is open when a comprehension lifts it', () => {
    expect(r('#A: {x: {y: int}}\nv: {for k, f in #A {(k): f}}\nv: x: {y: 1, q: 1}', 'v')).toEqual({ x: { y: 1, q: 1 } });
  });

  it('is still closed by a definition its declaration refers to', () => {
    expect(errAt('#A: b: #B\n#B: {a: int}\na: #A\nr: a.b\nr: {a: 1, c: 1}', 'r.c')).toBe('field not allowed');
    expect(errAt('#A: b: #B & {a: int}\n#B: {a: int}\na: #A\nr: a.b\nr: {a: 1, c: 1}', 'r.c')).toBe('field not allowed');
  });

  it('is closed when the reference names a definition', () => {
    expect(errAt('#A: b: {a: int}\nr: #A.b\nr: {a: 1, c: 1}', 'r.c')).toBe('field not allowed');
    expect(errAt('#A: b: {a: int}\nx: {#d: #A}\nr: x.#d.b\nr: {a: 1, c: 1}', 'r.c')).toBe('field not allowed');
    expect(errAt('#A: b: [{a: int}]\nr: #A.b[0]\nr: {a: 1, c: 1}', 'r.c')).toBe('field not allowed');
    expect(errAt('#A: b: {a: int}\na: #A\nr: a\nr: b: {a: 1, c: 1}', 'r.b.c')).toBe('field not allowed');
  });

  it('is closed inside a definition that refers to it', () => {
    expect(errAt('#A: b: {a: int}\na: #A\n#R: {r: a.b}\nx: #R & {r: {a: 1, c: 1}}', 'x.r.c')).toBe('field not allowed');
  });

  it('keeps close() one level deep', () => {
    expect(r('a: close({b: {c: 1}})\nr: a.b\nr: d: 1')).toEqual({ c: 1, d: 1 });
    expect(errAt('a: close({b: {c: 1}})\nr: a\nr: d: 1', 'r.d')).toBe('field not allowed');
  });
});
