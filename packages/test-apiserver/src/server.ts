/** Request handling: routing, discovery, CRUD, patch/apply, watch — the core of the test API server. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { ApiError, apiError, errors, invalid, statusBody, type FieldError, type GroupResource } from './errors.js';
import { applyFields, updateFields, type Path } from './fieldset.js';
import { clone, deepEqual, isObj, jsonSize } from './json.js';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch.js';
import { fieldsKey, groupVersion, ResourceRegistry, storageKey, type ResourceDef } from './resources.js';
import { eventFromV1, eventToV1, isEventsV1 } from './events.js';
import { builtinTypeInfo, crdTypeInfo, type TypeInfo } from './schema.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { ObjectStore, type StoredEvent } from './store.js';
import { forbiddenReason, impersonatedGroupsOf, impersonatedUser, rbacAllows, type Attributes, type UserInfo } from './rbac.js';

const SELF_REVIEWS = new Set(['SelfSubjectReview', 'SelfSubjectAccessReview']);
const REVIEWS = new Set([...SELF_REVIEWS, 'TokenReview', 'SubjectAccessReview']);
import { admit, matchingWebhooks, type ServiceResolver } from './admission.js';
import { warningHeaders } from './warnings.js';
import { applyDefaults, jobSelector } from './defaults.js';
import { pruneAndDefault, validateStructural } from './structural.js';
import { unknownFields } from './knownfields.js';
import { contentTypeOf, requestedTransform, transform } from './transform.js';
import { base64ErrorIndex, ETCD_MAX_BYTES, MAX_REQUEST_BYTES, validateMetadata, validateName, validateObject } from './validation.js';

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  status?: number;
  verb?: string;
  /** `Warning` headers sent with the response (e.g. unknown fields pruned from custom resources). */
  warnings?: string[];
  /** Size of the response body in bytes (not for watches). */
  bytes?: number;
}

export interface Fault {
  /** Which requests the fault applies to (all when omitted). */
  method?: string;
  /** Substring or RegExp matched against the URL path. */
  path?: string | RegExp;
  /** Let this many matching requests through before the fault fires (skip: 2 → the 3rd fails). */
  skip?: number;
  /** How many matching requests fail (default 1; Infinity for all). */
  times?: number;
  /** Respond with this HTTP status (a Status body). Omit to only delay. */
  status?: number;
  reason?: string;
  message?: string;
  /** Delay before responding (or before handling normally when no status is set). */
  delayMs?: number;
  /** Destroy the connection instead of answering. */
  reset?: boolean;
  /**
   * Never answer: the request is read and left open (a frozen API server, or one behind a stalled
   * proxy) until the client gives up or the server closes. The request is not handled.
   */
  hang?: boolean;
}

interface ActiveFault extends Fault {
  seen: number;
  fired: number;
}

export interface WriteContext {
  manager: string;
  dryRun: boolean;
  subresource?: string;
  /** fieldValidation: Strict | Warn (default) | Ignore */
  fieldValidation?: string;
  warnings?: string[];
}

interface Watcher {
  key: string;
  namespace: string;
  def: ResourceDef;
  labels: ReturnType<typeof parseLabelSelector>;
  fields: ReturnType<typeof parseFieldSelector>;
  send: (type: string, obj: any) => void;
}

export const CRD_CLEANUP = 'customresourcecleanup.apiextensions.k8s.io';

const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

const SERVER_META = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink', 'name', 'namespace'];

export function nowTime(clock: () => Date): string {
  return clock().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class ApiServerCore {
  readonly registry = new ResourceRegistry();
  readonly store: ObjectStore;
  readonly requests: RequestRecord[] = [];
  readonly faults: ActiveFault[] = [];
  readonly watchers = new Set<Watcher>();
  private openWatches = new Set<ServerResponse>();
  private seed = 1;
  private nextIP = 10;
  private nextNodePort = 30000;
  /**
   * The test stand-in for the cluster network (kube-proxy): `NAMESPACE/NAME:PORT` of a Service → the
   * host:port (on 127.0.0.1) that answers for it. Webhook calls to a `clientConfig.service` go there.
   */
  readonly serviceRoutes = new Map<string, string>();
  /** Called after every committed write (controllers hook in here). */
  readonly afterWrite: ((def: ResourceDef, obj: any, type: 'ADDED' | 'MODIFIED' | 'DELETED') => void)[] = [];
  private pending = new Set<Promise<unknown>>();
  bookmarkIntervalMs = 10000;

  constructor(
    readonly opts: { token: string; clock: () => Date; historyLimit: number; serverAddress: () => string; users: { token: string; name: string; groups?: string[] }[] },
  ) {
    this.store = new ObjectStore(opts.historyLimit);
    this.store.subscribe((e) => this.dispatchWatch(e));
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.systemCreate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    }
  }

  now(): string {
    return nowTime(this.opts.clock);
  }

  /* ---------------- helpers ---------------- */

  random(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) {
      this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
      s += GENERATE_ALPHABET[this.seed % GENERATE_ALPHABET.length];
    }
    return s;
  }

  gr(def: ResourceDef): GroupResource {
    return { group: def.group, resource: def.plural };
  }

  typeInfo(def: ResourceDef): TypeInfo {
    return def.custom ? crdTypeInfo(def.kind, def.schema) : builtinTypeInfo(def.kind);
  }

  /** Schedules async work (controllers, GC) and tracks it so `settle()` can wait for it. */
  /** Set by close(): background work stops. */
  stopped = false;

  defer(fn: () => void | Promise<void>, delayMs = 0): void {
    if (this.stopped) return;
    const p = new Promise<void>((resolve) => {
      const run = async () => {
        try {
          if (!this.stopped) await fn();
        } catch {
          /* background work never crashes the server */
        } finally {
          resolve();
        }
      };
      if (delayMs > 0) setTimeout(run, delayMs).unref?.();
      else setImmediate(run);
    });
    this.pending.add(p);
    void p.then(() => this.pending.delete(p));
  }

  /** Waits until all deferred background work (GC, namespace cleanup, controllers) has run. */
  async settle(maxRounds = 50): Promise<void> {
    for (let i = 0; i < maxRounds && this.pending.size > 0; i++) await Promise.all([...this.pending]);
  }

  /** Objects are stored with the apiVersion they were written with; we serve them at the request version. */
  present(def: ResourceDef, obj: any): any {
    const o = isEventsV1(def) ? eventToV1(clone(obj)) : clone(obj);
    o.apiVersion = groupVersion(def);
    o.kind = def.kind;
    return o;
  }

  /** A written object in the shape it is stored in (events.k8s.io/v1 Events are stored as core/v1's). */
  private toStorage(def: ResourceDef, obj: any): any {
    return isEventsV1(def) && isObj(obj) ? eventFromV1(obj) : obj;
  }

  /* ---------------- HTTP entry ---------------- */

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const rec: RequestRecord = { method: req.method ?? 'GET', path: url.pathname, query };
    if (req.headers['content-type']) rec.contentType = String(req.headers['content-type']);
    this.requests.push(rec);
    const send = (code: number, body: unknown, contentType = 'application/json') => {
      rec.status = code;
      if (res.headersSent) return;
      const bytes = Buffer.from(JSON.stringify(body), 'utf8');
      rec.bytes = bytes.length;
      const headers: Record<string, string | number | string[]> = { 'Content-Type': contentType, 'Content-Length': rec.bytes, 'Cache-Control': 'no-cache, private' };
      const warnings = warningHeaders(rec.warnings ?? []);
      if (warnings.length) headers.Warning = warnings;
      res.writeHead(code, headers);
      // A Buffer body: Node then writes the headers as latin1 (the UTF-8 bytes warnings.ts encodes), not
      // coalesced with a string body in its encoding.
      res.end(bytes);
    };
    try {
      // faults first: they simulate a flaky network / server
      const fault = this.matchFault(rec);
      if (fault) {
        if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
        if (fault.hang) {
          rec.status = 0;
          req.resume();
          return;
        }
        if (fault.reset) {
          rec.status = 0;
          req.socket.destroy();
          return;
        }
        if (fault.status) {
          const reasons: Record<number, string> = { 409: 'Conflict', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout', 404: 'NotFound', 403: 'Forbidden' };
          const body = statusBody(fault.status, fault.reason ?? reasons[fault.status], fault.message ?? `injected fault (HTTP ${fault.status})`);
          if (fault.status === 429) body.details = { retryAfterSeconds: 1 };
          return send(fault.status, body);
        }
      }
      this.authenticate(req);
      const body = await readBody(req);
      const out = await this.route(req, url, query, body, res, rec);
      if (out === undefined) return; // streaming (watch)
      send(out.code, out.body, out.contentType);
    } catch (e) {
      if (e instanceof ApiError) return send(e.code, e.status);
      const msg = e instanceof Error ? e.message : String(e);
      send(500, statusBody(500, 'InternalError', `Internal error occurred: ${msg}`));
    }
  }

  private matchFault(rec: RequestRecord): ActiveFault | undefined {
    for (const f of this.faults) {
      if (f.method && f.method.toUpperCase() !== rec.method) continue;
      if (f.path !== undefined) {
        if (typeof f.path === 'string' ? !rec.path.includes(f.path) : !f.path.test(rec.path)) continue;
      }
      f.seen++;
      if (f.seen <= (f.skip ?? 0)) continue;
      if (f.fired >= (f.times ?? 1)) continue;
      f.fired++;
      return f;
    }
    return undefined;
  }

  /**
   * Validating admission webhooks (admission.ts): the write is first evaluated as a dry run, so the webhook sees
   * the object as it would be stored (defaults applied, schema validated), then the real write proceeds if allowed.
   */
  private async validatingAdmission(req: IncomingMessage, def: ResourceDef, namespace: string, name: string | undefined, method: string, body: Buffer, ct: string, q: Record<string, string>, ctx: WriteContext): Promise<void> {
    const vwc = this.registry.byKind('admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration');
    if (!vwc || def === vwc) return;
    const configs = this.store.list(storageKey(vwc), undefined).map((x) => x.obj);
    if (configs.length === 0) return;
    const old = name !== undefined ? this.store.get(storageKey(def), def.namespaced ? namespace : '', name) : undefined;
    const operation = old ? 'UPDATE' : 'CREATE';
    const hooks = matchingWebhooks(configs, { group: def.group, version: def.version, resource: def.plural, operation, namespace });
    if (hooks.length === 0) return;
    const dry = { ...ctx, dryRun: true, warnings: [] as string[] };
    let object: any;
    if (method === 'POST') object = this.create(def, namespace, decodeBody(body, ct), dry);
    else if (method === 'PUT') object = this.update(def, namespace, name!, decodeBody(body, ct), dry).body;
    else object = (await this.patch(def, namespace, name!, body, ct, q, dry)).body;
    const user = this.userOf(req);
    await admit(hooks, {
      group: def.group,
      version: def.version,
      kind: def.kind,
      resource: def.plural,
      namespace,
      name: name ?? object?.metadata?.name ?? '',
      operation,
      object,
      ...(old ? { oldObject: this.present(def, old) } : {}),
      dryRun: false,
      user: user ? { username: user.name, groups: user.groups } : { username: 'test-admin', groups: ['system:masters', 'system:authenticated'] },
    }, this.resolveService, (w) => ctx.warnings?.push(w));
  }

  /**
   * kube-apiserver's ClusterIP service resolver: the Service must exist and list the port (else `service "X" not
   * found`, `no service port N found for service "X"`); an ExternalName Service resolves to its external name.
   * The ClusterIP itself is not reachable from a test, so the route registered with `routeService` stands in for it.
   */
  readonly resolveService: ServiceResolver = (svc) => {
    const def = this.registry.byKind('', 'v1', 'Service')!;
    const found = this.store.get(storageKey(def), svc.namespace, svc.name);
    if (!found) return { error: `service "${svc.name}" not found` };
    const servername = `${svc.name}.${svc.namespace}.svc`;
    if (found.spec?.type === 'ExternalName') return { address: `${found.spec.externalName}:${svc.port}`, servername };
    if (!(found.spec?.ports ?? []).some((p: { port?: number }) => p.port === svc.port)) return { error: `no service port ${svc.port} found for service "${svc.name}"` };
    const route = this.serviceRoutes.get(`${svc.namespace}/${svc.name}:${svc.port}`);
    if (!route) return { error: `dial tcp ${found.spec?.clusterIP ?? '<none>'}:${svc.port}: no route to the service in the test API server (api.routeService)` };
    return { address: route, servername };
  };

  /** Impersonated requests are authorized by RBAC (rbac.ts); the token's own identity is a cluster admin. */
  private authorize(req: IncomingMessage, def: ResourceDef, method: string, q: Record<string, string>, namespace: string, name: string | undefined, sub: string | undefined): void {
    const user = this.userOf(req);
    if (!user) return;
    // system:basic-user: every authenticated user may ask about themselves.
    if (SELF_REVIEWS.has(def.kind) && def.group.endsWith('.k8s.io')) return;
    const watch = q.watch === 'true' || q.watch === '1';
    const verb =
      method === 'GET' ? (name === undefined ? (watch ? 'watch' : 'list') : 'get')
      : method === 'POST' ? 'create'
      : method === 'PUT' ? 'update'
      : method === 'PATCH' ? 'patch'
      : method === 'DELETE' ? (name === undefined ? 'deletecollection' : 'delete')
      : method.toLowerCase();
    // As upstream's RequestInfo: a request for one namespace object is in that namespace (a RoleBinding there can allow it).
    const ns = def.kind === 'Namespace' && def.group === '' && name !== undefined ? name : namespace;
    const attrs = { verb, group: def.group, resource: def.plural, namespace: ns, ...(sub ? { subresource: sub } : {}), ...(name !== undefined ? { name } : {}) };
    if (!this.allows(user, attrs)) throw errors.forbidden(this.gr(def), name ?? '', forbiddenReason(user, attrs));
  }

  /** RBAC's answer for `user` (system:masters may do anything, as upstream's authorizer chain says). */
  private allows(user: UserInfo, attrs: Attributes): boolean {
    if (user.groups.includes('system:masters')) return true;
    const list = (kind: string, ns?: string) => {
      const d = this.registry.byKind('rbac.authorization.k8s.io', 'v1', kind);
      return d ? this.store.list(storageKey(d), d.namespaced ? ns : undefined).map((x) => x.obj) : [];
    };
    return rbacAllows(user, attrs, list);
  }

  private readonly identities = new WeakMap<IncomingMessage, { user?: UserInfo }>();

  /** The identity a token stands for: undefined for the admin token, a user for one of `opts.users`, null for none. */
  private tokenUser(token: string | undefined): UserInfo | undefined | null {
    if (token === undefined) return null;
    if (token === this.opts.token) return undefined;
    const u = this.opts.users.find((x) => x.token === token);
    if (!u) return null;
    const groups = [...(u.groups ?? [])];
    if (!groups.includes('system:authenticated')) groups.push('system:authenticated');
    return { name: u.name, groups };
  }

  /**
   * Authentication, then impersonation, as kube-apiserver's filters run them: an unknown token is 401; a
   * user (not the admin) may impersonate only a user and groups RBAC grants them `impersonate` on (else 403).
   */
  private authenticate(req: IncomingMessage): void {
    const m = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''));
    const own = this.tokenUser(m?.[1]);
    if (own === null) throw errors.unauthorized();
    const imp = impersonatedUser(req);
    if (imp && own && !own.groups.includes('system:masters')) {
      const given = impersonatedGroupsOf(req);
      const checks: Attributes[] = [
        { verb: 'impersonate', group: '', resource: imp.name.startsWith('system:serviceaccount:') ? 'serviceaccounts' : 'users', namespace: '', name: imp.name },
        ...given.map((g) => ({ verb: 'impersonate', group: '', resource: 'groups', namespace: '', name: g })),
      ];
      for (const a of checks) {
        if (!this.allows(own, a)) throw errors.forbidden({ group: '', resource: a.resource }, a.name!, forbiddenReason(own, a));
      }
    }
    this.identities.set(req, { ...(imp ? { user: imp } : own ? { user: own } : {}) });
  }

  /** Who the request acts as (after impersonation); undefined for the admin token. */
  private userOf(req: IncomingMessage): UserInfo | undefined {
    return this.identities.get(req)?.user;
  }

  /** TokenReview, SelfSubjectReview, SubjectAccessReview and SelfSubjectAccessReview: answered, never stored. */
  private review(req: IncomingMessage, def: ResourceDef, body: Buffer, ct: string): { code: number; body: unknown } {
    const obj = decodeBody(body, ct) ?? {};
    const spec = obj.spec ?? {};
    const admin = { name: 'test-admin', groups: ['system:masters', 'system:authenticated'] };
    const me = this.userOf(req) ?? admin;
    const answer = (status: unknown, withSpec = true) => ({ code: 201, body: { apiVersion: `${def.group}/${def.version}`, kind: def.kind, metadata: { creationTimestamp: null }, ...(withSpec ? { spec } : {}), status } });
    const attrsOf = (r: any): Attributes => {
      if (!r || typeof r !== 'object') throw errors.badRequest(`${def.kind}: spec.resourceAttributes is required`);
      return { verb: String(r.verb ?? ''), group: String(r.group ?? ''), resource: String(r.resource ?? ''), namespace: String(r.namespace ?? ''), ...(r.subresource ? { subresource: String(r.subresource) } : {}), ...(r.name ? { name: String(r.name) } : {}) };
    };
    switch (def.kind) {
      case 'TokenReview': {
        const u = this.tokenUser(typeof spec.token === 'string' ? spec.token : undefined);
        if (u === null) return answer({ authenticated: false, user: {}, error: 'invalid bearer token' });
        const who = u ?? admin;
        return answer({ authenticated: true, user: { username: who.name, groups: who.groups } });
      }
      case 'SelfSubjectReview':
        return answer({ userInfo: { username: me.name, groups: me.groups } }, false);
      case 'SelfSubjectAccessReview':
        return answer({ allowed: this.allows(me, attrsOf(spec.resourceAttributes)) });
      default: {
        const subject: UserInfo = { name: String(spec.user ?? ''), groups: Array.isArray(spec.groups) ? spec.groups.map(String) : [] };
        return answer({ allowed: this.allows(subject, attrsOf(spec.resourceAttributes)) });
      }
    }
  }

  /* ---------------- routing ---------------- */

  private async route(
    req: IncomingMessage,
    url: URL,
    q: Record<string, string>,
    body: Buffer,
    res: ServerResponse,
    rec: RequestRecord,
  ): Promise<{ code: number; body: unknown; contentType?: string } | undefined> {
    const method = req.method ?? 'GET';
    const segs = url.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
    if (method === 'GET') {
      if (url.pathname === '/version' || url.pathname === '/version/') return { code: 200, body: VERSION_INFO };
      if (['/healthz', '/readyz', '/livez'].includes(url.pathname)) return { code: 200, body: 'ok' };
      const d = this.discovery(segs);
      if (d) return { code: 200, body: d };
    }
    let group: string;
    let version: string;
    let rest: string[];
    if (segs[0] === 'api' && segs.length >= 3) {
      group = '';
      version = segs[1]!;
      rest = segs.slice(2);
    } else if (segs[0] === 'apis' && segs.length >= 4) {
      group = segs[1]!;
      version = segs[2]!;
      rest = segs.slice(3);
    } else throw errors.notServed();
    if (!this.registry.hasGroupVersion(group, version)) throw errors.notServed();
    if (rest[0] === 'watch') {
      rest = rest.slice(1);
      q.watch = 'true';
    }
    let namespace = '';
    let plural: string;
    let name: string | undefined;
    let sub: string | undefined;
    const nsDef = this.registry.lookup(group, version, rest[2] ?? '');
    if (rest[0] === 'namespaces' && rest.length >= 3 && group === '' && nsDef?.namespaced) {
      namespace = rest[1]!;
      plural = rest[2]!;
      name = rest[3];
      sub = rest[4];
      if (rest.length > 5) throw errors.notServed();
    } else if (rest[0] === 'namespaces' && rest.length >= 3 && group !== '' && nsDef?.namespaced) {
      namespace = rest[1]!;
      plural = rest[2]!;
      name = rest[3];
      sub = rest[4];
      if (rest.length > 5) throw errors.notServed();
    } else {
      plural = rest[0]!;
      name = rest[1];
      sub = rest[2];
      if (rest.length > 3) throw errors.notServed();
    }
    const def = this.registry.lookup(group, version, plural);
    if (!def) throw errors.notServed();
    if (def.namespaced && name !== undefined && namespace === '') throw errors.notServed();
    if (sub !== undefined && !(sub === 'status' && def.status) && !(sub === 'scale' && SCALABLE.has(def.kind) && !def.custom)) throw errors.notServed();
    this.authorize(req, def, method, q, namespace, name, sub);
    const ct = String(req.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (REVIEWS.has(def.kind) && def.group.endsWith('.k8s.io')) {
      if (method !== 'POST' || name !== undefined) throw errors.methodNotSupported(this.gr(def), method.toLowerCase());
      return this.review(req, def, body, ct);
    }
    const ctx = this.writeContext(req, q, sub, method, ct);
    ctx.warnings = rec.warnings = [];
    if (body.length > MAX_REQUEST_BYTES) throw errors.tooLarge(`Request entity too large: limit is ${MAX_REQUEST_BYTES}`);

    if (!ctx.dryRun && sub === undefined && (method === 'POST' || method === 'PUT' || method === 'PATCH')) {
      await this.validatingAdmission(req, def, namespace, name, method, body, ct, q, ctx);
    }

    if (name === undefined) {
      switch (method) {
        case 'GET': {
          if (q.watch === 'true' || q.watch === '1') {
            rec.verb = 'watch';
            this.watch(def, namespace, q, res);
            return undefined;
          }
          rec.verb = 'list';
          const as = requestedTransform(req.headers.accept, true);
          return { code: 200, body: transform(as, this.list(def, namespace, q)), contentType: contentTypeOf(as) };
        }
        case 'POST': {
          rec.verb = 'create';
          if (def.namespaced && namespace === '') throw errors.methodNotSupported(this.gr(def), 'create');
          const obj = decodeBody(body, ct);
          return { code: 201, body: this.create(def, namespace, obj, ctx) };
        }
        case 'DELETE':
          rec.verb = 'deletecollection';
          if (def.namespaced && namespace === '') throw errors.methodNotSupported(this.gr(def), 'deletecollection');
          return { code: 200, body: this.deleteCollection(def, namespace, q, ctx) };
        default:
          throw errors.methodNotSupported(this.gr(def), method.toLowerCase());
      }
    }
    if (sub === 'scale') return this.scale(def, namespace, name, method, body, ct, ctx, rec);
    switch (method) {
      case 'GET': {
        rec.verb = 'get';
        const as = sub === undefined ? requestedTransform(req.headers.accept, false) : undefined;
        return { code: 200, body: transform(as, this.get(def, namespace, name)), contentType: contentTypeOf(as) };
      }
      case 'PUT': {
        rec.verb = 'update';
        const obj = decodeBody(body, ct);
        return this.update(def, namespace, name, obj, ctx);
      }
      case 'PATCH': {
        rec.verb = 'patch';
        return this.patch(def, namespace, name, body, ct, q, ctx);
      }
      case 'DELETE': {
        rec.verb = 'delete';
        let opts: any = {};
        if (body.length) opts = decodeBody(body, ct || 'application/json');
        return this.delete(def, namespace, name, { ...opts, propagationPolicy: q.propagationPolicy ?? opts.propagationPolicy }, ctx);
      }
      default:
        throw errors.methodNotSupported(this.gr(def), method.toLowerCase());
    }
  }

  private writeContext(req: IncomingMessage, q: Record<string, string>, sub: string | undefined, method: string, ct: string): WriteContext {
    const ua = String(req.headers['user-agent'] ?? '');
    // managerOrUserAgent: the fieldManager parameter, else the User-Agent up to the first '/'
    const manager = q.fieldManager || ua.split('/')[0] || '';
    const ctx: WriteContext = { manager, dryRun: q.dryRun === 'All' };
    if (q.fieldValidation) ctx.fieldValidation = q.fieldValidation;
    if (sub) ctx.subresource = sub;
    const optionsKind = ({ POST: 'CreateOptions', PUT: 'UpdateOptions', PATCH: 'PatchOptions', DELETE: 'DeleteOptions' } as Record<string, string>)[method];
    if (!optionsKind) return ctx;
    // validation.ValidateXOptions → errors.NewInvalid(meta.k8s.io/XOptions, "", errs)
    const errs: FieldError[] = [];
    const isApply = ct === 'application/apply-patch+yaml';
    if (method === 'PATCH') {
      if (!isApply && q.force !== undefined) errs.push({ type: 'Forbidden', field: 'force', detail: 'may not be specified for non-apply patch' });
      if (isApply && !q.fieldManager) errs.push({ type: 'Required', field: 'fieldManager', detail: 'is required for apply patch' });
    }
    if (method !== 'DELETE' && q.fieldManager !== undefined) {
      if (q.fieldManager.length > 128) errs.push({ type: 'TooLong', field: 'fieldManager', detail: 'may not be more than 128 bytes' });
       
      if (/[\u0000-\u001f\u007f]/.test(q.fieldManager)) errs.push({ type: 'Invalid', field: 'fieldManager', value: q.fieldManager, detail: 'must only contain printable characters' });
    }
    if (q.dryRun !== undefined && q.dryRun !== 'All') {
      errs.push({ type: 'NotSupported', field: 'dryRun', value: [q.dryRun], detail: 'supported values: "All"' });
    }
    if (method !== 'DELETE' && q.fieldValidation !== undefined && !['Ignore', 'Strict', 'Warn', ''].includes(q.fieldValidation)) {
      errs.push({ type: 'NotSupported', field: 'fieldValidation', value: q.fieldValidation, detail: 'supported values: "Ignore", "Strict", "Warn"' });
    }
    if (errs.length) throw invalid(optionsKind, 'meta.k8s.io', '', errs);
    return ctx;
  }

  /* ---------------- scale subresource ---------------- */

  private toScale(def: ResourceDef, obj: any): any {
    const ml = obj.spec?.selector?.matchLabels ?? {};
    const exprs = (obj.spec?.selector?.matchExpressions ?? []).map((e: any) =>
      e.operator === 'Exists' ? e.key : e.operator === 'DoesNotExist' ? `!${e.key}` : `${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${(e.values ?? []).join(',')})`,
    );
    const selector = [...Object.entries(ml).map(([k, v]) => `${k}=${v}`), ...exprs].join(',');
    const md: any = { name: obj.metadata.name, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp };
    if (def.namespaced) md.namespace = obj.metadata.namespace;
    return { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: md, spec: { replicas: obj.spec?.replicas ?? 0 }, status: { replicas: obj.status?.replicas ?? 0, selector } };
  }

  /** deployments|statefulsets|replicasets/scale: an autoscaling/v1 Scale view of spec.replicas. */
  private scale(def: ResourceDef, namespace: string, name: string, method: string, body: Buffer, ct: string, ctx: WriteContext, rec: RequestRecord): { code: number; body: unknown } {
    const old = this.store.get(storageKey(def), def.namespaced ? namespace : '', name);
    if (!old) throw errors.notFound(this.gr(def), name);
    const current = this.toScale(def, this.present(def, old));
    if (method === 'GET') {
      rec.verb = 'get';
      return { code: 200, body: current };
    }
    let desired: any;
    if (method === 'PUT') {
      rec.verb = 'update';
      desired = decodeBody(body, ct);
    } else if (method === 'PATCH') {
      rec.verb = 'patch';
      const accepted = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];
      if (!accepted.includes(ct)) throw errors.unsupportedMediaType(ct, accepted);
      let doc: unknown;
      try {
        doc = JSON.parse(body.toString('utf8'));
      } catch (e) {
        throw errors.badRequest(`error decoding patch: ${(e as Error).message}`);
      }
      desired = ct === 'application/json-patch+json' ? jsonPatch(current, doc) : mergePatch(current, doc);
    } else throw errors.methodNotSupported(this.gr(def), method.toLowerCase());
    if (!isObj(desired)) throw errors.badRequest('Object is not a JSON object');
    if (desired.metadata?.resourceVersion && desired.metadata.resourceVersion !== old.metadata.resourceVersion) throw errors.modified(this.gr(def), name);
    const replicas = desired.spec?.replicas;
    if (replicas !== undefined && (typeof replicas !== 'number' || replicas < 0))
      throw invalid('Scale', 'autoscaling', name, [{ type: 'Invalid', field: 'spec.replicas', value: replicas, detail: 'must be greater than or equal to 0' }]);
    const next = clone(old);
    next.spec = { ...(next.spec ?? {}), replicas: replicas ?? 0 };
    const saved = this.updateFrom(def, old, next, ctx);
    return { code: 200, body: this.toScale(def, saved) };
  }

  /* ---------------- discovery ---------------- */

  private discovery(segs: string[]): unknown {
    if (segs.length === 1 && segs[0] === 'api') {
      return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.opts.serverAddress() }],
      };
    }
    if (segs.length === 2 && segs[0] === 'api' && segs[1] === 'v1') return this.resourceList('', 'v1');
    if (segs.length === 1 && segs[0] === 'apis') {
      return { kind: 'APIGroupList', apiVersion: 'v1', groups: this.registry.groups().map((g) => this.apiGroup(g)) };
    }
    if (segs.length === 2 && segs[0] === 'apis') {
      const g = this.registry.groups().find((x) => x.name === segs[1]);
      if (!g) return undefined;
      return { kind: 'APIGroup', apiVersion: 'v1', ...this.apiGroup(g) };
    }
    if (segs.length === 3 && segs[0] === 'apis' && this.registry.hasGroupVersion(segs[1]!, segs[2]!)) {
      return { kind: 'APIResourceList', apiVersion: 'v1', ...this.resourceList(segs[1]!, segs[2]!) };
    }
    return undefined;
  }

  private apiGroup(g: { name: string; versions: string[] }) {
    const versions = [...g.versions].sort(compareKubeVersions).map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
    return { name: g.name, versions, preferredVersion: versions[0] };
  }

  private resourceList(group: string, version: string) {
    const resources: any[] = [];
    for (const d of this.registry.all()) {
      if (d.group !== group || d.version !== version) continue;
      const r: any = { name: d.plural, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, verbs: d.verbs };
      if (d.shortNames?.length) r.shortNames = d.shortNames;
      if (d.categories?.length) r.categories = d.categories;
      resources.push(r);
      if (d.status) resources.push({ name: `${d.plural}/status`, singularName: '', namespaced: d.namespaced, kind: d.kind, verbs: ['get', 'patch', 'update'] });
      if (SCALABLE.has(d.kind) && !d.custom)
        resources.push({ name: `${d.plural}/scale`, singularName: '', namespaced: d.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    }
    const out: any = { kind: 'APIResourceList', groupVersion: group ? `${group}/${version}` : version, resources };
    if (!group) return out;
    return out;
  }

  /* ---------------- read ---------------- */

  get(def: ResourceDef, namespace: string, name: string): any {
    const o = this.store.get(storageKey(def), def.namespaced ? namespace : '', name);
    if (!o) throw errors.notFound(this.gr(def), name);
    return this.present(def, o);
  }

  list(def: ResourceDef, namespace: string, q: Record<string, string>): any {
    const labels = parseLabelSelector(q.labelSelector);
    const fields = parseFieldSelector(q.fieldSelector, fieldsKey(def), !!def.custom);
    let listRV = this.store.currentRV();
    let start = '';
    let snapshot = false;
    const match = q.resourceVersionMatch;
    if (match !== undefined && match !== '') {
      if (!['Exact', 'NotOlderThan'].includes(match))
        throw invalid('ListOptions', 'meta.k8s.io', '', [{ type: 'NotSupported', field: 'resourceVersionMatch', value: match, detail: 'supported values: "Exact", "NotOlderThan", ""' }]);
      if (!q.resourceVersion)
        throw invalid('ListOptions', 'meta.k8s.io', '', [{ type: 'Forbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden unless resourceVersion is provided' }]);
      if (q.continue)
        throw invalid('ListOptions', 'meta.k8s.io', '', [{ type: 'Forbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden when continue is provided' }]);
    }
    if (q.resourceVersion !== undefined && q.resourceVersion !== '' && !/^\d+$/.test(q.resourceVersion)) {
      throw errors.badRequest(`invalid resource version: strconv.ParseUint: parsing ${JSON.stringify(q.resourceVersion)}: invalid syntax`);
    }
    if (match === 'Exact') {
      listRV = Number(q.resourceVersion);
      snapshot = true;
    }
    if (q.continue) {
      try {
        const tok = JSON.parse(Buffer.from(q.continue, 'base64').toString('utf8'));
        if (tok.v !== 'meta.k8s.io/v1' || typeof tok.rv !== 'number' || typeof tok.start !== 'string') throw new Error('bad');
        listRV = tok.rv;
        start = tok.start;
        snapshot = true;
      } catch {
        throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
      }
    }
    const limit = q.limit ? Number(q.limit) : 0;
    const ns = def.namespaced ? namespace : undefined;
    // paged and Exact lists read a consistent snapshot at their resourceVersion, like etcd
    const source = snapshot ? this.store.viewAt(storageKey(def), ns, listRV) : this.store.view(storageKey(def), ns);
    if (!source) {
      if (q.continue)
        throw errors.expired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      throw errors.expired(`too old resource version: ${listRV} (${this.store.oldestRV() + 1})`);
    }
    const all = source
      .filter((x) => x.id >= start)
      .filter((x) => matchesLabels(labels, x.obj.metadata?.labels) && matchesFields(fields, x.obj));
    let page = all;
    const metadata: any = { resourceVersion: String(listRV) };
    if (limit > 0 && all.length > limit) {
      page = all.slice(0, limit);
      const last = page[page.length - 1]!.id;
      metadata.continue = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: listRV, start: `${last}\u0000` })).toString('base64');
      if (labels.length === 0 && fields.length === 0) metadata.remainingItemCount = all.length - limit;
    }
    const items = page.map((x) => {
      const o = this.present(def, x.obj);
      if (!def.custom) {
        // typed lists from kube-apiserver do not repeat apiVersion/kind on items; custom resources do
        delete o.apiVersion;
        delete o.kind;
      }
      return o;
    });
    return { kind: def.listKind, apiVersion: groupVersion(def), metadata, items };
  }

  /* ---------------- watch ---------------- */

  private watch(def: ResourceDef, namespace: string, q: Record<string, string>, res: ServerResponse): void {
    const labels = parseLabelSelector(q.labelSelector);
    const fields = parseFieldSelector(q.fieldSelector, fieldsKey(def), !!def.custom);
    const key = storageKey(def);
    const ns = def.namespaced ? namespace : '';
    const sendInitial = q.sendInitialEvents === 'true';
    const bookmarks = q.allowWatchBookmarks === 'true';
    if (sendInitial && (!bookmarks || q.resourceVersionMatch !== 'NotOlderThan')) {
      throw invalid('ListOptions', 'meta.k8s.io', '', [
        { type: 'Forbidden', field: 'sendInitialEvents', detail: 'sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled and resourceVersionMatch is NotOlderThan and allowWatchBookmarks is true' },
      ]);
    }
    if (q.resourceVersion !== undefined && q.resourceVersion !== '' && !/^\d+$/.test(q.resourceVersion)) {
      throw invalid('ListOptions', 'meta.k8s.io', '', [{ type: 'Invalid', field: 'resourceVersion', value: q.resourceVersion, detail: 'must be a valid resource version' }]);
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    this.openWatches.add(res);
    let closed = false;
    const timers: NodeJS.Timeout[] = [];
    const close = () => {
      if (closed) return;
      closed = true;
      this.watchers.delete(w);
      this.openWatches.delete(res);
      for (const t of timers) clearTimeout(t);
      res.end();
    };
    const write = (type: string, obj: any) => {
      if (closed) return;
      res.write(`${JSON.stringify({ type, object: obj })}\n`);
    };
    const w: Watcher = {
      key,
      namespace: ns,
      def,
      labels,
      fields,
      send: write,
    };
    res.on('close', close);
    const matches = (o: any) => o && matchesLabels(labels, o.metadata?.labels) && matchesFields(fields, o);
    const rvParam = q.resourceVersion;
    if (rvParam === undefined || rvParam === '' || rvParam === '0' || sendInitial) {
      for (const { obj } of this.store.list(key, ns || undefined)) if (matches(obj)) write('ADDED', this.present(def, obj));
      if (sendInitial)
        write('BOOKMARK', this.bookmark(def, this.store.currentRV(), { 'k8s.io/initial-events-end': 'true' }));
    } else {
      const from = Number(rvParam);
      if (!Number.isInteger(from) || from < 0) {
        close();
        return;
      }
      if (from < this.store.oldestRV()) {
        write('ERROR', statusBody(410, 'Expired', `too old resource version: ${from} (${this.store.oldestRV() + 1})`));
        close();
        return;
      }
      for (const e of this.store.history) {
        if (e.rv <= from) continue;
        this.deliver(w, e);
      }
    }
    this.watchers.add(w);
    const timeout = q.timeoutSeconds ? Number(q.timeoutSeconds) * 1000 : 0;
    if (timeout > 0) timers.push(setTimeout(close, timeout));
    if (bookmarks) {
      const tick = () => {
        write('BOOKMARK', this.bookmark(def, this.store.currentRV()));
        timers.push(setTimeout(tick, this.bookmarkIntervalMs));
      };
      timers.push(setTimeout(tick, this.bookmarkIntervalMs));
    }
  }

  private bookmark(def: ResourceDef, rv: number, annotations?: Record<string, string>) {
    const md: any = { resourceVersion: String(rv), creationTimestamp: null };
    if (annotations) md.annotations = annotations;
    return { kind: def.kind, apiVersion: groupVersion(def), metadata: md };
  }

  private deliver(w: Watcher, e: StoredEvent): void {
    if (e.key !== w.key) return;
    if (w.namespace && e.namespace !== w.namespace) return;
    const m = (o: any) => o !== undefined && matchesLabels(w.labels, o.metadata?.labels) && matchesFields(w.fields, o);
    const nowM = m(e.object);
    const oldM = e.old !== undefined && m(e.old);
    let type: string | undefined;
    if (e.type === 'ADDED') type = nowM ? 'ADDED' : undefined;
    else if (e.type === 'DELETED') type = oldM || nowM ? 'DELETED' : undefined;
    else if (nowM && oldM) type = 'MODIFIED';
    else if (nowM) type = 'ADDED';
    else if (oldM) type = 'DELETED';
    if (type) w.send(type, this.present(w.def, e.object));
  }

  private dispatchWatch(e: StoredEvent): void {
    for (const w of this.watchers) this.deliver(w, e);
  }

  closeWatches(): void {
    this.stopped = true;
    for (const r of this.openWatches) r.end();
    this.openWatches.clear();
    this.watchers.clear();
  }

  /* ---------------- write pipeline ---------------- */

  private ignoreFor(def: ResourceDef, sub?: string): (p: Path) => boolean {
    return (p: Path) => {
      const top = p[0];
      if (top === 'f:apiVersion' || top === 'f:kind') return true;
      if (top === 'f:metadata' && p.length >= 2 && SERVER_META.includes(p[1]!.slice(2))) return true;
      if (sub === 'scale') return !(top === 'f:spec' && p[1] === 'f:replicas');
      if (def.status) {
        if (sub === 'status') return top !== 'f:status';
        return top === 'f:status';
      }
      return false;
    };
  }

  private checkTypeMeta(def: ResourceDef, obj: any, typed = true): void {
    if (!isObj(obj)) throw errors.badRequest('Object is not a JSON object');
    if (!def.custom && typed) {
      // typed endpoints default a missing apiVersion/kind from the URL; unstructured (custom) ones do not
      if (!obj.kind) obj.kind = def.kind;
      if (!obj.apiVersion) obj.apiVersion = groupVersion(def);
    }
    if (!obj.kind) throw errors.badRequest(`Object 'Kind' is missing in '${truncate(JSON.stringify(obj))}'`);
    if (!obj.apiVersion) throw errors.badRequest(`Object 'apiVersion' is missing in '${truncate(JSON.stringify(obj))}'`);
    const gv = groupVersion(def);
    if (obj.apiVersion !== gv && !this.registry.versionsOf(def.group, def.plural).some((d) => groupVersion(d) === obj.apiVersion)) {
      throw errors.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${gv})`);
    }
    if (obj.kind !== def.kind) throw errors.badRequest(`${obj.kind} in version "${def.version}" cannot be handled as a ${def.kind}: the kind in the data (${obj.kind}) does not match the expected kind (${def.kind})`);
  }

  private checkNamespace(def: ResourceDef, namespace: string, obj: any, forCreate: boolean): void {
    obj.metadata = isObj(obj.metadata) ? obj.metadata : {};
    if (!def.namespaced) {
      delete obj.metadata.namespace;
      return;
    }
    if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.namespace = namespace;
    const ns = this.store.get('/namespaces', '', namespace);
    if (!ns) throw errors.notFound({ group: '', resource: 'namespaces' }, namespace);
    if (forCreate && ns.metadata?.deletionTimestamp) {
      throw apiError(
        403,
        'Forbidden',
        `${def.plural}${def.group ? '.' + def.group : ''} "${obj.metadata.name ?? obj.metadata.generateName ?? ''}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        { name: obj.metadata.name ?? '', ...(def.group ? { group: def.group } : {}), kind: def.plural, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }] },
      );
    }
  }

  /** Custom resources: prune unknown fields and apply schema defaults (like apiextensions-apiserver decoding). */
  private normalize(def: ResourceDef, obj: any, ctx: WriteContext): void {
    if (!def.custom) {
      // []byte fields are base64 in JSON; decoding fails the whole request
      const bytesField = def.kind === 'Secret' ? obj.data : def.kind === 'ConfigMap' ? obj.binaryData : undefined;
      if (isObj(bytesField))
        for (const v of Object.values(bytesField)) {
          const at = typeof v === 'string' ? base64ErrorIndex(v) : -1;
          if (at >= 0) throw errors.badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: illegal base64 data at input byte ${at}`);
        }
      this.dropUnknown(unknownFields(def.kind, obj, true).map((u) => u.json), ctx);
      omitEmpty(obj);
      normalizeTimes(def, obj);
      return;
    }
    if (!def.schema) return;
    this.dropUnknown(pruneAndDefault(obj, def.schema), ctx);
  }

  /** Unknown fields were dropped while decoding: warn (default), fail (Strict) or stay silent (Ignore). */
  private dropUnknown(pruned: string[], ctx: WriteContext): void {
    if (pruned.length === 0) return;
    if (ctx.fieldValidation === 'Strict') {
      throw errors.badRequest(`strict decoding error: ${pruned.map((p) => `unknown field "${p}"`).join(', ')}`);
    }
    if (ctx.fieldValidation !== 'Ignore') ctx.warnings?.push(...pruned.map((p) => `unknown field "${p}"`));
  }

  private validate(def: ResourceDef, obj: any, old: any | undefined): void {
    const errs: FieldError[] = [];
    const name = obj.metadata?.name ?? '';
    errs.push(...validateMetadata(def, obj));
    errs.push(...validateObject(def, obj, old));
    if (def.custom && def.schema) errs.push(...validateStructural(obj, def.schema));
    if (errs.length) throw invalid(def.kind, def.group, name, errs);
    if (jsonSize(obj) > ETCD_MAX_BYTES) {
      // etcd rejects the transaction; kube-apiserver surfaces it as a 500 with the etcd message
      // (kubernetes/kubernetes#112152: body is {status: Failure, message, code: 500} with no reason)
      throw apiError(500, undefined, 'etcdserver: request is too large');
    }
  }

  /** Resets status on main-resource writes / everything else on status writes, like ResetFieldsStrategy. */
  private resetFields(def: ResourceDef, next: any, old: any | undefined, sub?: string): any {
    if (!def.status) return next;
    if (sub === 'status') {
      const o = clone(old);
      o.status = next.status;
      // status writes may not touch metadata except managedFields/resourceVersion precondition
      o.metadata.resourceVersion = next.metadata?.resourceVersion ?? o.metadata.resourceVersion;
      if (next.metadata?.managedFields) o.metadata.managedFields = next.metadata.managedFields;
      return o;
    }
    if (old === undefined) {
      delete next.status;
      initialStatus(def, next);
    } else if (old.status !== undefined) next.status = clone(old.status);
    else delete next.status;
    return next;
  }

  private carryServerFields(def: ResourceDef, next: any, old: any | undefined): void {
    if (!old) return;
    const md = next.metadata;
    md.uid = old.metadata.uid;
    md.creationTimestamp = old.metadata.creationTimestamp;
    if (old.metadata.generation !== undefined) md.generation = old.metadata.generation;
    else delete md.generation;
    if (old.metadata.deletionTimestamp) {
      md.deletionTimestamp = old.metadata.deletionTimestamp;
      md.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    } else {
      delete md.deletionTimestamp;
      delete md.deletionGracePeriodSeconds;
    }
    if (def.kind === 'Service' && isObj(next.spec) && isObj(old.spec)) {
      // patchAllocatedValues: an update that omits the allocated clusterIP / nodePorts keeps them
      if (needsClusterIP(old.spec) && needsClusterIP(next.spec)) {
        if (!next.spec.clusterIP) next.spec.clusterIP = old.spec.clusterIP;
        if (!next.spec.clusterIPs) next.spec.clusterIPs = old.spec.clusterIPs;
        if (!next.spec.ipFamilies) next.spec.ipFamilies = old.spec.ipFamilies;
        if (!next.spec.ipFamilyPolicy) next.spec.ipFamilyPolicy = old.spec.ipFamilyPolicy;
      }
      if (Array.isArray(next.spec.ports) && Array.isArray(old.spec.ports))
        for (const p of next.spec.ports) {
          if (!isObj(p) || p.nodePort) continue;
          const op = old.spec.ports.find((x: any) => x.port === p.port && (x.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
          if (op?.nodePort && (next.spec.type === 'NodePort' || next.spec.type === 'LoadBalancer')) p.nodePort = op.nodePort;
        }
    }
    if (def.kind === 'Job' && isObj(next.spec) && isObj(old.spec) && next.spec.manualSelector !== true) {
      if (next.spec.selector === undefined) next.spec.selector = old.spec.selector;
      if (isObj(next.spec.template) && isObj(old.spec.template?.metadata?.labels)) {
        next.spec.template.metadata = next.spec.template.metadata ?? {};
        const labels = next.spec.template.metadata.labels ?? {};
        for (const k of ['batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name', 'controller-uid', 'job-name'])
          if (labels[k] === undefined && old.spec.template.metadata.labels[k] !== undefined) labels[k] = old.spec.template.metadata.labels[k];
        next.spec.template.metadata.labels = labels;
      }
    }
  }

  private allocate(def: ResourceDef, obj: any): void {
    if (def.kind !== 'Service' || !isObj(obj.spec)) return;
    const spec = obj.spec;
    if (needsClusterIP(spec)) {
      if (!spec.clusterIP) spec.clusterIP = `10.96.${Math.floor(this.nextIP / 256)}.${this.nextIP++ % 256}`;
      spec.clusterIPs = spec.clusterIPs ?? [spec.clusterIP];
      spec.ipFamilies = spec.ipFamilies ?? ['IPv4'];
      spec.ipFamilyPolicy = spec.ipFamilyPolicy ?? 'SingleStack';
    } else if (spec.clusterIP === 'None') {
      spec.clusterIPs = spec.clusterIPs ?? ['None'];
      spec.ipFamilies = spec.ipFamilies ?? ['IPv4'];
      spec.ipFamilyPolicy = spec.ipFamilyPolicy ?? 'SingleStack';
    }
    if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && Array.isArray(spec.ports))
      for (const p of spec.ports) if (isObj(p) && !p.nodePort) p.nodePort = this.nextNodePort++;
  }

  private specChanged(def: ResourceDef, a: any, b: any): boolean {
    if (def.custom) {
      const strip = (o: any) => {
        const c = { ...o };
        delete c.metadata;
        if (def.status) delete c.status;
        return c;
      };
      return !deepEqual(strip(a), strip(b));
    }
    return !deepEqual(a.spec, b.spec);
  }

  /** Persists a prepared object (create when old is undefined). Handles no-ops, dry-run, rv, generation. */
  private commit(def: ResourceDef, next: any, old: any | undefined, ctx: WriteContext): any {
    const key = storageKey(def);
    const ns = def.namespaced ? next.metadata.namespace : '';
    const name = next.metadata.name;
    if (old) {
      if (def.generation && this.specChanged(def, old, next)) next.metadata.generation = (old.metadata.generation ?? 0) + 1;
      next.metadata.resourceVersion = old.metadata.resourceVersion;
      if (deepEqual(old, next)) return this.present(def, old); // no-op write: nothing changes (managedFields times only move when something changed)
      if (old.metadata.deletionTimestamp && (!next.metadata.finalizers || next.metadata.finalizers.length === 0)) {
        // the last finalizer was removed from an object being deleted: it goes away now
        if (ctx.dryRun) return this.present(def, next);
        const rv = this.store.nextRV();
        next.metadata.resourceVersion = String(rv);
        this.store.remove(key, ns, name, next, rv);
        this.afterCommit(def, next, 'DELETED');
        return this.present(def, next);
      }
    } else {
      if (def.generation) next.metadata.generation = 1;
    }
    if (ctx.dryRun) {
      if (!old) delete next.metadata.resourceVersion;
      return this.present(def, next);
    }
    const rv = this.store.nextRV();
    next.metadata.resourceVersion = String(rv);
    this.store.put(key, ns, name, next, rv);
    this.afterCommit(def, next, old ? 'MODIFIED' : 'ADDED');
    return this.present(def, next);
  }

  private afterCommit(def: ResourceDef, obj: any, type: 'ADDED' | 'MODIFIED' | 'DELETED'): void {
    for (const h of this.afterWrite) h(def, clone(obj), type);
    if (type === 'DELETED' && obj.metadata?.uid) {
      const uid = obj.metadata.uid;
      this.defer(() => this.collectGarbage(uid, 'Background'));
      if (def.kind === 'Namespace') this.defer(() => this.finishNamespace(obj.metadata.name));
    }
    if (def.kind === 'Namespace' && type !== 'DELETED' && obj.metadata?.deletionTimestamp) this.defer(() => this.finishNamespace(obj.metadata.name));
    if (def.namespaced && type === 'DELETED') {
      const ns = this.store.get('/namespaces', '', obj.metadata.namespace);
      if (ns?.metadata?.deletionTimestamp) this.defer(() => this.finishNamespace(ns.metadata.name));
    }
  }

  create(def: ResourceDef, namespace: string, body: any, ctx: WriteContext): any {
    this.checkTypeMeta(def, body);
    const obj = this.toStorage(def, clone(body));
    this.checkNamespace(def, namespace, obj, true);
    const md = obj.metadata;
    if (!md.name && md.generateName) md.name = `${md.generateName}${this.random(5)}`;
    if (!md.name) throw invalid(def.kind, def.group, '', [{ type: 'Required', field: 'metadata.name', detail: 'name or generateName is required' }]);
    const nameErrs = validateName(def, md.name);
    if (nameErrs.length) throw invalid(def.kind, def.group, md.name, nameErrs);
    if (this.store.get(storageKey(def), def.namespaced ? namespace : '', md.name)) throw errors.alreadyExists(this.gr(def), md.name);
    if (rvIsSet(md.resourceVersion)) throw rvOnCreate();
    for (const k of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink']) delete md[k];
    md.uid = randomUUID();
    md.creationTimestamp = this.now();
    this.resetFields(def, obj, undefined);
    applyDefaults(def.kind, obj);
    this.normalize(def, obj, ctx);
    if (def.kind === 'Job') jobSelector(obj, md.uid);
    this.allocate(def, obj);
    this.validate(def, obj, undefined);
    const tracked = updateFields(undefined, obj, this.opOpts(def, ctx));
    return this.commit(def, tracked, undefined, ctx);
  }

  private opOpts(def: ResourceDef, ctx: WriteContext) {
    const o = { manager: ctx.manager, apiVersion: groupVersion(def), ti: this.typeInfo(def), ignore: this.ignoreFor(def, ctx.subresource), now: this.now() };
    return ctx.subresource ? { ...o, subresource: ctx.subresource } : o;
  }

  update(def: ResourceDef, namespace: string, name: string, body: any, ctx: WriteContext): { code: number; body: unknown } {
    this.checkTypeMeta(def, body);
    const obj = this.toStorage(def, clone(body));
    obj.metadata = isObj(obj.metadata) ? obj.metadata : {};
    if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    obj.metadata.name = name;
    this.checkNamespace(def, namespace, obj, false);
    const old = this.store.get(storageKey(def), def.namespaced ? namespace : '', name);
    if (!old) throw errors.notFound(this.gr(def), name);
    if (obj.metadata.uid && obj.metadata.uid !== old.metadata.uid) {
      throw errors.conflict(this.gr(def), name, `Precondition failed: UID in precondition: ${obj.metadata.uid}, UID in object meta: ${old.metadata.uid}`);
    }
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion) throw errors.modified(this.gr(def), name);
    return { code: 200, body: this.updateFrom(def, old, obj, ctx) };
  }

  /** Common tail of PUT and non-apply PATCH: `obj` is the full desired object. */
  private updateFrom(def: ResourceDef, old: any, obj: any, ctx: WriteContext): any {
    let next = this.resetFields(def, obj, old, ctx.subresource);
    this.carryServerFields(def, next, old);
    if (ctx.subresource !== 'status') applyDefaults(def.kind, next);
    this.normalize(def, next, ctx);
    this.allocate(def, next);
    this.validate(def, next, old);
    next = updateFields(old, next, this.opOpts(def, ctx));
    return this.commit(def, next, old, ctx);
  }

  patch(
    def: ResourceDef,
    namespace: string,
    name: string,
    body: Buffer,
    ct: string,
    q: Record<string, string>,
    ctx: WriteContext,
  ): { code: number; body: unknown } {
    const key = storageKey(def);
    const ns = def.namespaced ? namespace : '';
    const accepted = def.custom
      ? ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']
      : ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
    if (!accepted.includes(ct)) throw errors.unsupportedMediaType(ct, accepted);
    if (ct === 'application/apply-patch+yaml') {
      let applied: any;
      try {
        applied = parseYaml(body.toString('utf8'));
      } catch (e) {
        throw errors.badRequest(`error decoding YAML: ${(e as Error).message}`);
      }
      return this.apply(def, namespace, name, applied, q.force === 'true', ctx);
    }
    const old = this.store.get(key, ns, name);
    if (!old) throw errors.notFound(this.gr(def), name);
    let patchDoc: unknown;
    try {
      patchDoc = JSON.parse(body.toString('utf8'));
    } catch (e) {
      throw errors.badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    const current = this.present(def, old);
    let patched: any;
    if (ct === 'application/merge-patch+json') patched = mergePatch(current, patchDoc);
    else if (ct === 'application/json-patch+json') patched = jsonPatch(current, patchDoc);
    else patched = strategicMergePatch(current, patchDoc, this.typeInfo(def));
    if (!isObj(patched)) throw errors.badRequest('patched object is not a JSON object');
    patched.metadata = isObj(patched.metadata) ? patched.metadata : {};
    if (patched.metadata.name !== name) throw errors.badRequest(`the name of the object (${patched.metadata.name}) does not match the name on the URL (${name})`);
    this.checkTypeMeta(def, patched);
    if (def.namespaced && patched.metadata.namespace !== namespace) throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    if (patched.metadata.resourceVersion && patched.metadata.resourceVersion !== old.metadata.resourceVersion) throw errors.modified(this.gr(def), name);
    if (patched.metadata.uid && patched.metadata.uid !== old.metadata.uid) {
      throw errors.conflict(this.gr(def), name, `Precondition failed: UID in precondition: ${patched.metadata.uid}, UID in object meta: ${old.metadata.uid}`);
    }
    return { code: 200, body: this.updateFrom(def, old, this.toStorage(def, patched), ctx) };
  }

  apply(def: ResourceDef, namespace: string, name: string, applied: any, force: boolean, ctx: WriteContext): { code: number; body: unknown } {
    if (!isObj(applied)) throw errors.badRequest('apply patch must be a YAML/JSON object');
    this.checkTypeMeta(def, applied, false);
    if (isObj(applied.metadata) && applied.metadata.managedFields != null) throw errors.badRequest('metadata.managedFields must be nil');
    const cfg = this.toStorage(def, clone(applied));
    cfg.metadata = isObj(cfg.metadata) ? cfg.metadata : {};
    if (cfg.metadata.name !== undefined && cfg.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${cfg.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (def.namespaced && cfg.metadata.namespace && cfg.metadata.namespace !== namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const key = storageKey(def);
    const ns = def.namespaced ? namespace : '';
    const old = this.store.get(key, ns, name);
    if (cfg.metadata.resourceVersion && old && cfg.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw errors.modified(this.gr(def), name);
    }
    if (!old && rvIsSet(cfg.metadata.resourceVersion)) throw rvOnCreate();
    // the applied configuration is converted to a typed value: undeclared fields fail the request
    const undeclared = def.custom
      ? def.schema
        ? pruneAndDefault(clone(cfg), def.schema, false).map((p) => `.${p.replace(/\[(\d+)\]/g, '[$1]')}`)
        : []
      : unknownFields(def.kind, clone(cfg), false).map((u) => u.smd);
    if (undeclared.length) {
      const gvk = `${def.group}/${def.version}, Kind=${def.kind}`;
      throw apiError(
        500,
        undefined,
        `failed to create typed patch object (${cfg.metadata.namespace ?? ''}/${cfg.metadata.name ?? ''}; ${gvk}): ${undeclared.map((p) => `${p}: field not declared in schema`).join('\n')}`,
      );
    }
    const opts = { ...this.opOpts(def, ctx), force };
    if (!old) {
      if (!isObj(applied.metadata) || !applied.metadata.name) {
        throw errors.badRequest(`the name of the object (${name} based on URL) was undeterminable: name must be provided`);
      }
      if (cfg.metadata.uid) {
        throw errors.conflict(this.gr(def), name, `uid mismatch: the provided object specified uid ${cfg.metadata.uid}, and no existing object was found`);
      }
      // apply creates the object
      const base: any = { apiVersion: cfg.apiVersion, kind: cfg.kind, metadata: { name } };
      this.checkNamespace(def, namespace, base, true);
      const nameErrs = validateName(def, name);
      if (nameErrs.length) throw invalid(def.kind, def.group, name, nameErrs);
      const uid = randomUUID();
      const created = this.now();
      const finish = (merged: any) => {
        merged.metadata = merged.metadata ?? {};
        merged.metadata.name = name;
        if (def.namespaced) merged.metadata.namespace = namespace;
        else delete merged.metadata.namespace;
        merged.metadata.uid = uid;
        merged.metadata.creationTimestamp = created;
        this.resetFields(def, merged, undefined);
        applyDefaults(def.kind, merged);
        this.normalize(def, merged, ctx);
        if (def.kind === 'Job') jobSelector(merged, uid);
        return merged;
      };
      const obj = applyFields(undefined, cfg, opts, finish);
      this.allocate(def, obj);
      this.validate(def, obj, undefined);
      return { code: 201, body: this.commit(def, obj, undefined, ctx) };
    }
    const finish = (merged: any) => {
      merged.metadata = merged.metadata ?? {};
      merged.metadata.name = name;
      if (def.namespaced) merged.metadata.namespace = namespace;
      const next = this.resetFields(def, merged, old, ctx.subresource);
      this.carryServerFields(def, next, old);
      if (ctx.subresource !== 'status') applyDefaults(def.kind, next);
      this.normalize(def, next, ctx);
      return next;
    };
    const next = applyFields(old, cfg, opts, finish);
    this.allocate(def, next);
    this.validate(def, next, old);
    return { code: 200, body: this.commit(def, next, old, ctx) };
  }

  /* ---------------- delete ---------------- */

  delete(def: ResourceDef, namespace: string, name: string, opts: any, ctx: WriteContext): { code: number; body: unknown } {
    const key = storageKey(def);
    const ns = def.namespaced ? namespace : '';
    const old = this.store.get(key, ns, name);
    if (!old) throw errors.notFound(this.gr(def), name);
    const pre = opts?.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid)
      throw errors.conflict(this.gr(def), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`);
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion)
      throw errors.conflict(
        this.gr(def),
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
      );
    if (def.kind === 'Namespace') {
      if (['default', 'kube-system', 'kube-public'].includes(name))
        throw errors.forbidden(this.gr(def), name, 'this namespace may not be deleted');
      if (old.metadata.deletionTimestamp)
        throw errors.conflict(
          this.gr(def),
          name,
          'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
        );
    }
    const policy: string | undefined = opts?.propagationPolicy ?? (opts?.orphanDependents === true ? 'Orphan' : undefined);
    if (policy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
      throw invalid('DeleteOptions', 'meta.k8s.io', '', [
        { type: 'NotSupported', field: 'propagationPolicy', value: policy, detail: 'supported values: "Foreground", "Background", "Orphan", "nil"' },
      ]);
    }
    return this.deleteObject(def, old, policy, ctx);
  }

  /** Deletes (or starts deleting) an object. Returns the response like kube-apiserver. */
  deleteObject(def: ResourceDef, old: any, policy: string | undefined, ctx: WriteContext): { code: number; body: unknown } {
    const key = storageKey(def);
    const ns = def.namespaced ? old.metadata.namespace : '';
    const name = old.metadata.name;
    const next = clone(old);
    const finalizers: string[] = [...(next.metadata.finalizers ?? [])];
    const isCrd = def.kind === 'CustomResourceDefinition' && !def.custom;
    const graceful = def.kind === 'Namespace' || isCrd || finalizers.length > 0 || policy === 'Foreground' || policy === 'Orphan';
    if (graceful) {
      if (isCrd && !old.metadata.deletionTimestamp) {
        // the CRD REST Delete adds the cleanup finalizer and a Terminating condition; the finalizer controller
        // then deletes all custom resources and removes it
        if (!finalizers.includes(CRD_CLEANUP)) finalizers.push(CRD_CLEANUP);
        const now = this.now();
        const conds = (next.status?.conditions ?? []).filter((c: any) => c.type !== 'Terminating');
        conds.push({ type: 'Terminating', status: 'True', lastTransitionTime: now, reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' });
        next.status = { ...(next.status ?? {}), conditions: conds };
      }
      if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
      if (policy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
      if (finalizers.length) next.metadata.finalizers = finalizers;
      if (!next.metadata.deletionTimestamp) {
        next.metadata.deletionTimestamp = this.now();
        next.metadata.deletionGracePeriodSeconds = 0;
      }
      if (def.kind === 'Namespace') next.status = { ...(next.status ?? {}), phase: 'Terminating' };
      if (ctx.dryRun) return { code: 200, body: this.present(def, next) };
      if (!deepEqual(next, old)) {
        const rv = this.store.nextRV();
        next.metadata.resourceVersion = String(rv);
        this.store.put(key, ns, name, next, rv);
        this.afterCommit(def, next, 'MODIFIED');
      }
      if (policy === 'Foreground' || policy === 'Orphan') {
        const uid = next.metadata.uid;
        this.defer(() => this.collectGarbage(uid, policy, { def, ns, name }));
      }
      return { code: 200, body: this.present(def, next) };
    }
    if (ctx.dryRun) return { code: 200, body: this.deletedResponse(def, old) };
    const rv = this.store.nextRV();
    next.metadata.resourceVersion = String(rv);
    this.store.remove(key, ns, name, next, rv);
    this.afterCommit(def, next, 'DELETED');
    return { code: 200, body: this.deletedResponse(def, next) };
  }

  private deletedResponse(def: ResourceDef, obj: any): unknown {
    if (def.custom) return this.present(def, obj); // the custom resource store returns the deleted object
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: obj.metadata.name, ...(def.group ? { group: def.group } : {}), kind: def.plural, uid: obj.metadata.uid },
    };
  }

  deleteCollection(def: ResourceDef, namespace: string, q: Record<string, string>, ctx: WriteContext): unknown {
    const list = this.list(def, namespace, { ...(q.labelSelector ? { labelSelector: q.labelSelector } : {}), ...(q.fieldSelector ? { fieldSelector: q.fieldSelector } : {}) });
    const items: any[] = [];
    for (const item of list.items) {
      const ns = def.namespaced ? item.metadata.namespace : '';
      const old = this.store.get(storageKey(def), ns, item.metadata.name);
      if (!old) continue;
      const r = this.deleteObject(def, old, q.propagationPolicy, ctx);
      const b: any = r.body;
      if (b?.kind === 'Status') items.push(this.present(def, old));
      else items.push(b);
    }
    for (const i of items) if (!def.custom) {
      delete i.apiVersion;
      delete i.kind;
    }
    return { kind: def.listKind, apiVersion: groupVersion(def), metadata: { resourceVersion: String(this.store.currentRV()) }, items };
  }

  /* ---------------- garbage collector & namespace controller (approximations) ---------------- */

  private findDef(apiVersion: string, kind: string): ResourceDef | undefined {
    const [g, v] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return this.registry.byKind(g!, v!, kind);
  }

  private dependents(uid: string): { def: ResourceDef; obj: any }[] {
    const out: { def: ResourceDef; obj: any }[] = [];
    const seen = new Set<string>();
    for (const def of this.registry.all()) {
      const key = storageKey(def);
      if (seen.has(key)) continue;
      seen.add(key);
      for (const { obj } of this.store.list(key)) {
        if ((obj.metadata?.ownerReferences ?? []).some((r: any) => r.uid === uid)) out.push({ def, obj });
      }
    }
    return out;
  }

  private collectGarbage(uid: string, policy: string, owner?: { def: ResourceDef; ns: string; name: string }): void {
    const sys: WriteContext = { manager: 'kube-controller-manager', dryRun: false };
    for (const { def, obj } of this.dependents(uid)) {
      if (policy === 'Orphan') {
        const next = clone(obj);
        next.metadata.ownerReferences = next.metadata.ownerReferences.filter((r: any) => r.uid !== uid);
        if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
        this.systemWrite(def, next, obj, sys);
      } else if (!obj.metadata.deletionTimestamp) {
        this.deleteObject(def, obj, policy === 'Foreground' ? 'Foreground' : 'Background', sys);
      }
    }
    if (!owner) return;
    const current = this.store.get(storageKey(owner.def), owner.ns, owner.name);
    if (!current || current.metadata.uid !== uid) return;
    if (policy === 'Foreground' && this.dependents(uid).some((d) => d.obj.metadata?.ownerReferences?.some((r: any) => r.uid === uid && r.blockOwnerDeletion))) {
      this.defer(() => this.collectGarbage(uid, policy, owner), 5);
      return;
    }
    const fin = policy === 'Foreground' ? 'foregroundDeletion' : 'orphan';
    const next = clone(current);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f: string) => f !== fin);
    if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
    this.systemWrite(owner.def, next, current, sys);
  }

  private finishNamespace(name: string): void {
    const ns = this.store.get('/namespaces', '', name);
    if (!ns || !ns.metadata.deletionTimestamp) return;
    const sys: WriteContext = { manager: 'kube-controller-manager', dryRun: false };
    let remaining = 0;
    const seen = new Set<string>();
    for (const def of this.registry.all()) {
      if (!def.namespaced) continue;
      const key = storageKey(def);
      if (seen.has(key)) continue;
      seen.add(key);
      for (const { obj } of this.store.list(key, name)) {
        remaining++;
        if (!obj.metadata.deletionTimestamp) this.deleteObject(def, obj, 'Background', sys);
      }
    }
    if (remaining > 0) {
      // objects with finalizers keep the namespace Terminating until they are gone
      let left = 0;
      for (const k of seen) left += this.store.list(k, name).length;
      if (left > 0) return;
    }
    const nsDef = this.registry.lookup('', 'v1', 'namespaces')!;
    const cur = this.store.get('/namespaces', '', name);
    if (!cur) return;
    const next = clone(cur);
    next.spec = { ...(next.spec ?? {}), finalizers: [] };
    delete next.metadata.finalizers;
    const rv = this.store.nextRV();
    next.metadata.resourceVersion = String(rv);
    this.store.remove('/namespaces', '', name, next, rv);
    this.afterCommit(nsDef, next, 'DELETED');
  }

  /* ---------------- internal writes used by controllers and test hooks ---------------- */

  /** Writes `next` as an Update by `ctx.manager` (optionally to the status subresource), bypassing HTTP. */
  systemWrite(def: ResourceDef, next: any, old: any | undefined, ctx: WriteContext): any {
    if (!old) return this.create(def, next.metadata?.namespace ?? '', next, ctx);
    const obj = clone(next);
    obj.apiVersion = groupVersion(def);
    obj.kind = def.kind;
    obj.metadata.resourceVersion = old.metadata.resourceVersion;
    return this.updateFrom(def, old, obj, ctx);
  }

  systemCreate(obj: any, ctx: WriteContext = { manager: 'kube-apiserver', dryRun: false }): any {
    const def = this.findDef(obj.apiVersion, obj.kind);
    if (!def) throw new Error(`unknown kind ${obj.apiVersion} ${obj.kind}`);
    return this.create(def, obj.metadata?.namespace ?? '', obj, ctx);
  }

  defFor(apiVersion: string, kind: string): ResourceDef | undefined {
    return this.findDef(apiVersion, kind);
  }
}

/* ---------------- helpers ---------------- */

function needsClusterIP(spec: any): boolean {
  return (spec.type ?? 'ClusterIP') !== 'ExternalName' && spec.clusterIP !== 'None';
}

function initialStatus(def: ResourceDef, obj: any): void {
  switch (def.kind) {
    case 'Namespace':
      obj.status = { phase: 'Active' };
      break;
    case 'PersistentVolumeClaim':
      obj.status = { phase: 'Pending' };
      break;
    case 'Service':
      obj.status = { loadBalancer: {} };
      break;
    case 'Pod':
      obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
      break;
    case 'CustomResourceDefinition':
      obj.status = { acceptedNames: { kind: '', plural: '' }, conditions: [], storedVersions: [] };
      break;
  }
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const MICRO_LAYOUT = '2006-01-02T15:04:05.000000Z07:00';
const TIME_FIELDS = new Set(['lastTransitionTime', 'lastUpdateTime', 'lastProbeTime', 'lastHeartbeatTime', 'startTime', 'completionTime', 'lastScheduleTime', 'lastSuccessfulTime', 'firstTimestamp', 'lastTimestamp']);

/**
 * metav1.MicroTime fields (Lease acquireTime/renewTime, Event eventTime) only parse with exactly six
 * fractional digits; metav1.Time fields accept fractions but are stored with second precision.
 */
function normalizeTimes(def: ResourceDef, obj: any): void {
  const micro = (v: unknown, field: string) => {
    if (v === undefined || v === null) return;
    const str = String(v);
    const m = str.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(.*)$/);
    const rest = m ? m[1]! : str;
    if (!m || !/^\.\d{6}(Z|[+-]\d{2}:\d{2})$/.test(rest)) {
      const what = m ? `cannot parse ${JSON.stringify(rest)} as ".000000"` : `cannot parse ${JSON.stringify(str)} as "2006"`;
      throw errors.badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: parsing time ${JSON.stringify(str)} as ${JSON.stringify(MICRO_LAYOUT)}: ${what}`);
    }
    void field;
  };
  if (def.kind === 'Lease' && isObj(obj.spec)) {
    micro(obj.spec.acquireTime, 'spec.acquireTime');
    micro(obj.spec.renewTime, 'spec.renewTime');
  }
  if (def.kind === 'Event') {
    micro(obj.eventTime, 'eventTime');
    if (isObj(obj.series)) micro(obj.series.lastObservedTime, 'series.lastObservedTime');
  }
  const walk = (o: any): void => {
    if (Array.isArray(o)) return o.forEach(walk);
    if (!isObj(o)) return;
    for (const [k, v] of Object.entries(o)) {
      if (TIME_FIELDS.has(k) && typeof v === 'string') {
        const m = v.match(RFC3339);
        if (m && m[2]) o[k] = new Date(v).toISOString().replace(/\.\d{3}Z$/, 'Z');
      } else if (typeof v === 'object') walk(v);
    }
  };
  walk(obj.status);
  walk(obj.spec);
}

const GO_MAP_FIELDS = new Set(['labels', 'annotations', 'data', 'binaryData', 'matchLabels', 'nodeSelector', 'selector', 'stringData']);

/**
 * Typed (built-in) objects are Go structs: empty slices and maps tagged `omitempty` disappear when the
 * server encodes them. We drop empty arrays everywhere and empty maps for the common map-typed fields.
 */
function omitEmpty(o: any): void {
  if (Array.isArray(o)) {
    for (const x of o) omitEmpty(x);
    return;
  }
  if (!isObj(o)) return;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === null) delete o[k];
    else if (Array.isArray(v)) {
      if (v.length === 0 && k !== 'managedFields') delete o[k];
      else omitEmpty(v);
    } else if (isObj(v)) {
      if (Object.keys(v).length === 0 && GO_MAP_FIELDS.has(k)) delete o[k];
      else omitEmpty(v);
    }
  }
}

/** etcd3 store.Create rejects objects carrying a (parseable, non-zero) resourceVersion with a plain 500. */
function rvIsSet(rv: unknown): boolean {
  return typeof rv === 'string' && /^\d+$/.test(rv) && Number(rv) !== 0;
}

function rvOnCreate(): ApiError {
  return apiError(500, undefined, 'resourceVersion should not be set on objects to be created');
}

function truncate(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}...` : s;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_REQUEST_BYTES + 1) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function decodeBody(body: Buffer, ct: string): any {
  const text = body.toString('utf8');
  if (text.trim() === '') throw errors.badRequest('the body of the request is empty');
  try {
    if (ct.includes('yaml')) return parseYaml(text);
    return JSON.parse(text);
  } catch (e) {
    throw errors.badRequest(`the object provided is unrecognized (could not decode body: ${(e as Error).message})`);
  }
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = v.match(/^v(\d+)(?:(alpha|beta)(\d+))?$/);
    if (!m) return [0, 0, 0, v] as const;
    const stage = m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3;
    return [stage, Number(m[1]), Number(m[3] ?? 0), v] as const;
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa[0] !== pb[0]) return pb[0] - pa[0];
  if (pa[1] !== pb[1]) return pb[1] - pa[1];
  if (pa[2] !== pb[2]) return pb[2] - pa[2];
  return a < b ? -1 : 1;
}

export const VERSION_INFO = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.0-opm-testapiserver',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2024-08-13T07:28:49Z',
  goVersion: 'go1.22.5',
  compiler: 'gc',
  platform: 'linux/amd64',
};
