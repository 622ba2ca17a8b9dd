// One definition's declaration of a field reached through two references
// (`#M` and `#W: #M & {...}`) is one closedness group with the other
// declarations #W makes of the field, whichever reference comes first; and a
// definition that embeds #M and declares more (`#W: {#M, m: g: 2}`) does not
// lend those fields to #M when it comes first. Found in the open-platform-model
// catalog, where `#ModuleRelease & {#module: #WebApp}` (#WebApp: #Module & {...})
// rejected #Module's own metadata fields.
import { describe, expect, it } from 'vitest';
import { compile, errAt, permutations } from './eval-helpers.js';

const value = (src: string, path: string) => {
  const v = compile(src).lookupPath(path);
  expect(v.err(), `${path}: ${v.toCUE()}`).toBeUndefined();
  return v.toJS();
};

describe('a declaration reached through two references to its definition', () => {
  it('keeps the fields the definition allows, in either order', () => {
    expect(value('#M: m: {f: 1}\n#W: #M & {m: {}}\nr: #M & #W', 'r')).toEqual({ m: { f: 1 } });
    expect(value('#M: m: {f: 1}\n#W: #M & {m: {}}\nr: #W & #M', 'r')).toEqual({ m: { f: 1 } });
    expect(value('#M: m: {f: 1}\n#W: #M & {m: {}}\nr: #M\nr: #W', 'r')).toEqual({ m: { f: 1 } });
    expect(value('#M: m: n: {f: 1}\n#W: #M & {m: n: {}}\nr: #M & #W', 'r')).toEqual({ m: { n: { f: 1 } } });
    expect(value('#M: m: {f: 1}\n#N: #M\n#W: #N & {m: {}}\nr: #M & #W', 'r')).toEqual({ m: { f: 1 } });
    expect(value('#M: m: {f: int}\n#W: #M & {m: {f: 2}}\nr: #M & #W', 'r')).toEqual({ m: { f: 2 } });
  });

  it('as a definition field refers to a definition built on another', () => {
    const src = '#M: {meta: {n!: string, fqn: n}}\n#W: #M & {meta: n: "web"}\n#R: {#mod!: #M, out: #mod.meta}\nr: #R & {#mod: #W}';
    expect(value(src, 'r')).toEqual({ out: { n: 'web', fqn: 'web' } });
    expect(errAt(src, 'r.#mod.meta.fqn')).toBeUndefined();
  });

  it('does not take the fields of a definition that embeds it and declares more', () => {
    for (const r of ['r: #W & #M', 'r: #M & #W', 'r: #W\nr: #M', 'r: #M\nr: #W'])
      for (const p of permutations(['#M: m: {f: 1}', '#W: {#M, m: {g: 2}}', r])) expect(errAt(p.join('\n'), 'r.m.g'), p.join('; ')).toBe('field not allowed');
  });
});
