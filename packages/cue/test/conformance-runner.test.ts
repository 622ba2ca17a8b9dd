import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAttrBody } from '../src/conformance/attr.js';
import { parseTestDirective } from '../src/conformance/directive.js';
import { bottomOf, parseErrSpec } from '../src/conformance/errcheck.js';
import { extractTests, formatPath } from '../src/conformance/extract.js';
import { main } from '../src/conformance/main.js';
import { runCorpus } from '../src/conformance/runner.js';
import { runArchive } from '../src/conformance/archive.js';
import { parseTxtar } from '../src/conformance/txtar.js';
import { estimateAssertions } from '../src/conformance/estimate.js';
import { parseFile } from '../src/parser.js';

const fixtures = fileURLToPath(new URL('./fixtures/conformance', import.meta.url));

describe('txtar', () => {
  it('splits comment and sections', () => {
    const a = parseTxtar('comment\n-- a.cue --\nx: 1\n\n-- sub/b.cue --\ny: 2\n');
    expect(a.comment).toBe('comment\n');
    expect(a.files).toEqual([
      { name: 'a.cue', data: 'x: 1\n\n', line: 2 },
      { name: 'sub/b.cue', data: 'y: 2\n', line: 5 },
    ]);
  });
});

describe('@test attributes', () => {
  it('splits fields respecting strings and brackets', () => {
    const f = parseAttrBody('err, code=(eval|incomplete), contains="a, b", pos=[0:1, -2:3], args=[x, "y"]');
    expect(f.map((x) => [x.key, x.raw])).toEqual([
      ['', 'err'],
      ['code', '(eval|incomplete)'],
      ['contains', '"a, b"'],
      ['pos', '[0:1, -2:3]'],
      ['args', '[x, "y"]'],
    ]);
    expect(parseAttrBody('eq, {a: 1, b: "}"} | x == y')[1]!.raw).toBe('{a: 1, b: "}"} | x == y');
    expect(parseAttrBody('eq, """\n\ta, b\n\t"""')[1]!.raw).toBe('"""\n\ta, b\n\t"""');
    // A comment inside a multi-line attribute separates nothing; `//` inside a string is no comment.
    const c = parseAttrBody('eq,\n\t// TODO: a comment, with a comma.\n\t*{a: 1} | {a: "x//y, z"},\n');
    expect(c.map((f) => f.raw)).toEqual(['eq', '*{a: 1} | {a: "x//y, z"}', '']);
  });
  it('reads directive, version qualifier and first value', () => {
    expect(parseTestDirective('allows:todo=false, bar', '')).toMatchObject({ name: 'allows', version: 'todo', firstValue: 'false' });
    expect(parseTestDirective('eq:v3, 1', '')).toMatchObject({ name: 'eq', version: 'v3' });
    expect(parseTestDirective('kind=int', '')).toMatchObject({ name: 'kind', firstValue: 'int' });
    const spec = parseErrSpec(parseTestDirective('err, code=(eval|cycle), contains="x", pos=[0:1, f.cue:3:4], any', '').args);
    expect(spec).toMatchObject({ codes: ['eval', 'cycle'], contains: 'x', any: true });
    expect(spec.pos).toEqual([
      { line: 0, col: 1, relative: true },
      { file: 'f.cue', line: 3, col: 4, relative: false },
    ]);
  });
  it('finds attributes at any depth, in definitions and at file level', () => {
    const file = parseFile('in.cue', 'a: b: 1 @test(eq, 1)\n#D: {\n\t@test(closed)\n\tx: int @test(kind=int)\n}\n"q-r": 2 @test(eq, 2)\n@test(eq, {})\n');
    const recs = extractTests(file);
    expect(recs.map((r) => [formatPath(r.path), r.directive?.name, r.baseLine])).toEqual([
      ['a.b', 'eq', 1],
      ['#D', 'closed', 2],
      ['#D.x', 'kind', 4],
      ['"q-r"', 'eq', 6],
      ['(file level)', 'eq', 7],
    ]);
  });
  it('estimates the assertions of an archive that cannot run', () => {
    const est = estimateAssertions('-- in.cue --\na: 1 @test(eq, 1) @test(shareID=x)\n// @test(eq, 3)\nb: 2 @test(eq:v2, 1) @test(desc="d")\n', 'boom');
    expect(est.map((a) => [a.directive, a.status])).toEqual([
      ['eq', 'fail'],
      ['shareID', 'unsupported'],
    ]);
  });
});

describe('conformance runner', () => {
  // The engine is imported lazily so that the tests above do not depend on it.
  const engine = () => import('../src/engine-index.js');

  it('runs a corpus and counts assertions per file', async () => {
    const results = await runCorpus(fixtures, { inProcess: await engine() });
    const byFile = Object.fromEntries(
      results.map((r) => [r.file, r.assertions.reduce((acc, a) => ({ ...acc, [a.status]: (acc[a.status] ?? 0) + 1 }), {} as Record<string, number>)]),
    );
    expect(byFile).toEqual({
      'basic/fail.txtar': { fail: 3, pass: 1 },
      'basic/pass.txtar': { pass: 9, unsupported: 1, skipped: 1 },
      'modules/imports.txtar': { pass: 1 },
    });
  });

  it('prints one line per file, a summary line, and writes a JSON report', async () => {
    const lines: string[] = [];
    const json = join(mkdtempSync(join(tmpdir(), 'conf-')), 'r.json');
    const code = await main([fixtures, '--json', json, '-v'], { out: (l) => lines.push(l), err: (l) => lines.push(`ERR ${l}`) }, { inProcess: await engine() });
    expect(code).toBe(0);
    expect(lines).toContain('PASS modules/imports.txtar  (1/1)');
    expect(lines).toContain('PASS basic/pass.txtar  (9/9) [1 unsupported, 1 skipped]');
    expect(lines).toContain('FAIL basic/fail.txtar  (1/4)');
    expect(lines.at(-1)).toBe('conformance: 11 passed, 3 failed, 1 unsupported');
    const rep = JSON.parse(readFileSync(json, 'utf8'));
    expect(rep.directories.basic).toEqual({ passed: 10, failed: 3, unsupported: 1, skipped: 1 });
  });

  it("parses an expected expression under its file's experiments", async () => {
    const text = '-- in.cue --\n@experiment(structcmp)\n\na: =="foo" @test(eq, =="foo")\nb: =="foo" @test(eq, =="bar")\n';
    const r = await runArchive(await engine(), 'structcmp.txtar', text);
    expect(r.assertions.map((a) => [a.path, a.status])).toEqual([
      ['a', 'pass'],
      ['b', 'fail'],
    ]);
    expect(r.assertions[1]!.message).not.toContain('cannot compile');
  });

  it('checks that a struct carries an embedded validator of the expected struct, not that it equals it', async () => {
    const text =
      '-- in.cue --\n' +
      'a: {matchN(0, []), x?: int} @test(eq, {matchN(0, []), x?: int})\n' +
      'b: {x?: int} @test(eq, {matchN(0, []), x?: int})\n' +
      'c: {matchN(1, [int]), x?: int} @test(eq, {matchN(0, []), x?: int})\n';
    const r = await runArchive(await engine(), 'embedvalidator.txtar', text);
    expect(r.assertions.map((a) => [a.path, a.status])).toEqual([
      ['a', 'pass'],
      ['b', 'fail'],
      ['c', 'fail'],
    ]);
  });

  it('reads an err path= that is not below the field from the package root, where Go reports the error', async () => {
    const text = '-- in.cue --\nout: _t.out @test(err, code=eval, path=_t.out.a)\n_t: out: a: 1 & 2\nok: 1 @test(err, code=eval, path=_t.nope)\n';
    const r = await runArchive(await engine(), 'abspath.txtar', text);
    expect(r.assertions.map((a) => [a.path, a.status])).toEqual([
      ['out', 'pass'],
      ['ok', 'fail'],
    ]);
  });

  it('sees an optional or required field as not found, as Go\'s LookupPath with a regular selector does', async () => {
    const text =
      '-- in.cue --\n' +
      'a?: {b: 1 @test(err, code=incomplete)} @test(err, code=incomplete)\n' +
      'c!: int @test(err, code=incomplete)\n' +
      'd?: 1 @test(eq, 1)\n' +
      'e?: 1 @test(err, code=eval)\n' +
      'f: 1 @test(eq, 1)\n';
    const r = await runArchive(await engine(), 'constraint.txtar', text);
    expect(r.assertions.map((a) => [a.path, a.status])).toEqual([
      ['a', 'pass'],
      ['a.b', 'pass'],
      ['c', 'pass'],
      ['d', 'fail'],
      ['e', 'fail'],
      ['f', 'pass'],
    ]);
  });

  it("sees a descendant's permanent error at the parent, as Go's Vertex.Bottom() does", async () => {
    const { newContext } = await engine();
    const v = newContext().compile({ filename: 'in.cue', text: 'a: b: c: 1 & 2\nd: x?: 1 & 2\ne: f: g: int\nh: i: {j: 1 & 2, k: a.b.c.c}\n' });
    expect(v.lookupPath('a').err()).toBeUndefined();
    expect(bottomOf(v.lookupPath('a'))?.code).toBe('eval');
    // Optional fields and incomplete values do not make the parent an error.
    expect(bottomOf(v.lookupPath('d'))).toBeUndefined();
    expect(bottomOf(v.lookupPath('e'))).toBeUndefined();
    expect(bottomOf(v.lookupPath('h'))?.path).toEqual(['h', 'i', 'j']);
  });

  it('exits 2 when the corpus directory is missing', async () => {
    const errs: string[] = [];
    const code = await main(['/nonexistent/corpus'], { out: () => {}, err: (l) => errs.push(l) });
    expect(code).toBe(2);
    expect(errs.join('\n')).toContain('corpus directory not found');
  });
});

// The time bound needs the compiled worker (vitest cannot start a TypeScript
// worker thread): this test runs when packages/cue/dist is built.
const distRunner = fileURLToPath(new URL('../dist/conformance/runner.js', import.meta.url));
describe.skipIf(!existsSync(distRunner) || !existsSync(fileURLToPath(new URL('../dist/parser.js', import.meta.url))))('time bound (compiled runner)', () => {
  it('counts the assertions of an archive that hangs as failures and goes on', async () => {
    const { runCorpus: runCompiled } = (await import(/* @vite-ignore */ distRunner)) as typeof import('../src/conformance/runner.js');
    const dir = fileURLToPath(new URL('./fixtures/conformance-timeout/', import.meta.url));
    const results = await runCompiled(join(dir, 'corpus'), { engineModule: new URL('./fixtures/conformance-timeout/fake-engine.mjs', import.meta.url).href, timeoutMs: 1500 });
    const hang = results.find((r) => r.file === 'hang.txtar')!;
    expect(hang.timedOut).toBe(true);
    expect(hang.assertions.map((a) => [a.directive, a.status])).toEqual([
      ['eq', 'fail'],
      ['closed', 'fail'],
    ]);
    expect(results.find((r) => r.file === 'ok.txtar')!.assertions.map((a) => a.status)).toEqual(['pass']);
  });
});
