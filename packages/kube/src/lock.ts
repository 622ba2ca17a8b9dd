// Serialises commands on one release with a coordination.k8s.io/v1 Lease
// (`opm.release.<name>` in the release namespace). The holder renews it while
// working; it expires after `durationSeconds` if the holder dies, so a crash
// never leaves the release locked for longer than that. A holder on this same
// host whose process no longer exists is taken over at once (the SIGKILL case).
import { hostname, userInfo } from 'node:os';
import { KubeApiError, type KubeClient } from './client.js';
import type { KubeObject } from './types.js';

export class ReleaseLockedError extends Error {
  constructor(release: string, readonly holder: string, readonly since: string, expires?: string) {
    super(`release ${release} is being changed by ${holder} since ${since}${expires ? ` (the lock expires at ${expires} unless renewed)` : ''}`);
    this.name = 'ReleaseLockedError';
  }
}

/**
 * This process no longer holds the release's Lease: another process took it over (this one was
 * paused or cut off past the Lease's expiry), or the Lease could not be verified. Nothing more
 * may be written for the release.
 */
export class LockLostError extends Error {
  constructor(release: string, detail: string) {
    super(`release ${release}: this opm process lost the release lock (${detail}); it stopped without writing anything more`);
    this.name = 'LockLostError';
  }
}

export interface LockOptions {
  durationSeconds?: number;
  /** Overrides the holder identity (tests). */
  holder?: string;
}

const microTime = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export function defaultHolder(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry in some containers */
  }
  return `${user}@${hostname()} pid ${process.pid}`;
}

/** True when `holder` names a process on this host that is gone. */
function holderIsDeadLocalProcess(holder: string): boolean {
  const m = /^.*@(.+) pid (\d+)$/.exec(holder);
  if (!m || m[1] !== hostname()) return false;
  const pid = Number(m[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export class ReleaseLock {
  private timer: NodeJS.Timeout | undefined;
  private lost: LockLostError | undefined;
  /** When the Lease was last written (acquired or renewed) by this process, by our clock. */
  private verifiedAt = Date.now();
  /** Renewals run one at a time: two concurrent PUTs with the same resourceVersion would 409 each other. */
  private renewing: Promise<void> | undefined;

  private constructor(
    private readonly client: KubeClient,
    readonly namespace: string,
    readonly releaseName: string,
    readonly holder: string,
    private lease: KubeObject,
    private readonly durationSeconds: number,
  ) {}

  static leaseName(release: string): string {
    return `opm.release.${release}`;
  }

  static async acquire(client: KubeClient, namespace: string, release: string, opts: LockOptions = {}): Promise<ReleaseLock> {
    const duration = opts.durationSeconds ?? 60;
    const holder = opts.holder ?? defaultHolder();
    const ref = { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', namespace, name: ReleaseLock.leaseName(release) };
    const now = new Date();
    const spec = { holderIdentity: holder, leaseDurationSeconds: duration, acquireTime: microTime(now), renewTime: microTime(now) };
    for (let attempt = 0; attempt < 3; attempt++) {
      const live = await client.get(ref);
      try {
        if (!live) {
          const created = await client.create({
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name: ref.name, namespace, labels: { 'opm.dev/owner': 'opm' } },
            spec,
          });
          return new ReleaseLock(client, namespace, release, holder, created, duration).start();
        }
        const ls = (live as { spec?: { holderIdentity?: string; renewTime?: string; acquireTime?: string; leaseDurationSeconds?: number } }).spec ?? {};
        const expires = Date.parse(ls.renewTime ?? ls.acquireTime ?? '') + (ls.leaseDurationSeconds ?? duration) * 1000;
        const free = !ls.holderIdentity || !(expires > Date.now()) || holderIsDeadLocalProcess(ls.holderIdentity);
        if (!free) {
          throw new ReleaseLockedError(release, ls.holderIdentity!, ls.acquireTime ?? ls.renewTime ?? 'unknown', new Date(expires).toISOString());
        }
        // resourceVersion makes the takeover atomic: a concurrent taker gets 409.
        const taken = await client.replace({ ...live, spec: { ...(live as { spec?: object }).spec, ...spec } } as KubeObject);
        return new ReleaseLock(client, namespace, release, holder, taken, duration).start();
      } catch (e) {
        if (e instanceof KubeApiError && e.code === 409) continue; // raced: look again
        throw e;
      }
    }
    const live = await client.get(ref);
    const ls = (live as { spec?: { holderIdentity?: string; acquireTime?: string } } | undefined)?.spec;
    throw new ReleaseLockedError(release, ls?.holderIdentity ?? 'another opm', ls?.acquireTime ?? 'just now');
  }

  private start(): this {
    this.timer = setInterval(() => void this.renew().catch(() => undefined), this.renewEveryMs);
    this.timer.unref();
    return this;
  }

  private get renewEveryMs(): number {
    return Math.max(1000, (this.durationSeconds * 1000) / 3);
  }

  /** Whether the lease was lost (taken over, or not verifiable): the caller must not continue writing. */
  get isLost(): boolean {
    return !!this.lost;
  }

  /**
   * Fencing: call before writing anything for the release. Throws LockLostError when this process
   * no longer holds the Lease. With `renew`, the Lease is renewed now (one PUT guarded by its
   * resourceVersion, so it fails if anyone else wrote the Lease since); otherwise it is renewed only
   * when our last successful write of it is older than the renewal interval — which is what a
   * process that was paused (SIGSTOP, a frozen VM, a long GC) finds on waking up, so it re-checks
   * before its next write instead of trusting a Lease that may have expired and been taken over.
   */
  async fence(opts: { renew?: boolean } = {}): Promise<void> {
    if (this.lost) throw this.lost;
    if (!opts.renew && Date.now() - this.verifiedAt < this.renewEveryMs) return;
    await this.renew();
  }

  private renew(): Promise<void> {
    this.renewing ??= this.renewNow().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async renewNow(): Promise<void> {
    if (this.lost) throw this.lost;
    const started = Date.now();
    const spec = { ...(this.lease as { spec?: object }).spec, renewTime: microTime(new Date(started)) };
    try {
      // resourceVersion precondition: a Lease someone else wrote since (a takeover) fails with 409.
      this.lease = await this.client.replace({ ...this.lease, spec } as KubeObject);
      this.verifiedAt = started;
    } catch (e) {
      if (e instanceof KubeApiError && (e.code === 409 || e.code === 404)) {
        const live = await this.client.get(this.leaseRef()).catch(() => undefined);
        const holder = (live as { spec?: { holderIdentity?: string } } | undefined)?.spec?.holderIdentity;
        this.lost = new LockLostError(
          this.releaseName,
          live
            ? `another process took the Lease over${holder && holder !== this.holder ? ` and holds it now: ${holder}` : ' (and has released it since)'}`
            : 'the Lease was deleted',
        );
        throw this.lost;
      }
      // A transient failure: the next fence renews again, and the Lease expires by itself if we never can.
      if (Date.now() - this.verifiedAt >= this.durationSeconds * 1000) {
        this.lost = new LockLostError(this.releaseName, `it could not be renewed before it expired: ${(e as Error).message}`);
        throw this.lost;
      }
      throw new LockLostError(this.releaseName, `it could not be verified: ${(e as Error).message}`);
    }
  }

  private leaseRef() {
    return { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', namespace: this.namespace, name: ReleaseLock.leaseName(this.releaseName) };
  }

  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.lost) return; // not ours any more: write nothing
    try {
      // Only clear our own hold: if the lease was taken over meanwhile, leave it.
      const live = await this.client.get(this.leaseRef());
      if ((live as { spec?: { holderIdentity?: string } } | undefined)?.spec?.holderIdentity !== this.holder) return;
      await this.client.replace({ ...live!, spec: { ...(live as { spec?: object }).spec, holderIdentity: '' } } as KubeObject);
    } catch {
      /* it expires by itself */
    }
  }
}
