// `x.f != _|_` on a field missing from plain data bound by a comprehension
// (`for _, e in env {if e.fromConfig != _|_ {...}}` over encoded values) is
// final: the data cannot change, so the test is not checked again
// (operators.ts, fixedData). Wherever the field may still appear — a field
// given it by another conjunct or a comprehension, a binding of evaluated
// CUE, data reached through a field — the test sees it.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const guard = 'out: {for k, e in s {if e.f != _|_ {(k): e.f}, if e.f == _|_ {(k): "none"}}}';

describe('a test on a field missing from settled data', () => {
  it('stays missing in plain data bound by a comprehension', () => {
    const v = compile(`s: _\n${guard}`).fill({ a: { f: 1 }, b: {}, c: { g: { f: 2 } } }, 's');
    expect(v.lookup('out').toJS()).toEqual({ a: 1, b: 'none', c: 'none' });
    expect(v.lookup('out').validate()).toEqual([]);
    // Selected below the binding, and written in a struct being evaluated.
    const w = compile('s: _\nout: {for k, e in s {x: {if e.g.f != _|_ {(k): e.g.f}, if (e.g).h == _|_ {"no-\\(k)": true}}}}').fill({ c: { g: { f: 2 } } }, 's');
    expect(w.lookup('out').toJS()).toEqual({ x: { c: 2, 'no-c': true } });
  });

  it('stays missing in plain data a let holds', () => {
    const src = 's: _\nout: {let E = s.a, if E.f != _|_ {g: E.f}, if E.f == _|_ {none: true}}';
    expect(compile(src).fill({ a: {} }, 's').lookup('out').toJS()).toEqual({ none: true });
    expect(compile(src).fill({ a: { f: 1 } }, 's').lookup('out').toJS()).toEqual({ g: 1 });
    // A let of a field that another conjunct gives the field to sees it.
    expect(compile(`${src}\ns: a: f: 2`).fill({ a: {} }, 's').lookup('out').toJS()).toEqual({ g: 2 });
  });

  it('sees the field another conjunct or a comprehension gives', () => {
    for (const src of [
      `s: a: {}\ns: a: f: 1\n${guard}`,
      `s: a: {}\nif true {s: a: f: 1}\n${guard}`,
      `s: a: {}\nfor k, _ in {a: 0} {s: (k): f: 1}\n${guard}`,
      `s: a: {}\n${guard}\nif true {s: a: f: 1}`,
    ]) {
      expect(compile(src).lookup('out').toJS(), src).toEqual({ a: 1 });
    }
  });

  it('sees the field given to data filled into a field', () => {
    for (const src of ['x: _\na: {if x.f != _|_ {g: x.f}}\nx: f: 1', 'x: _\na: {if x.f != _|_ {g: x.f}}\nif true {x: f: 1}']) {
      const v = compile(src).fill({ h: 0 }, 'x');
      expect(v.lookup('a').toJS(), src).toEqual({ g: 1 });
    }
    // A binding of such a field: the field, not the data, is bound.
    const v = compile(`s: _\ns: a: f: 1\n${guard}`).fill({ a: {} }, 's');
    expect(v.lookup('out').toJS()).toEqual({ a: 1 });
  });

  it('still reports a field added after the test found it missing', () => {
    const v = compile('s: _\na: {for _, e in s {if a.f == _|_ {f: e.n}}}').fill({ x: { n: 1 } }, 's');
    expect(v.lookup('a').err()?.message).toContain('circular dependency in evaluation of conditionals');
  });
});
