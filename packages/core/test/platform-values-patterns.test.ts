// The platform's own values (#values) against pattern constraints, on either
// side: a definition's `[string]: …` or `[=~"^x-"]: …` declares every name it
// matches (a #values field such a pattern matches redeclares a definition
// value), one it does not match is the platform's; a pattern in #values that
// matches a definition value redeclares it; a typed pattern in #values is a
// map the platform owns (not an open struct), and the names a release gives
// it stay the platform's (the definition never sees them).
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReleaseFile } from '../src/index.js';
import { BUNDLED_CATALOG_DIR } from '../src/shipped.js';
import { exampleText, tempRelease, failure } from './helpers.js';

const MODULE = 'simple-web-app/1.0.0-platform.1/module.cue';
const DEFINITION = 'simple-web-app/1.0.0-platform.1/definition.cue';
const prod = exampleText('web-app-prod');

function catalogWith(definitionValues: string, moduleText: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'opm-cat-'));
  cpSync(BUNDLED_CATALOG_DIR, dir, { recursive: true });
  const edit = (rel: string, f: (s: string) => string) => {
    const file = path.join(dir, rel);
    const before = readFileSync(file, 'utf8');
    const after = f(before);
    if (after === before) throw new Error(`edit of ${rel} changed nothing`);
    writeFileSync(file, after);
  };
  if (definitionValues) edit(DEFINITION, (s) => s.replace('\tvalues: {\n', `\tvalues: {\n${definitionValues}\n`));
  edit(MODULE, (s) => s.replace(/\n}\s*$/, `\n${moduleText}\n}\n`));
  return dir;
}

/** The prod example with more values set. */
const prodWith = (values: string) => tempRelease(prod.replace(/\n(\s*)replicas: /, `\n$1${values}\n$1replicas: `));

describe("a definition's pattern constraints", () => {
  it('[string]: a #values field inside a map the definition declares redeclares it', async () => {
    const catalog = catalogWith('\t\textraEnv: [string]: string', '\t#values: extraEnv: BACKUP_BUCKET: string | *"b"');
    const e = await failure(renderReleaseFile(tempRelease(prod), { catalog }));
    expect(e.message).toMatch(/#values\.extraEnv\.BACKUP_BUCKET \(module\.cue line \d+\): the definition already declares values\.extraEnv\.BACKUP_BUCKET \(through its pattern constraint \[string\] at values\.extraEnv\)/);
  });

  it('[=~"^x-"]: a #values field the pattern matches redeclares; one it does not match is the platform\'s', async () => {
    const matched = catalogWith('\t\t[=~"^x-"]: string', '\t#values: "x-backup": string | *"b"');
    const e = await failure(renderReleaseFile(tempRelease(prod), { catalog: matched }));
    expect(e.message).toMatch(/#values\."x-backup" \(module\.cue line \d+\): the definition already declares values\."x-backup" \(through its pattern constraint \[=~"\^x-"\] at values\)/);

    const apart = catalogWith('\t\t[=~"^x-"]: string', '\t#values: backupBucket: string | *"b"');
    const r = await renderReleaseFile(prodWith('"x-team": "shop"'), { catalog: apart });
    expect(r.finalValues).toMatchObject({ backupBucket: 'b', 'x-team': 'shop' });
  });
});

describe('pattern constraints in #values', () => {
  it('one that matches a definition value redeclares it', async () => {
    const catalog = catalogWith('', '\t#values: {[=~"^repl"]: int | *3}');
    const e = await failure(renderReleaseFile(tempRelease(prod), { catalog }));
    expect(e.message).toMatch(/#values\.\[=~"\^repl"\] \(module\.cue line \d+\) matches values\.replicas, which the definition already declares/);
  });

  it('one that matches no definition value declares values the platform owns; the definition never sees them', async () => {
    const catalog = catalogWith('', '\t#values: {[=~"^retention"]: int & <=90}');
    const r = await renderReleaseFile(prodWith('retentionDays: 30'), { catalog });
    expect(r.finalValues).toMatchObject({ retentionDays: 30, replicas: 5 });
    expect(r.origins.retentionDays).toMatchObject({ layer: 'release web-app-prod' });
    const bad = await failure(renderReleaseFile(prodWith('retentionDays: 365'), { catalog }));
    expect(bad.message).toMatch(/values\.retentionDays: 365: .*<=90/);
  });

  it('a typed map inside #values is the platform\'s, not an open struct; `[string]: _` is open', async () => {
    const map = catalogWith('', '\t#values: backupTargets: {primary: string | *"s3://a", [string]: string}');
    const r = await renderReleaseFile(prodWith('backupTargets: eu: "s3://eu"'), { catalog: map });
    expect(r.finalValues.backupTargets).toEqual({ primary: 's3://a', eu: 's3://eu' });
    const bad = await failure(renderReleaseFile(prodWith('backupTargets: eu: 3'), { catalog: map }));
    expect(bad.message).toMatch(/values\.backupTargets\.eu: 3/);

    const open = catalogWith('', '\t#values: backupTargets: {primary: string | *"s3://a", [string]: _}');
    expect((await failure(renderReleaseFile(tempRelease(prod), { catalog: open }))).message).toMatch(/#values\.backupTargets \(module\.cue line \d+\) is open/);
    const openMap = catalogWith('', '\t#values: backupTargets: [string]: _');
    expect((await failure(renderReleaseFile(tempRelease(prod), { catalog: openMap }))).message).toMatch(/#values\.backupTargets \(module\.cue line \d+\) is open/);
  });
});
