// A package of several files is one struct: references between its files
// resolve within the value the package is unified into, as references within
// one file do (spec: a top-level field's scope is the package block; a
// top-level let or alias is the file's).
import { describe, expect, it } from 'vitest';
import { newContext } from '../src/engine-index.js';

const helloFiles = [
  { filename: 'config.cue', text: 'package hello\n#config: {message: string | *"default"}\n' },
  { filename: 'components.cue', text: 'package hello\n#components: hello: data: message: #config.message\n' },
];

async function build(main: string, pkgFiles = helloFiles) {
  const c = newContext();
  const resolver = { resolve: (path: string) => (path === 'ex.com/hello' ? { id: 'ex.com/hello', files: pkgFiles } : undefined) };
  return c.build([{ filename: 'main.cue', text: main }], { resolver });
}

describe('multi-file packages', () => {
  it('re-binds references across files when an imported package is unified', async () => {
    const v = await build('import "ex.com/hello"\nout: (hello & {#config: {message: "X"}}).#components.hello.data\n');
    expect(v.lookupPath('out').toJS()).toEqual({ message: 'X' });
  });

  it('re-binds references across files when the package is embedded', async () => {
    const v = await build('import "ex.com/hello"\nm: {hello, #config: message: "Y"}\nout: m.#components.hello.data.message\n');
    expect(v.lookupPath('out').toJS()).toBe('Y');
  });

  it('leaves the package itself unchanged', async () => {
    const v = await build('import "ex.com/hello"\na: (hello & {#config: {message: "X"}}).#components.hello.data.message\nb: hello.#components.hello.data.message\n');
    expect(v.toJS()).toEqual({ a: 'X', b: 'default' });
  });

  it('re-binds a package that imports another', async () => {
    const c = newContext();
    const files: Record<string, { filename: string; text: string }[]> = {
      'ex.com/mod': [
        { filename: 'a.cue', text: 'package mod\nimport "ex.com/hello"\n#module: hello & {#config: message: #values.msg}\n' },
        { filename: 'b.cue', text: 'package mod\n#values: msg: string | *"mod"\n' },
      ],
      'ex.com/hello': helloFiles,
    };
    const resolver = { resolve: (path: string) => (files[path] ? { id: path, files: files[path]! } : undefined) };
    const v = await c.build([{ filename: 'main.cue', text: 'import "ex.com/mod"\nout: (mod & {#values: msg: "rel"}).#module.#components.hello.data.message\n' }], { resolver });
    expect(v.lookupPath('out').toJS()).toBe('rel');
  });

  it('keeps top-level lets and aliases to their file', async () => {
    const files = [
      { filename: 'a.cue', text: 'package hello\nlet L = 1\n#config: {message: string | *"default"}\nan: L\n' },
      { filename: 'b.cue', text: 'package hello\nlet L = 2\nbn: L\n' },
    ];
    const v = await build('import "ex.com/hello"\nout: hello & {}\n', files);
    expect(v.lookupPath('out').toJS()).toEqual({ an: 1, bn: 2 });
    const c = newContext();
    const compileB = (b: string) => c.compile([{ filename: 'a.cue', text: 'package p\nlet L = 1\nX=x: 1\n' }, { filename: 'b.cue', text: `package p\n${b}\n` }]);
    expect(() => compileB('y: L')).toThrow(/reference "L" not found\n\s+b\.cue:2:4/);
    expect(() => compileB('z: X')).toThrow(/reference "X" not found/);
    expect(compileB('w: x').lookupPath('w').toJS()).toBe(1);
  });
});
