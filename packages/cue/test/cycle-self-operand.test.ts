// A disjunct (or `&` operand) of a field's own value that refers back to the
// field is a reference cycle, which contributes `_`, not a structural cycle:
// the disjunct stands at the field's level (spec: "Cycles"; CUE's cycle.go,
// self-reference cycles evaluate to top).
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

function cue(src: string, path: string): string {
  return compile(src).lookupPath(path).toCUE({ definitions: true }).replace(/\s+/g, ' ');
}

describe('a disjunct referring to its own field', () => {
  it('stands for the rest of the disjunct, in either order', () => {
    expect(cue('c: (c & {z: 2}) | {z: 3}', 'c')).toBe('{ z: 2 } | { z: 3 }');
    expect(cue('c: {z: 3} | (c & {z: 2})', 'c')).toBe('{ z: 3 } | { z: 2 }');
  });

  it('nested in a field, in a definition, in a list, and in nested disjunctions', () => {
    expect(cue('x: y: (x.y & {z: 2}) | {z: 3}', 'x.y')).toBe('{ z: 2 } | { z: 3 }');
    expect(cue('#C: (#C & {z: 2}) | {z: 3}', '#C')).toBe('{ z: 2 } | { z: 3 }');
    expect(cue('#C: (#C & {z: 2}) | {z: 3}\nd: #C & {z: 2}', 'd')).toBe('z: 2');
    expect(cue('l: ([1] & l) | [2]', 'l')).toBe('[1] | [2]');
    expect(cue('m: ((m & {a: 1}) | {b: 1}) | {c: 1}', 'm')).toBe('{ a: 1 } | { b: 1 } | { c: 1 }');
  });

  it('but a reference to an enclosing field from below one is still a structural cycle', () => {
    expect(cue('n: {k: (n & {z: 2}) | {z: 3}}', 'n.k')).toBe('z: 3');
    expect(compile('f: {g: (f & {z: 2})}').lookupPath('f.g').err()?.code).toBe('structural cycle');
    // An inline value tested in a comprehension is no disjunct of the field.
    // (`v & true` with v the list y itself: a conflict, as in CUE, not `_`.)
    expect(compile('r: X={x: true, y: [for _, v in X if v & true {_}]}').lookupPath('r.y').err()?.detail).toContain('conflicting values true and');
  });
});
