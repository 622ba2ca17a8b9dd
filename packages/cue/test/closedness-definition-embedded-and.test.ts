// A definition whose literal embeds `a & b` (`#E: {#A & #B, s: d: 1}`): the
// operands of the embedded `&` are typo-checked against each other at every
// depth below, while what the literal itself declares is allowed (CUE's
// embedding scope: a field declared outside the embedding is evidence for
// each operand). closed.ts andOperandKid.
import { describe, expect, it } from 'vitest';
import { compile, errAt } from './eval-helpers.js';

const ok = (src: string, path: string) => {
  const v = compile(src).lookupPath(path);
  expect(v.err(), `${path}: ${v.toCUE()}`).toBeUndefined();
  return v.toJS();
};

describe('operands of an `&` embedded in a definition', () => {
  const defs = '#A: s: {}\n#B: s: c: 1\n';

  it('intersect, in the definition itself and through references to it', () => {
    expect(errAt(defs + '#E: {#A & #B}', '#E.s.c')).toBe('field not allowed');
    expect(errAt(defs + '#E: {#A & #B}\ny: #E', 'y.s.c')).toBe('field not allowed');
    expect(errAt(defs + '#E: {#A & #B}\ny: #E & {}', 'y.s.c')).toBe('field not allowed');
    expect(errAt(defs + '#E: {#A & #B}\ny: [#E]', 'y[0].s.c')).toBe('field not allowed');
  });

  it('at every depth', () => {
    const d2 = '#A: s: t: {}\n#B: s: t: c: 1\n';
    expect(errAt(d2 + '#E: {#A & #B, s: t: d: 1}', '#E.s.t.c')).toBe('field not allowed');
    expect(errAt(d2 + '#E: {s: t: d: 1, #A & #B}', '#E.s.t.c')).toBe('field not allowed');
    expect(ok(d2 + '#E: {#A & #B, s: t: d: 1}', '#E.s.t.d')).toBe(1);
  });

  it('beside what the literal declares itself, which is allowed', () => {
    expect(ok('#A: s: {}\n#B: s: c?: int\n#E: {#A & #B, s: d: 1}', '#E')).toEqual({ s: { d: 1 } });
    expect(errAt(defs + '#E: {#A & #B, s: d: 1}', '#E.s.c')).toBe('field not allowed');
    expect(ok(defs + '#E: {#A & #B, s: {d: 1, c: 1}}', '#E')).toEqual({ s: { d: 1, c: 1 } });
    expect(ok('#A: s: {}\n#B: s: c?: int\n#E: {#A & #B, s: d: 1}\nr: #E & {s: d: 1}', 'r')).toEqual({ s: { d: 1 } });
  });

  it('reject a field one operand declares when it comes from outside', () => {
    const src = '#A: s: {}\n#B: s: c?: int\n#E: {#A & #B, s: d: 1}\n';
    expect(errAt(src + 'r: #E & {s: c: 1}', 'r.s.c')).toBe('field not allowed');
    expect(errAt(src + 'r: #E\nr: s: c: 1', 'r.s.c')).toBe('field not allowed');
  });

  it('follow patterns and `...` of the operands', () => {
    expect(ok('#A: s: {a?: int}\n#C: s: [string]: int\n#P: {#A & #C}\np: #P & {s: a: 1}', 'p')).toEqual({ s: { a: 1 } });
    expect(errAt('#A: s: {a?: int}\n#C: s: [string]: int\n#P: {#A & #C}\np: #P & {s: x: 1}', 'p.s.x')).toBe('field not allowed');
    expect(ok('#D: s: {...}\n#B: s: {b?: int}\n#Q: {#D & #B}\nq: #Q & {s: b: 1}', 'q')).toEqual({ s: { b: 1 } });
    expect(errAt('#A: s: {a?: int}\n#B: s: {b?: int}\n#C: s: [string]: int\n#R: {(#A | #B) & #C, s: z?: int}\nr: #R & {s: y: 1}', 'r')).toBeDefined();
  });

  it('embedded side by side still union', () => {
    expect(ok('#A: s: {}\n#B: s: c: 1\n#G: {#A, #B}\nw: #G', 'w')).toEqual({ s: { c: 1 } });
  });
});
