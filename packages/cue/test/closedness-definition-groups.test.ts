// Each definition that declares a field is a closedness group of its own
// below the field (closed.ts definitionGroup): `#A & #B` with #A: s: {} and
// #B: s: c: 1 rejects s.c, as CUE's typo check checks each reference to a
// definition on its own. Declarations of one definition, and those of a
// definition referred to within another, still union.
import { describe, expect, it } from 'vitest';
import { compile, errAt, permutations } from './eval-helpers.js';

const defs = '#A: {s: {}}\n#B: {s: {c: 1}}\n';
const ok = (src: string, path: string) => {
  const v = compile(src).lookupPath(path);
  expect(v.err(), `${path}: ${v.toCUE()}`).toBeUndefined();
  return v.toJS();
};

describe('a field declared by two definitions', () => {
  it('allows only what both declare, however they meet', () => {
    expect(errAt(defs + 'x: #A & #B', 'x.s.c')).toBe('field not allowed');
    expect(errAt(defs + 'x: #B & #A', 'x.s.c')).toBe('field not allowed');
    expect(errAt(defs + 'x: #A\nx: #B', 'x.s.c')).toBe('field not allowed');
    expect(errAt(defs + 'x: {#A & #B}', 'x.s.c')).toBe('field not allowed');
    expect(errAt(defs + 'x: [#A & #B]', 'x[0].s.c')).toBe('field not allowed');
    expect(errAt(defs + '#X: #A & #B\nx: #X', 'x.s.c')).toBe('field not allowed');
    expect(errAt(defs + '#C: {a: #A}\n#D: {a: #B}\nx: #C & #D', 'x.a.s.c')).toBe('field not allowed');
  });

  it('at every depth', () => {
    expect(errAt('#A: s: t: {}\n#B: s: t: {c: 1}\nx: #A & #B', 'x.s.t.c')).toBe('field not allowed');
    expect(errAt('#A: s: t: u: {}\n#B: s: t: u: {c: 1}\nx: #A & #B', 'x.s.t.u.c')).toBe('field not allowed');
  });

  it('whether declared optional, hidden or by a comprehension', () => {
    expect(errAt('#A: {s?: {}}\n#B: {s: {c: 1}}\nx: #A & #B', 'x.s.c')).toBe('field not allowed');
    expect(errAt('#A: {_h: {a: 1}}\n#B: {_h: {b: 1}}\nx: #A & #B', 'x._h.a')).toBe('field not allowed');
    expect(errAt('#A: {if true {s: {}}}\n#B: {s: {c: 1}}\nx: #A & #B', 'x.s.c')).toBe('field not allowed');
    expect(errAt('#A: {s: {a: int}}\n#B: {s: {b?: int}}\nx: #A & #B\nx: s: a: 1', 'x.s.a')).toBe('field not allowed');
  });

  it('in any order of declarations', () => {
    for (const p of permutations(['#A: {s: {}}', '#B: {s: {c: 1}}', 'x: #A & #B'])) expect(errAt(p.join('\n'), 'x.s.c')).toBe('field not allowed');
  });

  it('eliminates a disjunct that adds what the other does not declare', () => {
    expect(ok(defs + 'x: (#A | #B) & #B', 'x')).toEqual({ s: { c: 1 } });
  });

  it('allows what a pattern or ... of both allows', () => {
    expect(ok('#A: {s: [string]: int}\n#B: {s: {c: 1}}\nx: #A & #B', 'x')).toEqual({ s: { c: 1 } });
    expect(ok('#A: {s: {...}}\n#B: {s: {c: 1}}\nx: #A & #B', 'x')).toEqual({ s: { c: 1 } });
  });
});

describe('declarations that stay one group', () => {
  it('of one definition declared in several places', () => {
    expect(ok('#A: s: {a: 1}\n#A: s: {b: 2}\nx: #A', 'x')).toEqual({ s: { a: 1, b: 2 } });
    expect(ok('#A: s: {a: 1}\n#A: s: {b: 2}\nx: #A & #A', 'x')).toEqual({ s: { a: 1, b: 2 } });
  });

  it('of a definition and the definitions it embeds', () => {
    expect(ok(defs + '#D: {#A, s: c: 1}\nx: #D', 'x')).toEqual({ s: { c: 1 } });
    expect(ok(defs + '#Q: {#A, #B}\nx: #Q', 'x')).toEqual({ s: { c: 1 } });
  });

  it('of a definition and one it refers to, which still restricts what the other adds', () => {
    expect(ok('#H: {a: {name: string, age: int}}\n#I: #H & {a: {name: "x"}}\nx: #I & {a: age: 3}', 'x')).toEqual({ a: { name: 'x', age: 3 } });
    expect(errAt(defs + '#G: #A & {s: c: 1}\nx: #G', 'x.s.c')).toBe('field not allowed');
  });

  it('of one declaration reached through two references to its definition', () => {
    expect(ok('#M: {v: {a: int}}\n#C: #M & {v: a: 1}\n#R: {m: #M}\nx: #R & {m: #C}', 'x')).toEqual({ m: { v: { a: 1 } } });
  });
});
