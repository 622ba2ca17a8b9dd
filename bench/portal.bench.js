// The portal's web app in Chromium (Debian's /usr/bin/chromium via
// playwright-core): the bundle's size (gzip; budget 600 KB with the CUE
// engine), page load to interactive on localhost (the catalog listed; the
// ecommerce-platform release form built, its schema compiled), and the time
// of one in-browser validation of the seed's ecommerce-platform values
// (ecommerce-staging's, typed into the form; target < 16 ms, one frame, warm),
// read from the app's User Timing measures (@opm/core's browser entry,
// validateValues over the module's catalog snapshot). Peer in the same run:
// the same call in Node. Also the policy stage (a render in the browser) of
// the same release.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { fmt, measure } from './lib.js';

const root = fileURLToPath(new URL('..', import.meta.url));
// Its own copy of the bundle, so a test run building the package's at the same time does not interfere.
const assetsDir = mkdtempSync(join(tmpdir(), 'opm-portal-bench-'));
const b = spawnSync(process.execPath, ['scripts/bundle-portal.js', assetsDir], { cwd: root, encoding: 'utf8' });
if (b.status !== 0) throw new Error(b.stderr);
const size = (f) => {
  const raw = readFileSync(join(assetsDir, f));
  return { raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
};
const js = size('app.js');
const css = size('app.css');
console.log(`bundle app.js ${(js.raw / 1024).toFixed(0)} KB, gzip ${(js.gzip / 1024).toFixed(0)} KB (budget 600 KB); app.css gzip ${(css.gzip / 1024).toFixed(1)} KB`);

const { startTestApiServer } = await import('../packages/test-apiserver/dist/index.js');
const { loadKubeConfig } = await import('../packages/kube/dist/index.js');
const { Portal } = await import('../packages/portal/dist/index.js');
const { parseCatalogSnapshot, snapshotSession, validateValues } = await import('../packages/core/dist/browser.js');
const { chromium } = await import('playwright-core');

const api = await startTestApiServer();
const portal = new Portal({ kube: loadKubeConfig({ kubeconfig: api.kubeconfigPath }), catalog: `${root}examples/catalog`, port: 0, assetsDir, log: () => {} });
const { url } = await portal.start();
const browser = await chromium.launch({ executablePath: process.env.OPM_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const page = await browser.newPage();
  await page.goto(url);
  const base = new URL('/', url).href;
  const markAt = async (target, mark) => {
    await page.goto(target);
    await page.waitForFunction((m) => performance.getEntriesByName(m).length > 0, mark, { timeout: 60_000 });
    return page.evaluate((m) => performance.getEntriesByName(m)[0].startTime, mark);
  };
  const catalog = [];
  const form = [];
  const MODULE = `${base}#/modules/ecommerce-platform/2.1.0-enterprise.3`;
  for (let i = 0; i < 7; i++) {
    catalog.push(await markAt(`${base}?run=${i}`, 'opm:catalog-ready'));
    form.push(await markAt(`${MODULE.replace('#', `?run=${i}#`)}`, 'opm:form-ready'));
  }
  console.log(`page load to interactive (navigation start → mark, median of 7): catalog ${fmt(median(catalog))}, ecommerce-platform release form ${fmt(median(form))}`);

  // The staging release's values, typed into the form's inputs (each change validates once).
  const staging = {
    'frontend.image.tag': 'v2.1.1-rc.2', 'frontend.replicas': '2', 'backend.image.tag': 'v2.1.1-rc.2', 'backend.replicas': '2',
    'database.name': 'ecommerce_staging', 'database.user': 'ecommerce_staging_user', 'database.storage.size': '50Gi',
    'ingress.host': 'staging.ecommerce.company.com', 'platform.monitoring.retention': '30d', 'platform.backup.schedule': '0 4 * * *',
    'platform.backup.retention': '7d', 'platform.compliance.scanSchedule': '0 8 * * 1',
  };
  let typed = 0;
  for (const [path, v] of Object.entries(staging)) {
    const input = page.locator(`[name="${path}"]`);
    if ((await input.count()) === 0 || (await input.getAttribute('readonly')) !== null) continue;
    await input.fill(v);
    typed++;
  }
  await page.selectOption('[name="environment"]', 'staging').catch(() => {});
  await page.evaluate(() => performance.clearMeasures('opm:validate'));
  const N = 40;
  for (let i = 0; i < N; i++) await page.locator('[name="frontend.replicas"]').fill(String(2 + (i % 5)));
  const durations = await page.evaluate(() => performance.getEntriesByName('opm:validate').map((e) => e.duration));
  const warm = durations.slice(5).sort((a, b) => a - b);
  console.log(`in-browser validation of ecommerce-platform values (${typed} fields typed, ${warm.length} warm runs): median ${fmt(median(warm))}, p95 ${fmt(warm[Math.floor(warm.length * 0.95)])} (target < 16 ms)`);

  // The policy stage: with a namespace of an environment, the form renders the release in the browser
  // (object policy) once the values pass and typing pauses; each render is an `opm:policy` measure.
  // The release must pass the values stage first: its required secret too (typed, it stays in the page).
  await page.locator('[name="database.password"]').fill('a-long-enough-password');
  await page.getByLabel('Namespace').fill('staging');
  const policy = [];
  for (let i = 0; i < 5; i++) {
    await page.evaluate(() => performance.clearMeasures('opm:policy'));
    await page.locator('[name="frontend.replicas"]').fill(String(2 + (i % 2)));
    await page.waitForFunction(() => performance.getEntriesByName('opm:policy').length > 0, undefined, { timeout: 60_000 }).catch(async (e) => {
      throw new Error(`no policy check ran (the values stage must pass first): ${await page.locator('#problems').textContent()} ${e.message}`);
    });
    policy.push(await page.evaluate(() => performance.getEntriesByName('opm:policy')[0].duration));
  }
  console.log(`in-browser policy check (render + object policy) of the same release, median of 5: ${fmt(median(policy))} (runs 300 ms after typing pauses, not per keystroke)`);

  // Peer: the same validation (@opm/core's validateValues over the same snapshot) in Node.
  const snapshot = await (await page.context().request.get(`${base}api/catalog/ecommerce-platform/2.1.0-enterprise.3/snapshot`)).json();
  const session = snapshotSession(parseCatalogSnapshot(snapshot));
  const userValues = { frontend: { image: { tag: 'v2.1.1-rc.2' }, replicas: 3 }, backend: { image: { tag: 'v2.1.1-rc.2' }, replicas: 2 }, database: { name: 'ecommerce_staging', user: 'ecommerce_staging_user', storage: { size: '50Gi' } }, ingress: { host: 'staging.ecommerce.company.com' }, environment: 'staging' };
  const parts = { name: 'release', namespace: '', module: { name: 'ecommerce-platform', version: '2.1.0-enterprise.3' }, userValues, labels: {}, annotations: {} };
  const node = await measure(() => validateValues(session, parts), { warmup: 5, iterations: 40 });
  console.log(`peer, the same validation in Node: median ${fmt(node.median)}; browser/Node ${(median(warm) / node.median).toFixed(2)}x`);
} finally {
  await browser.close();
  await portal.close();
  await api.close();
  rmSync(assetsDir, { recursive: true, force: true });
}
