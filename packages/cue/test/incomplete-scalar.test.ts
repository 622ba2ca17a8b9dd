// A scalar unified with an incomplete conjunct (`#c: 1 & (#b + 1)`, #b an
// int) is not that scalar: `#b + 1` is incomplete, so #c is, and so is every
// value computed from or referring to #c. Exporting it fails (CUE: "non-concrete
// value int in operand to +"); it used to export the silent, wrong {"d": 2}.
// A conjunct met incomplete while a reference cycle was still open is
// evaluated again once the cycle closes (eval/provisional.ts), so a
// resolvable cycle still resolves, and what read it meanwhile is decided then.
import { describe, expect, it } from 'vitest';
import { compile, json } from './eval-helpers.js';

const nonConcrete = /non-concrete value int in operand to \+/;

describe('a scalar with an incomplete conjunct', () => {
  it('makes what is computed from it incomplete, in every shape', () => {
    for (const [src, path] of [
      // definition
      ['#b: int\n#c: 1 & (#b + 1)\nd: #c + 1', 'd'],
      // hidden field
      ['_b: int\n_c: 1 & (_b + 1)\nd: _c + 1', 'd'],
      // let
      ['let B = int\nlet C = 1 & (B + 1)\nd: C + 1', 'd'],
      // nested struct
      ['x: {#b: int, #c: 1 & (#b + 1)}\nd: x.#c + 1', 'd'],
      ['x: y: {#b: int, c: 1 & (#b + 1)}\nd: x.y.c * 2', 'd'],
      // through a reference chain
      ['#b: int\n#c: 1 & (#b + 1)\n#e: #c\n#f: #e\nd: #f * 2', 'd'],
      // in a list
      ['#b: int\n#c: 1 & (#b + 1)\nd: [#c + 1]', 'd[0]'],
      ['#b: int\n#l: [1 & (#b + 1)]\nd: #l[0] + 1', 'd'],
      // other readers: interpolation, comparison, unary, builtin call
      ['#b: int\n#c: 1 & (#b + 1)\nd: "\\(#c)"', 'd'],
      ['#b: int\n#c: 1 & (#b + 1)\nd: #c == 1', 'd'],
      ['#b: int\n#c: 1 & (#b + 1)\nd: -#c', 'd'],
      ['#b: string\n#c: "a" & (#b + "")\nd: len(#c)', 'd'],
    ] as const) {
      const v = compile(src).lookupPath(path);
      expect(() => v.toJSON(), src).toThrow(/non-concrete value (int|string) in operand to \+/);
      expect(() => compile(src).toJSON(), src).toThrow(/non-concrete value/);
    }
  });

  it('makes a reference to it incomplete, as a field, a disjunct, a list element or an inline field', () => {
    for (const [src, path] of [
      ['#b: int\n#c: 1 & (#b + 1)\nd: #c', 'd'],
      ['#b: int\n#c: 1 & (#b + 1)\nd: #c & 1', 'd'],
      ['#b: int\n#c: 1 & (#b + 1)\nd: *#c | 2', 'd'],
      ['#b: int\n#c: 1 & (#b + 1)\nd: [for x in [#c] {x}]', 'd[0]'],
      ['#b: int\n#c: 1 & (#b + 1)\nd: {a: #c}.a', 'd'],
    ] as const) {
      expect(() => compile(src).lookupPath(path).toJSON(), src).toThrow(nonConcrete);
    }
  });

  it('is the scalar once the conjunct is complete, and an error when it conflicts', () => {
    expect(json('#b: int\n#c: 1 & (#b + 1)\nd: #c + 1\n#b: 0')).toEqual({ d: 2 });
    expect(json('x: {#b: int, #c: 1 & (#b + 1)}\nd: x.#c + 1\nx: #b: 0')).toEqual({ x: {}, d: 2 });
    expect(() => compile('#b: int\n#c: 1 & (#b + 1)\nd: #c + 1\n#b: 5').toJSON()).toThrow(/conflicting values/);
  });

  it('is incomplete when read while a reference cycle in the same struct is open, and so is what is computed from it', () => {
    const src = 'x: {\n  a: b + 1\n  b: a - 1\n  a: 5\n  #b: int\n  #c: 1 & (#b + 1)\n  e: #c + 1\n  f: [#c][0] * 2\n  g: f + 1\n}';
    const v = compile(src);
    expect(v.lookupPath('x.a').toJS()).toBe(5);
    expect(v.lookupPath('x.b').toJS()).toBe(4);
    for (const f of ['e', 'f', 'g']) expect(() => v.lookupPath(`x.${f}`).toJSON(), f).toThrow(nonConcrete);
    expect(json(src.replace('}', '  #b: 0\n}'))).toEqual({ x: { a: 5, b: 4, e: 2, f: 2, g: 3 } });
  });

  it('still resolves reference cycles whose conjuncts were incomplete while the cycle was open', () => {
    const timeSpan = `#T: {
	start: float, duration: float, end: float
	start: end - duration
	duration: end - start
	end: start + duration
	start: <=end
}
`;
    expect(json(`${timeSpan}x: #T & {start: 10.0, duration: 2.1}`)).toEqual({ x: { start: 10, duration: 2.1, end: 12.1 } });
    expect(json(`${timeSpan}x: #T & {end: 12.5, duration: 2.5}`)).toEqual({ x: { start: 10, duration: 2.5, end: 12.5 } });
    // One value is not enough: all three stay incomplete.
    const v = compile(`${timeSpan}x: #T & {start: 10.0}`);
    for (const f of ['start', 'duration', 'end']) expect(() => v.lookupPath(`x.${f}`).toJSON(), f).toThrow(/non-concrete/);
    expect(json('a: b + 1\nb: a - 1\na: 5')).toEqual({ a: 5, b: 4 });
  });
});
