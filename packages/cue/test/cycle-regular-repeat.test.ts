// A reference met again along a conjunct's chain through regular fields
// (the same reference to the same field) makes that conjunct cyclic, and the
// vertex is a structural cycle when it has nothing but cyclic conjuncts, as
// CUE's cycle.go decides it. Before, such a repeat was let through three
// more times (a repeat count), so a copied recursive value unfolded four
// levels before the error, and how deep depended on whether the value was
// shared or copied (`x: a.b.c` against `x: a.b.c & a.b.c`).
import { describe, expect, it } from 'vitest';
import { compile, errAt } from './eval-helpers.js';

const d1 = 'a: b: c: d: {h: int, t: r}\nr: a.b\n';

describe('a repeated reference through regular fields', () => {
  it('is a structural cycle at its first repeat when nothing else feeds it', () => {
    const src = `${d1}x: a.b.c & a.b.c`;
    expect(errAt(src, 'x.d.t.c.d.t')).toBe('structural cycle');
    expect(errAt(src, 'x.d.t.c.d')).toBeUndefined();
    expect(compile(src).lookupPath('x.d.t.c.d.h').toCUE()).toBe('int');
  });

  it('goes on when another conjunct gives the vertex a value (the conflict shows)', () => {
    expect(errAt('b: a & [[1]]\na: [a]', 'b[0][0]')).toMatch(/conflicting values 1 and/);
  });

  it('is no repeat when the same expression refers to another field', () => {
    const v = compile('s: {\n\t#T\n\tin: _\n\tx: #T\n\tx: x: #T\n\t#T: {\n\t\tin: x\n\t\tx: _\n\t}\n}');
    expect(v.lookupPath('s').err()).toBeUndefined();
    expect(v.lookupPath('s.in.in').toCUE()).toBe('"in": _\nx: _');
  });

  it('met again at the vertex itself adds nothing (a reference cycle)', () => {
    const v = compile('a: x & x\nY: x & x\nx: {\n\tY\n}');
    expect(v.lookupPath('a').err()).toBeUndefined();
    expect(v.lookupPath('a').toCUE()).toBe('{}');
  });
});
