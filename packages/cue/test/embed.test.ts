// @embed (file embedding, `@extern(embed)`), as `cue help embed` describes
// it, and the walls around it: only files of the module, below the embedding
// file's directory, no links, bounded.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Value } from '../src/api.js';
import { newContext } from '../src/engine-index.js';
import { matchElement } from '../src/embed.js';
import { CueErrorList } from '../src/errors.js';
import { setLimits } from '../src/eval/limits.js';
import { MemoryFileSystem } from '../src/loader/fs.js';
import { loadInstance } from '../src/loader/loader.js';
import { nodeFileSystem } from '../src/loader/node-fs.js';

const MOD = { '/m/cue.mod/module.cue': 'module: "x.example/m@v0"\nlanguage: version: "v0.12.0"\n' };

async function load(files: Record<string, string>, dir = '/m'): Promise<Value> {
  return loadInstance(dir, { fs: new MemoryFileSystem({ ...MOD, ...files }), cwd: '/m' });
}

/** The messages of a failed load (one CueErrorList). */
async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CueErrorList);
    return (e as Error).message;
  }
  throw new Error('expected the load to fail');
}

const head = '@extern(embed)\n\npackage p\n\n';

describe('@embed(file=...)', () => {
  it('decodes JSON, YAML and text by extension, relative to the embedding file, unified with the field', async () => {
    const v = await load({
      '/m/p.cue': `${head}a: {n: int, ...} @embed(file=data/a.json)\nb: _ @embed(file="b.yaml")\nc: string @embed(file=notes.txt)\nd: {_, @embed(file=data/a.json)}\n`,
      '/m/data/a.json': '{"n": 12345678901234567890, "f": 1.0, "neg": -3, "s": "x\\u00e9", "l": [true, null], "#d": 1, "_h": 2}',
      '/m/b.yaml': 'k: v\nlist:\n  - 1\n  - 2.5\n',
      '/m/notes.txt': 'line one\nline two\n',
    });
    expect(v.validate({ concrete: true })).toEqual([]);
    expect(v.lookup('a', 'n').int()).toBe(12345678901234567890n);
    expect(v.lookup('a', 'f').kind()).toBe('float');
    expect(JSON.parse(v.toJSON())).toEqual({
      a: { n: Number('12345678901234567890'), f: 1.0, neg: -3, s: 'xé', l: [true, null], '#d': 1, _h: 2 },
      b: { k: 'v', list: [1, 2.5] },
      c: 'line one\nline two\n',
      d: { n: Number('12345678901234567890'), f: 1.0, neg: -3, s: 'xé', l: [true, null], '#d': 1, _h: 2 },
    });
  });

  it('type= overrides the extension and is required for an unknown one; binary gives bytes', async () => {
    const v = await load({
      '/m/p.cue': `${head}j: _ @embed(file=conf.data, type=json)\nt: _ @embed(file=a.json, type=text)\nb: bytes @embed(file=blob.bin, type=binary)\n`,
      '/m/conf.data': '{"x": 1}',
      '/m/a.json': '[1]',
      '/m/blob.bin': 'AB',
    });
    expect(v.lookup('j').toJS()).toEqual({ x: 1 });
    expect(v.lookup('t').string()).toBe('[1]');
    expect(v.lookup('b').kind()).toBe('bytes');
    expect(v.lookup('b').toJS()).toEqual(new Uint8Array([65, 66]));
    const msg = await failure(load({ '/m/p.cue': `${head}x: _ @embed(file=conf.data)\n`, '/m/conf.data': '{}' }));
    expect(msg).toMatch(/@embed: cannot embed "conf.data": unknown file extension .data; add type=json, yaml, text or binary\n\s+p\.cue:5:6/);
  });

  it('a conflict between the field and the file is an error at the attribute', async () => {
    const v = await load({ '/m/p.cue': `${head}a: {n: string} @embed(file=a.json)\n`, '/m/a.json': '{"n": 1}' });
    const errs = v.validate({ concrete: true });
    expect(errs.map((e) => e.message).join('\n')).toMatch(/a\.n: conflicting values[^]*p\.cue:5/);
  });

  it('refuses a multi-document YAML file (as cue: embed it as text and use yaml.Extract)', async () => {
    const msg = await failure(load({ '/m/p.cue': `${head}y: _ @embed(file=s.yaml)\n`, '/m/s.yaml': 'a: 1\n---\na: 2\n' }));
    expect(msg).toMatch(/@embed: s\.yaml: streaming not implemented: found more than one value in file\n\s+p\.cue:5:6/);
    const v = await load({ '/m/p.cue': `${head}import "encoding/yaml"\n\ny: yaml.UnmarshalStream(_raw)\n_raw: _ @embed(file=s.yaml, type=text)\n`, '/m/s.yaml': 'a: 1\n---\na: 2\n' });
    expect(v.lookup('y').toJS()).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('reports a missing file, a directory, bad JSON and invalid attributes with file:line:col', async () => {
    const cases: [string, RegExp][] = [
      ['x: _ @embed(file=nope.json)', /@embed: open nope\.json: no such file or directory\n\s+p\.cue:5:6/],
      ['x: _ @embed(file=data)', /@embed: cannot embed directories/],
      ['x: _ @embed(file=bad.json)', /@embed: failed to decode bad\.json: /],
      ['x: _ @embed(type=json)', /@embed: attribute must have file or glob field/],
      ['x: _ @embed(file=a.json, glob=*.json)', /attribute cannot have both file and glob field/],
      ['x: _ @embed(file=a.json, allowEmptyGlob)', /allowEmptyGlob must be specified with a glob field/],
      ['x: _ @embed(file=a.json, type=jsonl)', /not supported yet: embedding type=jsonl/],
      ['x: _ @embed(file=a.json, type=nonsense)', /invalid file type: unknown type "nonsense"/],
      ['[string]: _ @embed(file=a.json)', /external attribute has non-concrete label/],
      ['x: _ @embed(file=a.json) @embed(file=a.json)', /duplicate @embed attributes/],
    ];
    for (const [decl, re] of cases) {
      const msg = await failure(load({ '/m/p.cue': `${head}${decl}\n`, '/m/data/x.json': '1', '/m/bad.json': '{"a": ', '/m/a.json': '1' }));
      expect(msg, decl).toMatch(re);
    }
  });

  it('needs @extern(embed) before the package clause; without it @embed is an ordinary attribute, as in cue', async () => {
    const v = await load({ '/m/p.cue': 'package p\n\na: _ @embed(file=a.json)\nb: a\n', '/m/a.json': '{"x": 1}' });
    expect(v.lookup('a').toJS).toBeDefined();
    expect(v.lookup('a').isConcrete()).toBe(false);
    expect(await failure(load({ '/m/p.cue': 'package p\n\n@extern(embed)\na: _\n' }))).toMatch(/extern attribute must appear before package clause\n\s+p\.cue:3:1/);
    expect(await failure(load({ '/m/p.cue': '@extern(wasm)\n\npackage p\n\na: _ @wasm()\n' }))).toMatch(/no interpreter defined for "wasm"/);
    expect(await failure(load({ '/m/p.cue': '@extern(embed)\n@extern(embed)\n\npackage p\n\na: _\n' }))).toMatch(/only one file-level extern attribute allowed per file/);
  });

  it('embeds into imported packages of the module, relative to their own directory', async () => {
    const v = await load({
      '/m/p.cue': 'package p\n\nimport "x.example/m/sub"\n\nout: sub.cfg\n',
      '/m/sub/s.cue': '@extern(embed)\n\npackage sub\n\ncfg: _ @embed(file=cfg.json)\n',
      '/m/sub/cfg.json': '{"port": 80}',
    });
    expect(v.lookup('out').toJS()).toEqual({ port: 80 });
  });
});

describe('@embed(glob=...)', () => {
  it('gives one field per file, keyed by its path relative to the embedding file, in lexical order', async () => {
    const v = await load({
      '/m/p.cue': `${head}files: _ @embed(glob=cfg/*.json)\nfiles: _ @embed(glob=cfg/*.yaml)\nany: _ @embed(glob=cfg/*.*, type=text)\nnested: _ @embed(glob="*/[a-b].json")\n`,
      '/m/cfg/b.json': '{"b": 1}',
      '/m/cfg/a.json': '{"a": 1}',
      '/m/cfg/c.yaml': 'c: 1\n',
      '/m/cfg/.hidden.json': '{"secret": 1}',
      '/m/cfg/dir.json/inner.json': '{}',
    });
    expect(v.lookup('files').toJS()).toEqual({ 'cfg/a.json': { a: 1 }, 'cfg/b.json': { b: 1 }, 'cfg/c.yaml': { c: 1 } });
    expect(Object.keys(v.lookup('any').toJS() as object)).toEqual(['cfg/a.json', 'cfg/b.json', 'cfg/c.yaml']);
    expect(Object.keys(v.lookup('nested').toJS() as object)).toEqual(['cfg/a.json', 'cfg/b.json']);
  });

  it('matches hidden files only when the pattern element starts with a dot', async () => {
    const v = await load({ '/m/p.cue': `${head}h: _ @embed(glob=cfg/.*.json)\n`, '/m/cfg/.hidden.json': '{"x": 1}', '/m/cfg/a.json': '{}' });
    expect(v.lookup('h').toJS()).toEqual({ 'cfg/.hidden.json': { x: 1 } });
  });

  it('fails on no match unless allowEmptyGlob; requires type= when the extension is a pattern', async () => {
    expect(await failure(load({ '/m/p.cue': `${head}x: _ @embed(glob=none/*.json)\n` }))).toMatch(/@embed: no matches for glob pattern "none\/\*\.json"\n\s+p\.cue:5:6/);
    const v = await load({ '/m/p.cue': `${head}x: _ @embed(glob=none/*.json, allowEmptyGlob)\n` });
    expect(v.lookup('x').toJS()).toEqual({});
    expect(await failure(load({ '/m/p.cue': `${head}x: _ @embed(glob=cfg/*)\n`, '/m/cfg/a.json': '{}' }))).toMatch(/extension not fully specified; type argument required/);
    expect(await failure(load({ '/m/p.cue': `${head}x: _ @embed(glob=**/*.json)\n` }))).toMatch(/not supported yet: "\*\*" in glob patterns/);
    expect(await failure(load({ '/m/p.cue': `${head}x: _ @embed(glob="[a.json")\n` }))).toMatch(/invalid glob pattern/);
  });
});

describe('glob elements match as Go path.Match does', () => {
  it('*, ?, classes, negated classes, ranges and escapes', () => {
    const yes: [string, string][] = [['*.json', 'a.json'], ['*', ''], ['a?c', 'abc'], ['[a-c]x', 'bx'], ['[^a-c]x', 'dx'], ['\\*.txt', '*.txt'], ['*.*', 'a.b.c'], ['[\\]]', ']']];
    const no: [string, string][] = [['*.json', 'a.yaml'], ['a?c', 'ac'], ['[a-c]x', 'dx'], ['[^a-c]x', 'ax'], ['\\*.txt', 'a.txt'], ['*.json', 'a.json.bak']];
    for (const [p, n] of yes) expect(matchElement(p, n), `${p} ${n}`).toBe(true);
    for (const [p, n] of no) expect(matchElement(p, n), `${p} ${n}`).toBe(false);
  });
});

describe('@embed stays inside the module', () => {
  it('refuses absolute paths, parent directories and unclean paths before reading anything', async () => {
    const cases: [string, RegExp][] = [
      ['file="/etc/passwd", type=text', /only relative files are allowed/],
      ['file="../secret.json"', /cannot refer to parent directory/],
      ['file="../../secret.json"', /cannot refer to parent directory/],
      ['file="sub/../../secret.json"', /path not normalized, use "..\/secret.json" instead/],
      ['file="./a.json"', /path not normalized, use "a.json" instead/],
      ['glob="../*.json"', /cannot refer to parent directory/],
    ];
    for (const [args, re] of cases) {
      const msg = await failure(load({ '/m/p/p.cue': `${head}x: _ @embed(${args})\n`, '/m/secret.json': '{"token": "s3cr3t"}', '/m/p/a.json': '1', '/secret.json': '{"token": "s3cr3t"}' }, '/m/p'));
      expect(msg, args).toMatch(re);
      expect(msg).not.toMatch(/s3cr3t/);
    }
  });

  it('refuses to embed outside a module (cue: embedding is forbidden outside one)', async () => {
    const v = loadInstance('/w', { fs: new MemoryFileSystem({ '/w/p.cue': `${head}x: _ @embed(file=a.json)\n`, '/w/a.json': '1' }), cwd: '/w' });
    expect(await failure(v)).toMatch(/@embed: cannot embed files when not in a module\n\s+p\.cue:5:6/);
  });

  it('refuses a file of a nested module', async () => {
    const msg = await failure(load({ '/m/p.cue': `${head}x: _ @embed(file=other/a.json)\n`, '/m/other/cue.mod/module.cue': 'module: "o.example/o@v0"\n', '/m/other/a.json': '1' }));
    expect(msg).toMatch(/cannot embed file "other\/a\.json": in different module/);
    const g = await failure(load({ '/m/p.cue': `${head}x: _ @embed(glob=*/*.json)\n`, '/m/other/cue.mod/module.cue': 'module: "o.example/o@v0"\n', '/m/other/a.json': '1' }));
    expect(g).toMatch(/in different module/);
  });

  it('counts files and bytes against configurable limits', async () => {
    const files = { '/m/p.cue': `${head}x: _ @embed(glob=d/*.txt)\n`, '/m/d/a.txt': 'aaaa', '/m/d/b.txt': 'bbbb', '/m/d/c.txt': 'cccc' };
    const prev = setLimits({ maxEmbedFiles: 2 });
    try {
      expect(await failure(load(files))).toMatch(/more than 2 embedded files; raise the limit with setLimits\(\{maxEmbedFiles\}\)\n\s+p\.cue:5:6/);
    } finally {
      setLimits(prev);
    }
    const prev2 = setLimits({ maxEmbedBytes: 10 });
    try {
      expect(await failure(load(files))).toMatch(/embedded files exceed the limit of 10 bytes \(d\/c\.txt\); raise it with setLimits\(\{maxEmbedBytes\}\)/);
    } finally {
      setLimits(prev2);
    }
    expect(Object.keys((await load(files)).lookup('x').toJS() as object)).toHaveLength(3);
  });

  it('compile() reads no files: an @embed field is an error there', () => {
    expect(() => newContext().compile({ filename: 'e.cue', text: `${head}x: _ @embed(file=a.json)\n` })).toThrow(/@embed: cannot embed files here/);
  });
});

describe('@embed on the real file system: no symbolic links', () => {
  const root = mkdtempSync(join(tmpdir(), 'opm-embed-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const mod = join(root, 'm');
  mkdirSync(join(mod, 'cue.mod'), { recursive: true });
  mkdirSync(join(mod, 'real'), { recursive: true });
  writeFileSync(join(mod, 'cue.mod', 'module.cue'), 'module: "x.example/m@v0"\nlanguage: version: "v0.12.0"\n');
  writeFileSync(join(root, 'secret.json'), '{"token": "s3cr3t"}');
  writeFileSync(join(mod, 'real', 'ok.json'), '{"ok": true}');
  symlinkSync(join(root, 'secret.json'), join(mod, 'link.json'));
  symlinkSync(root, join(mod, 'linkdir'));
  writeFileSync(join(mod, 'bin.dat'), Buffer.from([0, 255, 10]));

  const loadDir = (text: string) => {
    writeFileSync(join(mod, 'p.cue'), text);
    return loadInstance(mod, { fs: nodeFileSystem, cwd: mod });
  };

  it('embeds regular files, binary exactly', async () => {
    const v = await loadDir(`${head}ok: _ @embed(file=real/ok.json)\nb: _ @embed(file=bin.dat, type=binary)\n`);
    expect(v.lookup('ok').toJS()).toEqual({ ok: true });
    expect(v.lookup('b').toJS()).toEqual(new Uint8Array([0, 255, 10]));
  });

  it('refuses a linked file, a file below a linked directory, and a link matched by a glob', async () => {
    for (const decl of ['x: _ @embed(file=link.json)', 'x: _ @embed(file=linkdir/secret.json)', 'x: _ @embed(glob=*.json)', 'x: _ @embed(glob=linkdir/*.json)']) {
      const msg = await failure(loadDir(`${head}${decl}\n`));
      expect(msg, decl).toMatch(/symbolic link/);
      expect(msg, decl).not.toMatch(/s3cr3t/);
    }
  });
});
