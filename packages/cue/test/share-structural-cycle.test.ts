// Structure sharing must not hide a structural cycle (CUE spec, "Structural
// cycles"): a struct that shares, a few levels down, a struct holding the
// field about to share it would make the field hold itself (`#A: B?: #B` with
// `#B: A: #A` used to unfold a hundred levels of shared arcs before the
// evaluation depth limit stopped it); and a struct holding a disjunction
// whose cyclic disjuncts were eliminated where it stands must be evaluated
// again where it is referenced.
import { afterEach, describe, expect, it } from 'vitest';
import { compile, permutations } from './eval-helpers.js';
import { debug } from '../src/eval/share.js';

const src = '#A: {\n\tB?: #B\n}\n#B: {\n\tA: #A\n}\n';

/** How deeply v's fields nest (optional fields included). */
function depth(text: string): number {
  let d = 0;
  let max = 0;
  for (const ch of text) {
    if (ch === '{') max = Math.max(max, ++d);
    else if (ch === '}') d--;
  }
  return max;
}

describe('a shared struct that would hold the field sharing it', () => {
  afterEach(() => {
    debug.sharing = true;
  });

  for (const sharing of [true, false]) {
    it(`is a structural cycle a few levels down, whichever definition is asked first (sharing ${sharing})`, () => {
      debug.sharing = sharing;
      for (const order of [['#A', '#B'], ['#B', '#A']]) {
        const v = compile(src);
        for (const p of order) {
          const x = v.lookupPath(p);
          expect(depth(x.toCUE({ optional: true })), `${order.join()}: ${p}`).toBeLessThanOrEqual(3);
        }
        // #B.A is #A: its B? would hold #B again. (With sharing, where the
        // cycle is reported still depends on the order: a shared struct whose
        // copied conjuncts refer to a struct holding the sharing field is not
        // detected yet.)
        expect(v.lookupPath('#B').toCUE({ optional: true }), order.join()).toContain('_|_ // structural cycle');
        if (!sharing) expect(v.lookupPath('#B').toCUE({ optional: true }), order.join()).toBe('A: {\n\tB?: _|_ // structural cycle\n}');
      }
    });
  }
});

describe('a shared struct holding a disjunction that a structural cycle pruned', () => {
  afterEach(() => {
    debug.sharing = true;
  });

  // #Kind is one field of #Fields at a time; the `wrap` disjunct would hold
  // #Kind within #Kind (a structural cycle) and is eliminated, but not for
  // `use`, whose data feeds it. Which disjuncts of wrap.inner fail depends on
  // where it stands, so a struct holding it is evaluated again where it is
  // referenced, not shared.
  const decls = [
    '#Fields: {\n\ta: int\n\tb: string\n\twrap: inner: #Kind\n}',
    'use: #Kind & {wrap: inner: a: 1}',
    '#Kind: or([for k, f in #Fields {(k): f}])',
  ];
  const orders = permutations([0, 1, 2]);
  for (const sharing of [true, false]) {
    it(`keeps the cyclic disjunct out in every field order (sharing ${sharing})`, () => {
      debug.sharing = sharing;
      for (const o of orders) {
        const v = compile(o.map((i) => decls[i]).join('\n'));
        v.toCUE({ definitions: true });
        expect(v.lookupPath('#Kind').toCUE(), o.join()).toBe('{\n\ta: int\n} | {\n\tb: string\n}');
        expect(v.lookupPath('use').toJS(), o.join()).toEqual({ wrap: { inner: { a: 1 } } });
      }
    });
  }
});
