import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

// `A & B` is `B & A`. When A's embedding reads a field that the literal B
// also declares (`#sub & {#a: "aaa"}`, #sub embedding a value computed from
// #a), B must be in before the read, as it is when B is written first: CUE
// knows a struct's declared fields before it evaluates the references among
// its conjuncts. Operands were added one after the other, so A's embedding
// read #a as `string` and kept the incomplete result (found by the
// invariance checker's commute rewrite on cycle/comprehension issue2310).
describe('a literal operand of & declares its fields ahead', () => {
  const sub = `
#s: {#in: string, #in + "b"}
#sub: {
	#a: string
	_#X: [#a, for i in [0] {#s & {#in: _#X[i]}}]
	_#X[len(_#X)-1]
}
`;
  it('whichever operand is written first', () => {
    for (const r of ['#sub & {#a: "aaa"}', '{#a: "aaa"} & #sub', '#sub & {#a: "aaa", _}', '(#sub & {#b: 1}) & {#a: "aaa"}']) {
      expect(compile(`${sub}r: ${r}`).lookupPath('r').toJS(), r).toBe('aaab');
    }
  });

  it('keeps the conflict of a later operand', () => {
    const v = compile(`${sub}r: #sub & {#a: 1}`).lookupPath('r');
    expect(v.err()?.message).toMatch(/conflicting values/);
  });

  // x.b is `y.c & {d: b: 2}`, and y.c reaches x.b.d through z: a field in
  // progress whose conjunct holds a literal operand brings that conjunct to
  // the field that includes it, as it would for `x: b: y.c, x: b: {d: b: 2}`.
  // Asked first, x.b read y.c before z had b (found by the duplicate rewrite,
  // eval/v0.7 mutual.t4).
  it('lets a literal operand of a field in progress reach a cycle through it, whichever field is asked first', () => {
    const src = 'p: {\n\tz: x.b\n\tx: b: y.c & {d: b: 2}\n\ty: c: z.d\n\tz: d: {a: 1}\n}\n';
    const want = { x: { b: { a: 1, b: 2, d: { b: 2 } } }, y: { c: { a: 1, b: 2 } }, z: { a: 1, b: 2, d: { a: 1, b: 2 } } };
    for (const order of [['x.b', 'y.c', 'z'], ['y.c', 'x.b', 'z'], ['z', 'y.c', 'x.b']]) {
      const v = compile(src);
      for (const path of order) v.lookupPath(`p.${path}`).toJS();
      expect(v.lookupPath('p').toJS(), order.join(' ')).toEqual(want);
    }
  });
});
