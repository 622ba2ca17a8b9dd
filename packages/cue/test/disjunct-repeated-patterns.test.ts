// Equal pattern constraints are one constraint, as CUE keeps them: the
// conjunction of every declaration's value. `{[string]: string}` met twice
// kept two patterns, so `({[string]: string} | *{}) & ({[string]: string} |
// *{})` had three disjuncts (the struct with two patterns, the one with one,
// and `{}`) where CUE has two, and printed `[string]: string` twice.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('repeated pattern constraints', () => {
  it('merge disjuncts that differ only in how often a pattern was declared', () => {
    const v = compile('x: ({[string]: string} | *{}) & ({[string]: string} | *{})\ny: x & {a: "s"}');
    expect(flat(v.lookupPath('x').toCUE())).toBe('{ [string]: string } | *{}');
    expect(v.lookupPath('y').toJS()).toEqual({ a: 's' });
  });

  it('print once, with their constraints together', () => {
    const v = compile('x: {[=~"x"]: int} & {[=~"x"]: >1}\nz: {[string]: string} & {[string]: string}');
    expect(flat(v.lookupPath('x').toCUE())).toBe('[=~"x"]: int & >1');
    expect(flat(v.lookupPath('z').toCUE())).toBe('[string]: string');
  });

  it('stay apart when their patterns differ', () => {
    const v = compile('x: ({[string]: int} | *{}) & ({[=~"a"]: int} | *{})');
    expect(v.lookupPath('x').toCUE().split('|').length).toBe(4);
  });
});
