// The browser entry of @opm/core, fed a catalog snapshot that went through
// JSON, gives the same errors as `opm release vet` (layer, path, constraint;
// secrets masked) for the same release: what the portal shows next to a field
// is what the CLI would print.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DirectoryCatalog, catalogSnapshot, renderRelease, shippedFromDisk } from '@opm/core';
import { parseCatalogSnapshot, snapshotSession, validateRelease, validateValues, type Session } from '@opm/core/browser';
import { run } from './run-opm.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CATALOG = path.join(REPO, 'examples/catalog');
const example = (n: string) => readFileSync(path.join(REPO, 'examples/releases', `${n}.cue`), 'utf8');

function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture edit: ${JSON.stringify(from)} not found`);
  return text.replace(from, to);
}

// Each a release the CLI refuses, for a different reason.
const BAD: { name: string; text: () => string; render?: boolean }[] = [
  { name: 'bound', text: () => edit(example('web-app-prod'), 'replicas: 5', 'replicas: 0') },
  { name: 'enum', text: () => edit(example('web-app-prod'), 'environment: "production"\n\n        platform', 'environment: "qa"\n\n        platform') },
  { name: 'pattern', text: () => edit(example('web-app-prod'), 'tag: "v1.0.0"', 'tag: "-bad tag"') },
  { name: 'unknown-field', text: () => edit(example('web-app-prod'), 'replicas: 5', 'replicas: 5\n        replicaz: 3') },
  { name: 'module-lock', text: () => edit(example('ecommerce-tenant-acme'), 'pciDss: true', 'pciDss: false') },
  { name: 'environment-lock', text: () => edit(example('ecommerce-tenant-acme'), 'networkPolicies: true', 'networkPolicies: false') },
  { name: 'secret-pattern', text: () => edit(example('ecommerce-tenant-acme'), 'password: "tenant-acme-secure-password-789"', 'password: "tooshort"') },
  { name: 'missing-required', text: () => edit(example('ecommerce-tenant-acme'), 'host: "acme.ecommerce.company.com"', 'className: "nginx"') },
  { name: 'ceiling (policy)', text: () => edit(example('ecommerce-tenant-acme'), 'replicas: 4', 'replicas: 12'), render: true },
  { name: 'required label (policy)', text: () => edit(example('web-app-prod'), 'team: "frontend"', 'squad: "frontend"'), render: true },
];

let browser: Session;
let dir: string;

beforeAll(async () => {
  // What a server sends: the snapshot as JSON text, parsed and checked on arrival.
  const json = JSON.stringify(await catalogSnapshot(new DirectoryCatalog(CATALOG), shippedFromDisk));
  browser = snapshotSession(parseCatalogSnapshot(JSON.parse(json)));
  dir = mkdtempSync(path.join(tmpdir(), 'opm-vet-browser-'));
});

describe('the browser entry gives the errors of opm release vet', () => {
  it.each(BAD)('$name', async ({ name, text, render }) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.cue`);
    const src = text();
    writeFileSync(file, src);
    const cli = await run(['release', 'vet', '-o', 'json', '--catalog', CATALOG, file]);
    expect(cli.code).toBe(1);
    const [row] = JSON.parse(cli.stdout) as { ok: boolean; errors: string[] }[];
    expect(row!.ok).toBe(false);

    const got = await validateRelease(browser, { file, text: src }, { render: !!render });
    expect(got.ok).toBe(false);
    expect(got.errors).toEqual(row!.errors);
    // Secrets never appear, whichever path produced the message.
    expect(got.errors.join('\n')).not.toContain('tooshort');
  });

  it('names the values path of each error so a form can show it next to the field', async () => {
    const src = edit(example('web-app-prod'), 'replicas: 5', 'replicas: 0');
    const got = await validateRelease(browser, { file: '/x/web.cue', text: src });
    expect(got.issues).toEqual([{ message: expect.stringContaining('values.replicas: 0: invalid value 0 (out of bound >=1)'), path: ['replicas'] }]);
    expect(got.errors[0]).toContain('set at /x/web.cue:');
  });

  it('values given as data (a form) get the errors the Node entry gives for the same release parts', async () => {
    const parts = {
      name: 'acme',
      namespace: 'tenant-acme',
      module: { name: 'ecommerce-platform', version: '2.1.0-enterprise.3' },
      labels: { tenant: 'acme', tier: 'premium', environment: 'production' },
      annotations: { 'tenant.company.com/customer-id': 'c-1' },
      userValues: { environment: 'production', ingress: { host: 'acme.example.com' }, database: { password: 'pw-tiny' }, frontend: { replicas: 99 }, platform: { backup: { enabled: false } } },
    };
    const node = await renderRelease(parts, { catalog: CATALOG }).then(
      () => [] as string[],
      (e: Error) => e.message.split('\n'),
    );
    const got = await validateValues(browser, parts);
    expect(node.length).toBeGreaterThan(1);
    expect(got.errors).toEqual(node);
    expect(got.errors.join('\n')).not.toContain('pw-tiny');
    expect(got.issues.map((i) => i.path?.join('.'))).toEqual(expect.arrayContaining(['frontend.replicas', 'database.password', 'platform.backup.enabled']));
  });

  it('a valid release passes, with its final values masked', async () => {
    const got = await validateRelease(browser, { file: 'acme.cue', text: example('ecommerce-tenant-acme') }, { render: true });
    expect(got).toMatchObject({ ok: true, errors: [] });
    expect(got.objects).toBeGreaterThan(10);
    expect((got.finalValues as { database: { password: string } }).database.password).toBe('<secret>');
  });
});
