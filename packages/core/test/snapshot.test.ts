// A catalog snapshot goes to browsers: it must name no path of the machine
// that made it, and a session over it must still give the CLI's messages.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DirectoryCatalog, Session, catalogSnapshot, shippedFromDisk, validateValues, type ReleaseParts } from '../src/index.js';
import { parseCatalogSnapshot, snapshotSession } from '../src/browser.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CATALOG = path.join(REPO, 'examples/catalog');

describe('catalogSnapshot', () => {
  it('holds no absolute path: catalog files relative to the catalog, opm files under opm/', async () => {
    const snap = await catalogSnapshot(new DirectoryCatalog(CATALOG), shippedFromDisk);
    const json = JSON.stringify(snap);
    expect(json).not.toContain(REPO);
    expect(json).not.toContain(REPO.replace(/\/$/, ''));
    const names = [...snap.core.schema, ...snap.core.kubernetesProvider, ...(snap.platform ?? []), ...snap.providers.flat(), ...snap.modules.flatMap((m) => m.files)].map((f) => f.filename);
    for (const n of names) expect(n).not.toMatch(/^(\/|[A-Za-z]:)/);
    expect(snap.location).toBe('catalog');
    expect(snap.platform!.map((f) => f.filename)).toEqual(['platform.cue']);
    const web = snap.modules.find((m) => m.name === 'simple-web-app' && m.version === '1.0.0-platform.1')!;
    expect(web.files.map((f) => f.filename).sort()).toEqual(['simple-web-app/1.0.0-platform.1/definition.cue', 'simple-web-app/1.0.0-platform.1/module.cue']);
    expect(snap.core.schema.every((f) => f.filename.startsWith('opm/schema/'))).toBe(true);
    expect(snap.core.kubernetesProvider.every((f) => f.filename.startsWith('opm/providers/kubernetes/'))).toBe(true);
  });

  it('gives the same validation and policy messages as the directory catalog', async () => {
    const mod = { name: 'ecommerce-platform', version: '2.1.0-enterprise.3' };
    const parts: ReleaseParts = {
      name: 'acme',
      namespace: 'tenant-acme',
      module: mod,
      labels: { tenant: 'acme', tier: 'premium', environment: 'production' },
      annotations: { 'tenant.company.com/customer-id': 'c-1' },
      userValues: { environment: 'production', ingress: { host: 'acme.example.com' }, database: { password: 'a-long-enough-password' }, frontend: { replicas: 0 }, platform: { networking: { networkPolicies: false } } },
    };
    const node = new Session({ catalog: new DirectoryCatalog(CATALOG) });
    const browser = snapshotSession(parseCatalogSnapshot(JSON.parse(JSON.stringify(await catalogSnapshot(new DirectoryCatalog(CATALOG), shippedFromDisk, { modules: [mod] })))));
    const want = await validateValues(node, parts);
    expect(want.ok).toBe(false);
    expect((await validateValues(browser, parts)).errors).toEqual(want.errors);
    const over = { ...parts, userValues: { ...parts.userValues, frontend: { replicas: 2 }, platform: {}, backend: { replicas: 12 } } };
    const wantPolicy = await validateValues(node, over, { render: true });
    expect(wantPolicy.errors.join('\n')).toMatch(/policy violation/);
    expect((await validateValues(browser, over, { render: true })).errors).toEqual(wantPolicy.errors);
  });
});
