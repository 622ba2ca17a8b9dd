// A disjunct keeps the conjuncts its field had when it was split. It shared
// the field's array, so a conjunct the field got afterwards (its struct
// embedding the field itself: `y: 1 | {y: 1}`, `y`) showed up in the
// disjunct, and everything taking that disjunct as a value re-added it: the
// struct got `1` from inside `{y: 1}` and failed. With one declaration it
// worked; `A & A` or a second declaration (the invariance checker's
// duplicate rewrite on disjunctions/edge) failed.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

describe('a struct embedding its own field whose value is a disjunction', () => {
  for (const src of ['y: 1 | {y: 1}\ny', 'y: 1 | {y: 1}\ny: 1 | {y: 1}\ny', 'y: (1 | {y: 1}) & (1 | {y: 1})\ny']) {
    it(src.replaceAll('\n', '; '), () => {
      expect(compile(src).toJS()).toEqual({ y: 1 });
    });
  }
});
