// A marked disjunction whose only surviving term is its default is the
// value-default pair ⟨v, v⟩ (spec: "Default values"): used as a term of a
// later unmarked disjunction it keeps that default (D1), so
// `x: *1 | (1&2); y: x | null` defaults to 1, as `x: *1 | 2; y: x | null`
// does. (The single survivor used to lose its mark: y had no default.)
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const value = (src: string, path = 'y') => compile(src).lookupPath(path).toJS();
const incomplete = (src: string, path = 'y') => expect(() => compile(src).lookupPath(path).toJSON()).toThrow(/incomplete value/);

describe('a disjunction reduced to its default', () => {
  it('keeps the default in an unmarked disjunction (D1)', () => {
    expect(value('x: *1 | (1&2)\ny: x | null')).toEqual(1);
    expect(value('y: x | null\nx: *1 | (1&2)')).toEqual(1);
    expect(value('x: *1 | (1&2)\ny: null | x | "s"')).toEqual(1);
    // Reduced by unification rather than by a failing term.
    expect(value('x: *1 | 2\nx: 1\ny: x | null')).toEqual(1);
    expect(value('x: *"a" | "b"\nx: "a" | "c"\ny: x | null')).toEqual('a');
  });

  it('in nested fields, definitions and list elements', () => {
    expect(value('s: x: *1 | (1&2)\ny: s.x | null')).toEqual(1);
    expect(value('#D: x: *1 | (1&2)\ny: #D.x | null')).toEqual(1);
    expect(value('l: [*1 | (1&2)]\ny: l[0] | null')).toEqual(1);
    expect(value('x: *1 | (1&2)\ny: {a: x | null}', 'y.a')).toEqual(1);
  });

  it('with struct terms in the later disjunction', () => {
    expect(value('x: *1 | (1&2)\ny: x | {a: 1}')).toEqual(1);
    expect(value('x: *1 | (1&2)\ny: {a: 1} | x')).toEqual(1);
  });

  it('is stripped by a marked disjunction (M3) and kept by a mark (M1)', () => {
    expect(value('x: *1 | (1&2)\ny: x | *null')).toEqual(null);
    expect(value('x: *1 | (1&2)\ny: *x | null')).toEqual(1);
  });

  it('a term that was never marked gives no default', () => {
    incomplete('x: 1 | (1&2)\ny: x | null');
    incomplete('x: 1\ny: x | null');
    incomplete('x: *1 | 2\nx: 2\ny: x | null');
  });
});

describe('a group whose marked terms were all eliminated', () => {
  it('is unmarked, and a mark in front of it makes it the default (M1)', () => {
    // `(1 | *(1&2))` is ⟨1⟩; `*⟨1⟩` is ⟨1, 1⟩, which stays the default of `{} | …` (D1).
    expect(value('y: ({} | (*(1 | *(1&2)) | 1))')).toEqual(1);
    expect(value('e: *(1 | *(1&2)) | 1\ny: e | {}')).toEqual(1);
    incomplete('y: ({} | ((1 | *(1&2)) | 1))');
  });
});
