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

describe('a comprehension ranging over a vertex with a disjunction', () => {
  it('ranges over the disjunct under evaluation', () => {
    const src = 'x: [...]\nx: _ | *[{f: 123}]\nx: [for i in x {f: i.f}]';
    expect(json(src)).toEqual({ x: [{ f: 123 }] });
    expect(compile(src).lookupPath('x').toCUE()).toContain('|');
  });
});

describe('a chain of outside values computed from the disjunct', () => {
  it('gives the same result in every field order', () => {
    const decls = ['x: div(c.e, 2)', 'y: x + 10', 'c: d: y - 10', 'c: {d: 1, e: 2} | {d: 2, e: 3}'];
    const orders = [[0, 1, 2, 3], [1, 0, 2, 3], [2, 3, 1, 0], [3, 1, 2, 0]];
    for (const o of orders) expect(json(o.map((i) => decls[i]).join('\n'))).toEqual({ x: 1, y: 11, c: { d: 1, e: 2 } });
  });

  it('a cycle among them still ends in a cycle error', () => {
    const src = 'x: y + 1\ny: x - 1\nc: d: x\nc: {d: 1, e: 1} | {d: 2, e: 2}';
    expect(errAt(src, 'x')).toBeDefined();
  });
});
