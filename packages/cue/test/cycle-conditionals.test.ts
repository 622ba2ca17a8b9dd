// A test against bottom that holds only because its operand was incomplete
// while the struct it guards was evaluated, and that the guarded fields then
// make false, is a cycle: CUE's "circular dependency in evaluation of
// conditionals" (code cycle), not a value no evaluation order can give.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

function errAt(src: string, path: string) {
  return compile(src).lookupPath(path).err();
}

describe('conditionals that decide what they test', () => {
  it('is a cycle error on the struct holding the test, whichever field is looked up first', () => {
    for (const order of [['a', 'c'], ['c', 'a']]) {
      const src = 'a: {if c == _|_ {x: 1}}\nc: a.x';
      const v = compile(src);
      for (const p of order) v.lookupPath(p);
      const e = v.lookupPath('a').err();
      expect(e?.code, order.join()).toBe('cycle');
      expect(e?.detail, order.join()).toBe('circular dependency in evaluation of conditionals: c == _|_ changed after evaluation');
    }
  });

  it('is found when the tested field is evaluated first (it read the struct before the test added to it)', () => {
    // c reads a.x while a's test waits on c: c is left incomplete; the test
    // is checked again with c evaluated anew, which now finds x.
    for (const order of [['c', 'a'], ['a', 'c']]) {
      const v = compile('c: a.x\na: {if c == _|_ {x: 1}}');
      for (const p of order) v.lookupPath(p);
      const e = v.lookupPath('a').err();
      expect(e?.code, order.join()).toBe('cycle');
      expect(e?.detail, order.join()).toBe('circular dependency in evaluation of conditionals: c == _|_ changed after evaluation');
    }
    // Evaluated anew, c is still incomplete: the test keeps its answer.
    expect(compile('c: a.y\na: {if c == _|_ {x: 1}}').lookupPath('a').toJS()).toEqual({ x: 1 });
  });

  it('nested in fields and definitions, and through a negated !=', () => {
    expect(errAt('o: {s: {if t == _|_ {y: 1}}, t: s.y}', 'o.s')?.code).toBe('cycle');
    expect(errAt('#D: {s: {if t == _|_ {y: 1}}, t: s.y}\nd: #D', 'd.s')?.code).toBe('cycle');
    expect(errAt('s: {if !(t != _|_) {y: 1}}\nt: s.y', 's')?.code).toBe('cycle');
    expect(errAt('s: {if !(t != _|_) {y: 1}}\nt: s.y\nu: {if t == _|_ {z: 1}}', 'u')).toBeUndefined();
  });

  it('a test that keeps its answer, or one whose operand is known in time, is fine', () => {
    // c stays incomplete: the test keeps holding.
    expect(compile('a: {if c == _|_ {x: 1}}\nc: a.y').lookupPath('a').toJS()).toEqual({ x: 1 });
    // A field made by the comprehension's own struct before the comprehension runs.
    expect(compile('a: {z: 1, if c == _|_ {x: 1}}\nc: a.q').lookupPath('a').toJS()).toEqual({ z: 1, x: 1 });
    expect(compile('a: {z: 1, if c != _|_ {x: c}}\nc: a.z').lookupPath('a').toJS()).toEqual({ z: 1, x: 1 });
    // A test that failed while its operand was read early adds nothing wrong (read again later).
    const src = 'import "regexp"\nX: #X.u + "@h"\n#X: {if Y.u == _|_ {u: ""}, if Y.u != _|_ {u: Y.u}}\nY: {u: "x", if #Y.u != _|_ {u: #Y.u}}\n#Y: regexp.FindNamedSubmatch(#"^(?P<u>[a-z]*)@"#, X)';
    expect(compile(src).toJS()).toEqual({ X: 'x@h', Y: { u: 'x' } });
  });

  it('an element of a list whose comprehension is still deciding is not known yet, not out of range', () => {
    // n reads l[0] while l's comprehension evaluates the test that decides
    // whether l[0] exists: the test held because n was not known yet.
    for (const src of ['l: [if n == _|_ {1}]\nn: l[0]', 'n: l[0]\nl: [if n == _|_ {1}]']) {
      expect(errAt(src, 'l')?.code, src).toBe('cycle');
    }
    // Asked the other way, the test keeps its answer: no element, n is out of range.
    const v = compile('l: [if n != _|_ {1}]\nn: l[0]');
    expect(v.lookupPath('l').toJS()).toEqual([]);
    expect(v.lookupPath('n').err()?.detail).toBe('index out of range [0] with length 0');
    // A list that is done is out of range at once.
    expect(errAt('l: [for x in [1] {x}]\nn: l[3]', 'n')?.code).toBe('eval');
  });
});
