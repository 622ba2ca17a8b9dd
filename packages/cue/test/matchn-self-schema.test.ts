// matchN's list of schemas is no part of the field holding the call: a schema
// referring back to that field (`z: matchN(1, [z])`) is a reference cycle, as
// in an inline value, not a structural cycle that fails every schema (it
// reported "0 matched, expected 1").
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

describe('a matchN schema that refers back to the value', () => {
  it('the value itself', () => {
    const v = compile('z: matchN(1, [z])\nz: {n: 2}');
    expect(v.lookupPath('z').err()).toBeUndefined();
    expect(v.lookupPath('z').toJS()).toEqual({ n: 2 });
  });
  it('a definition that is its own schema', () => {
    const v = compile('#T: matchN(1, [#T])\nb: #T & {x: 1}');
    expect(v.lookupPath('b').toJS()).toEqual({ x: 1 });
  });
  it('an enclosing field', () => {
    const v = compile('e: {x: matchN(1, [e])}\ne: {x: {}}');
    expect(v.lookupPath('e').toJS()).toEqual({ x: {} });
  });
  it('still counts the schemas that fail', () => {
    const v = compile('z: matchN(1, [z, {n: int}])\nz: {n: 2}');
    expect(v.lookupPath('z').err()?.detail).toContain('2 matched, expected 1');
  });
  it('a recursive schema through an optional field', () => {
    const v = compile('#S: matchN(1, [{n: int, next?: #S}, string])\na: #S & {n: 1, next: {n: 2, next: "x"}}\nc: #S & {n: "no"}');
    expect(v.lookupPath('a').toJS()).toEqual({ n: 1, next: { n: 2, next: 'x' } });
    expect(v.lookupPath('c').err()?.detail).toContain('0 matched, expected 1');
  });
});
