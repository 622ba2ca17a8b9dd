// An inline value selected from (`x: (X & {in: a}).out`) is one value, as if
// it were a helper field `_x: X & {in: a}` beside the field (CUE's cycle.go,
// "Inline cycles"): when the field's conjuncts are copied into it
// (`root: a: (X & {input: root}).output`), the same expression met again
// with its names bound in the same scope is that value (a reference cycle),
// not a copy nested one level deeper (a structural cycle).
import { describe, expect, it } from 'vitest';
import { compile, json, permutations } from './eval-helpers.js';

describe('inline values met again inside themselves', () => {
  it('is a reference cycle, whatever the order of the declarations', () => {
    const decls = ['X: {input: a: _, output: input.a}', 'root: a: (X & {input: root}).output', 'other: 1'];
    for (const order of permutations(decls)) {
      const src = order.join('\n');
      const v = compile(src);
      expect(v.lookupPath('root.a').err(), src).toBeUndefined();
      expect(v.lookupPath('root.a').toCUE(), src).toBe('_');
    }
  });

  it('through a definition, a struct literal, and with a sibling the lookup finds', () => {
    expect(compile('#X: {input: {a: _, ...}, output: input.a}\nroot: {a: (#X & {input: root}).output, b: 1}').lookupPath('root.a').toCUE()).toBe('_');
    expect(json('root: {a: ({in: root, out: in.b}).out, b: 2}')).toEqual({ root: { a: 2, b: 2 } });
    const two = compile('X: {input: _, output: input.b}\nroot: {a: (X & {input: root}).output, c: (X & {input: root}).output, b: 3}');
    expect(two.lookupPath('root').toJS()).toEqual({ a: 3, c: 3, b: 3 });
  });

  it('a helper field written out is still a structural cycle', () => {
    const v = compile('X: {input: a: _, output: input.a}\nroot: {a: _a.output, _a: X & {input: root}}');
    expect(v.lookupPath('root.a').err()?.code).toBe('structural cycle');
  });

  it('recursion through inline values: one repeat of a reference along the chain goes, a second is a structural cycle', () => {
    // As CUE's fib example (cycle.go; cycle/023_reentrance): fib2 is 1, fib3 and deeper a structural cycle.
    const fib = `fibRec: {nn: int, out: (fib & {n: nn}).out}
fib: {
	n: int
	if n >= 2 {out: (fibRec & {nn: n - 2}).out + (fibRec & {nn: n - 1}).out}
	if n < 2 {out: n}
}`;
    const v = compile(`${fib}\nfib1: (fib & {n: 1}).out\nfib2: (fib & {n: 2}).out`);
    expect([v.lookupPath('fib1').toJS(), v.lookupPath('fib2').toJS()]).toEqual([1, 1]);
    for (const n of [3, 5]) expect(compile(`${fib}\nf: (fib & {n: ${n}}).out`).lookupPath('f').err()?.code, String(n)).toBe('structural cycle');
    // The same with a direct self reference and data that ends: two levels go, a third repeats twice.
    const len = '#len: {in: _, out: int, if in.next == _|_ {out: 1}, if in.next != _|_ {let N = in.next, out: 1 + (#len & {in: N}).out}}';
    expect(compile(`${len}\nl: (#len & {in: {next: {}}}).out`).lookupPath('l').toJS()).toBe(2);
    expect(compile(`${len}\nl: (#len & {in: {next: {next: {}}}}).out`).lookupPath('l').err()?.code).toBe('structural cycle');
  });
});
