// An interpolation reports its first permanent error, even after a part that
// is only incomplete (eval/operators.ts, evalInterpolation).
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

describe('errors in interpolations', () => {
  it('a permanent error in a later part wins over an incomplete earlier part', () => {
    const v = compile('#T: {\n\targ: x: string\n\tout: "\\(arg.x)-\\(arg.y)"\n}');
    const e = v.lookupPath('#T.out').err();
    expect(e?.code).toBe('eval');
    expect(e?.detail).toContain('undefined field: y');
  });

  it('stays incomplete when no part is a permanent error', () => {
    const e = compile('s: string\nout: "\\(s)-\\(s)"').lookupPath('out').err();
    expect(e?.code).toBe('incomplete');
    expect(compile('s: string\nout: "\\(s)-\\(s)"\ns: "a"').lookupPath('out').toJS()).toBe('a-a');
  });
});
