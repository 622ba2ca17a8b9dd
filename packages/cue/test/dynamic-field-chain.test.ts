// A dynamic field's label is an expression (cue-spec.md, "Dynamic fields");
// it may refer to a field that another dynamic field or a comprehension
// adds. Declaration order does not matter in CUE, so the result is the same
// whichever is written first. Found by the invariance checker (permute of
// definitions/dynamic: `(x.hello): "true"` before `(a.b): "foo"` was dropped).
import { describe, expect, it } from 'vitest';
import { errAt, json, permutations } from './eval-helpers.js';

describe('dynamic fields whose label comes from another dynamic field', () => {
  it('are added in any declaration order', () => {
    const decls = ['(a.b): "foo"', '(x.hello): "true"', 'a: b: "hello"'];
    for (const p of permutations(decls)) {
      expect(json(`x: {\n${p.join('\n')}\n}`), p.join('; ')).toEqual({ x: { a: { b: 'hello' }, hello: 'foo', foo: 'true' } });
    }
  });

  it('follow a chain longer than one step', () => {
    // d names c's label, c names b's, b names a's: written last to first.
    const src = 'x: {\n(x.c): "end"\n(x.b): "d"\n(x.a): "c"\n(k): "b"\nk: "a"\n}';
    expect(json(src)).toEqual({ x: { k: 'a', a: 'b', b: 'c', c: 'd', d: 'end' } });
  });

  it('take a label from a field a comprehension adds', () => {
    expect(json('x: {\n(x.m): 1\nfor k in ["m"] { (k): "n" }\n}')).toEqual({ x: { m: 'n', n: 1 } });
  });

  it('stay incomplete when no field ever brings the label', () => {
    expect(errAt('x: {\n(x.nope): 1\na: 2\n}', 'x')).toMatch(/nope/);
  });
});
