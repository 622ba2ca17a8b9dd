// A literal that embeds a definition seals its fields at every depth
// (closedness-sealing.test.ts). A field that a close()d embedding declares is
// that value's to check, and close() reaches its own fields only: below such
// a field nothing is sealed. (`{#D, foo}` with foo: close({b: {}}) refused
// b.c, as if close() closed recursively like a definition.)
import { describe, expect, it } from 'vitest';
import { errAt, json as evalJSON } from './eval-helpers.js';

const json = (src: string) => evalJSON(src) as Record<string, unknown>;

const base = '#D: {x?: y: int}\nfoo: close({b: {}})\n';

describe('a close()d embedding of a sealing literal', () => {
  it('leaves the fields below its own fields open', () => {
    expect(json(base + 't: {#D, foo} & {x: y: 5, b: c: 1}').t).toEqual({ x: { y: 5 }, b: { c: 1 } });
    // Field order and the order of the embeddings do not matter.
    expect(json(base + 't: {foo, #D}\nt: b: c: 1\nt: x: y: 5').t).toEqual({ x: { y: 5 }, b: { c: 1 } });
    expect(errAt('t: {b: c: 1} & {foo, #D}\nfoo: close({b: {}})\n#D: {x?: y: int}', 't.b.c')).toBeUndefined();
  });

  it('deeper below its fields too', () => {
    expect(json(base + 't: {#D, foo} & {b: c: d: e: 1}').t).toEqual({ b: { c: { d: { e: 1 } } } });
    expect(json('#D: {x?: y: int}\nfoo: close({b: {g: {}}})\nt: {#D, foo} & {b: g: h: 1}').t).toEqual({ b: { g: { h: 1 } } });
  });

  it('still closes its own level and the definition its fields', () => {
    expect(errAt(base + 't: {#D, foo} & {d: 1}', 't.d')).toBe('field not allowed');
    expect(errAt(base + 't: {#D, foo} & {x: z: 1}', 't.x.z')).toBe('field not allowed');
  });

  it('an open embedding is sealed as the literal is', () => {
    expect(errAt('#D: {x?: y: int}\nbar: {b: {}}\nt: {#D, bar} & {b: c: 1}', 't.b.c')).toBe('field not allowed');
  });

  it('in a definition, a list and a nested field', () => {
    // A definition closes everything it holds, foo's fields included.
    expect(errAt(base + '#E: {s: {#D, foo}}\nt: #E & {s: b: c: 1}', 't.s.b.c')).toBe('field not allowed');
    expect(json(base + 't: [{#D, foo}] & [{b: c: 1}]').t).toEqual([{ b: { c: 1 } }]);
    expect(json(base + 't: n: {#D, foo}\nt: n: b: c: 1').t).toEqual({ n: { b: { c: 1 } } });
  });
});
