// Who is asking, and the cluster client that acts for them.
//
// Local mode: `opm portal` prints a URL with a one-time token (as Jupyter
// does); opening it exchanges the token for a session cookie (HttpOnly,
// SameSite=Strict). Every other request without that cookie gets 401. The
// portal acts with the kubeconfig's own credentials.
//
// Cluster mode (--in-cluster): the portal acts for each user, never with its
// own rights: a request's bearer token is passed to the API server as the
// user's credentials (the API server authenticates it, groups included, so
// there is nothing to impersonate; SelfSubjectReview tells the page who that
// is), or, behind an authenticating proxy (--auth-proxy-header, and
// --auth-proxy-groups-header as oauth2-proxy's X-Forwarded-Groups), the user and
// groups the proxy names are impersonated (Impersonate-User, one
// Impersonate-Group per group), so RBAC decides what each user sees and changes.
//
// Mutations also need the X-CSRF-Token header (GET /api/session tells it): a
// cross-site form or fetch cannot set it, and the cookie is SameSite=Strict.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, KubeClient, type ResolvedConfig } from '@opm/kube';
import { impersonatingConfig } from '@opm/operator';
import { HttpError } from './http.js';

export const SESSION_COOKIE = 'opm_portal_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface Principal {
  /** Shown in the page; in local mode the kubeconfig context. */
  user: string;
  client: KubeClient;
  /** Who the API server takes the caller for (user and groups), for the page. */
  identity(): Promise<{ user: string; groups: string[] }>;
  /** The token mutations must carry in X-CSRF-Token. */
  csrf: string;
}

export interface Authenticator {
  /** Handles the login request (local mode's token URL); false when `req` is not one. */
  login(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
  /** The caller, or an HttpError 401. */
  principal(req: IncomingMessage): Principal;
}

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/** One token, usable once; the session it opens lives as long as the process. */
export class LocalAuth implements Authenticator {
  readonly token = randomBytes(24).toString('base64url');
  private used = false;
  private readonly sessions = new Map<string, string>();

  constructor(
    private readonly client: KubeClient,
    private readonly user: string,
  ) {}

  login(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const given = url.searchParams.get('token');
    if (req.method !== 'GET' || given === null) return false;
    if (this.used || !equal(given, this.token)) throw new HttpError(401, 'this token is not valid (it can be used once): run `opm portal` again for a new URL');
    this.used = true;
    const id = randomBytes(24).toString('base64url');
    this.sessions.set(id, randomBytes(24).toString('base64url'));
    url.searchParams.delete('token');
    res.writeHead(303, {
      'set-cookie': `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/`,
      location: `${url.pathname}${url.search}`,
      'cache-control': 'no-store',
    });
    res.end();
    return true;
  }

  principal(req: IncomingMessage): Principal {
    const id = cookieOf(req, SESSION_COOKIE);
    const csrf = id === undefined ? undefined : this.sessions.get(id);
    if (csrf === undefined) throw new HttpError(401, 'not signed in: open the URL with the token that `opm portal` printed');
    return { user: this.user, client: this.client, csrf, identity: async () => ({ user: this.user, groups: [] }) };
  }
}

export interface ClusterAuthOptions {
  base: ResolvedConfig;
  /** Header an authenticating proxy sets to the user name; without it, bearer tokens. */
  proxyHeader?: string;
  /** With proxyHeader: the header holding the user's groups (comma-separated, or one header line each). */
  groupsHeader?: string;
}

/** Per-user clients, the most recently used kept (a client holds a connection pool). */
const MAX_CLIENTS = 64;

export class ClusterAuth implements Authenticator {
  private readonly secret = randomBytes(32);
  private readonly clients = new Map<string, KubeClient>();

  constructor(private readonly opts: ClusterAuthOptions) {}

  login(): boolean {
    return false;
  }

  principal(req: IncomingMessage): Principal {
    const { proxyHeader, groupsHeader } = this.opts;
    if (proxyHeader) {
      const user = String(req.headers[proxyHeader.toLowerCase()] ?? '').trim();
      if (!user) throw new HttpError(401, `no user: the authenticating proxy must set the ${proxyHeader} header`);
      const groups = groupsHeader ? headerLines(req, groupsHeader).flatMap((v) => v.split(',')).map((g) => g.trim()).filter(Boolean) : [];
      const unique = [...new Set(groups)].sort();
      // The groups are part of who the caller is: another set of groups is another client and another CSRF token.
      const key = `user:${JSON.stringify([user, unique])}`;
      return { user, client: this.cached(key, () => impersonatingConfig(this.opts.base, user, unique)), csrf: this.csrfFor(key), identity: async () => ({ user, groups: unique }) };
    }
    const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
    if (!m) throw new HttpError(401, 'no credentials: send the Authorization: Bearer header with your Kubernetes token');
    const key = `token:${m[1]}`;
    const client = this.cached(key, () => withToken(this.opts.base, m[1]!));
    return { user: 'bearer token', client, csrf: this.csrfFor(key), identity: () => selfSubject(client) };
  }

  private csrfFor(key: string): string {
    return createHmac('sha256', this.secret).update(key).digest('base64url');
  }

  private cached(key: string, make: () => ResolvedConfig): KubeClient {
    let c = this.clients.get(key);
    if (c) this.clients.delete(key);
    else c = new KubeClient(make());
    this.clients.set(key, c);
    if (this.clients.size > MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value!);
    return c;
  }
}

/** Every line of a request header (Node joins most repeated headers with ', '; rawHeaders keeps them apart). */
function headerLines(req: IncomingMessage, name: string): string[] {
  const out: string[] = [];
  const lower = name.toLowerCase();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === lower) out.push(req.rawHeaders[i + 1]!);
  return out;
}

/** Who a bearer token is, as the API server says (SelfSubjectReview, Kubernetes 1.28+); unknown on older servers. */
async function selfSubject(client: KubeClient): Promise<{ user: string; groups: string[] }> {
  try {
    const r = (await client.create({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {} } as never)) as unknown as { status?: { userInfo?: { username?: string; groups?: string[] } } };
    const info = r.status?.userInfo;
    if (info?.username) return { user: info.username, groups: info.groups ?? [] };
  } catch (e) {
    // A bad token is the caller's to know (401); an API server without SelfSubjectReview leaves the name unknown.
    if (e instanceof KubeApiError && e.code === 401) throw e;
  }
  return { user: 'bearer token', groups: [] };
}

/** The base config's cluster with the caller's token as its only credential. */
function withToken(base: ResolvedConfig, token: string): ResolvedConfig {
  const cluster = base.kc.getCurrentCluster();
  if (!cluster) throw new HttpError(500, 'the portal has no cluster configured');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'portal-user', token }],
    contexts: [{ name: 'portal', cluster: cluster.name, user: 'portal-user', namespace: base.contextNamespace }],
    currentContext: 'portal',
  });
  return { ...base, kc, context: 'portal' };
}

/**
 * Mutations must carry the CSRF token, and when the browser says where the
 * request comes from (Origin, Sec-Fetch-Site), it must be this origin.
 */
export function checkCsrf(req: IncomingMessage, p: Principal): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new HttpError(403, 'cross-site request refused');
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      throw new HttpError(403, 'cross-site request refused (bad Origin)');
    }
    if (host !== req.headers.host) throw new HttpError(403, 'cross-site request refused');
  } else if (origin === 'null') throw new HttpError(403, 'cross-site request refused');
  const given = req.headers[CSRF_HEADER];
  if (typeof given !== 'string' || !equal(given, p.csrf)) throw new HttpError(403, `missing or wrong ${CSRF_HEADER} header (GET /api/session gives it)`);
}
