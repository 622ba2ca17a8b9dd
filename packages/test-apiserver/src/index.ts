/**
 * In-process stand-in for kube-apiserver, for tests. See README.md in this directory for what is
 * implemented faithfully and what is approximated.
 *
 *   const api = await startTestApiServer();
 *   const kc = new KubeConfig(); kc.loadFromFile(api.kubeconfigPath);
 *   ...
 *   await api.close();
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ApiServerCore, type Fault, type RequestRecord } from './server.js';
import { SimulatedControllers, type ControllerOptions, type ObjectMatch } from './controllers.js';
import { installCrdController } from './crd.js';
import { installNamespaceDefaults } from './nsdefaults.js';
import { groupVersion, storageKey, type ResourceDef } from './resources.js';
import { clone } from './json.js';

export type { Fault, RequestRecord } from './server.js';
export type { ControllerOptions, ObjectMatch, PodProblem, SimulatedControllers } from './controllers.js';
export type { ResourceDef } from './resources.js';
export { ApiError } from './errors.js';

export interface TestApiServerOptions {
  /** Bearer token clients must send (default: random). */
  token?: string;
  /** Enable simulated workload controllers (Deployments/StatefulSets/DaemonSets become ready, Jobs complete, PVCs bind). */
  controllers?: boolean | ControllerOptions;
  /** Clock used for timestamps (default: real time). */
  clock?: () => Date;
  /** Number of watch events kept for resuming watches (older resourceVersions get 410 Expired). */
  historyLimit?: number;
  /** Delay before a new CRD becomes Established (default 0 = next tick). */
  crdEstablishDelayMs?: number;
  /** Interval of watch BOOKMARK events when allowWatchBookmarks=true (default 10s). */
  bookmarkIntervalMs?: number;
  /** Namespace written as the kubeconfig context's default namespace (default "default"). */
  namespace?: string;
  /**
   * Populate namespaces like a real cluster does (default true): a `default` ServiceAccount and the
   * `kube-root-ca.crt` ConfigMap in every namespace (shortly after it is created; `settle()` waits), and the
   * `kubernetes` Service in `default`. Code that lists namespaces' contents must cope with these.
   */
  namespaceDefaults?: boolean;
  /**
   * Serve HTTPS with a freshly generated self-signed certificate for 127.0.0.1 (needs the `openssl` CLI);
   * the kubeconfig then carries it as certificate-authority-data instead of insecure-skip-tls-verify.
   */
  tls?: boolean;
  /**
   * More bearer tokens, each authenticating as a user in groups (plus `system:authenticated`), whose
   * requests RBAC authorizes (the default token stays a cluster admin). `TokenReview` and
   * `SelfSubjectReview` answer with these identities.
   */
  users?: TestUser[];
}

export interface TestUser {
  token: string;
  name: string;
  groups?: string[];
}

/** Direct access to stored objects (bypasses HTTP, auth and faults). */
export interface TestStore {
  /** Current global resourceVersion. */
  resourceVersion(): string;
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): any | undefined;
  list(apiVersion: string, kind: string, namespace?: string): any[];
  /**
   * Writes an object the way a controller would (an Update by `manager`, default "test-controller"),
   * to the main resource or with `subresource: 'status'` to the status. Creates if absent.
   */
  write(obj: any, opts?: { manager?: string; subresource?: 'status' }): any;
  /** Deletes an object as a client would (finalizers respected). */
  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string, opts?: { propagationPolicy?: string }): void;
  /** Removes finalizers from an object (simulating their controllers) so a pending deletion completes. */
  clearFinalizers(apiVersion: string, kind: string, namespace: string | undefined, name: string): void;
}

export interface TestFaults {
  /** Adds a fault; returns a function removing it. */
  inject(f: Fault): () => void;
  /** Fail the Nth (1-based) request matching `f` with `status` (default 500). */
  failNth(n: number, f?: Omit<Fault, 'skip' | 'times'>): () => void;
  clear(): void;
}

export interface TestApiServer {
  url: string;
  token: string;
  kubeconfigPath: string;
  kubeconfigYaml: string;
  store: TestStore;
  controllers: SimulatedControllers;
  faults: TestFaults;
  /** Every request received (method, path, query, content type, status, verb, response bytes). */
  requests: RequestRecord[];
  /** TCP (or TLS) connections accepted so far: shows whether a client reuses connections. */
  connections(): number;
  /** Waits for background work (GC, namespace cleanup, CRD establishment, controllers) to finish. */
  settle(): Promise<void>;
  /** Served resource definitions (built-ins and established CRDs). */
  resources(): ResourceDef[];
  /**
   * Test-only stand-in for the cluster network: port `port` of Service NAMESPACE/NAME answers at `target`
   * (host:port, e.g. 127.0.0.1:9443). Webhooks registered by `clientConfig.service` are called there (the Service
   * must exist and list the port, as kube-apiserver requires; TLS is verified for NAME.NAMESPACE.svc). Returns a
   * function removing the route.
   */
  routeService(namespace: string, name: string, port: number, target: string): () => void;
  close(): Promise<void>;
}

export async function startTestApiServer(opts: TestApiServerOptions = {}): Promise<TestApiServer> {
  const token = opts.token ?? randomBytes(16).toString('hex');
  let address = '127.0.0.1:0';
  const core = new ApiServerCore({
    token,
    clock: opts.clock ?? (() => new Date()),
    historyLimit: opts.historyLimit ?? 10000,
    serverAddress: () => address,
    users: opts.users ?? [],
  });
  if (opts.bookmarkIntervalMs) core.bookmarkIntervalMs = opts.bookmarkIntervalMs;
  installCrdController(core, { establishDelayMs: opts.crdEstablishDelayMs ?? 0 });
  const controllers = new SimulatedControllers(core, opts.controllers);

  const dir = mkdtempSync(join(tmpdir(), 'opm-test-apiserver-'));
  let certPem: string | undefined;
  let server: Server;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void core.handle(req, res);
  };
  if (opts.tls) {
    const keyPath = join(dir, 'tls.key');
    const certPath = join(dir, 'tls.crt');
    try {
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
          '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyPath, '-out', certPath],
        { stdio: 'ignore', timeout: 20000 },
      );
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`test apiserver: generating a TLS certificate with openssl failed: ${(e as Error).message}`);
    }
    certPem = readFileSync(certPath, 'utf8');
    server = createHttpsServer({ key: readFileSync(keyPath), cert: certPem }, handler) as unknown as Server;
  } else {
    server = createServer(handler);
  }
  if (opts.namespaceDefaults !== false) installNamespaceDefaults(core, certPem ? { caPem: certPem } : {});
  server.keepAliveTimeout = 5000;
  let connections = 0;
  server.on(opts.tls ? 'secureConnection' : 'connection', () => connections++);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  address = `127.0.0.1:${port}`;
  const url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const kubeconfigPath = join(dir, 'kubeconfig');
  const kubeconfigYaml = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: test',
    '  cluster:',
    `    server: ${url}`,
    certPem
      ? `    certificate-authority-data: ${Buffer.from(certPem).toString('base64')}`
      : // client-node refuses plain http unless TLS verification is explicitly skipped
        '    insecure-skip-tls-verify: true',
    'users:',
    '- name: test',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: test',
    '  context:',
    '    cluster: test',
    '    user: test',
    `    namespace: ${opts.namespace ?? 'default'}`,
    'current-context: test',
    '',
  ].join('\n');
  writeFileSync(kubeconfigPath, kubeconfigYaml, { mode: 0o600 });

  const defOf = (apiVersion: string, kind: string): ResourceDef => {
    const d = core.defFor(apiVersion, kind);
    if (!d) throw new Error(`test apiserver: ${apiVersion} ${kind} is not served`);
    return d;
  };
  const nsOf = (d: ResourceDef, ns: string | undefined) => (d.namespaced ? ns ?? 'default' : '');

  const store: TestStore = {
    resourceVersion: () => String(core.store.currentRV()),
    get(apiVersion, kind, namespace, name) {
      const d = defOf(apiVersion, kind);
      const o = core.store.get(storageKey(d), nsOf(d, namespace), name);
      return o ? core.present(d, o) : undefined;
    },
    list(apiVersion, kind, namespace) {
      const d = defOf(apiVersion, kind);
      return core.store.list(storageKey(d), d.namespaced ? namespace : undefined).map((x) => core.present(d, x.obj));
    },
    write(obj, o = {}) {
      const d = defOf(obj.apiVersion, obj.kind);
      const ns = nsOf(d, obj.metadata?.namespace);
      const old = core.store.get(storageKey(d), ns, obj.metadata.name);
      const next = clone(obj);
      next.metadata = { ...next.metadata };
      if (d.namespaced) next.metadata.namespace = ns;
      const ctx = { manager: o.manager ?? 'test-controller', dryRun: false, ...(o.subresource ? { subresource: o.subresource } : {}) };
      if (!old) return core.create(d, ns, next, ctx);
      return core.systemWrite(d, next, old, ctx);
    },
    delete(apiVersion, kind, namespace, name, o = {}) {
      const d = defOf(apiVersion, kind);
      const old = core.store.get(storageKey(d), nsOf(d, namespace), name);
      if (!old) return;
      core.deleteObject(d, old, o.propagationPolicy, { manager: 'test-controller', dryRun: false });
    },
    clearFinalizers(apiVersion, kind, namespace, name) {
      const d = defOf(apiVersion, kind);
      const old = core.store.get(storageKey(d), nsOf(d, namespace), name);
      if (!old) return;
      const next = clone(old);
      delete next.metadata.finalizers;
      if (d.kind === 'Namespace') next.spec = { ...(next.spec ?? {}), finalizers: [] };
      core.systemWrite(d, { ...next, apiVersion: groupVersion(d), kind: d.kind }, old, { manager: 'test-controller', dryRun: false });
    },
  };

  const faults: TestFaults = {
    inject(f) {
      const a = { ...f, seen: 0, fired: 0 };
      core.faults.push(a);
      return () => {
        const i = core.faults.indexOf(a);
        if (i >= 0) core.faults.splice(i, 1);
      };
    },
    failNth(n, f = {}) {
      return faults.inject({ status: 500, ...f, skip: n - 1, times: 1 });
    },
    clear() {
      core.faults.length = 0;
    },
  };

  let closed = false;
  return {
    url,
    token,
    kubeconfigPath,
    kubeconfigYaml,
    store,
    controllers,
    faults,
    requests: core.requests,
    connections: () => connections,
    settle: () => core.settle(),
    resources: () => [...core.registry.all()],
    routeService(namespace, name, port, target) {
      const key = `${namespace}/${name}:${port}`;
      core.serviceRoutes.set(key, target);
      return () => core.serviceRoutes.delete(key);
    },
    async close() {
      if (closed) return;
      closed = true;
      core.closeWatches();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type { ObjectMatch as ControllerMatch };
