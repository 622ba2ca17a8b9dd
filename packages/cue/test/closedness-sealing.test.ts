// A struct literal outside definitions that embeds a definition is closed
// once its embeddings are in, and, as a definition closes recursively, so are
// the literal's fields at every depth (CUE's v3 typo check). At each path a
// field is allowed when the literal or one of its embeddings declares it
// there; a `...` of the group at some level lifts this below it.
import { describe, expect, it } from 'vitest';
import { errAt, json } from './eval-helpers.js';

describe('a literal that embeds a definition closes its nested fields', () => {
  it('refuses a field another operand adds below a field of the literal', () => {
    const src = [
      '#X: {objs: {extra: "e", ...}, ...}',
      '#Y: unused: {}',
      'addTwo: #X & {',
      '\t#Y',
      '\tobjs: name: "Two"',
      '}',
    ].join('\n');
    expect(errAt(src, 'addTwo.objs.extra')).toBe('field not allowed');
    // Without the embedded definition the literal stays open.
    expect(json(src.replace('\t#Y\n', ''))).toEqual({ addTwo: { objs: { extra: 'e', name: 'Two' } } });
    // close() closes one level only.
    expect(json(src.replace('\t#Y\n', '\tclose({unused: {}})\n'))).toEqual({ addTwo: { objs: { extra: 'e', name: 'Two' }, unused: {} } });
  });

  it('allows what the literal and its embedded definition declare at the same path', () => {
    const src = '#A: c: d: {f: 2, g?: int}\nx: {#A, c: d: {e: 1}}';
    expect(json(src)).toEqual({ x: { c: { d: { e: 1, f: 2 } } } });
    expect(errAt(src + '\nx: c: d: h: 3', 'x.c.d.h')).toBe('field not allowed');
  });

  it('allows what a pattern of the embedded definition brings, at any depth', () => {
    expect(json('#A: [string]: {x: int}\na: {#A, foo: {y: 1}}\na: foo: x: 2')).toEqual({ a: { foo: { x: 2, y: 1 } } });
    const deep = '#S: {p?: [string]: #S, q?: int}\nout: [...#S] & [{#S, p: foo: q: 1}]';
    expect(json(deep)).toEqual({ out: [{ p: { foo: { q: 1 } } }] });
    expect(errAt(deep + '\nout: [{p: foo: r: 1}]', 'out[0].p.foo.r')).toBe('field not allowed');
  });

  it('is lifted by a `...` of the literal or of its embedding at that level', () => {
    expect(json('#X: {foo: {...}}\nout: {#X, foo: a: b: "x"}\nout: foo: a: c: "h"')).toEqual({ out: { foo: { a: { b: 'x', c: 'h' } } } });
    expect(json('#X: {}\nout: {#X, foo: {a: 1, ...}}\nout: foo: b: 2')).toEqual({ out: { foo: { a: 1, b: 2 } } });
    // `{#A, ...}` opens the top level and what is below it.
    expect(json('#A: a: int\nout: {#A, ...}\nout: {a: 1, b: c: 2}')).toEqual({ out: { a: 1, b: { c: 2 } } });
  });

  it('keeps the union of several embedded definitions', () => {
    const src = '#A: {n: {x?: int}}\n#B: {s: {y?: int}}\nv: {#A, #B}\nv: {n: x: 1, s: y: 2}';
    expect(json(src)).toEqual({ v: { n: { x: 1 }, s: { y: 2 } } });
    expect(errAt(src + '\nv: n: z: 1', 'v.n.z')).toBe('field not allowed');
  });

  it('applies to a literal nested in a field and to a definition embedded through a disjunction', () => {
    const nested = '#Y: {}\n#X: {a: {b: {...}, ...}}\nout: #X & {a: {#Y, b: c: 1}}';
    expect(json(nested)).toEqual({ out: { a: { b: { c: 1 } } } });
    expect(errAt(nested + '\nout: a: b: d: 2', 'out.a.b.d')).toBe('field not allowed');
    const disj = '#A: {k: "a"}\n#B: {k: "b"}\n#O: {m: {...}, ...}\nout: #O & {#A | #B, m: n: 1}\nout: k: "a"';
    expect(json(disj)).toEqual({ out: { k: 'a', m: { n: 1 } } });
    // No disjunct allows it.
    expect(errAt(disj + '\nout: m: o: 2', 'out')).toContain('field not allowed');
  });
});
