// One definition's declaration of a field reached through two references
// (`#M` and `#W: #M & {...}`) is one closedness group with the other
// declarations #W makes of the field, whichever reference comes first. Found in the open-platform-model
// catalog, where `#ModuleRelease & {#module: #WebApp}` (#WebApp: #Module & {...})
// rejected #Module's own metadata fields.
import { describe, expect, it } from 'vitest';
import { compile, errAt } from './eval-helpers.js';

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

  it('as one definition is referred to twice, with a field declared by reference and by literal', () => {
    // timoni's #Config: metadata: metav1.#ObjectMeta beside metadata: labels: ... (metadata.name from the first).
    const src = '#OM: {name?: string, labels?: {...}}\n#C: {\n\tm: #OM\n\tm: labels: *sel | {...}\n\tm: labels: v: "1"\n\tsel: *{n: m.name} | {...}\n}\n';
    expect(value(src + 'i: #C\ni: #C\ni: m: name: "test"', 'i.m')).toEqual({ name: 'test', labels: { n: 'test', v: '1' } });
    expect(value(src + 'i: #C & #C & {m: name: "test"}', 'i.m')).toEqual({ name: 'test', labels: { n: 'test', v: '1' } });
  });
});
