// `opm cue export | eval | def | vet | fmt`, run in-process on files written to a temp dir.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run as runOpm } from './run-opm.js';

let dir: string;
let cwd: string;

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

const run = (...args: string[]) => runOpm(args);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'opm-cue-cli-'));
  cwd = process.cwd();
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
  vi.restoreAllMocks();
});

const schema = `package app

#Config: {
	name:     string
	replicas: int & >=1 | *1
}
config: #Config & {name: "web"}
`;

describe('opm cue export', () => {
  it('exports a directory as JSON (4-space indent, defaults applied)', async () => {
    write({ 'a.cue': schema, 'b.cue': 'package app\nextra: [1, 2]\n' });
    const r = await run('cue', 'export', '.');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ config: { name: 'web', replicas: 1 }, extra: [1, 2] });
    expect(r.stdout).toContain('\n    "config": {');
  });

  it('exports an expression as YAML', async () => {
    write({ 'a.cue': schema });
    const r = await run('cue', 'export', '-e', 'config', '--out', 'yaml', 'a.cue');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('name: web\nreplicas: 1\n');
  });

  it('evaluates a non-path expression in the package scope', async () => {
    write({ 'a.cue': schema });
    const r = await run('cue', 'export', '-e', 'config.replicas + 1');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('2');
  });

  it('fails with exit 1 and file:line:col on a conflict', async () => {
    write({ 'a.cue': 'x: 1\nx: 2\n' });
    const r = await run('cue', 'export', 'a.cue');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/a\.cue:1:4/);
    expect(r.stderr).toMatch(/a\.cue:2:4/);
  });

  it('fails with exit 1 on non-concrete values', async () => {
    write({ 'a.cue': 'x: int\n' });
    const r = await run('cue', 'export');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/x/);
  });

  it('selects a package with -p and rejects an ambiguous directory', async () => {
    write({ 'a.cue': 'package a\nv: "a"\n', 'b.cue': 'package b\nv: "b"\n' });
    expect((await run('cue', 'export', '-p', 'b', '.')).stdout).toContain('"v": "b"');
    const r = await run('cue', 'export', '.');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/found packages "a" \(a\.cue\), "b" \(b\.cue\)/);
  });

  it('resolves module-local imports and reports unresolved ones with position', async () => {
    write({
      'cue.mod/module.cue': 'module: "x.example/m@v0"\nlanguage: version: "v0.9.0"\n',
      'main.cue': 'package main\n\nimport "x.example/m/lib"\n\nv: lib.greeting\n',
      'lib/lib.cue': 'package lib\ngreeting: "hi"\n',
      'bad/bad.cue': 'package bad\n\nimport "x.example/m/nope"\n',
    });
    expect((await run('cue', 'export', '.')).stdout).toContain('"v": "hi"');
    const r = await run('cue', 'export', './bad');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot find package "x.example\/m\/nope"/);
    expect(r.stderr).toMatch(/bad\/bad\.cue:3:8/);
  });

  it('rejects an unknown output format as a usage error', async () => {
    write({ 'a.cue': 'x: 1\n' });
    expect((await run('cue', 'export', '--out', 'xml')).code).toBe(2);
  });
});

describe('opm cue eval', () => {
  it('prints non-concrete values, and fails with -c', async () => {
    write({ 'a.cue': 'x: int\ny: 1\n' });
    const r = await run('cue', 'eval');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/x: int/);
    expect(r.stdout).toMatch(/y: 1/);
    expect((await run('cue', 'eval', '-c')).code).toBe(1);
  });

  it('fails when a struct is in error for a field it does not allow, even a required one', async () => {
    write({ 'a.cue': '#A: {a!: int, b?: int}\n#B: {b: 1}\nx: #A & #B\n' });
    const r = await run('cue', 'eval');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/x\.a: field not allowed/);
  });
});

describe('opm cue vet', () => {
  it('validates data files against a schema expression', async () => {
    write({
      'a.cue': schema,
      'good.yaml': 'name: api\nreplicas: 3\n---\nname: db\n',
      'bad.json': '{\n  "name": "api",\n  "replicas": 0\n}\n',
    });
    expect((await run('cue', 'vet', '-d', '#Config', 'a.cue', 'good.yaml')).code).toBe(0);
    const r = await run('cue', 'vet', '-d', '#Config', 'a.cue', 'bad.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.json/);
    expect(r.stderr).toMatch(/replicas/);
  });

  it('validates a package: concrete by default, -c lists what is not, -c=false allows it; definitions and optional fields need not be concrete', async () => {
    write({ 'a.cue': 'x: int\n' });
    expect((await run('cue', 'vet', 'a.cue')).code).toBe(1);
    expect((await run('cue', 'vet', '-c', 'a.cue')).code).toBe(1);
    expect((await run('cue', 'vet', '-c=false', 'a.cue')).code).toBe(0);
    write({ 'a.cue': '#D: {x: int}\ny?: int\nz: 1\n' });
    expect((await run('cue', 'vet', 'a.cue')).code).toBe(0);
    // A conflict fails with -c=false too.
    write({ 'a.cue': 'x: int\nx: "s"\n' });
    const r = await run('cue', 'vet', '-c=false', 'a.cue');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/x: conflicting values/);
  });
});

describe('exit codes: an error anywhere in the result fails every command with 1', () => {
  it('reports errors in definitions from eval, export, def and vet', async () => {
    write({ 'd.cue': '#D: {a: 1}\n#D: {a: 2}\nx: 1\n' });
    for (const cmd of ['eval', 'export', 'def', 'vet']) {
      const r = await run('cue', cmd, 'd.cue');
      expect(r.code, cmd).toBe(1);
      expect(r.stderr, cmd).toMatch(/#D\.a: conflicting values 1 and 2/);
      expect(r.stderr, cmd).toMatch(/d\.cue:1:9/);
    }
  });

  it('rejects undefined references and unused imports in eval, export and vet', async () => {
    write({ 'u.cue': 'a: 1\nb: c + 1\n', 'i.cue': 'import "strings"\na: 1\n' });
    for (const cmd of ['eval', 'export', 'vet']) {
      const r = await run('cue', cmd, 'u.cue');
      expect(r.code, cmd).toBe(1);
      expect(r.stderr, cmd).toMatch(/reference "c" not found\n\s+u\.cue:2:4/);
      const i = await run('cue', cmd, 'i.cue');
      expect(i.code, cmd).toBe(1);
      expect(i.stderr, cmd).toMatch(/imported and not used: "strings"/);
    }
  });

  it('injects -t tags into structs that are operands of &, and fails on an unknown tag', async () => {
    write({ 'timoni.cue': 'values: {y: 1} & {z: string @tag(cz)}\n' });
    const r = await run('cue', 'export', 'timoni.cue', '-t', 'cz=hello');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ values: { y: 1, z: 'hello' } });
    const u = await run('cue', 'export', 'timoni.cue', '-t', 'cz=hello', '-t', 'other=1');
    expect(u.code).toBe(1);
    expect(u.stderr).toMatch(/no tag for "other"/);
  });

  it('prints definitions with optional fields from def, and exits 0 when all is well', async () => {
    write({ 'a.cue': '#A: {a?: int, b: string}\nx: #A & {b: "s"}\n' });
    const r = await run('cue', 'def', 'a.cue');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('#A: {\n\ta?: int\n\tb: string\n}\nx: {\n\ta?: int\n\tb: "s"\n}\n');
  });

  it('fails fmt with 1 on a syntax error, naming file:line:col', async () => {
    write({ 'bad.cue': 'x: {\n' });
    const r = await run('cue', 'fmt', 'bad.cue');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.cue:2/);
  });
});

describe('exit codes: nested errors, incomplete values, embedding', () => {
  it('fails eval, export, def and vet with 1 on an error deep inside a field, a list and a definition', async () => {
    const cases: [string, RegExp][] = [
      ['a: b: c: {x: 1 & 2}\n', /a\.b\.c\.x: conflicting values 1 and 2[^]*n\.cue:1:1[48]/],
      ['l: [{}, {v: [0, {w: "s" & =~"^x"}]}]\n', /l\.1\.v\.1\.w: invalid value "s"[^]*n\.cue:1:/],
      ['#D: {s: {t: int & <3}}\nx: #D & {s: t: 5}\n', /x\.s\.t: invalid value 5 \(out of bound <3\)[^]*n\.cue:2:/],
      ['#D: {s: {t: "a"}}\n#D: s: t: "b"\nok: 1\n', /#D\.s\.t: conflicting values "a" and "b"/],
      ['a: b: a\n', /structural cycle/],
    ];
    for (const [text, re] of cases) {
      write({ 'n.cue': text });
      for (const cmd of ['eval', 'export', 'def', 'vet']) {
        const r = await run('cue', cmd, 'n.cue');
        expect(r.code, `${cmd} ${text}`).toBe(1);
        expect(r.stderr, `${cmd} ${text}`).toMatch(re);
      }
    }
  });

  it('an incomplete value: eval, def and vet -c=false exit 0, vet exits 1 with one general message, export, eval -c and vet -c exit 1 naming the path', async () => {
    write({ 'i.cue': 'a: b: {n: int, s: *"d" | string}\n' });
    const e = await run('cue', 'eval', 'i.cue');
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/n: +int/);
    expect((await run('cue', 'def', 'i.cue')).code).toBe(0);
    for (const args of [['vet', '-c=false'], ['vet', '--concrete=false'], ['vet', '--no-concrete'], ['eval', '-c=false']]) {
      const r = await run('cue', ...args, 'i.cue');
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    // As `cue vet`: incomplete regular fields fail, without listing them unless -c.
    const vet = await run('cue', 'vet', 'i.cue');
    expect(vet.code).toBe(1);
    expect(vet.stderr).toMatch(/some instances are incomplete; use the -c flag to show errors or -c=false to allow incomplete instances/);
    expect(vet.stderr).not.toMatch(/a\.b\.n/);
    for (const args of [['export'], ['eval', '-c'], ['vet', '-c']]) {
      const r = await run('cue', ...args, 'i.cue');
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(/a\.b\.n: incomplete value int/);
      expect(r.stdout, args.join(' ')).toBe('');
    }
  });

  it('a scalar unified with an incomplete expression is incomplete: export and eval -c exit 1, never a silent value', async () => {
    // `#b + 1` is incomplete (#b is an int), so #c is not 1 and d is not 2.
    const shapes = {
      'def.cue': '#b: int\n#c: 1 & (#b + 1)\nd: #c + 1\n',
      'hidden.cue': '_b: int\n_c: 1 & (_b + 1)\nd: _c + 1\n',
      'let.cue': 'let B = int\nlet C = 1 & (B + 1)\nd: C + 1\n',
      'nested.cue': 'x: {#b: int, #c: 1 & (#b + 1)}\nd: x.#c + 1\n',
      'chain.cue': '#b: int\n#c: 1 & (#b + 1)\n#e: #c\nd: #e * 2\n',
      'list.cue': '#b: int\n#c: 1 & (#b + 1)\nd: [0, #c + 1]\n',
    };
    write(shapes);
    for (const f of Object.keys(shapes)) {
      for (const args of [['export'], ['eval', '-c']]) {
        const r = await run('cue', ...args, f);
        expect(r.code, `${args.join(' ')} ${f}`).toBe(1);
        expect(r.stderr, `${args.join(' ')} ${f}`).toMatch(/d(\.1)?: non-concrete value int in operand to \+/);
        expect(r.stdout, `${args.join(' ')} ${f}`).not.toMatch(/"d"|d: 2/);
      }
    }
    write({ 'ok.cue': '#b: int\n#c: 1 & (#b + 1)\nd: #c + 1\n#b: 0\n' });
    const ok = await run('cue', 'export', 'ok.cue');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ d: 2 });
  });

  it('export and eval of a package that embeds files (@embed), and exit 1 at the attribute when embedding fails', async () => {
    write({
      'cue.mod/module.cue': 'module: "x.example/m@v0"\nlanguage: version: "v0.12.0"\n',
      'p.cue': '@extern(embed)\n\npackage p\n\ncfg: {port: int} @embed(file=cfg.json)\nall: _ @embed(glob=conf/*.yaml)\n',
      'cfg.json': '{"port": 8080}',
      'conf/a.yaml': 'x: 1\n',
    });
    const r = await run('cue', 'export', '.');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ cfg: { port: 8080 }, all: { 'conf/a.yaml': { x: 1 } } });
    write({ 'cfg.json': '{"port": "http"}' });
    for (const cmd of ['eval', 'export', 'vet', 'def']) {
      const bad = await run('cue', cmd, '.');
      expect(bad.code, cmd).toBe(1);
      expect(bad.stderr, cmd).toMatch(/cfg\.port: conflicting values[^]*p\.cue:5:/);
    }
    write({ 'p.cue': '@extern(embed)\n\npackage p\n\ncfg: _ @embed(file="../outside.json")\n' });
    for (const cmd of ['eval', 'export', 'vet', 'def']) {
      const bad = await run('cue', cmd, '.');
      expect(bad.code, cmd).toBe(1);
      expect(bad.stderr, cmd).toMatch(/@embed: cannot refer to parent directory\n\s+p\.cue:5:8/);
    }
  });
});

describe('opm cue fmt', () => {
  it('reports unformatted files with --check and rewrites them otherwise', async () => {
    write({ 'a.cue': 'x:   1\ny: {a:1}\n' });
    const c = await run('cue', 'fmt', '--check', 'a.cue');
    expect(c.code).toBe(1);
    expect(c.stdout).toBe('a.cue\n');
    expect((await run('cue', 'fmt', 'a.cue')).code).toBe(0);
    const formatted = readFileSync(join(dir, 'a.cue'), 'utf8');
    expect(formatted).not.toBe('x:   1\ny: {a:1}\n');
    expect((await run('cue', 'fmt', '--check', 'a.cue')).code).toBe(0);
  });

  it('accepts a file cue fmt laid out (blank lines, one-line structs, aligned values) and leaves it byte for byte', async () => {
    const text =
      'package v1\n\n#Scope: {\n\tappliesTo: [...string] | *[]\n\n\tmonitoring?: #M\n\tbackup?:     #B // policy\n\tl: [\n\t\t1,\n\t\t2,\n\t]\n}\n\n#PlatformScope: {#Scope, platform: true}\n';
    write({ 'scope.cue': text, 'sub/other.cue': 'a:   1\n' });
    expect((await run('cue', 'fmt', '--check', 'scope.cue')).code).toBe(0);
    expect((await run('cue', 'fmt', 'scope.cue')).code).toBe(0);
    expect(readFileSync(join(dir, 'scope.cue'), 'utf8')).toBe(text);
    const c = await run('cue', 'fmt', '--check', 'scope.cue', 'sub');
    expect(c.code).toBe(1);
    expect(c.stdout).toBe(`${join('sub', 'other.cue')}\n`);
  });
});

describe('opm packages without a cue.mod', () => {
  it('a module directory sees the core schema (core.opm.dev/v1): eval and vet work, and vet reports a schema violation', async () => {
    write({
      'module.cue': 'package web\n\nimport core "core.opm.dev/v1"\n\n#Definition: {\n\tcore.#ModuleDefinition\n\t#metadata: {name: "web", version: "1.0.0"}\n\tvalues: replicas: int | *1\n\t#context: _\n\tcomponents: web: workload: {type: "stateless", replicas: values.replicas, containers: web: image: "nginx:1"}\n}\n',
    });
    const e = await run('cue', 'eval', '-e', '#Definition.#metadata', '.');
    expect(e.stderr).toBe('');
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/name: +"web"/);
    expect((await run('cue', 'vet', '.')).code).toBe(0);
    write({ 'module.cue': readFileSync(join(dir, 'module.cue'), 'utf8').replace('name: "web", version', 'name: "Web_X", version') });
    const bad = await run('cue', 'vet', '.');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/#metadata\.name: invalid value "Web_X"[^]*module\.cue:7:\d+/);
  });

  it('a catalog provider directory sees the built-in provider\'s helpers (opm.dev/providers/kubernetes)', async () => {
    write({
      'providers/agents/daemonset.cue': 'package agents\n\nimport k8s "opm.dev/providers/kubernetes"\n\nsel: k8s.#Selector & {#in: {name: "agent", context: release: "logs"}}\n',
    });
    const r = await run('cue', 'export', './providers/agents');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ sel: { 'app.kubernetes.io/name': 'agent', 'app.kubernetes.io/instance': 'logs' } });
  });
});
