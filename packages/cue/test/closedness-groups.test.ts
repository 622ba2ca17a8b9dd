// Closedness groups as CUE's v3 evaluator forms them: the definitions embedded
// in one struct allow what any of them allows, the operands of `&` intersect,
// and disjuncts do not see what other disjuncts added to shared declarations.
import { describe, expect, it } from 'vitest';
import { compile, errAt, json } from './eval-helpers.js';

describe('embedding several definitions', () => {
  it('allows the union of their fields', () => {
    const src = '#A: {num: number}\n#B: {ans: string}\n#val: {#A, #B}\nx: #val\nx: {num: 1, ans: "a"}';
    expect(errAt(src, 'x')).toBeUndefined();
    expect(json(src)).toEqual({ x: { num: 1, ans: 'a' } });
    expect(errAt(src + '\ny: #val & {other: 1}', 'y.other')).toBe('field not allowed');
  });

  it('lets close() over fields gathered from several resources accept all of them (#Component)', () => {
    const src = [
      '#R: {a: {spec: {x: int}}, b: {spec: {y: int}}}',
      '_all: {for _, r in #R {r.spec}}',
      'spec: close({_all})',
      'spec: {x: 1, y: 2}',
    ].join('\n');
    expect(errAt(src, 'spec')).toBeUndefined();
    expect(errAt(src + '\nspec: z: 3', 'spec.z')).toBe('field not allowed');
  });

  it('still intersects the operands of an embedded conjunction', () => {
    expect(errAt('#A: a: int\n#B: b: int\nx: {#A & #B}\nx: a: 1', 'x')).toBe('field not allowed');
  });
});

describe('disjuncts of a shared declaration', () => {
  it('each disjunct is checked against its own definition only', () => {
    const src = '#Foo: foo: _\n#Bar: bar: _\nimp: {\n{either: #Foo | #Bar}\n}\nout: imp\nout: either: foo: "world"';
    expect(compile(src).lookupPath('out.either').toJS()).toEqual({ foo: 'world' });
    expect(compile(src).lookupPath('out.either').toCUE()).not.toContain('bar');
  });

  it('declarations of one field within an embedded value intersect', () => {
    const src = 'in: k1: foo: a: 1\nin: k1: foo: #x\nout: {in.k1}\n#x: {a: int} | *{b: 2}';
    expect(json(src)).toMatchObject({ out: { foo: { a: 1 } } });
    expect(compile(src).lookupPath('out.foo').toCUE()).not.toContain('b: 2');
  });
});

describe('pattern constraints that refer to a definition', () => {
  it('match only the labels the definition allows', () => {
    const src = '#EnvName: =~"^[A-Z_]+$"\n#Env: {[#EnvName]: string}\nbad: #Env & {"feature-x": "y"}\nok: #Env & {FEATURE_X: "y"}';
    expect(compile(src).lookup('bad', 'feature-x').err()?.detail).toBe('field not allowed');
    expect(errAt(src, 'ok')).toBeUndefined();
  });

  it('apply their value only to the labels they match', () => {
    const src = '#Name: =~"^[a-z]+$"\nx: {[#Name]: int}\nx: {abc: 1, "A-B": "s"}';
    expect(json(src)).toEqual({ x: { abc: 1, 'A-B': 's' } });
    expect(errAt(src + '\nx: def: "s"', 'x.def')).toBeDefined();
  });
});

describe('a list embedded in a struct inside a definition', () => {
  it('is that list: its elements are no fields the definition must allow', () => {
    const src = '#C: {counts: {[1]}}\nans: #C\nans2: #C & {counts: [1]}';
    expect(errAt(src, 'ans')).toBeUndefined();
    expect(json(src)).toEqual({ ans: { counts: [1] }, ans2: { counts: [1] } });
  });

  it('a list unified with a closed empty struct is still rejected', () => {
    const src = '#A: ["a" | "b"] | {}\nb: #A & ["b"]';
    expect(json(src)).toEqual({ b: ['b'] });
  });
});
