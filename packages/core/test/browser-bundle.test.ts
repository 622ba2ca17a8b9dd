// The browser bundle of @opm/core (scripts/bundle-browser.js) in a real
// Chromium: it loads with no Node built-ins, takes a catalog snapshot sent as
// JSON, and gives the same validation errors and schema tree as the Node
// entry. Needs /usr/bin/chromium (installed by the test prerequisites) and
// the compiled packages (npm test runs tsc -b first).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleBrowser } from '../../../scripts/bundle-browser.js';
import { CHROMIUM, MODULE_PAGE, chromiumAvailable, withChromiumPage } from '../../../scripts/chromium-page.js';
import { DirectoryCatalog, Session, catalogSnapshot, schemaTree, shippedFromDisk, validateValues, type ReleaseParts } from '../src/index.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CATALOG = path.join(REPO, 'examples/catalog');

const ECOMMERCE = { name: 'ecommerce-platform', version: '2.1.0-enterprise.3' };
const base: ReleaseParts = {
  name: 'acme',
  namespace: 'tenant-acme',
  module: ECOMMERCE,
  labels: { tenant: 'acme', tier: 'premium', environment: 'production' },
  annotations: { 'tenant.company.com/customer-id': 'c-1' },
  userValues: { environment: 'production', ingress: { host: 'acme.example.com' }, database: { password: 'a-long-enough-password' } },
};
const CASES: { name: string; values: Record<string, unknown>; render?: boolean }[] = [
  { name: 'valid', values: {} },
  { name: 'out of bounds', values: { frontend: { replicas: 0 }, database: { maxConnections: 5000 } } },
  { name: 'secret too short', values: { database: { password: 'pw-tiny' } } },
  { name: 'not in the enum', values: { platform: { monitoring: { level: 'extreme' } } } },
  { name: 'locked by the environment', values: { platform: { networking: { networkPolicies: false } } } },
  { name: 'over the ceiling (render)', values: { backend: { replicas: 12 } }, render: true },
];
const parts = (values: Record<string, unknown>): ReleaseParts => ({ ...base, userValues: { ...base.userValues, ...values } });

let bundle: string;
let snapshotJson: string;

beforeAll(async () => {
  if (!chromiumAvailable()) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (npm test's prerequisites do it as root)`);
  bundle = await bundleBrowser(path.join(mkdtempSync(path.join(tmpdir(), 'opm-browser-')), 'opm-core.browser.js'));
  snapshotJson = JSON.stringify(await catalogSnapshot(new DirectoryCatalog(CATALOG), shippedFromDisk, { modules: [ECOMMERCE] }));
}, 120_000);

describe('the browser bundle in Chromium', () => {
  // Twelve validations (six in Node, six in Chromium) and a browser start take longer than the
  // default 30 s on a loaded machine.
  it('validates and describes values as the Node entry does, with no request leaving localhost', async () => {
    const node = new Session({ catalog: new DirectoryCatalog(CATALOG) });
    const expected = [];
    for (const c of CASES) expected.push(await validateValues(node, parts(c.values), { render: !!c.render }));
    const tree = await schemaTree(node, { module: ECOMMERCE, namespace: 'tenant-acme' });

    const files = {
      '/': { type: 'text/html', body: MODULE_PAGE },
      '/bundle.js': { type: 'text/javascript', body: readFileSync(bundle, 'utf8') },
      '/snapshot.json': { type: 'application/json', body: snapshotJson },
    };
    const got = await withChromiumPage(files, async (page, info) => {
      await page.waitForFunction(() => (globalThis as unknown as { opmReady?: boolean }).opmReady === true);
      const out = await page.evaluate(
        async ({ cases }) => {
          const opm = (globalThis as unknown as { opm: typeof import('../src/browser.js') }).opm;
          const snapshot = opm.parseCatalogSnapshot(await (await fetch('/snapshot.json')).json());
          const session = opm.snapshotSession(snapshot);
          const checks = [];
          for (const c of cases) checks.push(await opm.validateValues(session, c.parts, { render: c.render }));
          const tree = await opm.schemaTree(session, { module: cases[0]!.parts.module, namespace: 'tenant-acme' });
          return { checks, tree, hasBuffer: typeof (globalThis as { Buffer?: unknown }).Buffer, hasProcess: typeof (globalThis as { process?: unknown }).process };
        },
        { cases: CASES.map((c) => ({ parts: parts(c.values), render: !!c.render })) },
      );
      return { ...out, offsite: info.offsite, errors: info.errors, requests: info.requests };
    });

    expect(got.errors).toEqual([]);
    expect(got.offsite).toEqual([]);
    expect([got.hasBuffer, got.hasProcess]).toEqual(['undefined', 'undefined']);
    expect(got.requests).toEqual(['/', '/bundle.js', '/snapshot.json']);
    expect(got.checks).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(got.checks[0]!.ok).toBe(true);
    expect(got.checks.slice(1).every((c) => !c.ok && c.errors.length > 0)).toBe(true);
    expect(JSON.stringify(got.checks)).not.toContain('pw-tiny');
    expect(got.tree).toEqual(JSON.parse(JSON.stringify(tree)));
  }, 120_000);
});
