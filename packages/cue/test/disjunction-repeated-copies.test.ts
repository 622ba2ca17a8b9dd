import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

// The same disjunction reached again through several instances of one
// definition (Timoni's `#SA & {_config: config}` written twice) used to be
// multiplied out: each copy of `labels: *selectorLabels | {...}` was another
// factor, and two copies of #SA made 3^8 = 6,561 combinations, over the
// limit. Equal disjunctions depend only on the set of terms chosen, so the
// number of combinations no longer grows with the number of copies.
const config = `#Config: {metadata: name: string, metadata: labels: *selectorLabels | {[string]: string}, selectorLabels: *{n: metadata.name} | {[string]: string}}
#SA: {_config: #Config, metadata: _config.metadata}
`;
const want = { metadata: { name: 'test', labels: { n: 'test' } } };

describe('repeated equal disjunctions', () => {
  it('evaluate to the value of one copy, however many copies meet', () => {
    for (const n of [2, 3, 4]) {
      const sa = Array.from({ length: n }, () => '(#SA & {_config: config})').join(' & ');
      const v = compile(`${config}#Instance: {config: #Config, objects: sa: ${sa}}
i: #Instance & {config: metadata: name: "test"}
out: [for o in i.objects {o}]`);
      expect(v.lookupPath('out').err()?.message, `${n} copies`).toBeUndefined();
      expect(v.lookupPath('out').toJS(), `${n} copies`).toEqual([want]);
    }
  });

  it('through lets, nesting and embedded definitions', () => {
    const v = compile(`${config}c: #Config & {metadata: name: "test"}
let L = #SA & {_config: c}
nested: {a: L & L, b: {c: L & L & L}}
#E: {#SA, _config: c}
emb: #E & #E & #E`);
    expect(v.lookupPath('nested').toJS()).toEqual({ a: want, b: { c: want } });
    expect(v.lookupPath('emb').toJS()).toEqual(want);
  });

  it('keep the defaults and the other terms of the disjunction', () => {
    const v = compile('#A: {x: *1 | 2 | 3, y: *{a: 1} | {b: 1}}\na: #A & #A & #A\nb: #A & #A & {y: b: 1}');
    expect(v.lookupPath('a').toJS()).toEqual({ x: 1, y: { a: 1 } });
    expect(v.lookupPath('b').toJS()).toEqual({ x: 1, y: { b: 1 } });
  });
});
