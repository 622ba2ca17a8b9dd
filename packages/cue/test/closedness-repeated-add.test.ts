// A value added to a field in many places (`c: #A & #V & #V` with `#V: {#A}`
// adds #A five times: once as an operand, once embedded in each #V) declares
// its fields in each of those places: every closedness group it reaches
// allows them, however many places came before (conjuncts.ts alreadyAdded
// used to stop at the fifth place, so the last #V's embedding allowed nothing).
import { describe, expect, it } from 'vitest';
import { compile, permutations } from './eval-helpers.js';

const DEFS = [
  ['#V: {#A}', '#A: {i: "a"}'],
  ['#V: {#A, #C}', '#A: {i: "a"}', '#C: {j?: int}'],
];
// Declarations of c, each a list of `&` operands.
const SHAPES = [
  [['#A'], ['#A', '#V'], ['#A', '#V']],
  [['#V', '#V', '#A']],
  [['#A', '#V'], ['#V', '#A'], ['#V']],
  [['#A', '#V', '#V', '#A', '#V']],
];

function programs(extra: string): string[] {
  const out: string[] = [];
  for (const defs of DEFS)
    for (const shape of SHAPES)
      for (const decls of permutations(shape))
        for (const d of permutations(defs))
          for (const reversed of [false, true]) {
            const cs = decls.map((ops) => `c: ${(reversed ? [...ops].reverse() : ops).join(' & ')}`);
            out.push([...d, ...cs, extra].join('\n'));
          }
  return out;
}

describe('a definition added to a field in many places', () => {
  it('allows its fields in every declaration and operand order', () => {
    for (const src of programs('')) {
      const v = compile(src).lookupPath('c');
      expect(v.err(), `${src}\n=> ${v.toCUE()}`).toBeUndefined();
      expect(v.toJS(), src).toEqual({ i: 'a' });
    }
  });

  it('still rejects a field none of them declares', () => {
    for (const src of programs('c: k: 1')) expect(compile(src).lookupPath('c.k').err()?.detail, src).toBe('field not allowed');
  });

  it('keeps the fields of a definition reached through nested embeddings and `&` (comprehensions/issue3929 doubled)', () => {
    const decls = ['#CJ: {#C}', '#C: {i: "a"}', 'k: #K & {c: #C & #CJ}', 'k: #K & {c: #C & #CJ}', '#K: c: #C'];
    for (const p of permutations(decls)) {
      const v = compile(p.join('\n')).lookupPath('k.c');
      expect(v.err(), p.join('\n')).toBeUndefined();
      expect(v.toJS()).toEqual({ i: 'a' });
    }
  });
});
