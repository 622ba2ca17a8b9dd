// Leader election on a coordination.k8s.io/v1 Lease, as client-go's
// leaderelection does: the holder renews it; a candidate takes it (by
// resourceVersion, so only one wins) once it has not been renewed for its
// duration. Only the leader reconciles; a stopping leader clears the holder so
// a standby takes over at once rather than after the lease expires.
import { KubeApiError, type KubeClient, type KubeObject } from '@opm/kube';

export interface LeaderOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewEveryMs?: number;
  retryEveryMs?: number;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

const microTime = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export class LeaderElector {
  private lease?: KubeObject;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private leading = false;
  private lastRenew = 0;
  private wakeUp?: () => void;

  constructor(private readonly client: KubeClient, private readonly o: LeaderOptions) {}

  get isLeader(): boolean {
    return this.leading;
  }

  private get ref() {
    return { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', namespace: this.o.namespace, name: this.o.name };
  }

  /** One attempt to acquire or renew; true when this instance holds the lease afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const durationS = Math.max(1, Math.round((this.o.leaseDurationMs ?? 15_000) / 1000));
    const now = new Date();
    const live = await this.client.get(this.ref);
    try {
      if (!live) {
        this.lease = await this.client.create({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.o.name, namespace: this.o.namespace },
          spec: { holderIdentity: this.o.identity, leaseDurationSeconds: durationS, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
        });
        return true;
      }
      const sp = ((live as { spec?: LeaseSpec }).spec ?? {}) as LeaseSpec;
      const mine = sp.holderIdentity === this.o.identity;
      const expires = Date.parse(sp.renewTime ?? sp.acquireTime ?? '') + (sp.leaseDurationSeconds ?? durationS) * 1000;
      if (!mine && sp.holderIdentity && expires > now.getTime()) return false;
      const spec: LeaseSpec = mine
        ? { ...sp, renewTime: microTime(now), leaseDurationSeconds: durationS }
        : { holderIdentity: this.o.identity, leaseDurationSeconds: durationS, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: (sp.leaseTransitions ?? 0) + 1 };
      this.lease = await this.client.replace({ ...live, spec } as KubeObject);
      return true;
    } catch (e) {
      if (e instanceof KubeApiError && (e.code === 409 || e.code === 404)) return false; // someone else moved first
      throw e;
    }
  }

  /**
   * Resolves once leading (or stopped: then false). While leading, renews in the
   * background; `onLost` is called once if renewal fails for a whole lease duration.
   */
  async run(onLost: () => void): Promise<boolean> {
    const retry = this.o.retryEveryMs ?? 2_000;
    while (!this.stopped) {
      let ok = false;
      try {
        ok = await this.tryAcquireOrRenew();
      } catch {
        ok = false;
      }
      if (ok) break;
      await new Promise<void>((r) => {
        this.wakeUp = r;
        this.timer = setTimeout(r, retry);
      });
    }
    if (this.stopped) return false;
    this.leading = true;
    this.lastRenew = Date.now();
    const every = this.o.renewEveryMs ?? 5_000;
    const duration = this.o.leaseDurationMs ?? 15_000;
    const renew = async () => {
      if (this.stopped) return;
      let ok = false;
      try {
        ok = await this.tryAcquireOrRenew();
      } catch {
        ok = false;
      }
      if (ok) this.lastRenew = Date.now();
      else if (!ok && (Date.now() - this.lastRenew >= duration || (await this.heldByOther()))) {
        this.leading = false;
        onLost();
        return;
      }
      if (!this.stopped) this.timer = setTimeout(() => void renew(), every);
    };
    this.timer = setTimeout(() => void renew(), every);
    return true;
  }

  private async heldByOther(): Promise<boolean> {
    try {
      const live = await this.client.get(this.ref);
      const h = ((live as { spec?: LeaseSpec } | undefined)?.spec ?? {}).holderIdentity;
      return !!h && h !== this.o.identity;
    } catch {
      return false;
    }
  }

  /** Stops campaigning/renewing; a leader gives the lease up so a standby can take it at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wakeUp?.();
    if (!this.leading) return;
    this.leading = false;
    try {
      const live = await this.client.get(this.ref);
      const sp = ((live as { spec?: LeaseSpec } | undefined)?.spec ?? {}) as LeaseSpec;
      if (live && sp.holderIdentity === this.o.identity) {
        await this.client.replace({ ...live, spec: { ...sp, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(new Date()) } } as KubeObject);
      }
    } catch {
      /* it expires by itself */
    }
  }
}
