// Disjunctions: every alternative is tried, and alternatives that differ only
// in optional or required fields (or in openness) are distinct.
import { describe, expect, it } from 'vitest';
import { compile, errAt, json } from './eval-helpers.js';

describe('one-of with required or optional fields', () => {
  it('selects the alternative whose required field is given', () => {
    const src = '#S: {a!: int} | {b!: int}\nx: #S & {b: 1}\ny: #S & {a: 2}';
    expect(errAt(src, 'x')).toBeUndefined();
    expect(json(src)).toEqual({ x: { b: 1 }, y: { a: 2 } });
    expect(errAt(src + '\nz: #S & {c: 3}', 'z')).toBeDefined();
  });

  it('keeps alternatives that differ only in optional fields', () => {
    const src = '#T: {a?: int} | {b?: int}\nz: #T & {b: 1}';
    expect(json(src)).toEqual({ z: { b: 1 } });
    expect(compile(src).lookupPath('#T').allows('a')).toBe(true);
    expect(compile(src).lookupPath('#T').allows('b')).toBe(true);
  });

  it('keeps a closed and an open alternative with the same fields', () => {
    const v = compile('#b: {a: 1}\nc: {a: 1} | #b\nd: c & {e: 2}');
    expect(v.lookupPath('d').toJS()).toEqual({ a: 1, e: 2 });
  });
});

describe('defaults unify (spec U0–U2)', () => {
  it('no default survives when the defaults of marked disjunctions conflict, however many follow', () => {
    const src = 'a: (int | *4) & (int | *1) & (int | *3)\nb: a + 1';
    expect(compile(src).lookupPath('a').toCUE()).not.toContain('*');
    expect(errAt(src, 'b')).toBeDefined();
    expect(json('a: (int | *4) & (int | *4) & (int | *4)\nb: a + 1')).toEqual({ a: 4, b: 5 });
  });

  it('an eliminated default stays eliminated in either operand order', () => {
    const src = 'c: (*1 | 2) & (1 | *2)\nd: c & (*1 | 2)\ne: (*1 | 2) & c';
    expect(compile(src).lookupPath('d').toCUE()).not.toContain('*');
    expect(compile(src).lookupPath('e').toCUE()).not.toContain('*');
    expect(json('x: (*1 | 2 | 3) & (1 | 2)')).toEqual({ x: 1 });
  });

  it('each marked disjunction of a referenced value loses its default on its own', () => {
    // The first disjunction's default {} is eliminated by a: "foo", the second one's is not.
    const src = '#def: {\n*{} | {a: string} | {b: string}\n*{} | {c: string} | {d: string}\n}\nx: #def & {a: "foo"}';
    expect(json(src)).toEqual({ x: { a: 'foo' } });
    expect(compile(src).lookupPath('x').toCUE()).toContain('*');
    // Both defaults eliminated: no default.
    expect(errAt('#def: {\n*{} | {a: string}\n*{} | {c: string}\n}\nx: #def & {a: "foo", c: "x"}\ny: x.a', 'y')).toBeUndefined();
    expect(errAt('#def: {\n*{} | {a: string} | {b: string}\n*{} | {c: string} | {d: string}\n}\nx: #def & {e: 1}', 'x')).toBeDefined();
  });
});

describe('one disjunction value referenced many times', () => {
  it('is one choice, not a product of its copies (X & X is X)', () => {
    const refs = Array.from({ length: 20 }, () => 'foo: #V').join('\n');
    // 2^20 combinations if each reference were a disjunction of its own (over maxDisjuncts).
    expect(json(`#V: {t: "f"} | {t: "s"}\nfoo: {t: "s"}\n${refs}`)).toEqual({ foo: { t: 's' } });
    const src = 'X: *{a: 1} | {b: 1}\ny: X & X\nz: X\nz: X\nz: b: 1';
    expect(json(src)).toEqual({ X: { a: 1 }, y: { a: 1 }, z: { a: 1, b: 1 } });
    expect(compile(src).lookupPath('z').toCUE()).toContain('|');
  });
});

describe('a scalar disjunction with a top term', () => {
  it('admits a struct or a list (null | _ meets {...})', () => {
    expect(json('x: null | _\nx: {a: 1}\ny: null | _\ny: [1]')).toEqual({ x: { a: 1 }, y: [1] });
    const src = '#App: {name?: string, sub?: null | _}\nout: (null | #App) & {name: "n", sub: {} | _, sub: {a: 1}}';
    expect(json(src)).toEqual({ out: { name: 'n', sub: { a: 1 } } });
    expect(errAt('x: null | int\nx: {a: 1}', 'x')).toBeDefined();
  });
});

