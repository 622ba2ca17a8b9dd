// The only place that talks HTTP to the cluster, through @kubernetes/client-node.
// opm handles objects as plain JSON (it diffs, hashes and stores them), so the
// generic KubernetesObjectApi is used with its typed (de)serialisation turned
// off: typed models would drop fields they do not know and turn timestamps into
// Dates, which would make a live object differ from what the server holds.
import { HttpMethod, KubeConfig, KubernetesObjectApi, type KubernetesObject, Observable, PatchStrategy, type User } from '@kubernetes/client-node';
import type { RequestContext, ResponseContext } from '@kubernetes/client-node';
import type { HttpLibrary } from '@kubernetes/client-node';
import { isConnectionReset, KeepAliveAgents } from './keepalive.js';
import { CLEANUP_GRACE_MS, Deadline } from './deadline.js';
import { formatDuration } from './duration.js';
import { BoundedHttpLibrary, REQUEST_TIMEOUT_MS, type RequestBounds } from './http.js';
import { execConfigOf, ExecCredentialPlugin } from './exec-credential.js';
import { impersonatedGroups } from './impersonate.js';
import type { ResolvedConfig } from './kubeconfig.js';
import { FIELD_MANAGER, type KubeObject, type ObjectRef } from './types.js';
import { apiVersionOf, displayRef, headerOf } from './objref.js';

/** A failed API call, with the Kubernetes Status (reason, details.causes) kept. */
export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly causes: { type?: string; message?: string; field?: string }[] = [],
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof KubeApiError && e.code === 404;
export const isConflict = (e: unknown): boolean => e instanceof KubeApiError && e.code === 409;

/**
 * client-node found the group/version but not the kind in discovery. (A transient discovery
 * failure is a KubeApiError with its own code and is not taken for "not served".)
 */
const isUnservedKind = (e: unknown): boolean => e instanceof Error && !(e instanceof KubeApiError) && /^Unrecognized API version and kind/.test(e.message);

/** The kind is not served (yet): e.g. a custom resource whose CRD is not established. */
export class UnknownKindError extends Error {
  constructor(readonly apiVersion: string, readonly kind: string, detail: string) {
    super(`the cluster does not serve ${kind} in ${apiVersion}${detail ? ` (${detail})` : ''}`);
    this.name = 'UnknownKindError';
  }
}

/**
 * Metadata fields opm may send. client-node still passes `metadata` through its
 * typed V1ObjectMeta serializer, which chokes on server-set timestamps given as
 * strings (creationTimestamp, managedFields[].time), and those must not be sent anyway.
 */
const WRITABLE_META = ['name', 'namespace', 'labels', 'annotations', 'resourceVersion', 'finalizers', 'ownerReferences', 'generateName'];

export function forWrite(obj: KubeObject): KubeObject {
  const metadata: Record<string, unknown> = {};
  for (const k of WRITABLE_META) if (obj.metadata[k] !== undefined) metadata[k] = obj.metadata[k];
  const { status: _status, ...rest } = obj as KubeObject & { status?: unknown };
  return { ...rest, metadata } as KubeObject;
}

const RAW = 'opm.RawObject'; // a type name client-node's serializer does not know: bodies pass as-is

class RawObjectApi extends KubernetesObjectApi {
  protected override async getSerializationType(): Promise<string> {
    return RAW;
  }

  protected override async processResponse<T extends KubernetesObject>(response: ResponseContext): Promise<T> {
    const text = await response.body.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : {};
    } catch {
      data = undefined;
    }
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) return data as T;
    const status = (data ?? {}) as { reason?: string; message?: string; details?: { causes?: KubeApiError['causes'] } };
    throw new KubeApiError(
      response.httpStatusCode,
      status.reason ?? 'Unknown',
      status.message ?? `HTTP ${response.httpStatusCode}`,
      status.details?.causes ?? [],
    );
  }

  private bounds?: RequestBounds;
  private exec?: { plugin: ExecCredentialPlugin; user: { -readonly [K in keyof User]: User[K] } };

  /** Runs a kubeconfig credential plugin under the request bounds (exec-credential.ts) and gives `user` its credential. */
  useExecCredential(plugin: ExecCredentialPlugin, user: User): void {
    this.exec = { plugin, user };
  }

  protected override async requestPromise<T extends KubernetesObject>(...args: Parameters<KubernetesObjectApi['requestPromise']>): Promise<T> {
    if (this.exec && this.bounds) {
      const st = await this.exec.plugin.get(this.bounds);
      const u = this.exec.user;
      u.token = st.token;
      // client-node reads certData/keyData as base64; a plugin gives PEM.
      u.certData = st.clientCertificateData ? Buffer.from(st.clientCertificateData).toString('base64') : undefined;
      u.keyData = st.clientKeyData ? Buffer.from(st.clientKeyData).toString('base64') : undefined;
    }
    return super.requestPromise<T>(...args).catch((e: unknown) => {
      // A kept-alive connection the server closed just as it was reused: a read is safely sent again, once.
      if (args[0].getHttpMethod() === HttpMethod.GET && isConnectionReset(e)) return super.requestPromise<T>(...args);
      throw e;
    });
  }

  /** Sends every request through `BoundedHttpLibrary` (deadline and per-request bound). */
  useBounds(bounds: RequestBounds, impersonateGroups: string[] = []): void {
    this.bounds = bounds;
    (this.configuration as { httpApi: HttpLibrary }).httpApi = new BoundedHttpLibrary(bounds, impersonateGroups);
  }

  async isNamespaced(apiVersion: string, kind: string): Promise<boolean> {
    let res;
    try {
      res = await this.resource(apiVersion, kind);
    } catch (e) {
      // Only a 404 of the group/version means "not served"; connection or server errors stay what they are.
      if (e instanceof KubeApiError && e.code === 404) throw new UnknownKindError(apiVersion, kind, '');
      throw e;
    }
    if (!res) throw new UnknownKindError(apiVersion, kind, '');
    return res.namespaced;
  }

  /** Runs after client-node set up authentication (and a new agent) for each request. */
  useKeepAlive(agents: KeepAliveAgents): void {
    this.configuration.middleware.push({
      pre: (ctx: RequestContext) => {
        const agent = ctx.getAgent();
        if (agent) ctx.setAgent(agents.reuse(agent) as typeof agent);
        return new Observable(Promise.resolve(ctx));
      },
      post: (rsp: ResponseContext) => new Observable(Promise.resolve(rsp)),
    });
  }

  /** Drops cached discovery so a freshly established CRD is seen. */
  forgetDiscovery(apiVersion: string): void {
    delete this.apiVersionResourceCache[apiVersion];
  }

  /** A list request; `metadataOnly` asks for PartialObjectMetadataList, falling back to full objects. */
  async listPage(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    labelSelector: string | undefined,
    limit: number,
    cont: string | undefined,
    metadataOnly: boolean,
  ): Promise<{ items: KubeObject[]; metadata?: { continue?: string } }> {
    const path = await this.specUriPath({ apiVersion, kind, metadata: namespace ? { namespace } : {} }, 'list');
    const ctx = this.configuration.baseServer.makeRequestContext(path, HttpMethod.GET);
    // The fallback to plain JSON keeps this working on servers without the metadata-only transform.
    ctx.setHeaderParam(
      'Accept',
      metadataOnly ? 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json;q=0.9' : 'application/json',
    );
    if (labelSelector) ctx.setQueryParam('labelSelector', labelSelector);
    ctx.setQueryParam('limit', String(limit));
    if (cont) ctx.setQueryParam('continue', cont);
    return this.requestPromise(ctx) as unknown as Promise<{ items: KubeObject[]; metadata?: { continue?: string } }>;
  }

  /** The REST path of a kind (all namespaces when `namespace` is undefined), e.g. for a watch. */
  async collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<string> {
    return this.specUriPath({ apiVersion, kind, metadata: namespace ? { namespace } : {} }, 'list');
  }

  /** A merge patch of a subresource (`status`): client-node's object API has no subresource calls. */
  async patchSubresource(obj: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }, subresource: string, patch: unknown, fieldManager: string): Promise<KubeObject> {
    const path = await this.specUriPath({ apiVersion: obj.apiVersion, kind: obj.kind, metadata: { ...obj.metadata } }, 'patch');
    const ctx = this.configuration.baseServer.makeRequestContext(`${path}/${subresource}`, HttpMethod.PATCH);
    ctx.setHeaderParam('Content-Type', 'application/merge-patch+json');
    ctx.setHeaderParam('Accept', 'application/json');
    ctx.setQueryParam('fieldManager', fieldManager);
    ctx.setBody(JSON.stringify(patch));
    return this.requestPromise(ctx) as unknown as Promise<KubeObject>;
  }
}

export interface KubeClientOptions {
  /** Field manager of every write (default `opm`; the operator writes as `opm-operator`). */
  fieldManager?: string;
  /** Bounds every request of the command (connection included). */
  deadline?: Deadline;
  /** Bounds each request on its own (default REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
}

export interface ApplyCallOptions {
  force?: boolean;
  dryRun?: boolean;
}

/** A thin, plain-JSON facade over the cluster for the rest of the package. */
export class KubeClient {
  readonly api: RawObjectApi;
  /** What bounds each request: the command's deadline (if any) and a per-request timeout. */
  readonly bounds: RequestBounds = { requestTimeoutMs: REQUEST_TIMEOUT_MS };
  readonly fieldManager: string;

  constructor(readonly config: ResolvedConfig, opts: KubeClientOptions = {}) {
    this.fieldManager = opts.fieldManager ?? FIELD_MANAGER;
    const user = config.kc.getCurrentUser();
    const exec = execConfigOf(user);
    if (user && exec) {
      // client-node would run the plugin with no time limit: this client gets a config of its own whose user
      // carries no exec, and the plugin runs under the request bounds before each request (exec-credential.ts).
      const plain: User = { ...user, exec: undefined, authProvider: undefined };
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: config.kc.getClusters(),
        users: config.kc.getUsers().map((u) => (u === user ? plain : u)),
        contexts: config.kc.getContexts(),
        currentContext: config.kc.getCurrentContext(),
      });
      this.api = kc.makeApiClient(RawObjectApi);
      this.api.useExecCredential(new ExecCredentialPlugin(user.name, exec), plain);
    } else {
      this.api = config.kc.makeApiClient(RawObjectApi);
    }
    this.api.useKeepAlive(new KeepAliveAgents());
    if (opts.deadline) this.bounds.deadline = opts.deadline;
    if (opts.requestTimeoutMs) this.bounds.requestTimeoutMs = opts.requestTimeoutMs;
    this.api.useBounds(this.bounds, impersonatedGroups(config.kc));
  }

  get deadline(): Deadline | undefined {
    return this.bounds.deadline;
  }

  /**
   * Runs clean-up after a missed deadline (mark the revision failed, give the Lease back) under a
   * short grace deadline of its own, so it can still reach the server, but never for long.
   */
  async cleanup<T>(fn: () => Promise<T>): Promise<T> {
    const main = this.bounds.deadline;
    if (!main || main.remaining() >= CLEANUP_GRACE_MS) return fn();
    return this.withDeadline(new Deadline(CLEANUP_GRACE_MS, `the ${formatDuration(CLEANUP_GRACE_MS)} clean-up grace after ${main.what}`), fn);
  }

  /** Runs `fn` under another deadline (e.g. the atomic rollback's own --atomic-timeout). */
  async withDeadline<T>(d: Deadline, fn: () => Promise<T>): Promise<T> {
    const main = this.bounds.deadline;
    this.bounds.deadline = d;
    try {
      return await fn();
    } finally {
      this.bounds.deadline = main;
    }
  }

  async isNamespaced(apiVersion: string, kind: string): Promise<boolean> {
    return this.api.isNamespaced(apiVersion, kind);
  }

  forgetDiscovery(apiVersion: string): void {
    this.api.forgetDiscovery(apiVersion);
  }

  /** The REST path of a kind's collection (all namespaces when `namespace` is undefined), for a watch. */
  async collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<string> {
    return this.api.collectionPath(apiVersion, kind, namespace);
  }

  /** The live object, or undefined when it does not exist (or its kind is not served). */
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return (await this.api.read(headerOf(ref) as never)) as unknown as KubeObject;
    } catch (e) {
      // 404 is either the object or its whole group/version (discovery); both mean "not there".
      if (isNotFound(e) || isUnservedKind(e)) return undefined;
      throw e;
    }
  }

  /** Server-side apply under the `opm` field manager. */
  async apply(obj: KubeObject, opts: ApplyCallOptions = {}): Promise<KubeObject> {
    try {
      return (await this.api.patch(
        forWrite(obj) as never,
        undefined,
        opts.dryRun ? 'All' : undefined,
        this.fieldManager,
        opts.force ? true : undefined,
        PatchStrategy.ServerSideApply,
      )) as unknown as KubeObject;
    } catch (e) {
      throw this.unknownKind(e, obj);
    }
  }

  async create(obj: KubeObject): Promise<KubeObject> {
    return (await this.api.create(forWrite(obj) as never, undefined, undefined, this.fieldManager)) as unknown as KubeObject;
  }

  /** Replace with optimistic concurrency (obj.metadata.resourceVersion must be set). */
  async replace(obj: KubeObject): Promise<KubeObject> {
    return (await this.api.replace(forWrite(obj) as never, undefined, undefined, this.fieldManager)) as unknown as KubeObject;
  }

  async mergePatch(ref: ObjectRef, patch: Record<string, unknown>): Promise<KubeObject> {
    const body = { ...headerOf(ref), ...patch, metadata: { ...headerOf(ref).metadata, ...((patch.metadata as object) ?? {}) } };
    return (await this.api.patch(
      body as never,
      undefined,
      undefined,
      this.fieldManager,
      undefined,
      PatchStrategy.MergePatch,
    )) as unknown as KubeObject;
  }

  /** Deletes; false when it was already gone. */
  async delete(ref: ObjectRef, propagationPolicy: 'Background' | 'Foreground' | 'Orphan' = 'Background'): Promise<boolean> {
    try {
      await this.api.delete(headerOf(ref) as never, undefined, undefined, undefined, undefined, propagationPolicy);
      return true;
    } catch (e) {
      if (isNotFound(e) || isUnservedKind(e)) return false;
      throw e;
    }
  }

  /** All objects matching and the list's resourceVersion (where a watch resumes), following `continue` tokens. */
  async listWithVersion(apiVersion: string, kind: string, opts: { namespace?: string; labelSelector?: string } = {}): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    const items: KubeObject[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    for (let page = 0; page < 10_000; page++) {
      const res = (await this.api.listPage(apiVersion, kind, opts.namespace, opts.labelSelector, 500, cont, false)) as { items?: KubeObject[]; metadata?: { continue?: string; resourceVersion?: string } };
      items.push(...(res.items ?? []));
      if (page === 0) resourceVersion = res.metadata?.resourceVersion ?? '';
      cont = res.metadata?.continue || undefined;
      if (!cont) break;
    }
    return { items, resourceVersion };
  }

  /** All objects matching, following `continue` tokens (bounded pages). */
  async list(
    apiVersion: string,
    kind: string,
    opts: { namespace?: string; labelSelector?: string; metadataOnly?: boolean; pageSize?: number } = {},
  ): Promise<KubeObject[]> {
    const out: KubeObject[] = [];
    let cont: string | undefined;
    for (let page = 0; page < 10_000; page++) {
      const res = await this.api.listPage(
        apiVersion,
        kind,
        opts.namespace,
        opts.labelSelector,
        opts.pageSize ?? 500,
        cont,
        opts.metadataOnly ?? false,
      );
      out.push(...(res.items ?? []));
      cont = res.metadata?.continue || undefined;
      if (!cont) break;
    }
    return out;
  }

  private unknownKind(e: unknown, obj: KubeObject): unknown {
    if (isUnservedKind(e) || (e instanceof KubeApiError && e.code === 404 && /^Failed to fetch resource metadata/.test(e.message))) {
      return new UnknownKindError(obj.apiVersion, obj.kind, '');
    }
    return e;
  }
}

export function describeApiError(e: unknown, ref?: ObjectRef, ns?: string): string {
  const what = ref ? `${displayRef(ref, ns)}: ` : '';
  if (e instanceof KubeApiError) return `${what}${e.message} (${e.reason}, HTTP ${e.code})`;
  if (e instanceof Error) {
    const cause = (e as { cause?: { code?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED') return `${what}cannot reach the cluster (connection refused)`;
    return `${what}${e.message}`;
  }
  return `${what}${String(e)}`;
}

export { apiVersionOf };
