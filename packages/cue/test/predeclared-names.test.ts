import { describe, expect, it } from 'vitest';
import { newContext } from '../src/index.js';

const compile = (text: string) => newContext().compile({ filename: 'in.cue', text });

describe('predeclared identifiers', () => {
  // The tables of predeclared names were object literals: `name in table`
  // found Object.prototype's members, so `x: toString` compiled and exported
  // as "incomplete value _|_" instead of failing as an unknown reference.
  it('are only the names the spec predeclares, not properties of a JS object', () => {
    for (const name of ['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__', 'isPrototypeOf']) {
      expect(() => compile(`x: ${name}`), name).toThrow(`reference "${name}" not found`);
    }
  });

  it('still resolve the predeclared types and integer ranges', () => {
    const v = compile('a: int & 1\nb: int8 & -128\nc: uint8 & 255\nd: string & "s"\ne: rune & 65\nf: bytes & \'b\'');
    expect(v.lookupPath('a').toJS()).toBe(1);
    expect(v.lookupPath('b').toJS()).toBe(-128);
    expect(v.lookupPath('e').toJS()).toBe(65);
    expect(() => compile('x: int8 & 128').lookupPath('x').toJSChecked()).toThrow();
  });
});
