// A disjunct that chose a term of a disjunction it was given by reference,
// meeting a reference to that same disjunction again through that term, is a
// reference cycle: the repeat adds nothing (CUE's cycle.go, a reference that
// recurs in the conjunct's chain at the same node). `#A: string | {#A}`,
// `x: #A`: the disjunct `{#A}` of x is `{}`, however #A is written. Declared
// twice (the invariance checker's duplicate rewrite on cycle/self
// disjEmbed), #A was split anew inside its own disjunct at every level until
// a structural cycle eliminated the struct, and x lost `{}`.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const forms = [
  ['once', '#A: string | {#A}'],
  ['declared twice', '#A: string | {#A}\n#A: string | {#A}'],
  ['as a conjunction', '#A: (string | {#A}) & (string | {#A})'],
];

describe('a disjunction met again through its own chosen term', () => {
  for (const [name, decl] of forms) {
    for (const order of ['x first', 'x last']) {
      it(`keeps the struct disjunct (#A ${name}, ${order})`, () => {
        const v = compile(order === 'x first' ? `x: #A\n${decl}` : `${decl}\nx: #A`);
        expect(v.lookupPath('x').toCUE()).toBe('string | {}');
        expect(v.lookupPath('#A').toCUE()).toBe('string | {}');
      });
    }
  }

  it('gives a struct disjunct that a type does not subsume', () => {
    // The disjunct, unified with `string` to test subsumption, takes the
    // same term: it conflicts instead of turning into `string`.
    const ds = compile('#A: string | {#A}\n#A: string | {#A}\nx: #A').lookupPath('x').disjuncts?.() ?? [];
    expect(ds.map((d) => d.value.toCUE())).toEqual(['string', '{}']);
    expect(ds[1]!.value.subsumes(ds[0]!.value)).toBe(false);
  });

  it('still splits a different disjunction met through the term', () => {
    const v = compile('#A: string | {#B}\n#A: string | {#B}\n#B: int | {c: 1}\nx: #A');
    expect(v.lookupPath('x').toCUE()).toBe(compile('#A: string | {#B}\n#B: int | {c: 1}\nx: #A').lookupPath('x').toCUE());
  });

  it('still splits the same disjunction reached again at a field below', () => {
    const v = compile('#N: string | {name?: string, [string]: #N}\n#N: string | {name?: string, [string]: #N}\ndata: #N & {s: {i: {name: 1}}}');
    expect(v.lookupPath('data').err()).toBeDefined();
  });
});
