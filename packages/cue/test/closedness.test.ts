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

describe('a definition field declared outside definitions (x: #M & {#d: ...})', () => {
  it('a reference to a definition there checks nested fields against it (no silent b)', () => {
    const src = '#D: {v: {a: int}}\n#M: {#d: #D, values: #d.v}\nx: #M & {#d: v: {b: 1}}';
    expect(errAt(src, 'x.#d.v.b')).toBe('field not allowed');
    // Only the field #D does not declare: the inline declaration restricts nothing here.
    expect(errAt(src, 'x.#d.v.a')).toBeUndefined();
    expect(compile(src).lookupPath('x.#d.v').allows('b')).toBe(false);
    // The same through the definition directly, and deeper.
    expect(errAt('#D: {v: w: {a: int}}\nx: {#d: #D} & {#d: v: w: b: 1}', 'x.#d.v.w.b')).toBe('field not allowed');
  });

  it('setting some fields of a definition field keeps the others (the #module & {#config: ...} cascade)', () => {
    const src = '#M: {#config: {a: int, b: *1 | int, c: {d: *2 | int}}, out: #config}\nx: #M & {#config: {a: 2, c: {}}}';
    const v = compile(src);
    expect(v.lookupPath('x').validate({ definitions: true })).toEqual([]);
    expect(v.lookupPath('x.out').toJS()).toEqual({ a: 2, b: 1, c: { d: 2 } });
    expect(errAt(src + '\ny: #M & {#config: {e: 1}}', 'y.#config.e')).toBe('field not allowed');
  });

  it('its declarations in several literals union when nothing else closes it, and it is closed', () => {
    const v = compile('x: {#d: b: 1} & {#d: c: 1}\n#E: {v: a: 1}\n#E: {v: b: 2}');
    expect(v.lookupPath('x.#d').toJS()).toEqual({ b: 1, c: 1 });
    expect(v.lookupPath('x.#d').isClosed()).toBe(true);
    expect(v.lookupPath('x.#d').allows('z')).toBe(false);
    expect(v.lookupPath('#E.v').toJS()).toEqual({ a: 1, b: 2 });
    expect(v.lookupPath('#E.v').allows('z')).toBe(false);
  });

  it('what a definition embeds joins its own declarations', () => {
    const src = '#A: {a: {x: int}}\n#D: {#A, a: {y: 1}}\nz: #D & {a: x: 1}\nbad: #D & {a: w: 1}';
    expect(errAt(src, '#D.a')).toBeUndefined();
    expect(compile(src).lookupPath('z').toJS()).toEqual({ a: { x: 1, y: 1 } });
    expect(errAt(src, 'bad.a.w')).toBe('field not allowed');
  });
});

describe('a value added both to a definition\'s own declarations and through a reference', () => {
  it('widens both groups (a pattern of an embedded definition and a reference to a sibling field)', () => {
    // #Module.scopes.hardened gets #Scope from #Mod's pattern (the
    // definition's own declarations) and again from #MD's pattern, reached
    // through the reference #definition.scopes, whose literal declares only
    // appliesTo: #Scope must widen that group too.
    const src = [
      '#Scope: {appliesTo: [...string] | *[], platform: bool | *false}',
      '#MD: {scopes?: [string]: #Scope}',
      '#Mod: {#definition: #MD, scopes?: [string]: #Scope, scopes: #definition.scopes}',
      '#Module: {#Mod, #definition: {#MD, scopes: hardened: {appliesTo: ["app"]}}}',
      'm: #Module',
    ].join('\n');
    expect(errAt(src, '#Module.scopes.hardened')).toBeUndefined();
    expect(compile(src).lookupPath('m.scopes.hardened').toJS()).toEqual({ appliesTo: ['app'], platform: false });
    expect(errAt(src + '\nbad: #Module & {scopes: hardened: other: 1}', 'bad.scopes.hardened.other')).toBe('field not allowed');
  });
});
