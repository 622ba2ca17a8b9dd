// What is left of a marked disjunction once its other terms fail is its
// default, ⟨v, v⟩ (`e: *1 | {a: 1 & 2}`), also when e is referenced as a
// term of another disjunction (spec rule D1: `e | null` defaults to 1),
// directly or through or().
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

describe('a sole surviving default referenced as a disjunction term', () => {
  const src = 'e: ({g: "s", [string]: <5, ...} | *1 | {a: 1 & 2})\nx: e | null\no: or([e, 1, null])';

  it('keeps its default in a disjunction written with |', () => {
    expect(compile(src).lookupPath('x').toJS()).toBe(1);
  });

  it('keeps its default as an element of or()', () => {
    expect(compile(src).lookupPath('o').toJS()).toBe(1);
  });

  it('keeps a struct default as an element of or(), as with |', () => {
    // The element takes e's choice rather than splitting again: it is still ⟨W, W⟩.
    const s = 'e: *{a: 1} | {a: 1 & 2}\nx: e | null\no: or([e, null])\ng: e & {b: 2}\np: or([g, null])\nh: {e, b: 2}\nq: or([h, null])';
    const v = compile(s);
    for (const f of ['x', 'o']) expect(v.lookupPath(f).default().toJS(), f).toEqual({ a: 1 });
    // Unified with a plain value it stays a default (U1).
    for (const f of ['p', 'q']) expect(v.lookupPath(f).default().toJS(), f).toEqual({ a: 1, b: 2 });
    // A default among several disjuncts is one as before.
    expect(compile('k: *{a: 1} | {a: 2}\no: or([k, null])').lookupPath('o').default().toJS()).toEqual({ a: 1 });
  });

  it('is a plain value where no disjunction follows', () => {
    expect(compile(src + '\ny: e + 1').lookupPath('y').toJS()).toBe(2);
  });
});
