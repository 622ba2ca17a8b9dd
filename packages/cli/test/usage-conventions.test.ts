// The conventions users of kubectl and Helm expect: version, nested help, short
// usage errors, -n, -f values.yaml, --set path=value and `-` for stdin.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseSets } from '../src/commands/release-build/inputs.js';
import { run } from './run-opm.js';

const DEV = fileURLToPath(new URL('../../../examples/releases/web-app-dev.cue', import.meta.url));
const tmp = () => mkdtempSync(path.join(tmpdir(), 'opm-usage-'));

describe('version and help', () => {
  it.each([['version'], ['-v'], ['--version'], ['-V']])('opm %s prints the version', async (arg) => {
    const r = await run([arg]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('opm help release build shows the help of that command', async () => {
    const r = await run(['help', 'release', 'build']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: opm release build');
  });

  it('a usage error prints the error and one hint line, not the whole help', async () => {
    const r = await run(['release', 'build', '--bogus', DEV]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(["error: unknown option '--bogus'", "(run 'opm release build --help' for usage)"]);
    expect(r.stdout).toBe('');
  });
});

describe('values beside the release file', () => {
  const values = async (...args: string[]) => {
    const r = await run(['release', 'values', ...args, '-o', 'json']);
    return { ...r, values: r.code === 0 ? JSON.parse(r.stdout) : undefined };
  };

  it('-f overlays a YAML file on the release values; --set wins over -f; later files win', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'a.yaml'), 'replicas: 2\nimage:\n  tag: from-a\n');
    writeFileSync(path.join(dir, 'b.json'), '{"image": {"tag": "from-b"}}');
    const r = await values(DEV, '-f', path.join(dir, 'a.yaml'), '-f', path.join(dir, 'b.json'), '--set', 'replicas=3');
    expect(r.code).toBe(0);
    expect(r.values.replicas).toBe(3);
    expect(r.values.image.tag).toBe('from-b');
    // what the file sets and the layers do not touch stays
    expect(r.values.environment).toBe('development');
  });

  it('--set parses YAML scalars, --set-string keeps strings', async () => {
    expect(parseSets(['a.b=3', 'c=true', 'd=null', 'e=[x, y]', 'f=', 'g\\.h=1'], false)).toEqual({ a: { b: 3 }, c: true, d: null, e: ['x', 'y'], f: '', 'g.h': 1 });
    expect(parseSets(['a=3', 'b=true'], true)).toEqual({ a: '3', b: 'true' });
    expect(() => parseSets(['a'], false)).toThrow('expected path=value');
    expect(() => parseSets(['a..b=1'], false)).toThrow('empty path segment');
    expect(() => parseSets(['a[0]=1'], false)).toThrow('not supported yet: list indexes');
  });

  it('values from -f and --set are validated as the release layer, naming where they come from', async () => {
    const dir = tmp();
    const f = path.join(dir, 'bad.yaml');
    writeFileSync(f, 'replicas: 25\n');
    const r1 = await run(['release', 'vet', DEV, '-f', f]);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toContain(`values.replicas: 25: invalid value 25 (out of bound <=20) (set by ${f};`);
    const r2 = await run(['release', 'vet', DEV, '--set', 'replicaz=1']);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/replicaz: .*not allowed/);
  });

  it('a misspelt value is named as such, not as an error of the components that read values', async () => {
    // The release's values are checked against the module's closed values
    // schema, reached through a definition field (`#module: #Module`): a
    // field it does not declare is an error there, at that path.
    const r = await run(['release', 'vet', DEV, '--set', 'replicaz=1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^opm: .*: release web-app-dev: values\.replicaz: 1: field not allowed \(set by --set;/m);
    expect(r.stderr).not.toContain('components');
    expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('opm: '))).toHaveLength(1);
  });

  it('a bad values file is an error naming it', async () => {
    const dir = tmp();
    const f = path.join(dir, 'list.yaml');
    writeFileSync(f, '- a\n- b\n');
    const r = await run(['release', 'build', DEV, '-f', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${f}: values must be a mapping`);
    const missing = await run(['release', 'build', DEV, '-f', path.join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });

  it('-n sets the namespace for values and vet as for build', async () => {
    const r = await run(['release', 'vet', DEV, '-n', 'dev-two']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('in dev-two');
    expect((await run(['release', 'values', DEV, '-n', 'dev-two'])).code).toBe(0);
  });
});

describe('a release from stdin', () => {
  it('build, vet and values read `-`', async () => {
    const text = readFileSync(DEV, 'utf8');
    const b = await run(['release', 'build', '-'], text);
    expect(b.code).toBe(0);
    const docs = b.stdout.split(/^---\n/m).filter(Boolean).map((d) => parseYaml(d));
    expect(docs.some((d) => d.kind === 'Deployment' && d.metadata.name === 'web-app-dev-web')).toBe(true);
    const v = await run(['release', 'vet', '-'], text);
    expect(v.stdout).toContain('ok   <stdin>: release web-app-dev');
    const vals = await run(['release', 'values', '-', '-o', 'json'], text);
    expect(JSON.parse(vals.stdout).replicas).toBe(1);
  });

  it('errors name <stdin>; `-` twice is a usage error', async () => {
    const bad = await run(['release', 'vet', '-'], 'foo\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('<stdin>');
    expect(bad.stderr).toContain('reference "foo" not found');
    const twice = await run(['release', 'build', '-', '-'], '');
    expect(twice.code).toBe(2);
  });
});
