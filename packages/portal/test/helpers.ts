// Fixtures of the portal tests: a test API server, a portal on 127.0.0.1
// (local mode unless told), and a small client that signs in with the
// one-time token and sends the CSRF header.
import { fileURLToPath } from 'node:url';
import { KubeClient, loadKubeConfig } from '@opm/kube';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { Portal, type PortalOptions } from '../src/portal.js';

export const CATALOG = fileURLToPath(new URL('../../../examples/catalog', import.meta.url));

export interface Env {
  api: TestApiServer;
  admin: KubeClient;
  portal: Portal;
  url: string;
  base: string;
}

export async function startEnv(extra: Partial<PortalOptions> = {}, apiOpts: Parameters<typeof startTestApiServer>[0] = { controllers: true }): Promise<Env> {
  const api = await startTestApiServer(apiOpts);
  const kube = loadKubeConfig({ kubeconfig: api.kubeconfigPath });
  const admin = new KubeClient(kube);
  const portal = new Portal({ kube, catalog: CATALOG, port: 0, timeoutMs: 30_000, log: () => {}, ...extra });
  const { url } = await portal.start();
  return { api, admin, portal, url, base: new URL('/', url).href };
}

export async function stopEnv(env: Env | undefined): Promise<void> {
  await env?.portal.close();
  await env?.api.close();
}

/** A signed-in caller: the cookie from the token URL and the CSRF token from /api/session. */
export class Caller {
  cookie = '';
  csrf = '';
  constructor(
    readonly base: string,
    readonly headers: Record<string, string> = {},
  ) {}

  static async signIn(env: Env): Promise<Caller> {
    const c = new Caller(env.base);
    const r = await fetch(env.url, { redirect: 'manual' });
    if (r.status !== 303) throw new Error(`token URL answered ${r.status}`);
    c.cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
    c.csrf = ((await (await c.get('/api/session')).json()) as { csrf: string }).csrf;
    return c;
  }

  get(path: string): Promise<Response> {
    return fetch(new URL(path, this.base), { headers: { cookie: this.cookie, ...this.headers } });
  }

  send(method: string, path: string, body?: unknown, csrf = true): Promise<Response> {
    return fetch(new URL(path, this.base), {
      method,
      headers: { cookie: this.cookie, 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': this.csrf } : {}), ...this.headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  async json<T = any>(method: string, path: string, body?: unknown, expect = 200): Promise<T> {
    const r = method === 'GET' ? await this.get(path) : await this.send(method, path, body);
    const data = (await r.json()) as T;
    if (r.status !== expect) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(data)}`);
    return data;
  }

  /** Follows an operation's event stream to its end. */
  async finish(id: string): Promise<{ state: string; error?: string; result?: any; lines: string[] }> {
    const r = await this.get(`/api/operations/${id}/events`);
    if (r.status !== 200) throw new Error(`operation events: ${r.status}`);
    const text = await r.text();
    const end = text.split('\n\n').find((f) => f.startsWith('event: end'));
    if (!end) throw new Error(`operation stream ended without an end event: ${text}`);
    return JSON.parse(end.slice(end.indexOf('data: ') + 6));
  }
}

export function webAppForm(name: string, namespace: string, values: Record<string, unknown> = {}) {
  return {
    name,
    namespace,
    module: 'simple-web-app',
    version: '1.0.0-platform.1',
    labels: { environment: 'development', team: 'frontend', owner: 'jane' },
    values: { replicas: 1, environment: 'development', image: { tag: '1.2.3' }, ...values },
  };
}
