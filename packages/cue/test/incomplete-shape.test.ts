// A list or struct with a comprehension whose condition or source is not
// known yet is not known in shape either: which element sits at an index, its
// length and what ranging over it yields all wait for that comprehension.
// Taking the elements it has so far gives a silently wrong value once the
// value is unified where the condition is known (a definition's embedding).
import { describe, expect, it } from 'vitest';
import { compile, errOf, json } from './eval-helpers.js';

const pending = `
p: string
x: [if p == "x" {1}, 2]
s: {if p == "x" {a: 1}, b: 2}
`;

describe('values of incomplete shape', () => {
  it('indexing, len and for over them are incomplete, not the elements seen so far', () => {
    for (const expr of ['x[0]', 'len(x)', '[for e in x {e}]', 'len(s)', '[for k, _ in s {k}]']) {
      expect(errOf(`${pending}\nr: ${expr}`, 'r').code, expr).toBe('incomplete');
    }
  });

  it('a selection through the struct is incomplete, even of a field that is already there', () => {
    // CUE makes the struct an incomplete error as a whole ({_|_, b: 2}; v0.4
    // leaves `s.b` unevaluated too); the field itself is still listed.
    expect(errOf(`${pending}\nr: s.b`, 'r').code).toBe('incomplete');
    expect(compile(pending).lookupPath('s.b').toJS()).toBe(2);
    // Decided, the comprehension no longer stands in the way.
    expect(compile(`${pending}\nr: s.b\np: "y"`).lookupPath('r').toJS()).toBe(2);
    // A definition whose test waits for its use: selected through a use that decides it.
    const src = '#C: {on: bool, if on {x: 1}, z: 2}\nc: #C & {on: true}\nr: c.z\nd: #C.z';
    expect(compile(src).lookupPath('r').toJS()).toBe(2);
    expect(errOf(src, 'd').code).toBe('incomplete');
  });

  it('a definition embedding such an index gets the value of each use', () => {
    const src = `
#m: {#p: string, [if #p == "x" {1}, 2][0]}
r: #m & {#p: "x"}
q: #m & {#p: "y"}
`;
    expect(json(src)).toEqual({ r: 1, q: 2 });
  });

  it('an interpolation inside an indexed list waits for its definition field', () => {
    const src = `
import "strings"
_#match: {
	#pattern: string
	[if strings.HasSuffix(#pattern, "*") {strings.TrimSuffix(#pattern, "*")}, "'\\(#pattern)'"][0]
}
r: _#match & {#pattern: "refs/tags/v*", _}
s: _#match & {#pattern: "main"}
`;
    expect(json(src)).toEqual({ r: 'refs/tags/v', s: "'main'" });
  });

  it('once the comprehension is known, the list is exact', () => {
    expect(json(`p: "x"\nx: [if p == "x" {1}, 2]\nr: x[0]\nn: len(x)`)).toEqual({ p: 'x', x: [1, 2], r: 1, n: 2 });
  });
});

describe('cue eval printing', () => {
  it('a struct that only embeds a scalar prints as the scalar', () => {
    const v = compile('x: {1}\ny: [for e in [1, 2] {e}]');
    expect(v.lookupPath('x').toCUE()).toBe('1');
    expect(v.lookupPath('y').toCUE()).toBe('[1, 2]');
  });
});

describe('an incomplete list element passed to a list builtin', () => {
  // FlattenN takes the outer list, which is complete; its element, a list
  // comprehension over a missing field, is passed on as it is, not as [].
  const src = 'import "list"\nout: list.FlattenN(top, 1)\ntop: [[for _, f in sub {f}], [1]]\nsub: a.b\na: {}';

  it('keeps its error, at its index', () => {
    const e = errOf(src, 'out[0]');
    expect(e.code).toBe('incomplete');
    expect(e.detail).toContain('undefined field: b');
    expect(compile(src).lookupPath('out[1]').toJS()).toBe(1);
  });
});
