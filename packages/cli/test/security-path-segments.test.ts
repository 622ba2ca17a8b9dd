// Security (issues 12, 17.10): a secret value used as a map key shows up as a
// segment of a path (`values.database.<value>: field not allowed`, a dotted
// key in a diff). It is masked there too; the text around it, and every name,
// file name and file path that merely contains the value, is left exactly as
// it was.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Redactor } from '@opm/core';
import { marker } from './secret-literals.js';
import { run } from './run-opm.js';

const REPO = path.resolve(import.meta.dirname, '../../..');
const STAGING = readFileSync(path.join(REPO, 'examples/releases/ecommerce-staging.cue'), 'utf8');
const CATALOG = path.join(REPO, 'examples/catalog');
const GIVEN = '"staging-secure-password-123"';
const MASK = '<secret>';

/** A secret that can stand as a CUE identifier, hence as an unquoted path segment: `<prefix><marker><suffix>`. */
const secret = fc
  .tuple(fc.constantFrom('k', 'sk_live_', 'tok-', 'Ab'), marker, fc.constantFrom('', '_x', '-9', 'Z'))
  .map(([a, m, b]) => ({ value: `${a}${m}${b}`, mark: m }));
const label = fc.stringMatching(/^[a-z][a-zA-Z0-9_-]{0,8}$/);

/** Texts where the secret is a path segment: `{s}` marks it. */
const inPath = fc.oneof(
  fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.array(label, { maxLength: 2 })).map(([a, b]) => `values.${a.join('.')}.{s}${b.map((x) => `.${x}`).join('')}: field not allowed`),
  fc.tuple(label, label).map(([a, b]) => `release r: values.${a}.{s}: {"${b}":2}: field not allowed (set at /tmp/r.cue:21)`),
  label.map((a) => `+    ${a}.{s}.enabled: "true"`),
  fc.constantFrom('data.{s}', 'spec.values.creds.{s}.token', 'metadata.labels.{s}', 'values.a."quoted".{s}[0]: conflict'),
);
/** Texts that only contain the secret within a name, file name, file path or URL: left exactly as they are. */
const notAPath = fc.constantFrom(
  'statefulset.apps/{s}-db-postgres configured',
  'deployment {s}x unchanged',
  'x{s}.y: field not allowed',
  'values.a.{s}x: field not allowed',
  'values.a.x{s}: field not allowed',
  '/home/me/{s}/release.cue: line 3',
  '/srv/a.{s}/b.cue',
  'https://registry.example/a.{s}/b',
  '{s}.cue:3:5: expected }',
  'values.{s}-suffix.x',
);

describe('security: a secret value as a path segment is masked, and nothing else is (property)', () => {
  const redactorFor = (s: string) => new Redactor(['database.password']).addValuesAt({ database: { password: s } });

  it('masks exactly the segment that is the value', () => {
    fc.assert(
      fc.property(secret, inPath, ({ value }, text) => {
        const out = redactorFor(value).scrub(text.replaceAll('{s}', value));
        expect(out).toBe(text.replaceAll('{s}', MASK));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves names, file names, file paths and URLs holding the value as they are', () => {
    fc.assert(
      fc.property(secret, notAPath, ({ value }, text) => {
        const t = text.replaceAll('{s}', value);
        expect(redactorFor(value).scrub(t)).toBe(t);
      }),
      { numRuns: 200 },
    );
  });

  it('through the CLI: a value used as a map key in the release never reaches the output', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-sec-segment-'));
    await fc.assert(
      fc.asyncProperty(secret, fc.constantFrom('database', 'frontend', 'backend'), fc.constantFrom('vet', 'vet-json', 'build', 'values'), async ({ value, mark }, under, cmd) => {
        const file = path.join(dir, 'release.cue');
        const key = value.includes('-') ? JSON.stringify(value) : value;
        writeFileSync(file, STAGING.replace(GIVEN, JSON.stringify(value)).replace(/\n\s*#module: catalog\.#Module/, (m) => `${m}\n    values: ${under}: ${key}: replicas: 2`));
        const args = cmd === 'vet-json' ? ['release', 'vet', '-o', 'json', file] : ['release', cmd, file];
        const r = await run([...args, '--catalog', CATALOG]);
        const out = r.stdout + r.stderr;
        if (out.includes(mark)) throw new Error(`secret ${JSON.stringify(value)} leaked (${cmd}):\n${out.slice(0, 2000)}`);
        expect(r.code).toBe(1);
        // The message still names where the problem is.
        expect(out).toContain(`values.${under}.`);
        expect(out).toMatch(/field not allowed/);
      }),
      { numRuns: 24 },
    );
  }, 240_000);
});
