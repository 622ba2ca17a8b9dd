import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { outcome, printProgram, program, shuffler } from './core-programs.js';

// CUE is order-independent: writing the fields, conjuncts, disjuncts and
// declarations of a program in another order must give the same value (field
// order of the output aside) or the same failure at the same fields.
// CUE_PERMUTE_RUNS / CUE_PERMUTE_SEED run it longer (node scripts/cue-fuzz.js RUNS SEED).
describe('order independence', () => {
  it('a permuted program has the same value', () => {
    fc.assert(
      fc.property(program, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (p, seed) => {
        const written = printProgram(p);
        const permuted = printProgram(p, shuffler(seed));
        expect(outcome(permuted), `written:\n${written}\npermuted:\n${permuted}`).toEqual(outcome(written));
      }),
      { numRuns: Number(process.env.CUE_PERMUTE_RUNS ?? 250), seed: Number(process.env.CUE_PERMUTE_SEED ?? 20261207) },
    );
  }, 60_000);
});
