// `opm release build/vet/values`, `opm catalog`, `opm mod vet/build` through main().
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { run as runOpm } from './run-opm.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const rel = (n: string) => path.join(REPO, 'examples/releases', `${n}.cue`);
const ALL = ['web-app-dev', 'web-app-prod', 'ecommerce-staging', 'ecommerce-analytics', 'ecommerce-tenant-acme'].map(rel);
const PASSWORDS = ['staging-secure-password-123', 'analytics-secure-password-456', 'tenant-acme-secure-password-789', 'analytics-service-key'];

const run = (...argv: string[]) => runOpm(argv);

afterEach(() => vi.restoreAllMocks());

describe('opm release build', () => {
  it('renders the five spec examples to a YAML stream with every secret masked', async () => {
    const r = await run('release', 'build', ...ALL);
    expect(r.stderr).not.toMatch(/opm: (?!warning)/);
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(docs.length).toBeGreaterThan(40);
    for (const pw of PASSWORDS) {
      expect(r.stdout).not.toContain(pw);
      expect(r.stderr).not.toContain(pw);
    }
    const secret = docs.find((d) => d.kind === 'Secret' && d.metadata.name === 'ecommerce-staging-database-credentials');
    expect(secret.stringData).toEqual({ username: '<secret>', password: '<secret>' });
    expect(r.stderr).toMatch(/warning: release ecommerce-staging: values\.database\.password is a secret written as a literal/);
  });

  it('YAML output reads back as the JSON output under YAML 1.1 (kubectl, go-yaml) and 1.2, for every example', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-yaml11-'));
    // Label and annotation values a YAML 1.1 reader would take for a bool, an octal int, a float, a time, null.
    const tricky = path.join(dir, 'web-app-prod.cue');
    writeFileSync(tricky, readFileSync(rel('web-app-prod'), 'utf8').replace('criticality: "high"', 'criticality: "high"\n            flag: "on"\n            mode: "0755"\n            y: "n"').replace('"deployment.company.com/change-request": "CR-2024-0156"', '"deployment.company.com/change-request": "CR-2024-0156"\n            window: "12:30"\n            budget: "1e3"\n            none: "~"\n            opt: "off"'));
    for (const file of [...ALL, tricky]) {
      const y = await run('release', 'build', file);
      const j = await run('release', 'build', file, '-o', 'json');
      expect(y.code, y.stderr).toBe(0);
      const items = JSON.parse(j.stdout).items;
      for (const version of ['1.1', '1.2'] as const) {
        const docs = y.stdout.split(/^---\n/m).filter(Boolean).map((d) => parse(d, { version }));
        expect(docs).toEqual(items);
      }
    }
    const out = (await run('release', 'build', tricky)).stdout;
    expect(out).toMatch(/^ {4}flag: "on"$/m);
    expect(out).toMatch(/^ {4}"y": "n"$/m);
    expect(out).toMatch(/^ {4}window: "12:30"$/m);
  });

  it('-o json prints a v1 List; --out-dir writes one file per object', async () => {
    const j = await run('release', 'build', rel('web-app-prod'), '-o', 'json');
    expect(j.code).toBe(0);
    const list = JSON.parse(j.stdout);
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    expect(list.items.map((o: any) => o.kind)).toContain('Deployment');
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-out-'));
    const w = await run('release', 'build', rel('web-app-prod'), '--out-dir', dir);
    expect(w.code).toBe(0);
    const files = readdirSync(path.join(dir, 'web-app-prod'));
    expect(files.length).toBe(list.items.length);
    expect(files.some((f) => /^\d\d-deployment-web-app-prod-web\.yaml$/.test(f))).toBe(true);
  });

  it('exits 1 with the validation message for a bad release, 2 for a usage error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opm-bad-'));
    const bad = path.join(dir, 'bad.cue');
    writeFileSync(bad, readFileSync(rel('web-app-prod'), 'utf8').replace('replicas: 5', 'replicas: 0'));
    const r = await run('release', 'build', bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/release web-app-prod: values\.replicas: 0/);
    expect((await run('release', 'build', rel('web-app-prod'), '-o', 'xml')).code).toBe(2);
    const missing = await run('release', 'build', path.join(dir, 'nope.cue'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.cue: no such release file/);
  });
});

describe('opm release vet / values', () => {
  it('vets all examples', async () => {
    const r = await run('release', 'vet', ...ALL);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('ok '))).toHaveLength(5);
  });

  // build checks a catalog module whole only once a render failed (core's moduleCheck 'on-failure'): an
  // error in a part of the module no output comes from is for vet to report, and build renders past it.
  it('vet refuses an error in the catalog module that build renders past', async () => {
    const catalog = mkdtempSync(path.join(tmpdir(), 'opm-cat-'));
    cpSync(path.join(REPO, 'examples/catalog'), catalog, { recursive: true });
    const mod = path.join(catalog, 'simple-web-app/1.0.0-platform.1/module.cue');
    writeFileSync(mod, readFileSync(mod, 'utf8').replace('#immutable: {', '_unused: 1 & 2\n\t#immutable: {'));
    const vet = await run('release', 'vet', '--catalog', catalog, rel('web-app-dev'));
    expect(vet.code).toBe(1);
    expect(vet.stderr).toMatch(/module simple-web-app 1\.0\.0-platform\.1: module\._unused\S*: conflicting values 1 and 2/);
    const build = await run('release', 'build', '--catalog', catalog, rel('web-app-dev'));
    expect(build.code).toBe(0);
    expect(build.stdout).toBe((await run('release', 'build', rel('web-app-dev'))).stdout);
  });

  it('prints final values with secrets masked, and explains their origin', async () => {
    const v = await run('release', 'values', rel('ecommerce-staging'), '-o', 'json');
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout).database.password).toBe('<secret>');
    const x = await run('release', 'values', rel('ecommerce-staging'), '--explain');
    expect(x.code).toBe(0);
    expect(x.stdout).toMatch(/^database\.password = "<secret>" +# release ecommerce-staging \(.*ecommerce-staging\.cue:\d+\)$/m);
    expect(x.stdout).toMatch(/^database\.storage\.class = "encrypted-ssd" +# locked by module ecommerce-platform 2\.1\.0-enterprise\.3/m);
    expect(x.stdout).toMatch(/^caching\.enabled = true +# definition ecommerce-platform 2\.1\.0 default/m);
    for (const pw of PASSWORDS) expect(x.stdout).not.toContain(pw);
  });
});

describe('opm catalog', () => {
  it('lists modules and versions', async () => {
    const r = await run('catalog', 'list', '-o', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).modules).toEqual([
      { name: 'ecommerce-platform', versions: ['2.1.0-enterprise.3'] },
      { name: 'simple-web-app', versions: ['1.0.0-platform.1'] },
    ]);
  });

  it('shows a module: schema with defaults, immutable and secret values', async () => {
    const r = await run('catalog', 'show', 'ecommerce-platform');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}database\.password: .*# .*secret/m);
    expect(r.stdout).toMatch(/^ {2}platform\.compliance\.pciDss: .*IMMUTABLE true/m);
    const j = JSON.parse((await run('catalog', 'show', 'simple-web-app:1.0.0-platform.1', '-o', 'json')).stdout);
    expect(j.values.find((v: any) => v.path === 'replicas')).toMatchObject({ default: 1, platformDefault: 2 });
    const missing = await run('catalog', 'show', 'simple-web-app:3.0.0');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/available: 1\.0\.0-platform\.1/);
  });
});

describe('opm mod', () => {
  const dir = path.join(REPO, 'examples/catalog/simple-web-app/1.0.0-platform.1');
  it('vets a module directory', async () => {
    const r = await run('mod', 'vet', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ok .* module simple-web-app 1\.0\.0-platform\.1/);
  });

  it('an author build applies platform rules only when given (--platform, --catalog, or the catalog DIR lies in)', async () => {
    const tmp = path.join(mkdtempSync(path.join(tmpdir(), 'opm-author-')), 'web');
    mkdirSync(tmp);
    writeFileSync(
      path.join(tmp, 'definition.cue'),
      'package web\n\nimport core "core.opm.dev/v1"\n\n#Definition: {\n\tcore.#ModuleDefinition\n\t#metadata: {name: "web", version: "1.0.0"}\n\tvalues: {}\n\t#context: _\n\tcomponents: web: workload: containers: web: {image: "docker.io/library/nginx:1", resources: limits: {cpu: "100m", memory: "64Mi"}}\n}\n',
    );
    const alone = await run('mod', 'vet', tmp);
    expect(alone.code).toBe(0);
    expect(alone.stderr).toContain('opm: warning: no platform rules applied: none were given');
    const withRules = await run('mod', 'vet', tmp, '--platform', path.join(REPO, 'examples/catalog/platform.cue'));
    expect(withRules.code).toBe(1);
    expect(withRules.stderr).toMatch(/image docker\.io\/library\/nginx:1 is not from an allowed registry/);
    expect((await run('mod', 'vet', tmp, '--catalog', path.join(REPO, 'examples/catalog'))).code).toBe(1);
    const built = await run('mod', 'build', tmp);
    expect(built.code).toBe(0);
    expect(built.stderr).toContain('no platform rules applied');
  });

  it('builds a module directory with a values file', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'opm-mod-'));
    const values = path.join(tmp, 'values.yaml');
    writeFileSync(values, 'replicas: 3\nimage:\n  tag: v9\n');
    const r = await run('mod', 'build', dir, '-f', values, '-n', 'dev-test');
    expect(r.code).toBe(0);
    const dep = parseAllDocuments(r.stdout).map((d) => d.toJS()).find((o) => o.kind === 'Deployment');
    expect(dep.spec.replicas).toBe(3);
    expect(dep.metadata.namespace).toBe('dev-test');
    expect(dep.spec.template.spec.containers[0].image).toBe('registry.company.com/frontend/web-app:v9');
  });
});
