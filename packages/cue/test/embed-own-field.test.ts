// A struct that embeds one of its own fields (`t: {c.d, c: d: ...}`) gets
// that field's fields; what the embedding adds may in turn add to the
// embedded field (through the field itself or one of its ancestors), and
// then the struct gets those too, until nothing changes (CUE's insertion of
// conjuncts into an arc already embedded).
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const js = (src: string) => compile(src).toJS();

describe('embedding a field of the struct itself', () => {
  it('two fields embedded in their parent add to each other', () => {
    expect(js('t: {a: b: {v: 1, a: w: 2}, b: a: {x: 2, b: y: 5}, a, b}')).toEqual({
      t: { a: { b: { v: 1, a: { w: 2 }, y: 5 }, x: 2, w: 2 }, b: { a: { x: 2, b: { y: 5 }, w: 2 }, v: 1, y: 5 }, v: 1, w: 2, x: 2, y: 5 },
    });
    // The same, embedded in the other order and with the embeddings first.
    expect(js('t: {b, a, a: b: {v: 1, a: w: 2}, b: a: {x: 2, b: y: 5}}')).toEqual({
      t: { a: { b: { v: 1, a: { w: 2 }, y: 5 }, x: 2, w: 2 }, b: { a: { x: 2, b: { y: 5 }, w: 2 }, v: 1, y: 5 }, v: 1, w: 2, x: 2, y: 5 },
    });
  });

  it('an embedded field that its own embedding adds to, through an ancestor', () => {
    expect(js('t: {e: {}, c: d: e: f: 1, c.d, c: d: c: d: e: g: 1}')).toEqual({
      t: { e: { f: 1, g: 1 }, c: { d: { e: { f: 1, g: 1 }, c: { d: { e: { g: 1 } } } } } },
    });
    expect(js('t: {c, c: c: g: 1}')).toEqual({ t: { c: { c: { g: 1 }, g: 1 }, g: 1 } });
  });

  it('a conflict that only the added fields bring is reported', () => {
    const v = compile('t: {a: b: {v: 1, a: w: 2}, b: a: {w: 3}, a, b}');
    expect(v.lookupPath('t.a.w').err()?.detail).toContain('conflicting values');
  });

  it('embedding one disjunct of its own field still eliminates the others', () => {
    expect(js('t: {y: 1 | {y: 1}, y}')).toEqual({ t: { y: 1 } });
  });
});
