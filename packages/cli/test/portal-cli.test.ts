// `opm portal` as a user runs it: prints a one-time token URL on 127.0.0.1,
// the URL signs in (303 + session cookie), the API refuses requests without
// it, and SIGTERM stops the process cleanly. Refuses a non-local address in local mode.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { run } from './run-opm.js';

const root = resolve(__dirname, '../../..');
let api: TestApiServer;

beforeAll(async () => {
  api = await startTestApiServer();
});
afterAll(() => api.close());

describe('opm portal', () => {
  it('prints a token URL on 127.0.0.1 that signs in once, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [resolve(root, 'packages/cli/bin/opm.js'), 'portal', '--port', '0', '--kubeconfig', api.kubeconfigPath, '--catalog', resolve(root, 'examples/catalog')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      let out = '';
      const url = await new Promise<string>((resolveUrl, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 60_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolveUrl(m[1]!);
          }
        });
      });
      expect((await fetch(new URL('/api/catalog', url))).status).toBe(401);
      const login = await fetch(url, { redirect: 'manual' });
      expect(login.status).toBe(303);
      const cookie = login.headers.get('set-cookie')!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      const cat = await fetch(new URL('/api/catalog', url), { headers: { cookie: cookie.split(';')[0]! } });
      expect(cat.status).toBe(200);
      expect(((await cat.json()) as { modules: { name: string }[] }).modules.map((m) => m.name)).toContain('simple-web-app');
      expect((await fetch(url, { redirect: 'manual' })).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses to listen beyond 127.0.0.1 in local mode', async () => {
    const r = await run(['portal', '--address', '0.0.0.0', '--kubeconfig', api.kubeconfigPath]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/127\.0\.0\.1 only/);
  });

  it('takes the groups header only with the user header of an authenticating proxy', async () => {
    const r = await run(['portal', '--in-cluster', '--auth-proxy-groups-header', 'X-Forwarded-Groups', '--kubeconfig', api.kubeconfigPath]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--auth-proxy-groups-header needs --auth-proxy-header/);
  });
});
