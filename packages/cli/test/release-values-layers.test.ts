// `opm release values --explain` and `opm catalog show` name every layer of
// the cascade: definition and platform-owned defaults, module #overrides, an
// environment's defaults, a module's per-environment defaults and locks.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run as runOpm } from './run-opm.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const run = (...argv: string[]) => runOpm(argv);
afterEach(() => vi.restoreAllMocks());

function layeredCatalog(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'opm-cat-'));
  cpSync(path.join(REPO, 'examples/catalog'), dir, { recursive: true });
  const mod = path.join(dir, 'simple-web-app/1.0.0-platform.1/module.cue');
  writeFileSync(
    mod,
    readFileSync(mod, 'utf8').replace(
      /\n}\s*$/,
      '\n\t#values: platform: retentionDays: int & >=1 | *7\n\t#environments: production: {overrides: port: 8081, immutable: ingress: enabled: false}\n}\n',
    ),
  );
  const platform = path.join(dir, 'platform.cue');
  writeFileSync(platform, readFileSync(platform, 'utf8').replace('\t\t\trequiredLabels: ["team", "owner"]\n\t\t\trequiredAnnotations', '\t\t\trequiredLabels: ["team", "owner"]\n\t\t\tdefaults: platform: alerts: severity: "critical"\n\t\t\trequiredAnnotations'));
  return dir;
}

describe('which layer set or locked each value', () => {
  it('values --explain names the layer and its file:line for every value', async () => {
    const catalog = layeredCatalog();
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-rel-'));
    const file = path.join(dir, 'web-app-prod.cue');
    writeFileSync(file, readFileSync(path.join(REPO, 'examples/releases/web-app-prod.cue'), 'utf8').replace(/\n\s*severity: "high"[^\n]*/, ''));
    const x = await run('release', 'values', file, '--explain', '--catalog', catalog);
    // Only the render's own warnings (as `opm release build` prints them).
    expect(x.stderr.split('\n').filter((l) => l && !l.startsWith('opm: warning: release web-app-prod: label '))).toEqual([]);
    expect(x.code).toBe(0);
    expect(x.stdout).toMatch(/^port = 8081 +# module simple-web-app 1\.0\.0-platform\.1 #environments\.production\.overrides \(.*module\.cue:\d+\)$/m);
    expect(x.stdout).toMatch(/^ingress\.enabled = false +# locked by module simple-web-app 1\.0\.0-platform\.1 \(#environments\.production\.immutable, module\.cue line \d+\)$/m);
    expect(x.stdout).toMatch(/^platform\.alerts\.severity = "critical" +# platform environment production defaults \(.*platform\.cue:\d+\)$/m);
    expect(x.stdout).toMatch(/^platform\.retentionDays = 7 +# module simple-web-app 1\.0\.0-platform\.1 #values default \(a value the platform owns\) \(.*module\.cue:\d+\)$/m);
    expect(x.stdout).toMatch(/^image\.repository = "registry\.company\.com\/frontend\/web-app" +# locked by module simple-web-app 1\.0\.0-platform\.1 \(#immutable, module\.cue line \d+\)$/m);
    expect(x.stdout).toMatch(/^replicas = 5 +# release web-app-prod \(.*web-app-prod\.cue:\d+\)$/m);
    expect(x.stdout).toMatch(/^resources\.limits\.cpu = "500m" +# definition simple-web-app 1\.0\.0 default \(.*definition\.cue:\d+\)$/m);

    const bad = await run('release', 'values', path.join(REPO, 'examples/releases/web-app-prod.cue'), '--catalog', catalog, '--set', 'ingress.enabled=true');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/values\.ingress\.enabled: cannot set true: locked to false by module simple-web-app 1\.0\.0-platform\.1 \(#environments\.production\.immutable, module\.cue line \d+\)/);
  });

  it('catalog show lists platform-owned values and per-environment defaults and locks', async () => {
    const catalog = layeredCatalog();
    const j = JSON.parse((await run('catalog', 'show', 'simple-web-app', '-o', 'json', '--catalog', catalog)).stdout);
    expect(j.values.find((v: any) => v.path === 'platform.retentionDays')).toMatchObject({ default: 7, platformOwned: true });
    expect(j.values.find((v: any) => v.path === 'port')).toMatchObject({ default: 8080, environments: { production: { default: 8081 } } });
    expect(j.values.find((v: any) => v.path === 'ingress.enabled')).toMatchObject({ environments: { production: { immutable: false } } });
    const t = (await run('catalog', 'show', 'simple-web-app', '--catalog', catalog)).stdout;
    expect(t).toMatch(/^ {2}ingress\.enabled: .*# production IMMUTABLE false$/m);
    expect(t).toMatch(/^ {2}platform\.retentionDays: .*owned by the platform \(#values\)/m);
  });
});
