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
  private lost = false;

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
    const every = Math.max(1000, (this.durationSeconds * 1000) / 3);
    this.timer = setInterval(() => void this.renew(), every);
    this.timer.unref();
    return this;
  }

  /** Whether the lease was lost (renewal failed): the caller must not continue writing. */
  get isLost(): boolean {
    return this.lost;
  }

  private async renew(): Promise<void> {
    try {
      const spec = { ...(this.lease as { spec?: object }).spec, renewTime: microTime(new Date()) };
      this.lease = await this.client.replace({ ...this.lease, spec } as KubeObject);
    } catch {
      this.lost = true;
    }
  }

  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    try {
      // Only clear our own hold: if the lease was taken over meanwhile, leave it.
      const live = await this.client.get({
        group: 'coordination.k8s.io',
        version: 'v1',
        kind: 'Lease',
        namespace: this.namespace,
        name: ReleaseLock.leaseName(this.releaseName),
      });
      if ((live as { spec?: { holderIdentity?: string } } | undefined)?.spec?.holderIdentity !== this.holder) return;
      await this.client.replace({ ...live!, spec: { ...(live as { spec?: object }).spec, holderIdentity: '' } } as KubeObject);
    } catch {
      /* it expires by itself */
    }
  }
}
