// A reference to a vertex whose disjunction is being resolved means the
// disjunct under evaluation (eval/disjunct-scope.ts).
import { describe, expect, it } from 'vitest';
import { compile, errAt, json } from './eval-helpers.js';

describe('references into a disjunction from within it', () => {
  it('a field of a disjunct reading its own disjunct picks the disjunct that agrees', () => {
    expect(json('c: d: c.e\nc: {d: 1, e: 2} | {d: 2, e: 2}')).toEqual({ c: { d: 2, e: 2 } });
    expect(json('c: {k: "a", n: c.k} | {k: "b", n: "x"}\nc: n: "a"')).toEqual({ c: { k: 'a', n: 'a' } });
  });

  it('a value outside the disjunction computed from it is computed again afterwards, in any field order', () => {
    const orders = [
      'x: div(c.e, 2)\nc: d: x\nc: {d: 1, e: 2} | {d: 2, e: 3}',
      'c: d: x\nx: div(c.e, 2)\nc: {d: 1, e: 2} | {d: 2, e: 3}',
      'c: {d: 1, e: 2} | {d: 2, e: 3}\nc: d: x\nx: div(c.e, 2)',
    ];
    for (const src of orders) expect(json(src)).toEqual({ x: 1, c: { d: 1, e: 2 } });
  });

  it('a reference that does not decide the disjunction leaves it unresolved', () => {
    const src = 'x: c.e\nc: d: 1 | 2 | x\nc: {d: 1, e: 2} | {d: 2, e: 3}';
    expect(errAt(src, 'x')).toContain('unresolved disjunction');
    expect(compile(src).lookupPath('c').toCUE()).toContain('|');
  });

  it('a true cycle through the disjunct still ends', () => {
    const src = 'x: y\ny: c.e\nc: d: x\nc: {d: 1, e: x} | {d: 2, e: 2}';
    expect(() => compile(src).toCUE()).not.toThrow();
  });
});
