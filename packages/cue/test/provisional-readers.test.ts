// A struct or list computed, while a reference cycle was open, from a scalar
// whose incompleteness was not decided yet (eval/provisional.ts) is evaluated
// again once it is decided: a comprehension over an incomplete value does not
// silently yield its fields, and what read those fields is incomplete too.
import { describe, expect, it } from 'vitest';
import { compile, json } from './eval-helpers.js';

const cycle = 'a: b + 1\n\tb: a - 1 + s.z\n\ta: 5\n\t#b: int\n\t#c: 1 & (#b + 1)';

describe('a struct that read an undecided scalar while a cycle was open', () => {
  it('is incomplete once the scalar is, whichever field is looked up first', () => {
    // (With a dynamic label, s.z is there whatever the label: only s is incomplete.)
    for (const s of ['s: {if #c > 0 {z: 0}}', 's: {"\\(#c)": 1, z: 0}', 's: {for i in [#c] if i > 0 {z: 0}}']) {
      const src = `x: {\n\t${cycle}\n\t${s}\n}`;
      for (const first of [[], ['x.s'], ['x.b'], ['x.a']]) {
        const v = compile(src);
        for (const p of first) v.lookupPath(p);
        expect(v.lookupPath('x.s').err()?.code, `${s} ${first}`).toBe('incomplete');
        if (!s.includes('"')) expect(() => v.lookupPath('x.b').toJSON(), `${s} ${first}`).toThrow();
        expect(() => v.toJSON(), `${s} ${first}`).toThrow(/non-concrete value int in operand to \+/);
      }
    }
  });

  it('in a definition and with the fields in another order; and the value once the scalar is complete', () => {
    const src = '#X: {\n\ts: {if #c > 0 {z: 0}}\n\tb: a - 1 + s.z\n\t#c: 1 & (#b + 1)\n\t#b: int\n\ta: b + 1\n\ta: 5\n}\nx: #X';
    expect(compile(src).lookupPath('x.s').err()?.code).toBe('incomplete');
    expect(json(`${src}\nx: #b: 0`)).toEqual({ x: { s: { z: 0 }, b: 4, a: 5 } });
  });
});
