import { describe, expect, it } from 'vitest';
import { compile, errAt } from './eval-helpers.js';

describe('closedness of non-definition values referenced in definitions', () => {
  it('a plain struct in `#Y: #Z & X` widens the definition instead of restricting it', () => {
    const src = 'X: a: string\n#Y: #Z & X\n#Z: {X, b?: string}\nout: #Y & {b: "x"}';
    expect(errAt(src, 'out')).toBeUndefined();
    expect(compile(src).lookupPath('#Y').allows('b')).toBe(true);
    expect(errAt(src + '\nbad: #Y & {c: 1}', 'bad')).toBe('field not allowed');
  });

  it('a hidden struct conjunct of a definition does not reject fields of the other conjunct', () => {
    const src = '_common: Name: string\n#Step: #Command & _common\n#Command: {_common, Path?: string}\nout: #Step & {Name: "foo"}';
    expect(errAt(src, 'out')).toBeUndefined();
    expect(compile(src).lookupPath('out').allows('Path')).toBe(true);
    expect(compile(src).lookupPath('out').allows('Other')).toBe(false);
  });

  it('a definition made of a plain struct alone is still closed', () => {
    expect(errAt('X: a: int\n#Y: X\nout: #Y & {b: 1}', 'out')).toBe('field not allowed');
  });

  it('data filled into a definition field keeps the fields its schema allows', () => {
    const v = compile('#TI: {name?: string, scope?: _}\nt: {\n#in: #TI\nlet IN = #in\nm: {#in: IN}\n}');
    const m = v.lookup('t').fill({ name: 'x' }, '#in').lookup('m');
    expect(m.validate({ definitions: true })).toEqual([]);
    expect(m.lookup('#in', 'name').string()).toBe('x');
  });
});

describe('closedness of the operands of &', () => {
  it('a struct closed by an embedded definition restricts the other operand', () => {
    expect(errAt('#foo: {}\na: {#foo} & {b: int}', 'a.b')).toBe('field not allowed');
    expect(errAt('a: {x: 1} & {y: 2}', 'a')).toBeUndefined();
  });

  it('an embedded field whose value is a conjunction still checks the closed operand', () => {
    expect(errAt('#A: {}\n{a: #A & {err: 3}}', 'a.err')).toBe('field not allowed');
    expect(errAt('#A: a: int\nB: x: #A\nB & {x: err: 2}', 'x.err')).toBe('field not allowed');
  });

  it('close() of a conjunction allows what its operands declare', () => {
    const src = 'f: {in: number, out: in}\nk: {close((f & {in: 0})).out}';
    expect(compile(src).lookup('k').toJS()).toBe(0);
  });

  it('disjuncts of a definition embedded in one operand are checked per disjunct', () => {
    const src = 'out: #O & {name: "x", used: "y"}\n#O: {#E}\n#E: {name: string, #U | #V}\n#U: unused: string\n#V: used: string';
    expect(compile(src).lookup('out').toJS()).toEqual({ name: 'x', used: 'y' });
  });
});

describe('list elements declared in definitions', () => {
  it('are closed against elements written outside the definition', () => {
    const src = '#L: [{a: int}]\nd: #L & [{b: 2}]\ne: #L & [{a: 1}]\n#F: [if true {a: int}]\nf: #F & [{b: 2}]\ng: [{a: 1}] & [{b: 2}]';
    const v = compile(src);
    expect(v.lookupPath('d[0].b').err()?.detail).toBe('field not allowed');
    expect(v.lookupPath('e').toJS()).toEqual([{ a: 1 }]);
    expect(v.lookupPath('f[0].b').err()?.detail).toBe('field not allowed');
    // Outside definitions nothing is closed.
    expect(v.lookupPath('g').toJS()).toEqual([{ a: 1, b: 2 }]);
  });

  it('allow what all declarations in the definition bring', () => {
    const src = '_Q: [{pos: 0}]\n#d: ben: [...{pos: uint}] & _Q[0:1]\n#d: ben: [{}]\nd: #d';
    expect(compile(src).lookupPath('d').toJS()).toEqual({ ben: [{ pos: 0 }] });
  });
});

describe('optional fields a closed struct does not allow', () => {
  it('are dropped, not an error', () => {
    const src = '#A: {a?: int, b?: int}\n#B: {b: 1}\nx: #A & #B';
    expect(errAt(src, 'x')).toBeUndefined();
    expect(compile(src).lookupPath('x').toJS()).toEqual({ b: 1 });
    expect(compile(src).lookupPath('x').allows('a')).toBe(false);
    // Also when the optional field comes from an open struct, or sits deeper.
    expect(compile('#B: {b: 1}\nx: #B & {c?: string}').lookupPath('x').toJS()).toEqual({ b: 1 });
    expect(compile('#A: s: {a?: int, b?: int}\n#B: s: {b: 1}\nx: #A & #B').toJS()).toEqual({ x: { s: { b: 1 } } });
  });

  it('a regular or required field stays not allowed', () => {
    expect(errAt('#A: {a: 1, b?: int}\n#B: {b: 1}\nx: #A & #B', 'x')).toBe('field not allowed');
    expect(errAt('#A: {a!: int, b?: int}\n#B: {b: 1}\nx: #A & #B', 'x')).toBe('field not allowed');
  });

  it('a required field not allowed is reported by validate (opm cue eval exits non-zero on it)', () => {
    const errs = compile('#A: {a!: int, b?: int}\n#B: {b: 1}\nx: #A & #B').validate({ all: true });
    expect(errs.map((e) => `${e.path.join('.')}: ${e.detail}`)).toEqual(['x.a: field not allowed']);
  });
});

describe('optional definition fields', () => {
  it('have no value to refer to until set', () => {
    const src = '#P: {#Group?: int, g: #Group != _|_}\np: #P\nq: #P & {#Group: 1}';
    expect(compile(src).lookupPath('p.g').toJS()).toBe(false);
    expect(compile(src).lookupPath('q.g').toJS()).toBe(true);
    expect(errAt('#P: {#G?: int, v: #G + 1}\np: #P', 'p.v')).toMatch(/cannot reference optional field: #G/);
    expect(compile('#P: {#G?: {a: int}, v: #P.#G.a}\np: #P').lookupPath('p.v').err()?.detail).toMatch(/cannot reference optional field: #G/);
  });
});
