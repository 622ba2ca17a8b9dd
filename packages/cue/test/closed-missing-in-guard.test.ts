// Selecting a label that a closed struct does not allow is a permanent
// error (code eval), not an incomplete one, once nothing can still declare
// more on the path to that struct: an enclosing struct that is only running
// comprehensions whose bodies declare other fields cannot. A comprehension
// that fails so makes its struct an error, but the struct's fields keep
// their values (as in CUE).
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

function guard(src: string, at: string) {
  const v = compile(src);
  return { err: (at ? v.lookupPath(at) : v).err(), v };
}

describe('a closed struct missing a field in a comprehension guard', () => {
  it('is an eval error at the top of a file and in a struct, the other fields kept', () => {
    for (const [src, at] of [
      ['foo: string\nbar: close({})\nif bar.missing == "x" {\n\tfoo: "y"\n}', ''],
      ['x: {\n\tfoo: string\n\tbar: close({})\n\tif bar.missing == "x" {\n\t\tfoo: "y"\n\t}\n}', 'x'],
      ['x: {\n\tfoo: string\n\t#bar: {}\n\tif #bar.missing == "x" {\n\t\tfoo: "y"\n\t}\n}', 'x'],
    ] as const) {
      const { err, v } = guard(src, at);
      expect(err?.code, src).toBe('eval');
      expect(err?.detail, src).toContain('undefined field: missing');
      const p = at ? `${at}.` : '';
      expect(v.lookupPath(`${p}foo`).toCUE(), src).toBe('string');
      expect(v.lookupPath(`${p}foo`).err(), src).toBeUndefined();
    }
  });

  it('stays incomplete while a comprehension may still declare the struct', () => {
    const { err } = guard('x: {\n\t#bar: {}\n\tif #bar.missing == "x" {\n\t\t#bar: missing: "x"\n\t}\n}', 'x');
    expect(err?.code).toBe('incomplete');
    const dyn = guard('x: {\n\t#bar: {}\n\tk: "#bar"\n\tif #bar.missing == "x" {\n\t\t(k): {}\n\t}\n}', 'x');
    expect(dyn.err?.code).toBe('incomplete');
  });

  it('an open struct missing the field stays incomplete', () => {
    const { err } = guard('x: {\n\tbar: {}\n\tif bar.missing == "x" {\n\t\tfoo: 1\n\t}\n}', 'x');
    expect(err?.code ?? 'incomplete').toBe('incomplete');
  });
});
