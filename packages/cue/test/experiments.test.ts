// Evaluation of the syntax Go CUE enables with file-level @experiment(...)
// attributes: structcmp, aliasv2 (self, postfix aliases), try, explicitopen.
import { describe, expect, it } from 'vitest';
import type { BinaryExpr, Field } from '../src/ast.js';
import { parseFile } from '../src/parser.js';
import { formatNode } from '../src/format.js';

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
    expect(() => compile('a: self.b\nb: 1')).toThrow('reference "self" not found');
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
  it('discards a try whose optional references name missing fields, and uses its else', () => {
    const src = [
      'a?: int', 'b: 2', 'c: 1', 'inc: int', 'req!: int', 'xs: {}', 'l: [1, 2, 3, ...]', 'k: [1, 2]',
      'try { r1: a? + 1 }',
      'try { r2: b? + c? }',
      'try { r3: a? } else { f3: 23 }',
      'try { x4: inc? } else { f4: 0 }',
      'try { x5: req? } else { f5: 1 }',
      'try { x6: xs.y? }',
      'try { v7: l[10]? } else { f7: -1 }',
      'try { v8: l[1]? }',
      'user?: {name?: string}',
      'try { g: "Hello, \\(user?.name?)!" } else { g0: true }',
      'try { x9: c?, try { y9: a? } }',
    ].join('\n');
    const v = compile(pre + src);
    expect(v.lookupPath('r1').exists()).toBe(false);
    expect(v.lookupPath('r2').toJS()).toBe(3);
    expect(v.lookupPath('f3').toJS()).toBe(23);
    expect(v.lookupPath('x4').toCUE()).toBe('int');
    expect(v.lookupPath('f4').exists()).toBe(false);
    expect(v.lookupPath('f5').toJS()).toBe(1);
    expect(v.lookupPath('x6').exists()).toBe(false);
    expect(v.lookupPath('f7').toJS()).toBe(-1);
    expect(v.lookupPath('v8').toJS()).toBe(2);
    expect(v.lookupPath('g0').toJS()).toBe(true);
    expect(v.lookupPath('x9').toJS()).toBe(1);
    expect(v.lookupPath('y9').exists()).toBe(false);
  });

  it('checks optional references again where a definition is used', () => {
    expect(json(pre + '#W: {\n\ta?: int\n\ttry {\n\t\tb: a? + 1\n\t}\n}\nm: #W & {}\np: #W & {a: 10}')).toEqual({ m: {}, p: { a: 10, b: 11 } });
  });

  it('binds the assignment form and continues with further clauses', () => {
    expect(json(pre + 'a?: int\nb: 1\nc: 2\ntry s = b? + c? {r: s}\ntry q = a? {x: q} else {f: 0}\ntry x = b? try y = c? if x < y {t: x + y}')).toEqual({ b: 1, c: 2, r: 3, f: 0, t: 3 });
  });

  it('keeps errors other than a missing optional reference', () => {
    expect(errOf(pre + 'a: "s"\ns: {try { b: a? + 1 } else { b: 0 }}', 's.b').detail).toContain('invalid operands');
    expect(errOf(pre + 'l: [1, 2, 3]\ns: {try { v: l[10]? } else { f: -1 }}', 's.v').detail).toContain('index out of range');
    // Without `?` a missing field is not covered by the try.
    expect(errOf(pre + 'xs: {}\ns: {try { b: xs.y }}', 's.b').code).toBe('incomplete');
  });

  it('takes fallback after clause lists that start with if and continue with for or if', () => {
    expect(json(pre + 'c: 1\nif c > 0 for k in [] {z: k} fallback {e1: true}\nif c > 0 if c > 5 {z: 1} fallback {e2: true}\nfor k in [1, 2] if k > 5 {z: k} fallback {e3: true}')).toEqual({ c: 1, e1: true, e2: true, e3: true });
  });

  it('parses optional references only in try clauses, and prints them back', () => {
    expect(() => parseFile('in.cue', 'x: a?', { experiments: ['try'] })).toThrow('only valid within a try clause');
    expect(() => parseFile('in.cue', 'try { x: a? }')).toThrow('@experiment(try)');
    expect(() => parseFile('in.cue', pre + 'if true {a: 1} fallback {b: 1}')).toThrow("use 'else' with 'if' clauses");
    expect(() => parseFile('in.cue', pre + 'for x in [] {a: 1} else {b: 1}')).toThrow("use 'fallback' with 'for' clauses");
    const f = parseFile('in.cue', pre + 'try { g: "\\(user?.name?)" + l[0]? }');
    expect(formatNode(f.decls[0]!)).toBe('try {\n\tg: "\\(user?.name?)" + l[0]?\n}');
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

describe('__reclose (explicitopen)', () => {
  const pre = '@experiment(explicitopen)\n#D: {x: y: 1}\nc: close({b: {}})\no: {b: {}}\n';

  it('gives back what X... dropped: a definition closes recursively, the literal keeps its own fields', () => {
    expect(errOf(pre + 'a: __reclose({#D..., n: m: int})\nt: a & {z: 1}', 't.z').detail).toContain('field not allowed');
    expect(errOf(pre + 'a: __reclose({#D..., n: m: int})\nt: a & {x: z: 1}', 't.x.z').detail).toContain('field not allowed');
    expect(compile(pre + 'a: __reclose({#D..., n: m: int})\nt: a & {n: m: 1}').lookupPath('t').toJS()).toEqual({ x: { y: 1 }, n: { m: 1 } });
  });

  it('close() closes the top level only, and nothing closed gives an open struct', () => {
    expect(errOf(pre + 'a: __reclose({c..., d: e: int})\nt: a & {f: 1}', 't.f').detail).toContain('field not allowed');
    expect(compile(pre + 'a: __reclose({c..., d: e: 1})\nt: a & {d: f: 1, b: g: 2}').lookupPath('t').toJS()).toEqual({ b: { g: 2 }, d: { e: 1, f: 1 } });
    expect(compile(pre + 'a: __reclose({o...})\nt: a & {f: 1}').lookupPath('t').toJS()).toEqual({ b: {}, f: 1 });
    expect(compile(pre + 'a: __reclose({})\nt: a & {f: 1}').lookupPath('t').toJS()).toEqual({ f: 1 });
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
