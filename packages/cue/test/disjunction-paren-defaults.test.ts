// A parenthesized disjunction among the terms of another keeps its defaults
// by the spec's rules (M1–M3, D0–D2), for struct terms as for scalars: its
// default carries into an unmarked outer disjunction and is stripped when the
// outer one has marked terms of its own. (Struct terms lost the group's
// marks: `(*{x: 1} | {y: 1}) | {z: 1}` exported "incomplete value".)
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const value = (src: string, path = 'a') => compile(src).lookupPath(path).toJS();

describe('defaults of a parenthesized disjunction inside another', () => {
  it('carry into an unmarked disjunction (D1, D2)', () => {
    expect(value('a: (*1 | {x: 1}) | null')).toEqual(1);
    expect(value('a: (*{x: 1} | 1) | null')).toEqual({ x: 1 });
    expect(value('a: (*{x: 1} | {y: 1}) | {z: 1}')).toEqual({ x: 1 });
    expect(value('a: {z: 1} | (*{x: 1} | {y: 1})')).toEqual({ x: 1 });
    expect(value('a: (null | *{x: 1}) | [1]')).toEqual({ x: 1 });
    expect(value('a: ((*{x: 1} | {y: 1})) | {z: 1}')).toEqual({ x: 1 });
    expect(value('a: [...((*{x: 1} | {y: 1}) | null)]\na: [{}, null, {y: 1}]')).toEqual([{ x: 1 }, null, { x: 1, y: 1 }]);
    // A failing term of the group leaves the others with their marks.
    expect(value('a: (*{x: 1} | {y: 1 & 2} | {w: 1}) | {z: 1}')).toEqual({ x: 1 });
  });

  it('are stripped by an outer marked term (M3), kept or made by an outer mark (M1, M2)', () => {
    expect(value('a: (*{x: 1} | {y: 1}) | *{z: 1}')).toEqual({ z: 1 });
    expect(value('a: *(*{x: 1} | {y: 1}) | {z: 1}')).toEqual({ x: 1 });
    expect(() => compile('a: *({x: 1} | {y: 1}) | {z: 1}').toJSON()).toThrow(/incomplete value/);
    // The spec's own examples, with scalars.
    expect(value('a: (*1|2|3) | *(1|*2|3)')).toEqual(2);
    expect(value('a: (*1|2) | *3')).toEqual(3);
    expect(() => compile('a: (*1|2|3) | (1|*2|3)').toJSON()).toThrow(/incomplete value/);
  });

  it('do not depend on the order of the terms', () => {
    for (const src of ['a: (*{x: 1} | {y: 1}) | {z: 1}', 'a: {z: 1} | ({y: 1} | *{x: 1})', 'a: ({y: 1} | *{x: 1}) | {z: 1}']) {
      expect(value(src), src).toEqual({ x: 1 });
    }
  });
});
