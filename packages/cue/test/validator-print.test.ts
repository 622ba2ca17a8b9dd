// A validator prints with its arguments: an empty closed list argument is
// `[]`, as written. It printed as `[...]`, which is any list: `matchN(0, [])`
// (no schema may match, always true) read as `matchN(0, [...])`.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const cue = (src: string, path: string) => compile(src).lookupPath(path).toCUE();

describe('validator arguments', () => {
  it('print an empty list as []', () => {
    expect(cue('a: matchN(0, [])', 'a')).toBe('matchN(0, [])');
    expect(cue('a: matchN(0, [for x in [] {x}])', 'a')).toBe('matchN(0, [])');
    expect(cue('d: {matchN(0, []), x: 1}', 'd')).toBe('matchN(0, [])\nx: 1');
  });

  it('still print an open list as [...]', () => {
    expect(cue('c: matchN(0, [...])', 'c')).toBe('matchN(0, [...])');
  });
});
