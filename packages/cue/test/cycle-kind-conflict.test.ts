// A field that would repeat an enclosing struct (a structural cycle) but is
// already of a kind that is no struct (`#X & Y` with #X: int) fails on the
// kinds first, in either order of the operands, as in CUE.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

describe('a structural cycle into a value of another kind', () => {
  it('is a conflict of kinds, whichever operand comes first', () => {
    for (const [src, at, kind] of [
      ['#X: int\nY: {\n\tx: #X & Y\n}', 'Y.x', 'int'],
      ['#X: string\nY: {\n\tx: Y & #X\n}', 'Y.x', 'string'],
      ['#X: >0\nY: {\n\tx: #X & Y\n}', 'Y.x', 'number'],
      ['Y: {\n\tx: 1 & Y\n}', 'Y.x', 'int'],
    ] as const) {
      const e = compile(src).lookupPath(at).err();
      expect(e?.code, src).toBe('eval');
      expect(e?.detail, src).toContain(`mismatched types ${kind} and struct`);
    }
  });

  it('a type that admits structs is still a structural cycle', () => {
    for (const src of ['#X: {}\nY: {\n\tx: #X & Y\n}', 'Y: {\n\tx: _ & Y\n}']) {
      expect(compile(src).lookupPath('Y.x').err()?.code, src).toBe('structural cycle');
    }
  });
});
