// list functions that only move elements around (Concat, FlattenN, Take,
// Drop, Slice, Reverse, Repeat, Sort) pass each element on as it is, as CUE
// does: an element that is a disjunction with a default stays that
// disjunction, so that a later unification can still pick another term.
// Functions that compare elements (Contains, Sort's comparator, IsSorted)
// see its default.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const cue = (src: string, at: string) => compile(`import "list"\np: *"." | string\n${src}`).lookupPath(at).toCUE();

describe('defaults in list builtin arguments', () => {
  it('are kept in the elements the function returns', () => {
    expect(cue('x: list.Concat([["go"], [p]])', 'x')).toBe('["go", *"." | string]');
    expect(cue('x: list.FlattenN([[p]], 1)', 'x')).toBe('[*"." | string]');
    expect(cue('x: list.Reverse([p, "a"])', 'x')).toBe('["a", *"." | string]');
    expect(cue('x: list.Take([p, "a"], 1)', 'x')).toBe('[*"." | string]');
    expect(cue('x: list.Repeat([p], 2)', 'x')).toBe('[*"." | string, *"." | string]');
    expect(cue('x: list.Sort([*3 | int, 1, 2], list.Ascending)', 'x')).toBe('[1, 2, *3 | int]');
  });

  it('a later unification may still choose another term', () => {
    expect(compile('import "list"\np: *"." | string\nx: list.Concat([["go"], [p]])\nx: [_, "x"]').lookupPath('x').toJS()).toEqual(['go', 'x']);
    expect(compile('import "list"\np: *"." | string\nx: list.Concat([["go"], [p]])').lookupPath('x').toJS()).toEqual(['go', '.']);
  });

  it('comparisons use the default', () => {
    expect(cue('x: list.Contains([p], ".")', 'x')).toBe('true');
    expect(cue('x: list.Contains([[p]], ["."])', 'x')).toBe('true');
    expect(cue('x: list.Contains([p], "y")', 'x')).toBe('false');
    expect(cue('x: list.IsSorted([*1 | int, 2], list.Ascending)', 'x')).toBe('true');
    expect(cue('x: list.IsSorted([*3 | int, 2], list.Ascending)', 'x')).toBe('false');
  });
});
