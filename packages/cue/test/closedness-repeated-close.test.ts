// A duplicated conjunct never changes closedness: `close({_all}) & close({_all})`
// allows what one close({_all}) does, also when the definition holding it is
// referred to twice (`#C & #C`), which adds the comprehension's yields to the
// field in many places (conjuncts.ts alreadyAdded): each of those places
// declares the yielded fields.
import { describe, expect, it } from 'vitest';
import { compile, permutations } from './eval-helpers.js';

const spec = (src: string) => {
  const v = compile(src).lookupPath('x.spec');
  expect(v.err(), `${src}\n=> ${v.toCUE()}`).toBeUndefined();
  return v.toJS();
};

describe('a repeated close() of the same value', () => {
  it('is the value closed once, in every declaration order', () => {
    const all = '_all: {for _, r in #r {r}}';
    for (const s of ['close({_all}) & close({_all})', 'close({_all}) & {_all}', 'close({_all})\n\tspec: close({_all})', 'close({_all}) & close({_all}) & close({_all})'])
      for (const x of ['x: #C & #C & {#r: q: c: 1}', 'x: #C\nx: #C\nx: #r: q: c: 1', 'x: #C & #C & #C & {#r: q: c: 1}'])
        for (const p of permutations(['#r: {...}', all, `spec: ${s}`])) expect(spec(`#C: {\n\t${p.join('\n\t')}\n}\n${x}`)).toEqual({ c: 1 });
  });

  it('still rejects a field the closed value does not declare', () => {
    const v = compile('#C: {#r: {...}, _all: {for _, r in #r {r}}, spec: close({_all}) & close({_all})}\nx: #C & #C & {#r: q: c: 1}\nx: spec: d: 1');
    expect(v.lookupPath('x.spec.d').err()?.detail).toBe('field not allowed');
  });
});
