// A field whose value is a reference (`#A: s: X`) is a closedness group of
// its own per definition, as a field whose value is a struct literal is
// (closed.ts definitionGroup): `#A & #B` with #A: s: X, #B: s: Y allows in s
// only what both X and Y declare, as CUE typo-checks each reference to a
// definition on its own.
import { describe, expect, it } from 'vitest';
import { compile, errAt } from './eval-helpers.js';

const ok = (src: string, path: string) => {
  const v = compile(src).lookupPath(path);
  expect(v.err(), `${path}: ${v.toCUE()}`).toBeUndefined();
  return v.toJS();
};

describe('a field declared by two definitions with references as values', () => {
  it('allows only what both values declare', () => {
    expect(errAt('X: {}\nY: {c: 1}\n#A: s: X\n#B: s: Y\nx: #A & #B', 'x.s.c')).toBe('field not allowed');
    expect(errAt('X: {}\n#A: s: X\n#B: s: {c: 1}\nx: #A & #B', 'x.s.c')).toBe('field not allowed');
    expect(errAt('X: {}\n#A: s: X\n#B: s: {c: 1}\nx: #B\nx: #A', 'x.s.c')).toBe('field not allowed');
    expect(errAt('L: [{}]\n#A: s: L[0]\n#B: s: {c: 1}\nx: #A & #B', 'x.s.c')).toBe('field not allowed');
    expect(errAt('p: q: {}\n#A: s: p.q\n#B: s: {c: 1}\nx: #A & #B', 'x.s.c')).toBe('field not allowed');
  });

  it('allows what an open value allows, and unions the declarations of one definition', () => {
    expect(ok('X: {...}\nY: {c: 1}\n#A: s: X\n#B: s: Y\nx: #A & #B', 'x')).toEqual({ s: { c: 1 } });
    expect(ok('X: {}\nY: {c: 1}\n#E: s: X\n#E: s: Y\nx: #E', 'x')).toEqual({ s: { c: 1 } });
    expect(ok('X: {c: int}\nY: {c: 1}\n#A: s: X\n#B: s: Y\nx: #A & #B', 'x')).toEqual({ s: { c: 1 } });
  });
});
