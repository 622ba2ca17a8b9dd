// A literal of embeddings (and lets) only is its embedded value: `{_}` is `_`
// (spec: an embedding-only struct evaluates to the embedded value; CUE's
// addStruct makes a literal a struct only with a regular field or no
// embeddings). A reference cycle that contributes nothing is no `_`: there
// the literal stays `{}` (cycle/evaluate embedCycle).
import { describe, expect, it } from 'vitest';
import { compile, json } from './eval-helpers.js';

const cue = (src: string, path: string) => compile(src).lookupPath(path).toCUE();

describe('an embedding-only literal embedding _', () => {
  it('is _', () => {
    expect(cue('a: {_}', 'a')).toBe('_');
    expect(cue('a: {let x = 1, _}', 'a')).toBe('_');
    expect(cue('a: {_ | _}', 'a')).toBe('_');
    expect(cue('T: _\na: {T}', 'a')).toBe('_');
  });

  it('is the disjunction it embeds when a term is _', () => {
    expect(cue('a: {_ | int}', 'a')).toBe('_ | int');
    expect(cue('a: {int | _}', 'a')).toBe('int | _');
    expect(cue('a: {*_ | int}', 'a')).toBe('*_ | int');
    expect(cue('a: {_ | int}\nb: a & 3', 'b')).toBe('3');
    expect(json('a: {_ | int} & {x: 1}')).toEqual({ a: { x: 1 } });
  });

  it('is a struct when something else makes it one', () => {
    expect(json('a: {_} & {b: 1}')).toEqual({ a: { b: 1 } });
    expect(cue('a: {_, {}}', 'a')).toBe('{}');
    expect(cue('A: {}\na: {_, A}', 'a')).toBe('{}');
    expect(cue('a: {_}\na: {}', 'a')).toBe('{}');
  });

  it('a reference cycle embedded contributes nothing', () => {
    expect(json('a: b\nb: close({c})\nc: a')).toEqual({ a: {}, b: {}, c: {} });
  });
});
