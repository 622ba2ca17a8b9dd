// Security (issues 16.1, 18.3): secrets declared under pattern constraints
// (`[string]: {token: string @secret()}`), through definitions and
// disjunctions, are secrets like declared ones: their values never reach
// stdout or stderr, whatever makes the release invalid.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { lit, marker } from './secret-literals.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from './run-opm.js';

const REPO = path.resolve(import.meta.dirname, '../../..');
const STAGING = readFileSync(path.join(REPO, 'examples/releases/ecommerce-staging.cue'), 'utf8');

/** The bundled ecommerce module with secrets reached only through patterns, definitions and a disjunction. */
let catalog: string;
beforeAll(() => {
  catalog = mkdtempSync(path.join(tmpdir(), 'opm-sec-pattern-cat-'));
  cpSync(path.join(REPO, 'examples/catalog'), catalog, { recursive: true });
  const def = path.join(catalog, 'ecommerce-platform/2.1.0-enterprise.3/definition.cue');
  const text = readFileSync(def, 'utf8');
  const anchor = '\t\tcaching: {\n';
  expect(text).toContain(anchor);
  writeFileSync(
    def,
    text.replace(
      anchor,
      [
        '\t\tintegrations: [Name=string]: {token: string & =~"^.{12,}$" @secret(), region?: "eu" | "us"}',
        '\t\tapiKeys: [string]: string & =~"^key-" @secret()',
        '\t\taccounts: [string]: #Cred',
        '\t\tauth?: #BasicAuth | #TokenAuth',
        '',
        anchor,
      ].join('\n'),
    ) +
      '\n#Cred: {password: string & =~"^.{12,}$" @secret()}\n#BasicAuth: {user: string, password: string @secret()}\n#TokenAuth: {bearer: string @secret()}\n',
  );
});


// Each secret carries a random 10-hex-digit marker (or is a random 10-digit number): the output must hold no trace of it.
const tail = fc.string({ unit: 'binary', maxLength: 80 });
const secretValue = fc.oneof(
  fc.tuple(marker, tail).map(([m, t]) => ({ value: `${m}${t}`, marks: [m] })),
  fc.tuple(marker, fc.constantFrom('', 'key-', '\n', '"', 'x'.repeat(100))).map(([m, t]) => ({ value: `${t}${m}${t}`, marks: [m] })),
  fc.integer({ min: 1_000_000_000, max: 2_000_000_000 }).map((n) => ({ value: n, marks: [String(n)] })),
  fc.tuple(marker, fc.integer({ min: 1_000_000_000, max: 2_000_000_000 })).map(([m, n]) => ({ value: [m, n], marks: [m, String(n)] })),
  fc.tuple(marker, marker).map(([a, b]) => ({ value: { user: a, nested: { pw: b } }, marks: [a, b] })),
);

const name = fc.constantFrom('main', 'stripe-eu', 'x_1', 'Upper');
/** Where the secret goes: a values path (its segments) made by a pattern, a definition or a disjunction. */
const route = fc.oneof(
  name.map((n) => ['integrations', n, 'token']),
  name.map((n) => ['apiKeys', n]),
  name.map((n) => ['accounts', n, 'password']),
  fc.constant<string[]>(['auth', 'bearer']),
  fc.constant<string[]>(['auth', 'password']),
);

type Breakage = 'none' | 'conflict' | 'wrong-type' | 'unknown-field' | 'constraint' | 'lock';
const breakage = fc.constantFrom<Breakage>('none', 'conflict', 'wrong-type', 'unknown-field', 'constraint', 'lock');

const cuePath = (p: string[]) => p.map((s) => JSON.stringify(s)).join(': ');

function releaseWith(at: string[], secret: unknown, other: unknown, how: Breakage): string {
  const extra: Record<Breakage, string> = {
    none: '',
    conflict: `values: ${cuePath(at)}: ${lit(other)}`,
    'wrong-type': 'values: frontend: replicas: "many"',
    'unknown-field': 'values: bogus: 1',
    constraint: 'values: database: maxConnections: 1',
    lock: 'values: platform: security: encryption: false',
  };
  // The basic alternative needs its user beside the password.
  const user = at[0] === 'auth' && at[1] === 'password' ? '\n    values: auth: user: "someone"' : '';
  return STAGING.replace(/\n\s*#module: catalog\.#Module/, (m) => `${m}\n    values: ${cuePath(at)}: ${lit(secret)}${user}\n    ${extra[how]}`);
}

describe('security: secrets under pattern constraints never reach the output (property)', () => {
  it('random secret values at pattern-made, definition and disjunction secret paths through random invalid releases', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-sec-pattern-'));
    await fc.assert(
      fc.asyncProperty(route, secretValue, secretValue, breakage, fc.constantFrom('vet-json', 'vet', 'build', 'build-json', 'values', 'secret-flag'), async (at, s, other, how, cmd) => {
        const file = path.join(dir, 'release.cue');
        const marks = [...s.marks, ...(how === 'conflict' ? other.marks : [])];
        const base = ['--catalog', catalog];
        let r;
        if (cmd === 'secret-flag') {
          // Supplied at build time at a path only a pattern makes.
          writeFileSync(file, releaseWith(['database', 'user'], 'staging_user', undefined, how === 'conflict' ? 'none' : how));
          const v = typeof s.value === 'string' ? s.value : JSON.stringify(s.value);
          process.env.OPM_TEST_SECRET = v;
          const flagPath = at.map((x) => (/^[A-Za-z_][\w]*$/.test(x) ? x : JSON.stringify(x))).join('.');
          try {
            r = await run(['release', 'values', file, ...base, '--secret', `${flagPath}=env:OPM_TEST_SECRET`]);
          } finally {
            delete process.env.OPM_TEST_SECRET;
          }
          marks.length = 0;
          marks.push(...s.marks);
        } else {
          writeFileSync(file, releaseWith(at, s.value, other.value, how));
          const args =
            cmd === 'vet-json' ? ['release', 'vet', '-o', 'json', file] : cmd === 'build-json' ? ['release', 'build', '-o', 'json', file] : ['release', cmd, file];
          r = await run([...args, ...base]);
        }
        const out = r.stdout + r.stderr;
        for (const m of marks) {
          if (out.includes(m)) throw new Error(`secret ${JSON.stringify(m)} at ${at.join('.')} leaked (${cmd}, ${how}):\n${out.slice(0, 3000)}`);
        }
        // An invalid release still says what is wrong (the message is not lost in redaction).
        if (r.code !== 0) expect(out).toMatch(/release|values|secret/);
      }),
      { numRuns: 40, seed: Number(process.env.FC_SEED ?? Date.now() % 100000) },
    );
  }, 300_000);

  it('a valid release prints pattern-made secrets masked, and says they are secrets written as literals', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-sec-pattern-'));
    const file = path.join(dir, 'release.cue');
    writeFileSync(
      file,
      STAGING.replace(
        /\n\s*#module: catalog\.#Module/,
        (m) => `${m}\n    values: integrations: "stripe-eu": token: "tok-aaaa-bbbb-cccc"\n    values: apiKeys: main: "key-ddddeeee"\n    values: accounts: admin: password: "pw-ffffgggghhhh"\n    values: auth: bearer: "bearer-iiiijjjj"`,
      ),
    );
    const values = await run(['release', 'values', file, '--catalog', catalog, '-o', 'json']);
    expect(values.code, values.stderr).toBe(0);
    const v = JSON.parse(values.stdout) as Record<string, any>;
    expect(v.integrations['stripe-eu'].token).toBe('<secret>');
    expect(v.apiKeys.main).toBe('<secret>');
    expect(v.accounts.admin.password).toBe('<secret>');
    expect(v.auth.bearer).toBe('<secret>');
    expect(values.stdout + values.stderr).not.toMatch(/aaaa-bbbb|ddddeeee|ffffgggg|iiiijjjj/);
    const vet = await run(['release', 'vet', file, '--catalog', catalog]);
    expect(vet.code, vet.stderr).toBe(0);
    expect(vet.stderr).toMatch(/values\.integrations\."stripe-eu"\.token is a secret written as a literal/);
    expect(vet.stderr).toMatch(/values\.apiKeys\.main is a secret written as a literal/);
    expect(vet.stdout + vet.stderr).not.toMatch(/aaaa-bbbb|ddddeeee|ffffgggg|iiiijjjj/);

    // --secret accepts a path a pattern makes, and refuses one no schema route marks secret.
    process.env.OPM_TEST_SECRET = 'key-kkkkllll';
    try {
      const ok = await run(['release', 'values', file, '--catalog', catalog, '--secret', 'apiKeys.other=env:OPM_TEST_SECRET']);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/other: <secret>/);
      const refused = await run(['release', 'values', file, '--catalog', catalog, '--secret', 'database.user=env:OPM_TEST_SECRET']);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/--secret database\.user: not a secret value/);
      expect(ok.stdout + ok.stderr + refused.stdout + refused.stderr).not.toMatch(/kkkkllll/);
    } finally {
      delete process.env.OPM_TEST_SECRET;
    }
  });
});
