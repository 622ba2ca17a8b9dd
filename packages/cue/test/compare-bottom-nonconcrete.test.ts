// `x == _|_` / `x != _|_` test whether x is an error; as in CUE, a value that
// is only constrained to a scalar kind (a type, a bound) counts as not there
// yet: `x != _|_` holds once x is concrete, a struct or list, or `_` (CUE's
// validate takes a value that may still be a struct or list as its field,
// there unless the field's own value is an error). So a guard on a field of
// a schema fires only once the schema is given a value.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const at = (src: string, ...paths: string[]) => paths.map((p) => compile(src).lookupPath(p).toJS());

describe('comparing a non-concrete value with _|_', () => {
  it('a type or a bound is like a missing value', () => {
    expect(at('x: string, a: x != _|_, b: x == _|_', 'a', 'b')).toEqual([false, true]);
    expect(at('x: >3, a: x != _|_', 'a')).toEqual([false]);
    expect(at('x: int & >0 & <10, a: x == _|_', 'a')).toEqual([true]);
  });

  it('concrete values, defaults, structs and lists are there', () => {
    expect(at('x: "s", a: x != _|_', 'a')).toEqual([true]);
    expect(at('x: int | *1, a: x != _|_', 'a')).toEqual([true]);
    expect(at('x: {a: int}, a: x != _|_', 'a')).toEqual([true]);
    expect(at('x: [...int], a: x != _|_', 'a')).toEqual([true]);
    expect(at('x: null, a: x != _|_', 'a')).toEqual([true]);
    expect(at('x: _, a: x != _|_, b: x == _|_', 'a', 'b')).toEqual([true, false]);
  });

  it('a guard in a definition fires only once the field is given a value', () => {
    const src = `
#In: {
	name: string
	age: "one" | "two"
	if name != _|_ {
		age: "one"
	}
}
d: #In
v: #In & {name: "x"}
`;
    const v = compile(src);
    expect(v.lookupPath('d.age').toCUE()).toBe('"one" | "two"');
    expect(v.lookupPath('v').toJS()).toEqual({ name: 'x', age: 'one' });
  });

  it('an optional field of a definition is not there', () => {
    expect(compile('#P: {#G?: int, g: #G != _|_}').lookupPath('#P.g').toJS()).toBe(false);
    expect(compile('#P: {#G?: int, g: #G != _|_}, p: #P & {#G: 2}').lookupPath('p.g').toJS()).toBe(true);
  });
});
