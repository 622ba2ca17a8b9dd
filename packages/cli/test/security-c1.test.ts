// Security (issue 18.5): C1 control characters (0x80–0x9f; 0x9b is a one-byte
// CSI to a terminal) and DEL never reach the output raw in JSON or YAML, which
// escape C0 controls themselves; the escaped text still reads back as the same data.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { json } from '../src/commands/release-build/common.js';
import { toYaml } from '../src/plain-yaml.js';
import { run } from './run-opm.js';

const REPO = path.resolve(import.meta.dirname, '../../..');
const CATALOG = path.join(REPO, 'examples/catalog');
/** Raw controls a terminal acts on (tab and newline are text). */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

// Strings rich in C1 and C0 controls, among ordinary and non-ASCII text.
const controls = fc.string({
  unit: fc.oneof(fc.integer({ min: 0x7f, max: 0x9f }).map((c) => String.fromCharCode(c)), fc.constantFrom('\u001b', '\t', '\n', '\r', ' ', '"', '\\', ':', '#', 'a', 'é', '\u00a0', '\u2028')),
  maxLength: 16,
});
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, controls, fc.integer(), fc.boolean(), tie('map'), tie('list')),
  map: fc.dictionary(controls, tie('v'), { maxKeys: 4 }),
  list: fc.array(tie('v'), { maxLength: 3 }),
})).map;

describe('security: C1 controls are escaped in JSON and YAML output (18.5)', () => {
  it('toYaml and json write no raw control character, and read back as the same data', () => {
    fc.assert(
      fc.property(value, (v) => {
        const y = toYaml(v);
        expect(y).not.toMatch(RAW);
        expect(parse(y)).toEqual(v);
        const j = json(v);
        expect(j).not.toMatch(RAW);
        expect(JSON.parse(j)).toEqual(v);
      }),
      { numRuns: 1500 },
    );
    expect(toYaml({ k: 'a\u009b2Jb' })).toBe('k: "a\\u009b2Jb"\n');
  });

  it('release build/values (-o yaml, -o json, --out-dir) and cue export escape them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-sec-c1-'));
    const release = path.join(dir, 'r.cue');
    const original = readFileSync(path.join(REPO, 'examples/releases/web-app-dev.cue'), 'utf8');
    // A label value with a one-byte CSI (rendered as an annotation: not a valid label value) and NEL.
    writeFileSync(release, original.replace('team: "frontend"', 'team: "front\\u009b2Jend\\u0085"'));
    const outDir = path.join(dir, 'out');
    const runs = [
      ['release', 'build', release, '-o', 'yaml'],
      ['release', 'build', release, '-o', 'json'],
      ['release', 'values', release, '-o', 'yaml'],
      ['release', 'build', release, '--out-dir', outDir],
      ['release', 'build', release, '--out-dir', outDir, '-o', 'json'],
    ];
    for (const args of runs) {
      const r = await run([...args, '--catalog', CATALOG]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr, args.join(' ')).not.toMatch(RAW);
    }
    const built = await run(['release', 'build', release, '-o', 'json', '--catalog', CATALOG]);
    const items = (JSON.parse(built.stdout) as { items: { metadata: { annotations?: Record<string, string> } }[] }).items;
    expect(items.some((o) => o.metadata.annotations?.team === 'front\u009b2Jend\u0085')).toBe(true);
    const files = readdirSync(path.join(outDir, 'web-app-dev'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(path.join(outDir, 'web-app-dev', f), 'utf8');
      expect(text, f).not.toMatch(RAW);
    }

    const cue = path.join(dir, 'e.cue');
    writeFileSync(cue, 'a: "x\\u009b2Jy"\nb: "\\u0085\\u007f"\n"k\\u009bk": 1\n');
    for (const out of ['yaml', 'json']) {
      const r = await run(['cue', 'export', cue, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(RAW);
      expect(out === 'json' ? JSON.parse(r.stdout) : parse(r.stdout)).toEqual({ a: 'x\u009b2Jy', b: '\u0085\u007f', 'k\u009bk': 1 });
    }
  });
});
