// Evaluation of the syntax Go CUE enables with file-level @experiment(...)
// attributes: structcmp, aliasv2 (self, postfix aliases), try, explicitopen.
import { describe, expect, it } from 'vitest';
import type { BinaryExpr, Field } from '../src/ast.js';
import { parseFile } from '../src/parser.js';

import { compile, errOf, json } from './eval-helpers.js';

describe('@experiment(structcmp)', () => {
  const pre = '@experiment(structcmp)\n';

  it('uses unary == as a validator for scalars, lists and structs', () => {
    expect(json(pre + 'a: ==3\na: 3\nb: =={x: 1}\nb: {x: 1}\nc: ==[1, 2]\nc: [1, 2]\nd: ==3 & >2\nd: 3')).toEqual({ a: 3, b: { x: 1 }, c: [1, 2], d: 3 });
    const e = errOf(pre + 'a: ==3\na: 2', 'a');
    expect(e.code).toBe('eval');
    expect(e.detail).toContain('invalid value 2 (out of bound ==3)');
    expect(errOf(pre + 'b: =={x: 1}\nb: {x: 2}', 'b').code).toBe('eval');
  });

  it('compares structs and lists with == and !=', () => {
    expect(json(pre + 'a: {x: 1, y: [1]} == {y: [1], x: 1}\nb: [1, 2] != [1, 3]\nc: {x: 1} == {x: 1, y: 2}')).toEqual({ a: true, b: true, c: false });
  });

  it('leaves a non-concrete == operand incomplete', () => {
    expect(errOf(pre + 'x: int\na: ==x', 'a').code).toBe('incomplete');
  });
});

describe('@experiment(aliasv2): self', () => {
  const pre = '@experiment(aliasv2)\n';

  it('refers to the innermost enclosing struct or list', () => {
    expect(json(pre + 'a: self.b\nb: "hi"\nx: {y: self.z, z: 1}\nf: g: self.h\nf: h: 2\nl: [1, 2, self[0]]')).toEqual({
      a: 'hi',
      b: 'hi',
      x: { y: 1, z: 1 },
      f: { g: 2, h: 2 },
      l: [1, 2, 1],
    });
  });

  it('is the value of the field it is embedded in, so it can validate it', () => {
    expect(json('@experiment(aliasv2,structcmp)\na: {==(self * 1)}\na: 2')).toEqual({ a: 2 });
    const e = errOf('@experiment(aliasv2,structcmp)\na: {==(self + 1)}\na: 2', 'a');
    expect(e.code).toBe('eval');
    expect(e.detail).toContain('out of bound ==3');
  });

  it('can be bound by let, and is shadowed by a field named self', () => {
    expect(json(pre + 'w: {\n\tlet X = self\n\tfoo: 1\n\tbar: baz: X.foo\n}\nv: {self: 3, a: self}')).toEqual({ w: { foo: 1, bar: { baz: 1 } }, v: { self: 3, a: 3 } });
  });

  it('is an ordinary identifier without the experiment', () => {
    expect(errOf('a: self.b\nb: 1', 'a').detail).toContain('reference "self" not found');
  });
});

describe('@experiment(try)', () => {
  const pre = '@experiment(try)\n';

  it('yields try bodies, and else/fallback bodies when the clauses yield nothing', () => {
    expect(json(pre + 'try {a: 1}\nif false {b: 1} else {c: 1}\nif true {d: 1} else {e: 1}\nfor x in [] {f: x} fallback {g: 1}\nl: [for x in [] {x} fallback {0}]')).toEqual({
      a: 1,
      c: 1,
      d: 1,
      g: 1,
      l: [0],
    });
  });

  it('propagates errors of the clauses instead of falling back', () => {
    expect(errOf(pre + 's: {for x in "no" {a: x} fallback {b: 1}}', 's').code).toBe('eval');
    expect(errOf(pre + 's: {if ("x" + 1) {a: 1} else {b: 1}}', 's').detail).toContain('invalid operands');
  });
});

describe('@experiment(aliasv2): postfix aliases', () => {
  const pre = '@experiment(aliasv2)\n';

  it('binds K to the label and V to the field, for static and dynamic labels', () => {
    expect(json(pre + 'a~(K,V): {name: K, val: V.foo}\na: foo: 42\nb: K\n("d")~(L,_): L\n"\\("i")"~X: {x: 1}\nc: X.x')).toEqual({
      a: { name: 'a', val: 42, foo: 42 },
      b: 'a',
      d: 'd',
      i: { x: 1 },
      c: 1,
    });
  });

  it('binds the matched label and field of a pattern within its value', () => {
    expect(json(pre + 'p: {\n\t[string]~(L,F): {label: L, twice: F.data * 2}\n\tx: data: 1\n}')).toEqual({ p: { x: { data: 1, label: 'x', twice: 2 } } });
  });

  it('binds aliases of fields produced by comprehensions', () => {
    expect(json(pre + 'for i, v in [5] {"\\(i)"~X: {value: v, double: X.value * 2}}')).toEqual({ '0': { value: 5, double: 10 } });
  });

  it('does not reach into optional fields', () => {
    const e = errOf(pre + 'o~X?: {a: 1}\nt: X.a', 't');
    expect(e.code).toBe('incomplete');
    expect(e.detail).toContain('cannot reference optional field: o');
  });
});

describe('value aliases', () => {
  it('bind X in `f: X=value` to the value of f', () => {
    expect(json('s: X={b: 3, c: X.b}\nl: Y=[1, 2, Y[0]]')).toEqual({ s: { b: 3, c: 3 }, l: [1, 2, 1] });
    expect(compile('s: X={b: int, c: X.b}\nt: s & {b: 4}').lookupPath('t').toJS()).toEqual({ b: 4, c: 4 });
  });

  it('see the unified value, so conflicts show up', () => {
    expect(errOf('s: X={b: 3, c: X.b & 4}', 's.c').code).toBe('eval');
  });
});

describe('@experiment(explicitopen)', () => {
  const pre = '@experiment(explicitopen)\n#A: a: 1\n';

  it('X... drops the closedness of X but an enclosing definition still closes over its labels', () => {
    expect(compile(pre + 'foo: {a: 1}\nz: foo... & {b: 1}').lookupPath('z').toJS()).toEqual({ a: 1, b: 1 });
    expect(compile(pre + 'O: {#A..., b: 1}\ny: O & {c: 3}').lookupPath('y').toJS()).toEqual({ a: 1, b: 1, c: 3 });
    expect(compile(pre + '#B: {#A..., b: 1}\nx: #B & {b: 1}').lookupPath('x').toJS()).toEqual({ a: 1, b: 1 });
  });

  it('keeps an embedded closed value closed in explicitopen files only', () => {
    const e = errOf(pre + 'O: {#A, c: 3}', 'O');
    expect(e.code).toBe('eval');
    expect(e.detail).toContain('field not allowed');
    expect(compile(pre + 'O: {#A..., c: 3}').lookupPath('O').toJS()).toEqual({ a: 1, c: 3 });
    expect(json('#A: a: 1\nO: {#A, c: 3}')).toEqual({ O: { a: 1, c: 3 } });
  });

  it('reports fields the definition does not declare', () => {
    const e = errOf(pre + '#B: {#A..., b: 1}\nx: #B & {c: 3}', 'x');
    expect(e.code).toBe('eval');
    expect(e.detail).toContain('field not allowed');
  });

  it('takes only literals in __closeAll and __reclose, and only in explicitopen files', () => {
    expect(compile(pre + 'x: __closeAll({a: 1, b: {c: 2}})').lookupPath('x').toJS()).toEqual({ a: 1, b: { c: 2 } });
    expect(errOf(pre + 'x: __closeAll({a: 1})\ny: x & {b: 2}', 'y.b').detail).toContain('field not allowed');
    expect(compile(pre + 'x: __reclose(close({a: 1}))').lookupPath('x').toJS()).toEqual({ a: 1 });
    for (const [src, msg] of [
      [pre + 'x: __closeAll(#A)', 'error in call to __closeAll: argument must be a struct or list literal'],
      [pre + 'x: __reclose("s")', 'error in call to __reclose: argument must be a struct or list literal'],
      ['x: __closeAll({a: 1})', 'error in call to __closeAll: __closeAll may only be used when explicitopen is enabled'],
    ]) {
      const e = errOf(src!, 'x');
      expect(e.code).toBe('eval');
      expect(e.detail).toBe(msg);
    }
  });
});

describe('pattern constraints', () => {
  it('make the struct an error when the pattern itself fails', () => {
    const e = errOf('s: {\n\tlet X = or([])\n\t[X]: X\n}', 's');
    expect(e.detail).toContain('or');
  });
});

describe('@experiment(shortcircuit)', () => {
  it('skips the right operand of && and || when the left one decides', () => {
    expect(json('@experiment(shortcircuit)\nx: int\na: false && _|_\nb: true || x\nc: true && false\nd: false || true\n' + 'x: 1')).toEqual({ x: 1, a: false, b: true, c: false, d: true });
    expect(parseShort('@experiment(shortcircuit)\na: x && y')).toBe(true);
  });

  it('evaluates both operands without the experiment', () => {
    expect(errOf('a: false && _|_', 'a').code).toBe('user');
    expect(parseShort('a: x && y')).toBe(false);
  });
});

function parseShort(src: string): boolean {
  const f = parseFile('t.cue', src);
  const d = f.decls[0] as Field;
  return (d.value as BinaryExpr).shortCircuit === true;
}
