// What `opm cue def` prints must load again as the same package. The
// open-platform-model catalog's platform experiment keys its registry by a
// named pattern, `#registry: [Id=#NameType]: ...` with #NameType a string
// and a regexp: printed `[Id==~"^..."]`, which reads as `Id ==` and a stray
// `~`, a syntax error. (Hidden fields, which def left out: packages/cli/
// test/cue-def-reload.test.ts.)
import { describe, expect, it } from 'vitest';
import { compile } from './eval-helpers.js';

const def = { definitions: true, optional: true, hidden: true };

describe('def output loads again', () => {
  it('separates a pattern alias from a regexp constraint', () => {
    const src = '#N: string & =~"^[a-z]+$"\n#R: [Id=#N]: {x: Id}\nr: #R & {ab: {}}';
    const text = compile(src).toCUE(def);
    expect(text).toContain('[Id= =~"^[a-z]+$"]');
    const again = compile(text);
    expect(again.err()).toBeUndefined();
    expect(again.lookupPath('r').toJS()).toEqual({ ab: { x: 'ab' } });
    expect(compile(`${text}\ns: #R & {AB: {}}`).lookupPath('s').err()?.detail).toMatch(/field not allowed/);
  });
});
