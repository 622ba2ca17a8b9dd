// Security (issues 16.1, 17.10, 18.3): secret values never reach stdout or
// stderr, whatever their type, length or characters, through whatever makes a
// release invalid; and redaction does not mangle names and paths.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { lit, marker } from './secret-literals.js';
import { describe, expect, it } from 'vitest';
import { Redactor } from '@opm/core';
import { run } from './run-opm.js';

const REPO = path.resolve(import.meta.dirname, '../../..');
const STAGING = readFileSync(path.join(REPO, 'examples/releases/ecommerce-staging.cue'), 'utf8');
const CATALOG = path.join(REPO, 'examples/catalog');
const GIVEN = '"staging-secure-password-123"';


// Each secret carries a random 10-hex-digit marker (or is a random 10-digit number): the output must hold no trace of it.
const tail = fc.string({ unit: 'binary', maxLength: 120 });
const secretValue = fc.oneof(
  fc.tuple(marker, tail).map(([m, t]) => ({ value: `${m}${t}`, marks: [m] })), // long, multi-line, quoted, unicode
  fc.tuple(marker, fc.constantFrom('', '\n', '"', '\\"', 'x'.repeat(100))).map(([m, t]) => ({ value: `${t}${m}${t}`, marks: [m] })),
  fc.integer({ min: 1_000_000_000, max: 2_000_000_000 }).map((n) => ({ value: n, marks: [String(n)] })), // a number for a string
  fc.tuple(marker, fc.integer({ min: 1_000_000_000, max: 2_000_000_000 })).map(([m, n]) => ({ value: [m, n], marks: [m, String(n)] })),
  fc.tuple(marker, marker).map(([a, b]) => ({ value: { user: a, nested: { pw: b } }, marks: [a, b] })),
);

type Breakage = 'none' | 'conflict' | 'wrong-type' | 'unknown-field' | 'constraint' | 'lock';
const breakage = fc.constantFrom<Breakage>('none', 'conflict', 'wrong-type', 'unknown-field', 'constraint', 'lock');

function releaseWith(secret: unknown, other: { value: unknown; marks: string[] }, how: Breakage): string {
  let text = STAGING.replace(GIVEN, lit(secret));
  const extra: Record<Breakage, string> = {
    none: '',
    conflict: `values: database: password: ${lit(other.value)}`,
    'wrong-type': 'values: frontend: replicas: "many"',
    'unknown-field': 'values: bogus: 1',
    constraint: 'values: database: maxConnections: 1',
    lock: 'values: platform: security: encryption: false',
  };
  text = text.replace(/\n\s*#module: catalog\.#Module/, (m) => `${m}\n    ${extra[how]}`);
  return text;
}

describe('security: secret values never reach the output (property)', () => {
  it('random secret values through random invalid releases: no trace on stdout or stderr', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-sec-redact-'));
    await fc.assert(
      fc.asyncProperty(secretValue, secretValue, breakage, fc.constantFrom('vet-json', 'vet', 'build', 'values', 'secret-flag'), async (s, other, how, cmd) => {
        const file = path.join(dir, 'release.cue');
        const marks = [...s.marks, ...(how === 'conflict' ? other.marks : [])];
        const base = ['--catalog', CATALOG];
        let r;
        if (cmd === 'secret-flag') {
          // Supplied at build time: a string secret that is too short or otherwise invalid.
          writeFileSync(file, releaseWith('x', other, how === 'conflict' ? 'none' : how).replace(/\n\s*password: "x"/, ''));
          const v = typeof s.value === 'string' ? s.value.slice(0, 11) : String(s.value);
          process.env.OPM_TEST_SECRET = v;
          r = await run(['release', 'vet', file, ...base, '--secret', 'database.password=env:OPM_TEST_SECRET']);
          delete process.env.OPM_TEST_SECRET;
          marks.length = 0;
          if (v.length >= 6) marks.push(v);
        } else {
          writeFileSync(file, releaseWith(s.value, other, how));
          const args = cmd === 'vet-json' ? ['release', 'vet', '-o', 'json', file] : ['release', cmd, file];
          r = await run([...args, ...base]);
        }
        const out = r.stdout + r.stderr;
        for (const m of marks) {
          if (out.includes(m)) throw new Error(`secret ${JSON.stringify(m)} leaked (${cmd}, ${how}):\n${out.slice(0, 2000)}`);
        }
        // An invalid release still says what is wrong (the message is not lost in redaction).
        if (r.code !== 0) expect(out).toMatch(/release|values|secret/);
      }),
      { numRuns: 40, seed: Number(process.env.FC_SEED ?? Date.now() % 100000) },
    );
  }, 240_000);

  it('the conflict of two literals for a secret names the path, not the values', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-sec-redact-'));
    const file = path.join(dir, 'release.cue');
    writeFileSync(file, releaseWith('staging-secure-password-123', { value: 'other-password-456789', marks: [] }, 'conflict'));
    const r = await run(['release', 'vet', file, '--catalog', CATALOG]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/values\.database\.password/);
    expect(r.stderr).not.toMatch(/staging-secure|other-password/);
  });

  it('a long multi-line secret read with --secret file: is masked before the message is shortened (18.3)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-sec-redact-'));
    const shadow = path.join(dir, 'shadow');
    // Fails the schema (no 12 characters on any one line is not the point: the value is invalid as a whole).
    const value = `root:$6$SALTsalt$${'h'.repeat(90)}:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::`;
    writeFileSync(shadow, value);
    const file = path.join(dir, 'release.cue');
    writeFileSync(file, STAGING.replace(/\n\s*password: "staging-secure-password-123"/, '').replace('replicas: 2  // Reduced', 'replicas: "two"  // Reduced'));
    const r = await run(['release', 'vet', file, '--catalog', CATALOG, '--secret', `database.password=file:${shadow}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/root:|SALTsalt|hhhhhhhh|daemon/);
  });
});

describe('security: redaction does not mangle names and paths (17.10)', () => {
  const r = new Redactor(['database.user', 'database.password']).addValuesAt({ database: { user: 'orders', password: 'too-short' } });

  it('leaves names, file names and paths that contain a secret value alone', () => {
    for (const text of [
      'statefulset.apps/orders-db-postgres configured',
      'w2-password-too-short.cue: line 3',
      '/home/me/orders/release.cue',
      'deployment orders-api unchanged',
    ]) expect(r.scrub(text)).toBe(text);
  });

  it('masks the value where a value stands: quoted, whole words, shortened literals', () => {
    expect(r.scrub('values.database.user: conflicting values "orders" and "x"')).toBe('values.database.user: conflicting values "<secret>" and "x"');
    expect(r.scrub('invalid value "too-short" (out of bound)')).toBe('invalid value "<secret>" (out of bound)');
    expect(r.scrub('env DB_PASSWORD=too-short rejected')).toBe('env DB_PASSWORD=<secret> rejected');
    const long = new Redactor(['p']).addValuesAt({ p: 'a-very-long-secret-value-that-gets-cut-somewhere-in-the-middle-of-it-by-someone' });
    expect(long.scrub('got "a-very-long-secret-value-that-gets-cut-somewh..." here')).toBe('got "<secret>" here');
  });

  it('masks values at or below a secret path whatever their type', () => {
    const m = new Redactor(['creds']).maskValues({ creds: { user: 'u', list: [1, 2] }, other: 1 });
    expect(m).toEqual({ creds: '<secret>', other: 1 });
    const n = new Redactor(['a.b']).maskValues({ a: { b: 42, c: 'keep' } });
    expect(n).toEqual({ a: { b: '<secret>', c: 'keep' } });
  });
});
