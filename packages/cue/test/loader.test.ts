import { describe, expect, it } from 'vitest';
import type { BuildOptions, Context, ImportResolver, Source, Value } from '../src/api.js';
import { CueError, CueErrorList } from '../src/errors.js';
import { MemoryFileSystem } from '../src/loader/fs.js';
import { parseImportPath, isBuiltinPath } from '../src/loader/importpath.js';
import { loadFiles, loadInstance, type LoadOptions } from '../src/loader/loader.js';
import { parseModuleData } from '../src/loader/module.js';
import { scanHeader } from '../src/loader/header.js';

// The loader needs the Context only to build; a recording fake keeps these
// tests independent of the evaluator.
function fakeContext(): Context & { built: { files: Source[]; opts?: BuildOptions }[] } {
  const built: { files: Source[]; opts?: BuildOptions }[] = [];
  return {
    built,
    parse: () => {
      throw new Error('not used');
    },
    build: async (files, opts) => {
      built.push({ files: files as Source[], ...(opts ? { opts } : {}) });
      return {} as Value;
    },
    compile: () => {
      throw new Error('not used');
    },
    encode: () => {
      throw new Error('not used');
    },
    buildPackage: () => {
      throw new Error('not used');
    },
  };
}

const mod = (extra = '') => `module: "x.example/m@v0"\nlanguage: version: "v0.9.0"\n${extra}`;

function opts(fs: MemoryFileSystem, more: Partial<LoadOptions> = {}): LoadOptions {
  return { fs, context: fakeContext(), cwd: '/w', ...more };
}

const names = (files: Source[]) => files.map((f) => f.filename);

describe('header scanner', () => {
  it('reads attributes, package and imports with positions', () => {
    const h = scanHeader('a.cue', '@if(prod)\n// c\npackage foo\n\nimport "strings"\nimport (\n\tx "x.example/m/sub"\n\t"y.example/z:q"\n)\na: 1\n');
    expect(h.package).toBe('foo');
    expect(h.attrs).toEqual([{ name: 'if', body: 'prod' }]);
    expect(h.imports.map((i) => [i.path, i.name, `${i.pos.line}:${i.pos.col}`])).toEqual([
      ['strings', undefined, '5:8'],
      ['x.example/m/sub', 'x', '7:4'],
      ['y.example/z:q', undefined, '8:2'],
    ]);
  });
  it('treats `package:` and `import:` as fields', () => {
    expect(scanHeader('a.cue', 'package: 1\n')).toEqual({ imports: [], attrs: [] });
    expect(scanHeader('a.cue', 'package p\nimport: 1\n').imports).toEqual([]);
  });

  it('reads identifiers by code point: letters anywhere, digits and other numbers after the first', () => {
    expect(scanHeader('a.cue', 'package café_1\n').package).toBe('café_1');
    expect(scanHeader('a.cue', 'package 𝒳٣\n').package).toBe('𝒳٣');
    expect(scanHeader('a.cue', 'package p\nimport (\n\tñ "x.example/m"\n)\n').imports.map((i) => i.name)).toEqual(['ñ']);
    expect(() => scanHeader('a.cue', 'package 1p\n')).toThrow(/expected identifier/);
    expect(() => scanHeader('a.cue', 'package ٣p\n')).toThrow(/expected identifier/);
    // A keyword followed by a letter is an identifier (a field), not the clause.
    expect(scanHeader('a.cue', 'packageé: 1\n')).toEqual({ imports: [], attrs: [] });
    expect(scanHeader('a.cue', `package ${'a'.repeat(300)}\n`).package).toBe('a'.repeat(256));
  });
});

describe('import paths', () => {
  it('splits version and qualifier', () => {
    expect(parseImportPath('x.example/m/sub@v1:pkg')).toMatchObject({ base: 'x.example/m/sub', version: 'v1', qualifier: 'pkg', packageName: 'pkg' });
    expect(parseImportPath('x.example/m/sub')).toMatchObject({ base: 'x.example/m/sub', packageName: 'sub' });
    expect(parseImportPath('a.com/catalog/app:1.0.0-platform.1')).toMatchObject({ base: 'a.com/catalog/app', qualifier: '1.0.0-platform.1' });
    expect(isBuiltinPath('encoding/json')).toBe(true);
    expect(isBuiltinPath('x.example/m')).toBe(false);
  });
});

describe('module.cue', () => {
  it('reads module, language and deps in both notations', () => {
    const d = parseModuleData('module.cue', `${mod()}deps: {\n\t"dep.example/a@v0": {\n\t\tv: "v0.1.2"\n\t}\n}\ndeps: "dep.example/b@v1": v: "v1.0.0"\nsource: kind: "self"\n`);
    expect(d).toEqual({
      module: 'x.example/m@v0',
      language: { version: 'v0.9.0' },
      deps: { 'dep.example/a@v0': { v: 'v0.1.2' }, 'dep.example/b@v1': { v: 'v1.0.0' } },
      source: { kind: 'self' },
    });
  });
});

describe('loadFiles', () => {
  it('loads all files of the package of a directory', async () => {
    const fs = new MemoryFileSystem({
      '/w/a.cue': 'package p\na: 1\n',
      '/w/b.cue': 'package p\nb: 2\n',
      '/w/_skip.cue': 'package p\n',
      '/w/x_tool.cue': 'package p\n',
      '/w/data.json': '{}',
    });
    const inst = await loadFiles('.', opts(fs));
    expect(inst.packageName).toBe('p');
    expect(names(inst.files)).toEqual(['a.cue', 'b.cue']);
  });

  it('requires -p when a directory holds several packages', async () => {
    const fs = new MemoryFileSystem({ '/w/a.cue': 'package a\n', '/w/b.cue': 'package b\n' });
    await expect(loadFiles('/w', opts(fs))).rejects.toThrow(/found packages "a" \(a.cue\), "b" \(b.cue\)/);
    const inst = await loadFiles('/w', opts(fs, { package: 'b' }));
    expect(names(inst.files)).toEqual(['b.cue']);
  });

  it('includes same-package files of ancestor directories up to the module root', async () => {
    const fs = new MemoryFileSystem({
      '/w/cue.mod/module.cue': mod(),
      '/w/root.cue': 'package p\nr: 1\n',
      '/w/other.cue': 'package q\n',
      '/w/sub/s.cue': 'package p\ns: 1\n',
    });
    const inst = await loadFiles('sub', opts(fs));
    expect(names(inst.files)).toEqual(['root.cue', 'sub/s.cue']);
    expect(inst.module).toMatchObject({ root: '/w', path: 'x.example/m@v0', basePath: 'x.example/m', languageVersion: 'v0.9.0' });
  });

  it('rejects explicit files of different packages', async () => {
    const fs = new MemoryFileSystem({ '/w/a.cue': 'package a\n', '/w/b.cue': 'package b\n' });
    await expect(loadFiles(['a.cue', 'b.cue'], opts(fs))).rejects.toThrow(/different packages/);
  });

  it('resolves module-local, cue.mod/pkg and module cache imports', async () => {
    const fs = new MemoryFileSystem({
      '/w/cue.mod/module.cue': mod('deps: "dep.example/lib@v0": v: "v0.2.0"\n'),
      '/w/main.cue': 'package main\nimport (\n\t"strings"\n\t"x.example/m/sub"\n\t"legacy.example/l:ll"\n\t"dep.example/lib/util"\n)\n',
      '/w/sub/sub.cue': 'package sub\nimport "x.example/m/sub/deeper"\n',
      '/w/sub/deeper/d.cue': 'package deeper\n',
      '/w/cue.mod/pkg/legacy.example/l/l.cue': 'package ll\n',
      '/w/cue.mod/gen/legacy.example/l/g.cue': 'package ll\n',
      '/cache/dep.example/lib@v0.2.0/util/u.cue': 'package util\n',
    });
    const inst = await loadFiles('/w', opts(fs, { cacheDir: '/cache' }));
    expect([...inst.imports.keys()].sort()).toEqual(['dep.example/lib/util', 'legacy.example/l:ll', 'x.example/m/sub', 'x.example/m/sub/deeper']);
    expect(names(inst.imports.get('legacy.example/l:ll')!.files)).toEqual(['cue.mod/pkg/legacy.example/l/l.cue', 'cue.mod/gen/legacy.example/l/g.cue']);
    expect(names(inst.imports.get('dep.example/lib/util')!.files)).toEqual(['/cache/dep.example/lib@v0.2.0/util/u.cue']);
    expect(inst.imports.get('x.example/m/sub')!.packageName).toBe('sub');
  });

  it('consults the caller resolver first', async () => {
    const seen: string[] = [];
    const resolver: ImportResolver = {
      resolve(path, from) {
        seen.push(`${path} from ${from}`);
        if (path.startsWith('platform.company.com/')) return { id: path, packageName: 'app', files: [{ filename: 'app.cue', text: 'package app\nx: 1\n' }] };
        return undefined;
      },
    };
    const fs = new MemoryFileSystem({
      '/w/cue.mod/module.cue': mod(),
      '/w/a.cue': 'package a\nimport (\n\tapp "platform.company.com/catalog/simple-web-app:1.0.0-platform.1"\n\t"x.example/m/sub"\n)\n',
      '/w/sub/s.cue': 'package sub\n',
    });
    const inst = await loadFiles('.', opts(fs, { resolver }));
    expect(seen).toEqual(['platform.company.com/catalog/simple-web-app:1.0.0-platform.1 from a.cue', 'x.example/m/sub from a.cue']);
    expect(inst.imports.get('platform.company.com/catalog/simple-web-app:1.0.0-platform.1')!.files[0]!.filename).toBe('app.cue');
  });

  it('reports unresolved imports with the importing file:line:col', async () => {
    const fs = new MemoryFileSystem({ '/w/cue.mod/module.cue': mod(), '/w/a.cue': 'package a\n\nimport "x.example/m/nope"\n' });
    const err = await loadFiles('.', opts(fs)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CueError);
    expect((err as CueError).code).toBe('import');
    expect((err as CueError).message).toContain('cannot find package "x.example/m/nope"');
    expect((err as CueError).message).toContain('a.cue:3:8');
  });

  it('reports all unresolved imports together', async () => {
    const fs = new MemoryFileSystem({ '/w/a.cue': 'package a\nimport (\n\t"q.example/one"\n\t"q.example/two"\n)\n' });
    const err = await loadFiles('.', opts(fs)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CueErrorList);
    expect((err as CueErrorList).errors.map((e) => e.positions[0]!.line)).toEqual([3, 4]);
  });

  it('rejects import cycles, naming the import that closes the cycle', async () => {
    const fs = new MemoryFileSystem({
      '/w/cue.mod/module.cue': mod(),
      '/w/a.cue': 'package a\nimport "x.example/m/b"\n',
      '/w/b/b.cue': 'package b\nimport "x.example/m/c"\n',
      '/w/c/c.cue': 'package c\n\nimport "x.example/m/b"\n',
    });
    const err = await loadFiles('.', opts(fs)).catch((e: unknown) => e);
    expect((err as CueError).message).toMatch(/import cycle not allowed: "x.example\/m\/b" -> "x.example\/m\/c" -> "x.example\/m\/b"/);
    expect((err as CueError).message).toContain('c/c.cue:3:8');
  });

  it('rejects a package importing the root package', async () => {
    const fs = new MemoryFileSystem({
      '/w/cue.mod/module.cue': mod(),
      '/w/a.cue': 'package m\nimport "x.example/m/b"\n',
      '/w/b/b.cue': 'package b\nimport "x.example/m"\n',
    });
    await expect(loadFiles('.', opts(fs))).rejects.toThrow(/import cycle/);
  });
});

describe('loadInstance', () => {
  it('builds the files with a resolver serving the loaded imports', async () => {
    const ctx = fakeContext();
    const fs = new MemoryFileSystem({ '/w/cue.mod/module.cue': mod(), '/w/a.cue': 'package a\nimport "x.example/m/sub"\n', '/w/sub/s.cue': 'package sub\ns: 1\n' });
    await loadInstance('.', { fs, context: ctx, cwd: '/w', tags: { prod: true } });
    expect(ctx.built).toHaveLength(1);
    const { files, opts: bo } = ctx.built[0]!;
    expect(names(files)).toEqual(['a.cue']);
    expect(bo?.tags).toEqual({ prod: true });
    const pkg = await bo!.resolver!.resolve('x.example/m/sub', 'a.cue');
    expect(pkg?.files.map((f) => f.text)).toEqual(['package sub\ns: 1\n']);
  });
});

describe('loadInstance with the evaluator', () => {
  const engine = () => import('../src/engine-index.js');

  it('evaluates imports from the module, cue.mod/pkg and a caller resolver', async () => {
    const { newContext } = await engine();
    const resolver: ImportResolver = {
      resolve: (path) =>
        path === 'platform.company.com/catalog/simple-web-app:1.0.0-platform.1'
          ? { id: path, packageName: 'app', files: [{ filename: 'app.cue', text: 'package app\n#Spec: {replicas: int | *2}\n' }] }
          : undefined,
    };
    const fs = new MemoryFileSystem({
      '/w/cue.mod/module.cue': mod(),
      '/w/main.cue':
        'package main\n\nimport (\n\t"strings"\n\t"x.example/m/sub"\n\t"legacy.example/l"\n\tapp "platform.company.com/catalog/simple-web-app:1.0.0-platform.1"\n)\n\nout: {\n\tname: strings.ToUpper(sub.name)\n\tlegacy: l.v\n\tspec: app.#Spec\n}\n',
      '/w/sub/s.cue': 'package sub\nname: "web"\n',
      '/w/cue.mod/pkg/legacy.example/l/l.cue': 'package l\nv: 3\n',
    });
    const v = await loadInstance('.', { fs, context: newContext(), cwd: '/w', resolver });
    expect(v.lookup('out').toJS()).toEqual({ name: 'WEB', legacy: 3, spec: { replicas: 2 } });
  });

  it("parses each package under its module's language version: infix div, mod, quo, rem before v0.17.0", async () => {
    const { newContext } = await engine();
    const quantity = 'package quantity\nm: 7\nq: {div: m div 2, mod: -7 mod 2, quo: -7 quo 2, rem: -7 rem 2, mixed: 1 + m div 2 * 3}\n';
    const fs = new MemoryFileSystem({
      '/w/cue.mod/module.cue': mod('deps: "dep.example/q@v0": v: "v0.1.0"\n').replace('v0.9.0', 'v0.17.0'),
      '/w/main.cue': 'package main\nimport "dep.example/q/quantity"\nout: quantity.q\n',
      '/cache/dep.example/q@v0.1.0/cue.mod/module.cue': 'module: "dep.example/q@v0"\nlanguage: version: "v0.12.0"\n',
      '/cache/dep.example/q@v0.1.0/quantity/q.cue': quantity,
      '/w/local/l.cue': quantity,
    });
    const v = await loadInstance('.', { fs, context: newContext(), cwd: '/w', cacheDir: '/cache' });
    expect(v.lookup('out').toJS()).toEqual({ div: 3, mod: 1, quo: -3, rem: -1, mixed: 10 });
    // The main module is at v0.17.0: there `div` is only a builtin function.
    await expect(loadInstance('local', { fs, context: newContext(), cwd: '/w' })).rejects.toThrow(/infix 'div' is an operator only before language version v0\.17\.0/);
  });

  it('rejects @experiment(try) in a module whose language version is before v0.16.0', async () => {
    const { newContext } = await engine();
    const fs = new MemoryFileSystem({ '/w/cue.mod/module.cue': mod(), '/w/a.cue': '@experiment(try)\npackage a\ntry { x: 1 }\n' });
    await expect(loadInstance('.', { fs, context: newContext(), cwd: '/w' })).rejects.toThrow('cannot use experiment try: it requires language version v0.16.0');
  });
});
