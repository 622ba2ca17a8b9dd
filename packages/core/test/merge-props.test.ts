// Properties of the cascade merge over random value trees.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeValues } from '../src/merge.js';
import { getPath, hasPath, leaves, type PlainObject } from '../src/paths.js';

const key = fc.constantFrom('a', 'b', 'c', 'd');
const scalar = fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.boolean());
const { tree } = fc.letrec((tie) => ({
  tree: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, scalar, fc.array(scalar, { maxLength: 2 }), tie('tree')), { maxKeys: 3 }),
}));
const values = tree as fc.Arbitrary<PlainObject>;

describe('mergeValues properties', () => {
  it('every leaf of the higher layer is in the result, unchanged', () => {
    fc.assert(
      fc.property(values, values, (lo, hi) => {
        const m = mergeValues(lo, hi);
        for (const l of leaves(hi)) {
          if (typeof l.value === 'object' && l.value !== null && !Array.isArray(l.value)) continue; // empty struct
          expect(getPath(m, l.path)).toEqual(l.value);
        }
      }),
    );
  });

  it('a leaf of the lower layer survives unless the higher layer sets that path or a prefix of it', () => {
    fc.assert(
      fc.property(values, values, (lo, hi) => {
        const m = mergeValues(lo, hi);
        for (const l of leaves(lo)) {
          const shadowed = l.path.some((_, i) => {
            const v = getPath(hi, l.path.slice(0, i + 1));
            return hasPath(hi, l.path.slice(0, i + 1)) && (i === l.path.length - 1 || typeof v !== 'object' || v === null || Array.isArray(v));
          });
          if (!shadowed) expect(getPath(m, l.path)).toEqual(l.value);
        }
      }),
    );
  });

  it('merging an empty layer changes nothing; merging is idempotent', () => {
    fc.assert(
      fc.property(values, values, (lo, hi) => {
        expect(mergeValues(lo, {})).toEqual(lo);
        expect(mergeValues(mergeValues(lo, hi), hi)).toEqual(mergeValues(lo, hi));
      }),
    );
  });
});
