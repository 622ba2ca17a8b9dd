// Structural cycles are counted along each conjunct's own chain of
// references (CUE's cycle.go, "per-conjunct cycle tracking"), not over every
// reference that any conjunct brought to the vertex's ancestors.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('repeats counted per conjunct', () => {
  it('expand equal disjuncts to the same depth, so they are merged (eval/counters issue3750)', () => {
    const v = compile('out: Foo & {sub: Foo}\nFoo: {\n\tsub: Foo | {a: b: _}\n\ta: b: _\n}\nwant: {sub: {sub: {sub: {a: {b: _}}, a: {b: _}} | {a: {b: _}}, a: {b: _}} | {a: {b: _}}, a: {b: _}}');
    expect(flat(v.lookupPath('out.sub').toCUE())).toBe(flat(v.lookupPath('want').toCUE()));
  });

  it('whichever operand brings the recursive reference first', () => {
    const v = compile('out: {sub: Foo} & Foo\nFoo: {\n\tsub: Foo | {a: b: _}\n\ta: b: _\n}\nwant: {sub: {sub: {sub: {a: {b: _}}, a: {b: _}} | {a: {b: _}}, a: {b: _}} | {a: {b: _}}, a: {b: _}}');
    expect(flat(v.lookupPath('out.sub').toCUE())).toBe(flat(v.lookupPath('want').toCUE()));
  });

  it('continue through inline values (or([...]) of definitions embedding the field)', () => {
    const prog = (x: string) => `#X: {type!: string, ...}\n#X: ${x}\n#A: {#X, type!: "a", x?: int}\n#B: {#X, type!: "b", y!: int}`;
    const v = compile(prog('or([#A, #B])')).lookupPath('#X');
    expect(v.err()).toBeUndefined();
    expect(v.toCUE()).toBe(compile(prog('#A | #B')).lookupPath('#X').toCUE());
  });
});
