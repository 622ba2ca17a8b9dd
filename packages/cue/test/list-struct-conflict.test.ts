// An open struct `{...}` is still a struct: unified with a list it
// conflicts, as `{}` does (`c: [1] & {...}` exported [1]).
import { describe, expect, it } from 'vitest';
import { compile, errOf } from './eval-helpers.js';

describe('a list unified with an open struct', () => {
  it('conflicts, in either order and through a definition', () => {
    for (const src of ['c: [1] & {...}', 'c: {...} & [1]', 'c: [1]\nc: {...}', '#A: {...}\nc: #A & [1]', 'c: [...int]\nc: {...}', 'c: []\nc: {}']) {
      const e = errOf(src, 'c');
      expect(e.code, src).toBe('eval');
      expect(e.message, src).toContain('conflicting values');
    }
  });

  it('a scalar disjunction unified with a struct conflicts (its default is not taken)', () => {
    for (const src of ['c: *2 | 3\nc: {...}', 'c: *2 | 3\nc: {}', 'c: *"a" | "b"\nc: {#x: 1}', 'c: int | string\nc: {...}', 'b: 2\nc: (1 | b)\nc: {...}']) {
      expect(errOf(src, 'c').code, src).toBe('eval');
    }
    // Embedded in a struct, the disjunction is the struct's value.
    expect(compile('c: {*2 | 3, #x: 1}').toJS()).toEqual({ c: 2 });
    expect(compile('x: *2 | 3\nc: {x}').toJS()).toEqual({ x: 2, c: 2 });
    expect(compile('c: *1 | {a: int}\nc: {a: 1}').toJS()).toEqual({ c: { a: 1 } });
  });

  it('an embedded empty struct is a struct: it conflicts with a list, in either order', () => {
    // `{{}}` is `{}`, and so is a comprehension yielding `{}`; one that yields nothing leaves the list alone.
    const srcs = ['b: {{}} & []', 'b: [] & {{}}', 'b: {if true {}} & []', 'b: [1] & {if true {}}', 'b: {for x in [1] {}} & [...int]', 'b: {{}, [1]}', 'b: {[1], {}}'];
    srcs.push('a: 1\nb: (and([({if a == 1 {}} | {})]) & [])', 'a: 1\nb: [] & and([({} | {if a == 1 {}})])');
    for (const src of srcs) expect(errOf(src, 'b').message, src).toContain('conflicting values');
    expect(compile('b: {if false {}} & []').toJS()).toEqual({ b: [] });
    expect(compile('b: [] & {for x in [] {}}').toJS()).toEqual({ b: [] });
  });

  it('a list embedded next to definitions is still that list', () => {
    expect(compile('b: {#f: 1, [1]}').toJS()).toEqual({ b: [1] });
    expect(compile('b: [1] & {[1]}').toJS()).toEqual({ b: [1] });
  });
});
