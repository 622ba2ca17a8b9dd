// The web app in a real Chromium (Debian's /usr/bin/chromium driven by
// playwright-core; no browser is downloaded), against a portal on 127.0.0.1
// and the in-process test API server. Screenshots of each page go to
// packages/portal/test-artifacts/ (git-ignored).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { startEnv, stopEnv, type Env } from './helpers.js';

export const CHROMIUM = process.env.OPM_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

let env: Env;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (scripts/test-prereqs.js installs it)`);
  // The app is served from the bundle: build it from the current sources.
  const b = spawnSync(process.execPath, ['scripts/bundle-portal.js'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (b.status !== 0) throw new Error(`bundle-portal failed: ${b.stderr}`);
  mkdirSync(ARTIFACTS, { recursive: true });
  env = await startEnv();
  await env.admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'development' } });
  await env.api.settle();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'], timeout: 60_000 });
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.setDefaultTimeout(30_000);
  page.on('dialog', (d) => void d.accept());
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stopEnv(env);
});

const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });

describe('portal in Chromium', () => {
  it('refuses the page without the token (401) and signs in with it', async () => {
    const denied = await page.goto(env.base);
    expect(denied?.status()).toBe(401);
    const ok = await page.goto(env.url);
    expect(ok?.status()).toBe(200);
    expect(new URL(page.url()).searchParams.get('token')).toBeNull();
    await page.getByRole('heading', { name: 'Catalog' }).waitFor();
    await page.getByRole('heading', { name: 'simple-web-app' }).waitFor();
    await shot('01-catalog');
  });

  it('validates the form in the browser: an out-of-bounds replicas shows its error next to the field with no request', async () => {
    await page.getByRole('link', { name: 'simple-web-app 1.0.0-platform.1' }).click();
    await page.getByRole('heading', { name: 'New release' }).waitFor();
    await page.getByLabel('Release name').fill('shop');
    // The namespaces offered are those GET /api/namespaces allows (RBAC-checked), never a pattern such as dev-*.
    await expect.poll(() => page.locator('#namespaces option').evaluateAll((os) => os.map((o) => o.getAttribute('value') ?? ''))).toContain('development');
    const offered = await page.locator('#namespaces option').evaluateAll((os) => os.map((o) => o.getAttribute('value') ?? ''));
    expect(offered).toEqual(expect.arrayContaining(['development', 'staging', 'production']));
    expect(offered.some((n) => n.includes('*'))).toBe(false);
    // dev-nope matches the pattern dev-* but is no namespace of the cluster: refused at once.
    await page.getByLabel('Namespace').fill('dev-nope');
    await expect.poll(() => page.locator('#release-namespace-error').textContent()).toContain('namespace dev-nope is not one you may create a release in');
    // A namespace of the staging environment: that environment's locks become read-only inputs.
    const backup = page.locator('[name="platform.backup.enabled"]');
    expect(await backup.getAttribute('type')).toBe('checkbox');
    await page.getByLabel('Namespace').fill('staging');
    await expect.poll(() => backup.getAttribute('readonly')).not.toBeNull();
    expect(await backup.inputValue()).toBe('true');
    expect(await page.locator(`#${await backup.getAttribute('id')}-hint`).textContent()).toMatch(/locked by platform environment staging/);
    const devSchema = page.waitForResponse((r) => r.url().includes('namespace=development'));
    await page.getByLabel('Namespace').fill('development');
    await devSchema;
    await expect.poll(() => backup.getAttribute('type')).toBe('checkbox');
    await page.getByLabel('label team').fill('frontend');
    await page.getByLabel('label owner').fill('jane');
    const requests: Request[] = [];
    const record = (r: Request) => requests.push(r);
    page.on('request', record);
    await page.getByLabel('replicas', { exact: true }).fill('25');
    const error = page.locator('#f-replicas-error');
    await error.waitFor();
    page.off('request', record);
    expect(await error.textContent()).toMatch(/values\.replicas: 25: .*<=20/);
    expect(await page.getByLabel('replicas', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#problems').textContent()).toMatch(/1 value to fix: release shop: values\.replicas: 25: /);
    expect(await page.getByRole('button', { name: 'Deploy' }).isDisabled()).toBe(true);
    expect(requests.map((r) => r.url())).toEqual([]);
    await page.getByLabel('replicas', { exact: true }).scrollIntoViewIfNeeded();
    await shot('02-form-validation-error');
  });

  it("checks the platform's object policy in the browser too: a replicas over the environment's ceiling, with the CLI's message and no request", async () => {
    const requests: Request[] = [];
    const record = (r: Request) => requests.push(r);
    page.on('request', record);
    // 5 passes the module's bounds (<=20) but not the development ceiling (3): only a render finds it.
    await page.getByLabel('replicas', { exact: true }).fill('5');
    await expect.poll(() => page.locator('#f-replicas-error').count()).toBe(0);
    const policy = page.locator('#policy-problems');
    await expect.poll(() => policy.textContent(), { timeout: 30_000 }).toContain('replicas 5 exceeds the development ceiling 3');
    page.off('request', record);
    expect(await policy.textContent()).toContain('release shop: 1 policy violation:');
    expect(await page.getByRole('button', { name: 'Deploy' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Preview' }).isDisabled()).toBe(true);
    expect(requests.map((r) => r.url())).toEqual([]);
    await policy.scrollIntoViewIfNeeded();
    await shot('02b-form-policy-violation');
  });

  it('previews and deploys to the test API server; the release turns Ready', async () => {
    await page.getByLabel('replicas', { exact: true }).fill('2');
    await expect.poll(() => page.locator('#f-replicas-error').count()).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: 'Preview' }).isEnabled(), { timeout: 30_000 }).toBe(true);
    expect(await page.locator('#policy-problems').textContent()).not.toContain('policy violation');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('#manifests').waitFor();
    expect(await page.locator('#manifests').textContent()).toContain('kind: Deployment');
    expect(await page.locator('#release-file').textContent()).toContain('#ModuleRelease & {');
    await shot('03-preview');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.locator('#outcome').waitFor();
    expect(await page.locator('#outcome').textContent()).toContain('Release shop deployed (revision 1)');
    await page.getByRole('link', { name: 'Open release shop' }).click();
    await expect.poll(() => page.locator('#health').textContent(), { timeout: 30_000 }).toBe('Ready');
    const dep = (await env.admin.get({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'development', name: 'shop-web' })) as unknown as { spec: { replicas: number } };
    expect(dep.spec.replicas).toBe(2);
    await shot('04-release-ready');
    await page.getByRole('link', { name: 'Releases' }).click();
    await page.getByRole('link', { name: 'shop' }).waitFor();
    await shot('05-releases');
    await page.getByRole('link', { name: 'shop' }).click();
    await expect.poll(() => page.locator('#health').textContent()).toBe('Ready');
  });

  it('edits the release: the form comes filled with its values and labels', async () => {
    await page.getByRole('link', { name: 'Edit values' }).click();
    await page.getByRole('heading', { name: 'Edit release shop' }).waitFor();
    expect(await page.getByLabel('replicas', { exact: true }).inputValue()).toBe('2');
    expect(await page.getByLabel('label team').inputValue()).toBe('frontend');
    expect(await page.getByLabel('Release name').getAttribute('readonly')).not.toBeNull();
    await page.getByLabel('tag', { exact: true }).fill('2.0.0');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.locator('#outcome').waitFor();
    expect(await page.locator('#outcome').textContent()).toContain('Release shop deployed (revision 2)');
    const dep = (await env.admin.get({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'development', name: 'shop-web' })) as unknown as { spec: { template: { spec: { containers: { image: string }[] } } } };
    expect(dep.spec.template.spec.containers[0]!.image).toMatch(/:2\.0\.0$/);
    await page.getByRole('link', { name: 'Open release shop' }).click();
    await expect.poll(() => page.locator('#revision').textContent()).toBe('2');
  });

  it('scales, rolls back and deletes, each confirmed', async () => {
    await page.getByLabel('Replicas').fill('3');
    await page.getByRole('button', { name: 'Scale' }).click();
    await expect.poll(() => page.locator('#action-log').textContent(), { timeout: 30_000 }).toContain('scale: done');
    await expect.poll(() => page.locator('#revision').textContent()).toBe('3');
    const dep = () => env.admin.get({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'development', name: 'shop-web' }) as Promise<{ spec: { replicas: number } } | undefined>;
    expect((await dep())!.spec.replicas).toBe(3);
    await page.getByRole('button', { name: 'Roll back' }).click();
    await expect.poll(() => page.locator('#action-log').textContent(), { timeout: 30_000 }).toContain('rollback: done');
    await expect.poll(() => page.locator('#revision').textContent()).toBe('4');
    expect((await dep())!.spec.replicas).toBe(2);
    await page.getByLabel('Diff from revision').selectOption('2');
    await page.getByLabel('Diff to revision').selectOption('3');
    await page.getByRole('button', { name: 'Diff' }).click();
    await page.locator('#diff').waitFor();
    expect(await page.locator('#diff').textContent()).toMatch(/-\s+replicas: 2\n\+\s+replicas: 3/);
    await shot('06-history-diff');
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.locator('#release-gone').waitFor({ timeout: 30_000 });
    expect(await dep()).toBeUndefined();
    await shot('07-deleted');
  });
});
