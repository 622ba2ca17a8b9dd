// A small client for the OCI distribution API (registry API v2), on Node's
// built-in fetch.
//
// Why not a library: the npm packages for this are unmaintained (the last
// general-purpose one, docker-registry-client, pulls in restify and bunyan)
// and we need only a dozen requests. What the client does:
//   - auth: reacts to 401 challenges. `Basic` sends the credentials; `Bearer`
//     gets a token from the challenge's realm (service, scope) and caches it
//     per scope. Credentials are looked up only when a registry asks.
//   - transport: http only for loopback registries or when `insecure` is set,
//     https otherwise; every request has a timeout; responses are size-bounded.
//   - blobs: HEAD to skip existing ones, optional cross-repository mount, then
//     POST + monolithic PUT; downloads are verified against their digest
//     (small ones in memory, layers streamed to a file: blob-file.ts).
//   - manifests: PUT/GET/HEAD/DELETE by tag or digest, `Docker-Content-Digest`
//     checked against the bytes.
//   - listing: tags and `_catalog`, following `Link: <...>; rel="next"` pages.
import { basicAuthorization, defaultCredentialProvider, parseWwwAuthenticate, type CredentialProvider, type Credentials } from './auth.js';
import { writeVerifiedBlob } from './blob-file.js';
import { digestMatches, sha256Digest } from './digest.js';
import { OciError, type OciErrorCode } from './errors.js';
import { isLoopbackRegistry } from './reference.js';

export const MEDIA_TYPE_OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MEDIA_TYPE_OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const MEDIA_TYPE_DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const MANIFEST_ACCEPT = [MEDIA_TYPE_OCI_MANIFEST, MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_DOCKER_MANIFEST].join(', ');

/** Manifests larger than this are refused (the distribution spec suggests 4 MiB). */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Upper bound of pages followed while listing, so a misbehaving registry cannot loop us forever. */
const MAX_PAGES = 10_000;
/** Upper bounds of a listing as a whole (tags or repositories), so endless pages cannot fill memory. */
const MAX_LIST_ITEMS = 100_000;
const MAX_LIST_BYTES = 32 * 1024 * 1024;
/** Largest blob downloaded whatever its descriptor says. */
export const DEFAULT_MAX_BLOB_BYTES = 512 * 1024 * 1024;

type Env = Record<string, string | undefined>;

export interface RegistryClientOptions {
  /** `host[:port]`. */
  registry: string;
  /** Allow plain http to a non-loopback registry. */
  insecure?: boolean;
  /** Fixed credentials, or a provider; default: the docker/podman auth file of `env`. */
  credentials?: Credentials | CredentialProvider;
  env?: Env;
  /** For tests: a fetch to observe or stub requests. */
  fetch?: typeof fetch;
  /** Per-request timeout, default 30 s. */
  timeoutMs?: number;
  /** Page size asked of list endpoints (`n`), default 1000. */
  pageSize?: number;
}

export interface ManifestResult {
  body: Buffer;
  digest: string;
  mediaType: string;
}

export interface ManifestHead {
  digest: string;
  mediaType: string;
  size: number;
}

interface SendOptions {
  headers?: Record<string, string>;
  body?: Buffer;
  /** Token scope for bearer auth, e.g. `repository:a/b:pull`. */
  scope: string;
  /** Statuses returned to the caller rather than raised as errors. */
  ok: number[];
  /** Words for error messages: "push blob to a/b". */
  what: string;
  /** Ends the request (and the reading of its body) early, beside the per-request timeout. */
  signal?: AbortSignal;
}

export class RegistryClient {
  readonly registry: string;
  readonly baseUrl: string;
  private readonly credentials: CredentialProvider;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  private readonly pageSize: number;
  private readonly tokens = new Map<string, string>();
  /** Set after a Basic challenge: later requests send credentials up front. */
  private basic: string | undefined;
  /** Whether the last challenge was answered without credentials (for the error message). */
  private anonymous = false;

  constructor(opts: RegistryClientOptions) {
    this.registry = opts.registry;
    const plain = isLoopbackRegistry(opts.registry) || opts.insecure === true;
    // Docker Hub is named docker.io but served from registry-1.docker.io.
    const apiHost = opts.registry === 'docker.io' || opts.registry === 'index.docker.io' ? 'registry-1.docker.io' : opts.registry;
    this.baseUrl = `${plain ? 'http' : 'https'}://${apiHost}`;
    const c = opts.credentials;
    this.credentials =
      typeof c === 'function' ? c : defaultCredentialProvider({ ...(c ? { credentials: c } : {}), ...(opts.env ? { env: opts.env } : {}) });
    this.fetchFn = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.pageSize = opts.pageSize ?? 1000;
  }

  /** Checks that the registry speaks API v2 and that we may talk to it. */
  async ping(): Promise<void> {
    const res = await this.send('GET', '/v2/', { scope: '', ok: [200], what: 'check registry' });
    await discard(res);
  }

  async blobExists(repo: string, digest: string): Promise<boolean> {
    const res = await this.send('HEAD', `/v2/${repo}/blobs/${digest}`, { scope: pull(repo), ok: [200, 404], what: `check blob ${digest} in ${repo}` });
    await discard(res);
    return res.status === 200;
  }

  /**
   * Uploads a blob unless the repository has it already. With `mountFrom`, asks
   * the registry to link the blob from another repository first (no upload
   * when it has it there).
   */
  async pushBlob(repo: string, data: Buffer, opts: { mountFrom?: string } = {}): Promise<{ digest: string; size: number; uploaded: boolean }> {
    const digest = sha256Digest(data);
    const result = { digest, size: data.length };
    if (await this.blobExists(repo, digest)) return { ...result, uploaded: false };
    const scope = push(repo);
    let path = `/v2/${repo}/blobs/uploads/`;
    if (opts.mountFrom) path += `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(opts.mountFrom)}`;
    const start = await this.send('POST', path, { scope, ok: [201, 202], what: `start blob upload to ${repo}`, headers: { 'Content-Length': '0' } });
    await discard(start);
    if (start.status === 201) return { ...result, uploaded: false }; // mounted
    const location = start.headers.get('location');
    if (!location) throw new OciError(`registry ${this.registry} did not return an upload location for ${repo}`);
    const url = new URL(location, this.baseUrl);
    url.searchParams.set('digest', digest);
    const put = await this.send('PUT', url.toString(), {
      scope,
      ok: [201],
      what: `upload blob ${digest} to ${repo}`,
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(data.length) },
      body: data,
    });
    await discard(put);
    return { ...result, uploaded: true };
  }

  /**
   * Downloads a blob and checks it against its digest (and size, when known).
   * The descriptor's size never raises the cap: a descriptor larger than
   * `maxSize` is refused before anything is downloaded.
   */
  async getBlob(repo: string, digest: string, opts: { size?: number; maxSize?: number } = {}): Promise<Buffer> {
    const cap = Math.min(opts.maxSize ?? DEFAULT_MAX_BLOB_BYTES, DEFAULT_MAX_BLOB_BYTES);
    if (opts.size !== undefined && (!Number.isSafeInteger(opts.size) || opts.size < 0 || opts.size > cap)) {
      throw new OciError(`blob ${digest} in ${repo} is too large (its descriptor says ${opts.size} bytes, at most ${cap})`, 'INVALID');
    }
    const res = await this.send('GET', `/v2/${repo}/blobs/${digest}`, { scope: pull(repo), ok: [200], what: `download blob ${digest} from ${repo}` });
    const max = Math.min(opts.size ?? cap, cap);
    const body = await readBounded(res, max, `blob ${digest}`);
    if (opts.size !== undefined && body.length !== opts.size) {
      throw new OciError(`blob ${digest} from ${repo} has ${body.length} bytes, its descriptor says ${opts.size}`, 'DIGEST_MISMATCH');
    }
    if (!digestMatches(body, digest)) throw new OciError(`blob downloaded from ${repo} does not match its digest ${digest}`, 'DIGEST_MISMATCH');
    return body;
  }

  /**
   * Downloads a blob to the file `dest`, streamed through a temporary file in
   * `tmpDir` while it is hashed (see blob-file.ts): the same caps as getBlob,
   * the per-request timeout (and `signal`) covering the whole body, and no
   * file left behind unless the blob matched its digest and size.
   */
  async downloadBlob(repo: string, digest: string, dest: string, opts: { size?: number; maxSize?: number; tmpDir: string; signal?: AbortSignal }): Promise<{ size: number }> {
    const cap = Math.min(opts.maxSize ?? DEFAULT_MAX_BLOB_BYTES, DEFAULT_MAX_BLOB_BYTES);
    if (opts.size !== undefined && (!Number.isSafeInteger(opts.size) || opts.size < 0 || opts.size > cap)) {
      throw new OciError(`blob ${digest} in ${repo} is too large (its descriptor says ${opts.size} bytes, at most ${cap})`, 'INVALID');
    }
    const what = `download blob ${digest} from ${repo}`;
    const res = await this.send('GET', `/v2/${repo}/blobs/${digest}`, { scope: pull(repo), ok: [200], what, ...(opts.signal ? { signal: opts.signal } : {}) });
    const max = Math.min(opts.size ?? cap, cap);
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > max) {
      await discard(res);
      throw new OciError(`blob ${digest} from ${repo} is too large (${declared} bytes, at most ${max})`, 'INVALID');
    }
    const size = await writeVerifiedBlob(res.body, {
      digest,
      ...(opts.size !== undefined ? { size: opts.size } : {}),
      max,
      dest,
      tmpDir: opts.tmpDir,
      what: `blob ${digest} from ${repo}`,
      why: (err) => this.whyFailed(err),
    });
    return { size };
  }

  /** Puts a manifest under a tag or digest; returns its digest. */
  async putManifest(repo: string, reference: string, body: Buffer, mediaType: string): Promise<string> {
    const digest = sha256Digest(body);
    const res = await this.send('PUT', `/v2/${repo}/manifests/${reference}`, {
      scope: push(repo),
      ok: [201],
      what: `push manifest ${repo}:${reference}`,
      headers: { 'Content-Type': mediaType, 'Content-Length': String(body.length) },
      body,
    });
    await discard(res);
    const echoed = res.headers.get('docker-content-digest');
    if (echoed && echoed !== digest) {
      throw new OciError(`registry ${this.registry} stored manifest ${repo}:${reference} as ${echoed}, expected ${digest}`, 'DIGEST_MISMATCH');
    }
    return digest;
  }

  async getManifest(repo: string, reference: string): Promise<ManifestResult> {
    const res = await this.send('GET', `/v2/${repo}/manifests/${reference}`, {
      scope: pull(repo),
      ok: [200],
      what: `get manifest ${repo}:${reference}`,
      headers: { Accept: MANIFEST_ACCEPT },
    });
    const body = await readBounded(res, MAX_MANIFEST_BYTES, `manifest ${repo}:${reference}`);
    // Trust the bytes, not the header: the digest is what we compute.
    const digest = sha256Digest(body);
    if (reference.includes(':') && !digestMatches(body, reference)) {
      throw new OciError(`manifest downloaded from ${repo} does not match its digest ${reference}`, 'DIGEST_MISMATCH');
    }
    const mediaType = res.headers.get('content-type')?.split(';')[0]?.trim() || mediaTypeOf(body);
    return { body, digest, mediaType };
  }

  /** The digest a tag points to, or undefined when the tag (or repository) does not exist. */
  async headManifest(repo: string, reference: string): Promise<ManifestHead | undefined> {
    const res = await this.send('HEAD', `/v2/${repo}/manifests/${reference}`, {
      scope: pull(repo),
      ok: [200, 404],
      what: `check manifest ${repo}:${reference}`,
      headers: { Accept: MANIFEST_ACCEPT },
    });
    await discard(res);
    if (res.status === 404) return undefined;
    const digest = res.headers.get('docker-content-digest');
    if (!digest) {
      // Registries should send it; when one does not, GET and hash.
      const m = await this.getManifest(repo, reference);
      return { digest: m.digest, mediaType: m.mediaType, size: m.body.length };
    }
    return {
      digest,
      mediaType: res.headers.get('content-type')?.split(';')[0]?.trim() ?? '',
      size: Number(res.headers.get('content-length') ?? 0),
    };
  }

  /** Deletes a manifest by digest (registries refuse delete by tag). Needs `delete: enabled` on distribution. */
  async deleteManifest(repo: string, digest: string): Promise<void> {
    const res = await this.send('DELETE', `/v2/${repo}/manifests/${digest}`, { scope: `repository:${repo}:delete`, ok: [202], what: `delete manifest ${repo}@${digest}` });
    await discard(res);
  }

  /** All tags of a repository (empty when it does not exist). */
  async listTags(repo: string): Promise<string[]> {
    const tags: string[] = [];
    await this.paginate(`/v2/${repo}/tags/list?n=${this.pageSize}`, pull(repo), `list tags of ${repo}`, (body) => {
      const t = (body as { tags?: unknown }).tags;
      if (!Array.isArray(t)) return 0;
      for (const x of t) if (typeof x === 'string') tags.push(x);
      return t.length;
    }, true);
    return tags;
  }

  /**
   * Repositories of the registry (`/v2/_catalog`), optionally only those under
   * `prefix/`. Many hosted registries disable this endpoint; that gives a
   * clear UNSUPPORTED error.
   */
  async listRepositories(prefix = ''): Promise<string[]> {
    const repos: string[] = [];
    const under = prefix ? `${prefix}/` : '';
    try {
      await this.paginate(`/v2/_catalog?n=${this.pageSize}`, 'registry:catalog:*', 'list repositories', (body) => {
        const r = (body as { repositories?: unknown }).repositories;
        if (!Array.isArray(r)) return 0;
        for (const x of r) if (typeof x === 'string' && x.startsWith(under)) repos.push(x);
        return r.length;
      }, false);
    } catch (err) {
      if (err instanceof OciError && (err.status === 404 || err.status === 405 || err.code === 'UNSUPPORTED')) {
        throw new OciError(
          `registry ${this.registry} does not support listing repositories (/v2/_catalog answered ${err.status ?? err.code}); ` +
            'modules can still be fetched by name',
          'UNSUPPORTED',
          err.status,
        );
      }
      throw err;
    }
    return repos.sort();
  }

  private async paginate(first: string, scope: string, what: string, onPage: (body: unknown) => number, notFoundIsEmpty: boolean): Promise<void> {
    let next: string | undefined = first;
    let items = 0;
    let bytes = 0;
    const origin = new URL(this.baseUrl).origin;
    for (let page = 0; next; page++) {
      if (page >= MAX_PAGES) throw new OciError(`${what}: more than ${MAX_PAGES} pages from ${this.registry}`);
      // Only the registry's own host and scheme: a `Link` to elsewhere would send our requests (and tokens) there.
      const url = new URL(next, this.baseUrl);
      if (url.origin !== origin) throw new OciError(`${what}: registry ${this.registry} sent a next-page link to another host or scheme (${url.origin}); not followed`, 'INVALID');
      const res: Response = await this.send('GET', next, { scope, ok: notFoundIsEmpty ? [200, 404] : [200], what });
      if (res.status === 404) {
        await discard(res);
        return;
      }
      const raw = await readBounded(res, MAX_LIST_BYTES - bytes, what);
      bytes += raw.length;
      const text = raw.toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new OciError(`${what}: registry ${this.registry} sent invalid JSON`);
      }
      items += onPage(body ?? {});
      if (items > MAX_LIST_ITEMS) throw new OciError(`${what}: registry ${this.registry} lists more than ${MAX_LIST_ITEMS} entries; not a module catalog`, 'INVALID');
      next = nextLink(res.headers.get('link'));
    }
  }

  /** One request with auth: on 401 answer the challenge and retry once. */
  private async send(method: string, pathOrUrl: string, o: SendOptions): Promise<Response> {
    const url = new URL(pathOrUrl, this.baseUrl);
    // Credentials only ever go to the registry's own origin (upload locations may point elsewhere).
    const sameOrigin = url.origin === new URL(this.baseUrl).origin;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { ...o.headers };
      if (sameOrigin) {
        const token = this.tokens.get(o.scope);
        if (token) headers.Authorization = `Bearer ${token}`;
        else if (this.basic) headers.Authorization = this.basic;
      }
      const res = await this.rawFetch(url.toString(), { method, headers, ...(o.body ? { body: o.body } : {}) }, o.signal);
      if (res.status === 401 && attempt === 0 && sameOrigin) {
        await discard(res);
        await this.answerChallenge(res.headers.get('www-authenticate'), o.scope, o.what);
        continue;
      }
      if (o.ok.includes(res.status)) return res;
      throw await this.failure(res, o.what, attempt > 0);
    }
  }

  private async answerChallenge(header: string | null, scope: string, what: string): Promise<void> {
    const challenges = parseWwwAuthenticate(header ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    // A credential lookup may fail (an unsupported credential helper): public
    // repositories still work with an anonymous token, so keep the error for
    // when credentials turn out to be needed.
    let creds: Credentials | undefined;
    let credsError: unknown;
    try {
      creds = this.credentials(this.registry);
    } catch (err) {
      credsError = err;
    }
    this.anonymous = !creds;
    if (bearer) {
      try {
        this.tokens.set(scope, await this.fetchToken(bearer.params, scope, creds));
      } catch (err) {
        throw credsError ?? err;
      }
      return;
    }
    if (basic) {
      if (credsError) throw credsError;
      if (!creds) throw this.noCredentials(what);
      this.basic = basicAuthorization(creds);
      return;
    }
    throw new OciError(
      `not supported yet: registry ${this.registry} asks for authentication scheme ${challenges[0]?.scheme ?? '(none given)'} (${what})`,
      'UNSUPPORTED',
      401,
    );
  }

  /** Token flow of the distribution spec: GET realm?service=…&scope=…, Basic credentials if we have them. */
  private async fetchToken(params: Record<string, string>, scope: string, creds: Credentials | undefined): Promise<string> {
    const realm = params.realm;
    if (!realm) throw new OciError(`registry ${this.registry} sent a Bearer challenge without a realm`, 'UNAUTHORIZED', 401);
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new OciError(`registry ${this.registry} sent a Bearer challenge with an invalid realm ${JSON.stringify(realm)}`, 'UNAUTHORIZED', 401);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new OciError(`registry ${this.registry} sent a Bearer challenge with a realm that is not http(s): ${url.protocol}`, 'UNAUTHORIZED', 401);
    }
    // Credentials go in clear text only to the registry's own loopback host:
    // an http registry (loopback or --insecure) must not make us send them
    // unencrypted to a token service somewhere else.
    const registryHost = new URL(this.baseUrl).hostname;
    const clearTextOk = isLoopbackRegistry(url.host) && url.hostname === registryHost;
    if (url.protocol === 'http:' && creds && !clearTextOk) {
      throw new OciError(`refusing to send credentials to token service ${url.origin} over plain http (only the registry's own loopback host may get them unencrypted)`, 'DENIED');
    }
    if (url.protocol === 'http:' && !clearTextOk && !this.baseUrl.startsWith('http:')) {
      throw new OciError(`refusing a plain http token service ${url.origin} for the https registry ${this.registry}`, 'DENIED');
    }
    if (params.service) url.searchParams.set('service', params.service);
    // The registry's own scope wins: it knows what this request needs.
    const wanted = params.scope ?? scope;
    for (const s of wanted.split(' ')) if (s) url.searchParams.append('scope', s);
    const headers: Record<string, string> = {};
    if (creds) headers.Authorization = basicAuthorization(creds);
    const res = await this.rawFetch(url.toString(), { method: 'GET', headers });
    if (res.status === 401 || res.status === 403) {
      await discard(res);
      throw creds
        ? new OciError(`authentication to ${this.registry} failed: the token service ${url.origin} refused the credentials`, 'UNAUTHORIZED', res.status)
        : this.noCredentials(`get a token for ${wanted}`);
    }
    if (res.status !== 200) {
      await discard(res);
      throw new OciError(`token service ${url.origin} for ${this.registry} answered ${res.status}`, 'UNAUTHORIZED', res.status);
    }
    let body: { token?: unknown; access_token?: unknown };
    try {
      body = JSON.parse((await readBounded(res, 1024 * 1024, 'token response')).toString('utf8'));
    } catch {
      throw new OciError(`token service ${url.origin} for ${this.registry} sent invalid JSON`, 'UNAUTHORIZED');
    }
    const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
    if (!token) throw new OciError(`token service ${url.origin} for ${this.registry} sent no token`, 'UNAUTHORIZED');
    return token;
  }

  private noCredentials(what: string): OciError {
    return new OciError(
      `registry ${this.registry} requires authentication to ${what}, and no credentials were found ` +
        '(use --registry-username with --password-stdin, or log in so that ~/.docker/config.json or REGISTRY_AUTH_FILE has an entry)',
      'UNAUTHORIZED',
      401,
    );
  }

  private async rawFetch(url: string, init: { method: string; headers: Record<string, string>; body?: Buffer }, signal?: AbortSignal): Promise<Response> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      return await this.fetchFn(url, { ...init, redirect: 'follow', signal: signal ? AbortSignal.any([timeout, signal]) : timeout });
    } catch (err) {
      throw new OciError(`cannot reach registry ${this.registry} (${new URL(url).origin}): ${this.whyFailed(err)}`, 'NETWORK');
    }
  }

  /** A failed request or body read, in words. */
  private whyFailed(err: unknown): string {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e?.name === 'TimeoutError') return `no answer within ${this.timeoutMs} ms`;
    if (e?.name === 'AbortError') return 'aborted';
    return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
  }

  private async failure(res: Response, what: string, afterAuth: boolean): Promise<OciError> {
    let detail = '';
    try {
      const text = (await readBounded(res, 64 * 1024, 'error')).toString('utf8');
      const errs = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors;
      if (Array.isArray(errs) && errs.length) detail = errs.map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
    } catch {
      // Not a JSON error body: the status says enough.
    }
    const code: OciErrorCode = res.status === 404 ? 'NOT_FOUND' : res.status === 401 ? 'UNAUTHORIZED' : res.status === 403 ? 'DENIED' : 'ERROR';
    let msg = `${what} on ${this.registry}: ${res.status} ${res.statusText}${detail ? ` (${detail})` : ''}`;
    if (res.status === 401 && afterAuth) {
      if (this.anonymous) return this.noCredentials(what);
      msg = `authentication to ${this.registry} failed (${what}): check the username and password`;
    }
    return new OciError(msg, code, res.status);
  }
}

function pull(repo: string): string {
  return `repository:${repo}:pull`;
}
function push(repo: string): string {
  return `repository:${repo}:pull,push`;
}

function mediaTypeOf(body: Buffer): string {
  try {
    const m = (JSON.parse(body.toString('utf8')) as { mediaType?: unknown }).mediaType;
    return typeof m === 'string' ? m : '';
  } catch {
    return '';
  }
}

/** `<url>; rel="next"` → url. */
export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (m && /(?:^|;)\s*rel="?next"?\s*(?:;|$)/i.test(m[2]!)) return m[1];
  }
  return undefined;
}

async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // Nothing to release.
  }
}

async function readBounded(res: Response, max: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    await discard(res);
    throw new OciError(`${what} is too large (${declared} bytes, at most ${max})`);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      throw new OciError(`${what} is too large (more than ${max} bytes)`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
