// Evaluation limits count work and size, not time (eval/limits.ts): hostile
// programs end with a clear error instead of hanging or exhausting the heap,
// whatever the machine's load.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultLimits, newContext, setLimits } from '../src/engine-index.js';
import { defaultMaxSize } from '../src/eval/limits.js';

const ctx = newContext();
const evalErr = (src: string, path: string) => ctx.compile({ filename: 'in.cue', text: src }).lookupPath(path).err()?.detail;

afterEach(() => {
  setLimits(defaultLimits);
});

describe('limits', () => {
  it('are counted, so the same program gets the same answer every time', () => {
    setLimits({ maxWork: 2000 });
    const src = '#F: {n: int, out: (#F & {n: n + 1}).out}\nx: (#F & {n: 0}).out';
    const a = evalErr(src, 'x');
    expect(a).toBeDefined();
    expect(evalErr(src, 'x')).toBe(a);
  });

  it('count comprehension iterations and results', () => {
    const sq = 'import "list"\nl: [for i in list.Range(0, 150, 1) {i}]\nsq: [for x in l for y in l {x+y}]\nn: len(sq)';
    expect(evalErr(sq, 'n')).toBeUndefined();
    setLimits({ maxSize: 10_000 });
    expect(evalErr(sq, 'n')).toMatch(/exceeded the size limit of 10000 values/);
    setLimits({ maxSize: defaultLimits.maxSize, maxWork: 50_000 });
    const filtered = 'import "list"\nl: [for i in list.Range(0, 300, 1) {i}]\nsq: [for x in l for y in l if false {x}]\nn: len(sq)';
    expect(evalErr(filtered, 'n')).toMatch(/exceeded the work limit of 50000 steps/);
  });

  it('size the value budget by the heap limit, one value per 4 KiB, when the platform tells it', () => {
    expect(defaultMaxSize(256 * 2 ** 20)).toBe(65_536);
    expect(defaultMaxSize(4 * 2 ** 30)).toBe(1_048_576);
    expect(defaultMaxSize(2 ** 20)).toBe(10_000);
    expect(defaultMaxSize(undefined)).toBe(1_000_000);
  });

  it('count every vertex as it is made, temporaries included', () => {
    // Each element of a list comprehension is a vertex: the limit trips while the list is built.
    setLimits({ maxSize: 5_000 });
    expect(evalErr('import "list"\nx: [for i in list.Range(0, 10000, 1) {i}]\nn: len(x)', 'n')).toMatch(/exceeded the size limit of 5000 values/);
    expect(evalErr('import "list"\nx: [for i in list.Range(0, 1000, 1) {i}]\nn: len(x)', 'n')).toBeUndefined();
  });

  it('are configurable, and reject nonsense', () => {
    expect(() => setLimits({ maxWork: 0 })).toThrow(/maxWork must be a positive integer/);
    const prev = setLimits({ maxDepth: 50 });
    expect(prev.maxDepth).toBe(defaultLimits.maxDepth);
  });

  it('refuse a YAML alias bomb by the yaml library alias limit, and keep ordinary aliases', () => {
    let y = 'a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]\n';
    for (let i = 1; i < 9; i++) y += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(',')}]\n`;
    expect(evalErr(`import "encoding/yaml"\ny: yaml.Unmarshal(${JSON.stringify(y)})`, 'y')).toMatch(/Excessive alias count/);
    const ok = ctx.compile({ filename: 'in.cue', text: 'import "encoding/yaml"\ny: yaml.Unmarshal("a: &x {b: 1}\\nc: *x\\n")' });
    expect(ok.lookupPath('y').toJS()).toEqual({ a: { b: 1 }, c: { b: 1 } });
  });
});

// The default limits must stop hostile programs before a small heap runs out:
// run them in a child process with --max-old-space-size and expect a clean error.
const dist = fileURLToPath(new URL('../dist/engine-index.js', import.meta.url));

function runChild(heapMB: number, src: string): Promise<{ code: number | null; out: string }> {
  const script = `import { newContext } from ${JSON.stringify(dist)};
const v = newContext().compile({ filename: 'in.cue', text: ${JSON.stringify(src)} });
const e = v.lookupPath('n').err();
console.log(e ? 'ERR ' + e.detail : 'OK ' + v.lookupPath('n').toJSON());`;
  return new Promise((resolve) => {
    execFile(process.execPath, [`--max-old-space-size=${heapMB}`, '--input-type=module', '-e', script], { timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, out: stdout + stderr });
    });
  });
}

describe('hostile programs under the default limits (child process, small heap)', () => {
  it('needs the compiled engine (npx tsc -b)', () => {
    expect(existsSync(dist), `${dist} missing: run npx tsc -b`).toBe(true);
  });

  it('a 10,000² comprehension in a 256 MB heap ends with the size limit, not a heap out-of-memory abort', async () => {
    const r = await runChild(256, 'import "list"\nsq: [for i in list.Range(0, 10000, 1) for j in list.Range(0, 10000, 1) {i*j}]\nn: len(sq)');
    expect(r.out).toMatch(/^ERR evaluation exceeded the size limit/m);
    expect(r.code).toBe(0);
  }, 120_000);

  it('so does a struct comprehension of 10,000² fields', async () => {
    const r = await runChild(256, 'import "list"\nsq: {for i in list.Range(0, 10000, 1) for j in list.Range(0, 10000, 1) {"\\(i)_\\(j)": {a: i, b: j}}}\nn: len(sq)');
    expect(r.out).toMatch(/^ERR evaluation exceeded the size limit/m);
    expect(r.code).toBe(0);
  }, 120_000);

  it('a YAML alias bomb ends with the alias limit', async () => {
    let y = 'a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]\n';
    for (let i = 1; i < 10; i++) y += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(',')}]\n`;
    const r = await runChild(128, `import "encoding/yaml"\nn: yaml.Unmarshal(${JSON.stringify(y)})`);
    expect(r.out).toMatch(/^ERR .*Excessive alias count/m);
    expect(r.code).toBe(0);
  }, 120_000);
});
