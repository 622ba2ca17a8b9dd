// The portal's process: one HTTP server for the web app and its JSON API
// (README.md lists every endpoint). Local mode binds 127.0.0.1 and prints a
// one-time token URL; cluster mode acts for each caller (auth.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openSession, type CatalogSource } from '@opm/core';
import { KubeClient, type ResolvedConfig } from '@opm/kube';
import { DEFAULT_ASSETS_DIR, serveAsset } from './assets.js';
import { ClusterAuth, LocalAuth, checkCsrf, type Authenticator, type Principal } from './auth.js';
import { PortalCatalog } from './catalog.js';
import type { Handler, PortalState } from './context.js';
import type { SessionInfo } from './api-types.js';
import { apiError } from './errors.js';
import { securityHeaders } from './headers.js';
import { HttpError, sendError, sendJson } from './http.js';
import { Operations } from './operations.js';
import { listCatalog, moduleSnapshot, showModule } from './api/catalog.js';
import { deploy, preview } from './api/render.js';
import { namespaces } from './api/namespaces.js';
import * as releases from './api/releases.js';
import { operatorInstalled } from './operator-deploy.js';

export interface PortalOptions {
  /** Default 127.0.0.1. */
  address?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Catalog directory (or a CatalogSource); default as `opm release build` chooses it. */
  catalog?: string | CatalogSource;
  /** The cluster: in local mode the portal's own credentials; in cluster mode only its server and CA. */
  kube: ResolvedConfig;
  /** Cluster mode: act for each caller (bearer token, or the user named by authProxyHeader). */
  inCluster?: boolean;
  authProxyHeader?: string;
  /** With authProxyHeader: the header holding the user's groups (comma-separated or repeated), impersonated too. */
  authProxyGroupsHeader?: string;
  assetsDir?: string;
  timeoutMs?: number;
  historyMax?: number;
  log?: (line: string) => void;
}

const NAME = '([a-z0-9][-a-z0-9]*)';
const VERSION = '([0-9A-Za-z.+-]+)';
const ID = '([A-Za-z0-9_-]+)';

type Route = [method: string, pattern: RegExp, handler: Handler];

const ROUTES: Route[] = [
  ['GET', /^\/api\/catalog$/, listCatalog],
  ['GET', new RegExp(`^/api/catalog/${NAME}/${VERSION}$`), showModule],
  ['GET', new RegExp(`^/api/catalog/${NAME}/${VERSION}/snapshot$`), moduleSnapshot],
  ['POST', /^\/api\/preview$/, preview],
  ['GET', /^\/api\/namespaces$/, namespaces],
  ['GET', /^\/api\/releases$/, releases.listAll],
  ['POST', /^\/api\/releases$/, deploy],
  ['GET', new RegExp(`^/api/releases/${NAME}/${NAME}$`), releases.detail],
  ['DELETE', new RegExp(`^/api/releases/${NAME}/${NAME}$`), releases.remove],
  ['GET', new RegExp(`^/api/releases/${NAME}/${NAME}/events$`), releases.events],
  ['GET', new RegExp(`^/api/releases/${NAME}/${NAME}/history$`), releases.history],
  ['GET', new RegExp(`^/api/releases/${NAME}/${NAME}/diff$`), releases.diff],
  ['POST', new RegExp(`^/api/releases/${NAME}/${NAME}/rollback$`), releases.rollback],
  ['POST', new RegExp(`^/api/releases/${NAME}/${NAME}/scale$`), releases.scale],
  ['GET', new RegExp(`^/api/operations/${ID}$`), releases.operation],
  ['GET', new RegExp(`^/api/operations/${ID}/events$`), releases.operationEvents],
];

export class Portal {
  private server?: Server;
  private readonly auth: Authenticator;
  private state?: PortalState;
  private readonly assetsDir: string;
  private readonly log: (line: string) => void;

  constructor(private readonly opts: PortalOptions) {
    this.log = opts.log ?? ((l) => process.stderr.write(`${l}\n`));
    this.assetsDir = opts.assetsDir ?? DEFAULT_ASSETS_DIR;
    this.auth = opts.inCluster
      ? new ClusterAuth({ base: opts.kube, ...(opts.authProxyHeader ? { proxyHeader: opts.authProxyHeader } : {}), ...(opts.authProxyGroupsHeader ? { groupsHeader: opts.authProxyGroupsHeader } : {}) })
      : new LocalAuth(new KubeClient(opts.kube), opts.kube.context);
  }

  /** Starts listening; the URL to open (local mode: with its one-time token). */
  async start(): Promise<{ url: string; address: string; port: number }> {
    const session = await openSession(this.opts.catalog === undefined ? {} : { catalog: this.opts.catalog });
    this.state = {
      catalog: new PortalCatalog(session),
      operations: new Operations(),
      timeoutMs: this.opts.timeoutMs ?? 5 * 60_000,
      historyMax: this.opts.historyMax ?? 10,
      mode: this.opts.inCluster ? 'cluster' : 'local',
      own: new KubeClient(this.opts.kube),
      log: this.log,
    };
    const server = createServer((req, res) => void this.handle(req, res));
    // Slow or idle clients cannot hold the server: headers within 10 s; event streams stay open by design.
    server.headersTimeout = 10_000;
    server.requestTimeout = 60_000;
    const host = this.opts.address ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 8080, host, () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    const shown = host.includes(':') ? `[${host}]` : host;
    const base = `http://${shown}:${port}/`;
    return { url: this.auth instanceof LocalAuth ? `${base}?token=${this.auth.token}` : base, address: host, port };
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      // Event streams never end by themselves.
      s.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    securityHeaders(res);
    const url = new URL(req.url ?? '/', 'http://portal.invalid');
    try {
      if (this.auth.login(req, res, url)) return;
      const api = url.pathname.startsWith('/api/');
      let principal: Principal;
      try {
        principal = this.auth.principal(req);
      } catch (e) {
        if (!api && e instanceof HttpError && e.status === 401) {
          res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(`${e.message}\n`);
          return;
        }
        throw e;
      }
      if (!api) {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, `${req.method} is not allowed here`);
        if (!(await serveAsset(this.assetsDir, url.pathname, res))) throw new HttpError(404, `${url.pathname}: not found`);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') checkCsrf(req, principal);
      if (url.pathname === '/api/session' && req.method === 'GET') {
        const who = await principal.identity();
        sendJson(res, 200, { user: who.user, groups: who.groups, csrf: principal.csrf, mode: this.state!.mode, operator: await operatorInstalled(principal.client).catch(() => false) } satisfies SessionInfo);
        return;
      }
      const route = this.route(req.method ?? 'GET', url.pathname);
      if (!route) throw new HttpError(404, `${req.method} ${url.pathname}: no such endpoint (see packages/portal/README.md)`);
      await route.handler({ req, res, url, params: route.params, principal, state: this.state! });
    } catch (e) {
      const err = apiError(e);
      if (err.status >= 500) this.log(`portal: ${req.method} ${url.pathname}: ${err.message}`);
      const shown = (t: string) => this.state?.catalog.publicText(t) ?? t;
      sendError(res, err.status, shown(err.message), err.problems ? { problems: err.problems.map(shown) } : undefined);
    }
  }

  private route(method: string, path: string): { handler: Handler; params: string[] } | undefined {
    let pathMatched = false;
    for (const [m, re, handler] of ROUTES) {
      const hit = re.exec(path);
      if (!hit) continue;
      pathMatched = true;
      if (m === method || (m === 'GET' && method === 'HEAD')) return { handler, params: hit.slice(1).map((s) => decodeURIComponent(s)) };
    }
    if (pathMatched) throw new HttpError(405, `${method} is not allowed on ${path}`);
    return undefined;
  }
}
