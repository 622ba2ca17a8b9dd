// An embedded conjunction whose operand is a disjunction of definitions
// (`{(#A | #B) & {a: 1}}`) is evaluated once before the disjunction is split
// and again in each disjunct. Both evaluations must build one closedness
// group: the first one's group (made without the chosen #B) stood beside the
// disjunct's and allowed `a`, so `#B & {a: 1}` survived as a disjunct.
import { describe, expect, it } from 'vitest';
import { errAt, json as evalJSON } from './eval-helpers.js';

const defs = '#A: {a: int}\n#B: {b: int}\n';
const json = (src: string) => evalJSON(defs + src) as Record<string, unknown>;
const err = (src: string, path: string) => errAt(defs + src, path);

describe('a disjunction of definitions in an embedded conjunction', () => {
  it('eliminates the disjuncts the other operand adds fields to', () => {
    expect(json('x: {(#A | #B) & {a: 1}}').x).toEqual({ a: 1 });
    expect(json('x: {(#A | #B) & {b: 1}}').x).toEqual({ b: 1 });
    expect(json('x: {(#B | {c: 1}) & {a: 1}}').x).toEqual({ c: 1, a: 1 });
    // Operand order.
    expect(json('x: {{a: 1} & (#A | #B)}').x).toEqual({ a: 1 });
    expect(err('x: {(#B | #B) & {a: 1}}', 'x')).toMatch(/field not allowed/);
  });

  it('next to fields and other embeddings of the literal', () => {
    expect(json('x: {(#A | #B) & {a: 1}, e: 2}').x).toEqual({ a: 1, e: 2 });
    expect(json('x: {e: 2, (#A | #B) & {a: 1}}').x).toEqual({ e: 2, a: 1 });
  });

  it('nested in fields, definitions and lists', () => {
    expect(json('x: y: {(#A | #B) & {a: 1}}').x).toEqual({ y: { a: 1 } });
    expect(json('#D: {y: {(#A | #B) & {a: int}}}\nx: #D & {y: a: 1}').x).toEqual({ y: { a: 1 } });
    expect(json('x: [{(#A | #B) & {a: 1}}]').x).toEqual([{ a: 1 }]);
  });

  it('through a field that holds the conjunction', () => {
    expect(json('d: (#A | #B) & {a: 1}\nx: {d, z: 1}').x).toEqual({ a: 1, z: 1 });
    expect(err('x: close((#B | #B) & {a: 1})', 'x')).toMatch(/field not allowed/);
  });
});
