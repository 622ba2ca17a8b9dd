// @opm/core in the browser (issue 15): the size of the browser bundle
// (budget: 600 KB gzip, CUE engine included) and the time of one warm
// validation of the ecommerce-platform example release's values (target:
// under 16 ms, one frame), measured in Debian's Chromium and, in the same run,
// in Node (the same bundle, and the compiled modules the CLI uses) for comparison.
/* global window, fetch -- the functions given to page.evaluate run in the page */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { bundleBrowser } from '../scripts/bundle-browser.js';
import { CHROMIUM, MODULE_PAGE, chromiumAvailable, withChromiumPage } from '../scripts/chromium-page.js';
import { fmt } from './lib.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const BUDGET_GZIP = 600 * 1024;
const TARGET_MS = 16;
const ITERATIONS = 100;

const bundleFile = await bundleBrowser();
const code = readFileSync(bundleFile);
const gz = gzipSync(code, { level: 9 }).length;
console.log(`browser bundle: ${(code.length / 1024).toFixed(0)} KB minified, ${(gz / 1024).toFixed(0)} KB gzip (budget ${BUDGET_GZIP / 1024} KB: ${gz <= BUDGET_GZIP ? 'within' : 'OVER'})`);

// The release: the ecommerce-platform example for a tenant, as its parts (what the portal's form holds).
const core = await import('../packages/core/dist/index.js');
const nodeSession = new core.Session({ catalog: new core.DirectoryCatalog(join(root, 'examples/catalog')) });
const input = await core.readReleaseFile(nodeSession, join(root, 'examples/releases/ecommerce-tenant-acme.cue'));
const parts = { name: input.meta.name, namespace: input.meta.namespace, module: input.module, labels: input.meta.labels, annotations: input.meta.annotations, userValues: input.userValues };
const snapshot = await core.catalogSnapshot(nodeSession.catalog, core.shippedFromDisk, { modules: [input.module] });
const snapshotJson = JSON.stringify(snapshot);
console.log(`catalog snapshot (one module version, core schema, provider, platform): ${(snapshotJson.length / 1024).toFixed(0)} KB, ${(gzipSync(snapshotJson).length / 1024).toFixed(0)} KB gzip`);

/** Warm timings of the values check and of the full vet (render + policy), in whatever realm `opm` lives. */
async function timings(opm, snapshotText, p, iterations) {
  const stats = (xs) => {
    xs.sort((a, b) => a - b);
    return { median: xs[Math.floor(xs.length / 2)], p95: xs[Math.floor(xs.length * 0.95)], min: xs[0] };
  };
  const session = opm.snapshotSession(opm.parseCatalogSnapshot(JSON.parse(snapshotText)));
  let t0 = performance.now();
  const first = await opm.validateValues(session, p);
  const cold = performance.now() - t0;
  if (!first.ok) throw new Error(`the example release does not validate: ${first.errors.join('; ')}`);
  // valid: a new object each time with a new replica count, as a form hands over after every change;
  // invalid: replicas out of bounds (the error path: the layer check and its message).
  const run = async (opts, n, valid = true) => {
    const edit = (i) => ({ ...p, userValues: { ...p.userValues, frontend: { ...p.userValues.frontend, replicas: valid ? 1 + (i % 10) : -i } } });
    for (let i = 0; i < 5; i++) await opm.validateValues(session, edit(i), opts);
    const xs = [];
    for (let i = 0; i < n; i++) {
      const q = edit(i);
      t0 = performance.now();
      const r = await opm.validateValues(session, q, opts);
      xs.push(performance.now() - t0);
      if (r.ok !== valid) throw new Error(`expected ${valid ? 'no errors' : 'an error'}: ${r.errors.join('; ')}`);
    }
    return stats(xs);
  };
  const values = await run({}, iterations);
  const invalid = await run({}, iterations, false);
  const vet = await run({ render: true }, Math.max(5, iterations / 4));
  return { cold, values, invalid, vet };
}

const line = (label, r) =>
  `${label}: first ${fmt(r.cold)}; warm values check median ${fmt(r.values.median)} (p95 ${fmt(r.values.p95)}, min ${fmt(r.values.min)}); ` +
  `with an out-of-bounds value median ${fmt(r.invalid.median)} (p95 ${fmt(r.invalid.p95)}); full vet (render + policy) median ${fmt(r.vet.median)}`;

const nodeBundle = await timings(await import(pathToFileURL(bundleFile).href), snapshotJson, parts, ITERATIONS);
const nodeDist = await timings(core, snapshotJson, parts, ITERATIONS);

if (!chromiumAvailable()) {
  console.log(line('node (bundle)', nodeBundle));
  console.log(line('node (dist)', nodeDist));
  throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
}
const files = {
  '/': { type: 'text/html', body: MODULE_PAGE },
  '/bundle.js': { type: 'text/javascript', body: code },
  '/snapshot.json': { type: 'application/json', body: snapshotJson },
};
const inBrowser = await withChromiumPage(files, async (page, info) => {
  await page.waitForFunction(() => window.opmReady === true);
  const loadMs = await page.evaluate(() => window.opmReadyAt);
  const r = await page.evaluate(
    async ({ fnText, p, n }) => {
      const fn = new Function(`return (${fnText})`)();
      return fn(window.opm, await (await fetch('/snapshot.json')).text(), p, n);
    },
    { fnText: timings.toString(), p: parts, n: ITERATIONS },
  );
  if (info.errors.length || info.offsite.length) throw new Error(`page errors ${info.errors.join('; ')}; offsite requests ${info.offsite.join(', ')}`);
  return { ...r, loadMs };
});

// The page's own figures above; the peer measured in the same run is Node.
console.log(line('chromium (bundle)', inBrowser));
console.log(line('node (bundle)', nodeBundle));
console.log(line('node (dist, as the CLI)', nodeDist));
console.log(`chromium / node (bundle), warm values check: ${(inBrowser.values.median / nodeBundle.values.median).toFixed(2)}x; bundle loaded and evaluated ${fmt(inBrowser.loadMs)} after navigation start`);
const met = inBrowser.values.median < TARGET_MS && inBrowser.invalid.median < TARGET_MS;
console.log(`target: warm values check in Chromium < ${TARGET_MS} ms: ${met ? 'met' : 'NOT met'} (median ${fmt(inBrowser.values.median)} valid, ${fmt(inBrowser.invalid.median)} with an error)`);
