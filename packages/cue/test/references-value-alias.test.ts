// A value alias (`r: L=L.a`) names the vertex its conjunct is evaluated in:
// a reference to r evaluates r's conjuncts again where it stands, so L is the
// referring field there (CUE's ValueReference resolves to the vertex being
// evaluated), even when r itself is an error.
import { describe, expect, it } from 'vitest';
import { compile, json, permutations } from './eval-helpers.js';

describe('value aliases', () => {
  it('refer to the referring field, not the aliased one', () => {
    const decls = ['r: L=L.a', 'd: a: {b: 4}', 'out: r & d'];
    for (const order of permutations(decls)) {
      const v = compile(order.join('\n'));
      expect(v.lookupPath('out').toJS()).toEqual({ a: { b: 4 }, b: 4 });
      // r alone has no field a: incomplete there.
      expect(v.lookupPath('r').err()?.code).toBe('incomplete');
    }
  });

  it('conflict with what the referring field holds', () => {
    const v = compile('r: L=L.a\ny: r & {a: 1}');
    expect(v.lookupPath('y').err()?.code).toBe('eval');
  });

  it('in a struct value refer to the referring field too', () => {
    const v = compile('x: S={a: int, b: S.a + 1}\ny: x & {a: 2}');
    expect(v.lookupPath('y').toJS()).toEqual({ a: 2, b: 3 });
    expect(json('x: S={a: 1, b: S.a + 1}')).toEqual({ x: { a: 1, b: 2 } });
  });
});
