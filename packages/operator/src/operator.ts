// The operator process: the admission webhook (every replica serves it), and,
// on the replica that holds the leader Lease, the controller: an informer on
// ModuleReleases, caches of the objects they own, a work queue with N workers
// and per-release back-off, and a periodic resync.
import { hostname } from 'node:os';
import type { CatalogSource } from '@opm/core';
import { KubeClient, type ResolvedConfig } from '@opm/kube';
import { operatorSession, type PlatformPin } from './catalog.js';
import { API_VERSION, KIND, OPERATOR_FIELD_MANAGER } from './crd.js';
import { ClientPool } from './impersonate.js';
import { EventRecorder } from './events.js';
import { Informer } from './informer.js';
import { LeaderElector } from './leader.js';
import { OwnedObjects } from './owned.js';
import { Reconciler, type ReconcileResult } from './reconcile.js';
import type { ModuleReleaseObject } from './resource.js';
import { WorkQueue } from './queue.js';
import { WebhookServer } from './webhook.js';

export interface OperatorOptions {
  config: ResolvedConfig;
  catalog: CatalogSource;
  /** Platform rules fetched from a registry (`--platform oci://…`): recorded, with their digest, in each release's status. */
  platform?: PlatformPin;
  workers?: number;
  /** Every release is reconciled again this often (drift detection); default 10 minutes. */
  resyncMs?: number;
  /**
   * The progress deadline: how long the objects of a new revision may take to become ready; past it the revision
   * is recorded failed and the release is Stalled (ProgressDeadlineExceeded). Default 5 minutes.
   */
  timeoutMs?: number;
  historyMax?: number;
  /** Back-off of a failing release: base and cap (default 1 s … 5 min). */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Lease-based leader election; false runs the controller at once (a single replica). */
  leaderElection?: false | { namespace: string; name?: string; leaseDurationMs?: number; renewEveryMs?: number; retryEveryMs?: number };
  /** Identity in the leader and release Leases; default `opm-operator@HOST pid PID`. */
  identity?: string;
  /** ServiceAccount (in the release's namespace) to apply as when a ModuleRelease names none. */
  defaultServiceAccount?: string;
  webhook?: { port: number; host?: string; cert: string | Buffer; key: string | Buffer };
  log?: (line: string) => void;
  /** Called when leadership is lost after being held (the process should exit and restart). */
  onLostLeadership?: () => void;
  /** Observes each reconcile (tests, metrics). */
  onReconciled?: (key: string, result: ReconcileResult | { action: 'error'; error: string }) => void;
}

export class Operator {
  readonly client: KubeClient;
  private readonly pool: ClientPool;
  private readonly identity: string;
  private elector?: LeaderElector;
  private releases?: Informer;
  private owned?: OwnedObjects;
  private queue?: WorkQueue;
  private reconciler?: Reconciler;
  private webhook?: WebhookServer;
  private resyncTimer?: NodeJS.Timeout;
  private controllerStarted = false;
  private stopping = false;
  private running?: Promise<void>;
  webhookPort?: number;
  /** Events on ModuleReleases (core/v1, deduplicated and aggregated as client-go's recorder does). */
  readonly events: EventRecorder;

  constructor(private readonly o: OperatorOptions) {
    this.client = new KubeClient(o.config, { fieldManager: OPERATOR_FIELD_MANAGER });
    this.pool = new ClientPool(o.config, this.client);
    this.identity = o.identity ?? `opm-operator@${hostname()} pid ${process.pid}`;
    this.events = new EventRecorder(this.client, {
      component: OPERATOR_FIELD_MANAGER,
      host: hostname(),
      onError: (e) => this.log(`event not recorded: ${(e as Error)?.message?.split('\n')[0] ?? String(e)}`),
    });
  }

  private readonly session = () => (this.sessionValue ??= operatorSession(this.o.catalog));
  private sessionValue?: ReturnType<typeof operatorSession>;

  private log(s: string): void {
    this.o.log?.(s);
  }

  get isLeader(): boolean {
    return this.controllerStarted && !this.stopping;
  }

  clientFor(mr: ModuleReleaseObject): KubeClient {
    return this.pool.forServiceAccount(mr.metadata.namespace!, mr.spec.serviceAccountName ?? this.o.defaultServiceAccount);
  }

  /** Starts the webhook, then campaigns for leadership in the background; resolves once the webhook listens. */
  async start(): Promise<void> {
    if (this.o.webhook) {
      this.webhook = new WebhookServer({
        ...this.o.webhook,
        session: this.session(),
        client: this.client,
        clientFor: (mr) => this.clientFor(mr),
        log: (l) => this.log(l),
      });
      this.webhookPort = await this.webhook.start();
      this.log(`webhook listening on port ${this.webhookPort}`);
    }
    const le = this.o.leaderElection;
    if (le === false || le === undefined) {
      this.running = this.startController();
      await this.running;
      return;
    }
    this.elector = new LeaderElector(this.client, { namespace: le.namespace, name: le.name ?? 'opm-operator', identity: this.identity, ...pick(le) });
    this.running = this.elector
      .run(() => {
        this.log('lost leadership; stopping the controller');
        void this.stopController().then(() => this.o.onLostLeadership?.());
      })
      .then(async (won) => {
        if (!won || this.stopping) return;
        this.log(`${this.identity}: leading`);
        await this.startController();
      });
  }

  /** Resolves when the controller runs (leader) — for tests. Bounded by `timeoutMs`. */
  async whenLeading(timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.controllerStarted) return true;
      if (this.stopping) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  private async startController(): Promise<void> {
    if (this.stopping) return;
    const owned = new OwnedObjects(
      this.o.config.kc,
      this.client,
      (ns, name) => {
        if (this.releases?.get(name, ns)) this.queue?.add(`${ns}/${name}`);
      },
      (e) => this.log(`watch error: ${(e as Error)?.message ?? String(e)}`),
    );
    this.owned = owned;
    this.reconciler = new Reconciler({
      client: this.client,
      clientFor: (mr) => this.clientFor(mr),
      session: this.session(),
      owned,
      lockHolder: this.identity,
      historyMax: this.o.historyMax ?? 10,
      timeoutMs: this.o.timeoutMs ?? 300_000,
      log: (l) => this.log(l),
      requeue: (ns, name) => this.queue?.add(`${ns}/${name}`, { priority: true }),
      events: this.events,
      ...(this.o.platform ? { platform: this.o.platform } : {}),
    });
    this.queue = new WorkQueue(
      (key) => this.handle(key),
      { workers: this.o.workers ?? 4, baseDelayMs: this.o.backoff?.baseMs ?? 1000, maxDelayMs: this.o.backoff?.maxMs ?? 300_000 },
      (key, e) => {
        this.log(`${key}: ${(e as Error)?.message?.split('\n')[0] ?? String(e)} (retrying with back-off)`);
        this.o.onReconciled?.(key, { action: 'error', error: (e as Error)?.message ?? String(e) });
        this.resyncReconciled(key, true);
      },
    );
    this.releases = new Informer(this.o.config.kc, this.client, {
      apiVersion: API_VERSION,
      kind: KIND,
      onChange: (obj, type) => {
        const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
        if (type === 'delete') {
          this.reconciler?.forget(obj.metadata.namespace!, obj.metadata.name);
          this.resyncReconciled(key, false, true);
          this.handling.delete(key);
        } else this.queue?.add(key);
      },
      onError: (e) => this.log(`watch error (ModuleReleases): ${(e as Error)?.message ?? String(e)}`),
    });
    this.queue.start();
    await this.releases.start();
    this.controllerStarted = true;
    const resync = this.o.resyncMs ?? 600_000;
    this.resyncTimer = setInterval(() => this.resync(), resync);
    this.resyncTimer.unref();
  }

  /**
   * Queues every release (the periodic resync); returns how many. The resync ends when each of them has been
   * reconciled once since (applied, found unchanged, refused, or failed and left to its back-off): a rollout it
   * started and still watches, or a release that keeps failing, does not hold the end back.
   */
  resync(): number {
    const all = this.releases?.list() ?? [];
    const seq = ++this.resyncSeq;
    const prev = this.resyncing;
    // A resync still running when the next is due keeps its start (its end is logged once) and waits for the new keys too.
    if (prev) this.log(`resync: the previous resync is still running (${prev.left.size} of ${prev.releases} releases left)`);
    const r = (this.resyncing = prev ?? { started: Date.now(), releases: 0, failed: 0, left: new Map<string, number>() });
    for (const o of all) {
      const key = `${o.metadata.namespace}/${o.metadata.name}`;
      if (!r.left.has(key)) r.releases++;
      r.left.set(key, seq);
      this.queue?.add(key);
    }
    this.log(`resync: ${all.length} releases queued`);
    this.resyncEnd();
    return all.length;
  }

  private resyncSeq = 0;
  /** The running resync: per release not reconciled yet, the resync that queued it. */
  private resyncing?: { started: number; releases: number; failed: number; left: Map<string, number> };

  /** A reconcile of `key` that began during resync `startedIn` ended (or the release is gone). */
  private resyncReconciled(key: string, failed: boolean, gone = false, startedIn = this.handling.get(key)): void {
    const r = this.resyncing;
    const queuedBy = r?.left.get(key);
    if (!r || queuedBy === undefined) return;
    // A reconcile that began before the resync queued this key says nothing of what the resync asked for.
    if (!gone && (startedIn === undefined || startedIn < queuedBy)) return;
    r.left.delete(key);
    if (failed) r.failed++;
    this.resyncEnd();
  }

  /** Logs the end of a resync (operations see how long a resync takes). */
  private resyncEnd(): void {
    const r = this.resyncing;
    if (!r || r.left.size > 0) return;
    this.resyncing = undefined;
    this.log(`resync: ${r.releases} releases done in ${Date.now() - r.started} ms${r.failed ? ` (${r.failed} failed, retrying with back-off)` : ''}`);
  }

  /** Releases a running resync still has to reconcile (0 when none runs). */
  get resyncLeft(): number {
    return this.resyncing?.left.size ?? 0;
  }

  /** Per key being reconciled: the resync sequence number when its reconcile began. */
  private readonly handling = new Map<string, number>();

  /** Work left: queued plus being reconciled plus rollouts being watched (tests wait for 0 to see a quiet operator). */
  get pending(): number {
    return (this.queue?.length ?? 0) + (this.queue?.busy ?? 0) + (this.reconciler?.rolloutsInFlight ?? 0);
  }

  private async handle(key: string): Promise<{ requeueAfterMs?: number } | void> {
    const [ns, name] = key.split('/') as [string, string];
    const obj = this.releases?.get(name, ns);
    if (!obj) {
      this.resyncReconciled(key, false, true);
      return;
    }
    // Kept after the reconcile: a failure reaches the queue's error callback (resyncReconciled) after this returns.
    this.handling.set(key, this.resyncSeq);
    const r = await this.reconciler!.reconcile(structuredClone(obj) as unknown as ModuleReleaseObject);
    this.queue!.forget(key);
    this.o.onReconciled?.(key, r);
    this.resyncReconciled(key, false);
    return r.requeueAfterMs !== undefined ? { requeueAfterMs: r.requeueAfterMs } : undefined;
  }

  private async stopController(): Promise<void> {
    clearInterval(this.resyncTimer);
    this.resyncing = undefined;
    await this.releases?.stop();
    await this.owned?.stop();
    await this.queue?.stop(this.o.timeoutMs ?? 30_000);
    // Background readiness waits end now: their revisions are marked failed and their Leases given back,
    // so the next leader re-applies at once instead of waiting for the Leases to expire.
    await this.reconciler?.stop();
    await Promise.race([this.events.flush(), new Promise((r) => setTimeout(r, 5_000).unref())]);
    this.controllerStarted = false;
  }

  /** SIGTERM: stop taking work, finish (bounded) what is running, give up the leader Lease, close the webhook. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await this.stopController();
    await this.elector?.stop();
    await this.running?.catch(() => undefined);
    await this.webhook?.stop();
  }
}

function pick(le: { leaseDurationMs?: number; renewEveryMs?: number; retryEveryMs?: number }) {
  const out: { leaseDurationMs?: number; renewEveryMs?: number; retryEveryMs?: number } = {};
  if (le.leaseDurationMs !== undefined) out.leaseDurationMs = le.leaseDurationMs;
  if (le.renewEveryMs !== undefined) out.renewEveryMs = le.renewEveryMs;
  if (le.retryEveryMs !== undefined) out.retryEveryMs = le.retryEveryMs;
  return out;
}
