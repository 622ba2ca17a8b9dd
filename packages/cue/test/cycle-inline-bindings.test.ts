// An inline value (`#sub & {#p: rd.a}`) evaluated again while the same
// expression is in progress further up repeats a value only when it sees
// the same comprehension values: recursing into data that ends (a tree
// walked through `for`) is no cycle, while the same expression met again
// with the same inputs is (issue4373: the recursing disjuncts are eliminated).
import { describe, expect, it } from 'vitest';
import { compile, json } from './eval-helpers.js';

const tree = `
#Node: {name: string, kids: [string]: #Node}
#walk: {
	#n: #Node
	out: [string]: string
	for k, kid in #n.kids {
		let sub = #walk & {#n: kid}
		for sk, sv in sub.out {out: "\\(k)/\\(sk)": sv}
		out: (k): kid.name
	}
}
`;

describe('inline values evaluated again under other comprehension values', () => {
  it('walks a tree four levels deep through a let in a for', () => {
    const src = `${tree}
t: {name: "r", kids: a: {name: "a", kids: b: {name: "b", kids: c: {name: "c", kids: d: {name: "d", kids: {}}}}}}
w: (#walk & {#n: t}).out`;
    expect((json(src) as { w: unknown }).w).toEqual({ a: 'a', 'a/b': 'b', 'a/b/c': 'c', 'a/b/c/d': 'd' });
  });

  it('walks with the fields in another order, and with the data in a separate field', () => {
    const src = `
w: (#walk & {#n: t}).out
#walk: {
	out: [string]: string
	for k, kid in #n.kids {
		out: (k): kid.name
		let sub = #walk & {#n: kid}
		for sk, sv in sub.out {out: "\\(k)/\\(sk)": sv}
	}
	#n: #Node
}
t: {name: "r", kids: {x: {name: "x", kids: y: {name: "y", kids: z: {name: "z", kids: {}}}}, q: {name: "q", kids: {}}}}
#Node: {name: string, kids: [string]: #Node}`;
    expect((json(src) as { w: unknown }).w).toEqual({ x: 'x', 'x/y': 'y', 'x/y/z': 'z', q: 'q' });
  });

  it('still ends an expression that recurses with the same inputs (issue4373)', () => {
    const src = `t: {a: 0, out: 1} | {a: [_], out: (t & {a: a[0]}).out}
out: (t & {a: 0}).out`;
    expect((json(src) as { out: unknown }).out).toBe(1);
  });

  it('ends an expression that recurses forever under new comprehension values with a structural cycle', () => {
    const srcs = [
      '#h: {n: int, out: [for i in [n] {(#h & {n: i + 1}).out}]}\nx: (#h & {n: 0}).out',
      '#h: {n: {...}, out: {for k, v in n {(k): (#h & {n: {"\\(k)x": 1}}).out}}}\nx: (#h & {n: {a: 1}}).out',
    ];
    for (const src of srcs) {
      const v = compile(src);
      expect(v.validate({ concrete: true }).map((e) => e.code), src).toContain('structural cycle');
    }
  });
});
