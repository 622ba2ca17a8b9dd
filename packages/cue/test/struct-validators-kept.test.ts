// A validator embedded in a struct (`{struct.MaxFields(1), a?: int}`) is
// part of the struct's value: it is checked once the struct is finished and
// still printed with it afterwards, so `cue def` output evaluates the same.
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const src = 'import "struct"\n#X: {struct.MaxFields(1), a?: int, b?: int}\ny: #X & {a: 1}\nz: #X & {a: 1, b: 2}';

describe('validators of a struct', () => {
  it('are printed with the struct that satisfies them', () => {
    const v = compile(src);
    expect(v.lookupPath('y').toCUE()).toContain('struct.MaxFields(1)');
    expect(v.lookupPath('y').toJS()).toEqual({ a: 1 });
    // Printed as a definition, it evaluates to the same thing.
    const def = v.lookupPath('#X').toCUE({ optional: true });
    const again = compile(`import "struct"\n#X: {\n${def}\n}\nz: #X & {a: 1, b: 2}`);
    expect(again.lookupPath('z').err()?.detail).toContain('MaxFields');
  });

  it('are still checked, and a struct that fails one is an error', () => {
    expect(compile(src).lookupPath('z').err()?.detail).toContain('does not satisfy struct.MaxFields(1)');
  });
});
