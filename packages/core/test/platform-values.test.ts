// Platform-owned values (#values), per-environment defaults and locks (a
// module's #environments, an environment's `defaults`), locks evaluated in
// the release's context, and which layer set or locked each value.
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
const dev = exampleText('web-app-dev');

/** A copy of the bundled catalog with edits applied to some of its files. */
function catalogWith(edits: Record<string, (s: string) => string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'opm-cat-'));
  cpSync(BUNDLED_CATALOG_DIR, dir, { recursive: true });
  for (const [rel, edit] of Object.entries(edits)) {
    const f = path.join(dir, rel);
    const before = readFileSync(f, 'utf8');
    const after = edit(before);
    if (after === before) throw new Error(`edit of ${rel} changed nothing`);
    writeFileSync(f, after);
  }
  return dir;
}

/** Adds CUE text to the module's #Module, before its closing brace. */
const inModule = (text: string) => (s: string) => s.replace(/\n}\s*$/, `\n${text}\n}\n`);

// The backup values move from the author's definition to the platform's Module.
const platformOwnsBackup = {
  [DEFINITION]: (s: string) => s.replace(/\t\t\tbackup: \{\n\t\t\t\tenabled: {2}bool \| \*false\n\t\t\t\tschedule: core\.#CronType \| \*"0 3 \* \* \*"\n\t\t\t\}\n/, ''),
  [MODULE]: inModule('\t#values: platform: backup: {\n\t\tenabled:  bool | *false\n\t\tschedule: core.#CronType | *"0 4 * * *"\n\t\tretentionDays: int & >=1 & <=90 | *7\n\t}'),
};

describe('values the platform owns (#values)', () => {
  it('a Module declares values for what it adds; releases set them, defaults apply, and the definition need not know them', async () => {
    const catalog = catalogWith(platformOwnsBackup);
    const r = await renderReleaseFile(tempRelease(prod), { catalog });
    expect(r.finalValues.platform).toMatchObject({ backup: { enabled: true, schedule: '0 2 * * *', retentionDays: 7 } });
    const cron = r.objects.find((o) => o.kind === 'CronJob');
    expect((cron as any)?.spec?.schedule).toBe('0 2 * * *');
    expect(r.origins['platform.backup.schedule']).toMatchObject({ layer: 'release web-app-prod' });
    expect(r.origins['platform.backup.retentionDays']).toMatchObject({ layer: 'module simple-web-app 1.0.0-platform.1 #values default (a value the platform owns)', line: expect.any(Number) });
    const d = await renderReleaseFile(tempRelease(dev), { catalog });
    expect((d.finalValues.platform as any).backup).toEqual({ enabled: false, schedule: '0 4 * * *', retentionDays: 7 });
  });

  it('they are checked like the definition\'s: constraint, and no undeclared field', async () => {
    const catalog = catalogWith(platformOwnsBackup);
    const e = await failure(renderReleaseFile(tempRelease(prod.replace('schedule: "0 2 * * *"', 'schedule: "0 2 * * *"\n                retentionDays: 365\n                keepForever: true')), { catalog }));
    expect(e.message).toMatch(/values\.platform\.backup\.retentionDays: 365: .*<=90.*module\.cue line \d+/);
    expect(e.message).toMatch(/values\.platform\.backup\.keepForever: true: .*not allowed/);
  });

  it('a Module cannot redeclare a value of its definition, nor leave its own values open', async () => {
    const redeclared = catalogWith({ [MODULE]: inModule('\t#values: {replicas: int | *3, extra: string | *"x"}') });
    const e = await failure(renderReleaseFile(tempRelease(prod), { catalog: redeclared }));
    expect(e.message).toMatch(/module simple-web-app 1\.0\.0-platform\.1: #values\.replicas \(module\.cue line \d+\): the definition already declares values\.replicas; change its default with #overrides or lock it with #immutable instead/);
    const open = catalogWith({ [MODULE]: inModule('\t#values: {extra: string | *"x", ...}') });
    expect((await failure(renderReleaseFile(tempRelease(prod), { catalog: open }))).message).toMatch(/#values .*is open/);
  });
});

describe('per-environment defaults and locks', () => {
  const noReplicas = (t: string) => t.replace(/\n\s*replicas: \d+[^\n]*/, '');

  it('a module\'s #environments.<env>.overrides is the default in that environment only, above #overrides', async () => {
    const catalog = catalogWith({ [MODULE]: inModule('\t#environments: production: overrides: replicas: 4') });
    const p = await renderReleaseFile(tempRelease(noReplicas(prod)), { catalog });
    expect(p.finalValues.replicas).toBe(4);
    expect(p.origins.replicas).toMatchObject({ layer: 'module simple-web-app 1.0.0-platform.1 #environments.production.overrides', line: expect.any(Number) });
    const d = await renderReleaseFile(tempRelease(noReplicas(dev)), { catalog });
    expect(d.finalValues.replicas).toBe(2);
    expect(d.origins.replicas?.layer).toBe('module simple-web-app 1.0.0-platform.1 #overrides');
    // A release still decides over a default.
    expect((await renderReleaseFile(tempRelease(prod), { catalog })).finalValues.replicas).toBe(5);
  });

  it('a module\'s #environments.<env>.immutable locks in that environment only, and the error names the layer', async () => {
    const catalog = catalogWith({ [MODULE]: inModule('\t#environments: production: immutable: replicas: 5') });
    const e = await failure(renderReleaseFile(tempRelease(prod.replace('replicas: 5', 'replicas: 6')), { catalog }));
    expect(e.message).toMatch(/release web-app-prod: values\.replicas: cannot set 6: locked to 5 by module simple-web-app 1\.0\.0-platform\.1 \(#environments\.production\.immutable, module\.cue line \d+\)/);
    const ok = await renderReleaseFile(tempRelease(noReplicas(prod)), { catalog });
    expect(ok.finalValues.replicas).toBe(5);
    expect(ok.origins.replicas?.layer).toMatch(/^locked by module simple-web-app 1\.0\.0-platform\.1 \(#environments\.production\.immutable/);
    expect((await renderReleaseFile(tempRelease(dev.replace('replicas: 1', 'replicas: 3')), { catalog })).finalValues.replicas).toBe(3);
  });

  it('an environment name the platform does not have is an error, not silently ignored', async () => {
    const catalog = catalogWith({ [MODULE]: inModule('\t#environments: prodution: immutable: replicas: 5') });
    const e = await failure(renderReleaseFile(tempRelease(prod), { catalog }));
    expect(e.message).toMatch(/module simple-web-app 1\.0\.0-platform\.1: #environments\.prodution \(module\.cue line \d+\): the platform has no environment prodution \(environments: development, staging, production, analytics, tenant\)/);
  });

  it('per-environment values are checked against the schema: layer, path, value and constraint', async () => {
    const catalog = catalogWith({ [MODULE]: inModule('\t#environments: production: overrides: replicas: 50') });
    const e = await failure(renderReleaseFile(tempRelease(noReplicas(prod)), { catalog }));
    expect(e.message).toMatch(/module simple-web-app 1\.0\.0-platform\.1: #environments\.production\.overrides\.replicas: 50: invalid value 50 \(out of bound <=20\) \(schema of simple-web-app 1\.0\.0-platform\.1, definition\.cue line \d+: replicas: int & >=1 & <=20 \| \*1\)/);
  });

  it('an #immutable conditional on the release\'s namespace or environment takes effect', async () => {
    const catalog = catalogWith({
      [MODULE]: (s) => s.replace('\t#immutable: {\n', '\t#immutable: {\n\t\tif #definition.#context.namespace == "production" {replicas: 5}\n\t\tif #definition.#context.environment == "production" {ingress: enabled: false}\n'),
    });
    const e = await failure(renderReleaseFile(tempRelease(prod.replace('replicas: 5', 'replicas: 6').replace('environment: "production"\n\n', 'environment: "production"\n        ingress: enabled: true\n\n')), { catalog }));
    expect(e.message).toMatch(/values\.replicas: cannot set 6: locked to 5 by module simple-web-app 1\.0\.0-platform\.1 \(#immutable, module\.cue line \d+\)/);
    expect(e.message).toMatch(/values\.ingress\.enabled: cannot set true: locked to false/);
    expect((await renderReleaseFile(tempRelease(dev.replace('replicas: 1', 'replicas: 3')), { catalog })).finalValues.replicas).toBe(3);
  });

  it('an environment\'s `defaults` in platform.cue apply to modules that have the value, below the module\'s own per-environment defaults', async () => {
    const catalog = catalogWith({
      'platform.cue': (s) => s.replace('\t\t\trequiredLabels: ["team", "owner"]\n\t\t\trequiredAnnotations', '\t\t\trequiredLabels: ["team", "owner"]\n\t\t\tdefaults: {platform: alerts: severity: "critical", replicas: 3, noSuchValue: 1}\n\t\t\trequiredAnnotations'),
    });
    const r = await renderReleaseFile(tempRelease(noReplicas(prod).replace(/\n\s*severity: "high"[^\n]*/, '')), { catalog });
    expect((r.finalValues.platform as any).alerts.severity).toBe('critical');
    expect(r.finalValues.replicas).toBe(3);
    expect(r.origins.replicas).toMatchObject({ layer: 'platform environment production defaults', line: expect.any(Number) });
    const both = catalogWith({
      'platform.cue': (s) => s.replace('\t\t\trequiredLabels: ["team", "owner"]\n\t\t\trequiredAnnotations', '\t\t\trequiredLabels: ["team", "owner"]\n\t\t\tdefaults: replicas: 3\n\t\t\trequiredAnnotations'),
      [MODULE]: inModule('\t#environments: production: overrides: replicas: 4'),
    });
    expect((await renderReleaseFile(tempRelease(noReplicas(prod)), { catalog: both })).finalValues.replicas).toBe(4);
  });

  it('two locks of one value that disagree are an error naming both, not one silently winning', async () => {
    const catalog = catalogWith({
      'platform.cue': (s) => s.replace('\t\t\timmutable: platform: {\n\t\t\t\tmonitoring: enabled: true\n\t\t\t\tbackup: enabled: true\n\t\t\t}\n\t\t}\n\t\t// Internal', '\t\t\timmutable: {\n\t\t\t\tplatform: monitoring: enabled: true\n\t\t\t\tplatform: backup: enabled: true\n\t\t\t\timage: repository: "registry.company.com/mirror/web-app"\n\t\t\t}\n\t\t}\n\t\t// Internal'),
    });
    const e = await failure(renderReleaseFile(tempRelease(prod), { catalog }));
    expect(e.message).toMatch(/values\.image\.repository: locked to "registry\.company\.com\/frontend\/web-app" by module simple-web-app 1\.0\.0-platform\.1 \(#immutable, module\.cue line \d+\) and to "registry\.company\.com\/mirror\/web-app" by platform environment production \(platform\.cue line \d+\)/);
  });

  it('a module default for an environment that its own lock overrules is reported', async () => {
    const catalog = catalogWith({ [MODULE]: inModule('\t#environments: production: {overrides: replicas: 4, immutable: replicas: 5}') });
    const e = await failure(renderReleaseFile(tempRelease(noReplicas(prod)), { catalog }));
    expect(e.message).toMatch(/#environments\.production\.overrides\.replicas sets 4, but values\.replicas is locked to 5 by module simple-web-app 1\.0\.0-platform\.1 \(#environments\.production\.immutable/);
  });
});
