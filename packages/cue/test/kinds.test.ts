// Kinds of values and fields: a list and a struct literal conflict, a field's
// kind (regular, optional, required) comes from its declarations, and a literal
// of comprehensions only decides its kind late.
import { describe, expect, it } from 'vitest';
import { compile, errAt, json } from './eval-helpers.js';

describe('a list and a struct literal conflict', () => {
  it('even when the struct has no fields, so a disjunct is eliminated', () => {
    expect(errAt('a: [...] & {}', 'a')).toContain('mismatched types list and struct');
    expect(errAt('a: [1]\na: {#x: 1}', 'a')).toContain('mismatched types list and struct');
    expect(json('a: ([...] | {c: 1}) & {}\nb: {} & ([...] | {c: 1})')).toEqual({ a: { c: 1 }, b: { c: 1 } });
  });

  it('but a list embedded in a struct literal is that list', () => {
    expect(json('a: {[1, 2], #n: 2}\nb: a & [1, 2]')).toEqual({ a: [1, 2], b: [1, 2] });
  });
});

describe('a field declared optional after a pattern that matches it', () => {
  it('stays optional: the pattern does not declare it', () => {
    expect(json('x: {[string]: int, a?: int}')).toEqual({ x: {} });
    expect(json('#S: {[_]: [_]: {...}, objs?: _}\nout: #S & {objs: o: e: "f"}')).toEqual({ out: { objs: { o: { e: 'f' } } } });
    expect(() => json('x: {[string]: int, a!: int}')).toThrow();
    expect(json('x: {[string]: int, a?: int, a: 2}')).toEqual({ x: { a: 2 } });
  });
});

describe('a struct literal of comprehensions only', () => {
  it('is a struct once something yields, else only when nothing else gives a kind', () => {
    expect(json('a: {if false {x: 1}}\nb: null & {if false {x: 1}}\nc: {for k, v in {} {(k): v}}')).toEqual({ a: {}, b: null, c: {} });
    const src = '#Bar: {bar?: int}\n#Foo: foo?: null | #Bar | *{bar: 3}\nout: #Foo & {foo: {if false {extra: 1}}}';
    expect(json(src)).toEqual({ out: { foo: { bar: 3 } } });
    expect(compile(src).lookupPath('out.foo').toCUE()).toContain('null');
    expect(errAt('b: null & {if true {x: 1}}', 'b')).toBeDefined();
  });
});
