// Runs code in a page of Debian's Chromium (/usr/bin/chromium, or
// OPM_CHROMIUM) driven by playwright-core, with files served from
// 127.0.0.1: how the browser bundle of @opm/core is tested and benchmarked
// in a real browser. No browser download; nothing leaves localhost (any other
// request is refused and recorded).
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:http';

export const CHROMIUM = process.env.OPM_CHROMIUM ?? '/usr/bin/chromium';

/** Whether the Chromium executable is there (the test prerequisites install Debian's package). */
export function chromiumAvailable() {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Serves `files` (path → {type, body}) on 127.0.0.1, opens `/` in headless
 * Chromium and hands the page to `fn`. Everything is closed afterwards, and
 * every wait is bounded by `timeoutMs`.
 */
export async function withChromiumPage(files, fn, { timeoutMs = 120_000 } = {}) {
  const { chromium } = await import('playwright-core');
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(req.url);
    const f = files[req.url ?? ''];
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': f.type, 'cache-control': 'no-store' }).end(f.body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: timeoutMs, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const offsite = [];
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(timeoutMs);
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith(`${origin}/`)) return route.continue();
      offsite.push(route.request().url());
      return route.abort();
    });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/`, { timeout: timeoutMs });
    return await fn(page, { origin, requests, offsite, errors });
  } finally {
    await browser.close().catch(() => {});
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * A page that loads `/bundle.js` as an ES module and exposes it as
 * `window.opm`, then sets `window.opmReady` and `window.opmReadyAt` (ms
 * since navigation start).
 */
export const MODULE_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>opm core in the browser</title></head><body>
<script type="module">import * as opm from '/bundle.js'; window.opm = opm; window.opmReadyAt = performance.now(); window.opmReady = true;</script></body></html>`;
