// A rate-limited work queue like client-go's: a key is queued at most once,
// never processed by two workers at once (re-added while running → processed
// again after), failures back off exponentially per key (base · 2^n, capped),
// so one broken release never hot-loops nor delays the others.
// Two lanes: a key added with `priority` (a finished rollout whose status only needs writing) is taken before
// the normal lane, so under mass creation Ready is reported as soon as a worker is free, not after every
// release queued before it has been applied.
export interface QueueOptions {
  workers: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export type Handler = (key: string) => Promise<{ requeueAfterMs?: number } | void>;

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly urgent: string[] = [];
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  /** Re-added while running: processed again after (value: in the priority lane). */
  private readonly dirty = new Map<string, boolean>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private wake: (() => void)[] = [];
  private stopped = false;
  private workers: Promise<void>[] = [];

  constructor(private readonly handler: Handler, private readonly opts: QueueOptions, private readonly onError: (key: string, e: unknown) => void = () => undefined) {}

  start(): void {
    for (let i = 0; i < this.opts.workers; i++) this.workers.push(this.work());
  }

  add(key: string, o: { priority?: boolean } = {}): void {
    if (this.stopped) return;
    const priority = o.priority === true;
    if (this.running.has(key)) {
      this.dirty.set(key, priority || this.dirty.get(key) === true);
      return;
    }
    if (this.queued.has(key)) {
      // Already waiting in the normal lane: moved to the priority lane (still once).
      const i = priority ? this.queue.indexOf(key) : -1;
      if (i >= 0) {
        this.queue.splice(i, 1);
        this.urgent.push(key);
      }
      return;
    }
    this.queued.add(key);
    (priority ? this.urgent : this.queue).push(key);
    this.wake.shift()?.();
  }

  /** Adds after a delay; an earlier pending delay for the key wins. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    const t = this.timers.get(key);
    if (t) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, timer);
  }

  /** Adds after this key's back-off delay and counts a failure. */
  addRateLimited(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const delay = Math.min((this.opts.baseDelayMs ?? 1000) * 2 ** n, this.opts.maxDelayMs ?? 300_000);
    this.addAfter(key, delay);
    return delay;
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  get length(): number {
    return this.queue.length + this.urgent.length;
  }

  get busy(): number {
    return this.running.size;
  }

  private async next(): Promise<string | undefined> {
    while (!this.stopped) {
      const k = this.urgent.shift() ?? this.queue.shift();
      if (k !== undefined) {
        this.queued.delete(k);
        return k;
      }
      await new Promise<void>((r) => this.wake.push(r));
    }
    return undefined;
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.next();
      if (key === undefined) return;
      this.running.add(key);
      try {
        const r = await this.handler(key);
        if (r && r.requeueAfterMs !== undefined) this.addAfter(key, r.requeueAfterMs);
      } catch (e) {
        this.onError(key, e);
        this.addRateLimited(key);
      } finally {
        this.running.delete(key);
        const again = this.dirty.get(key);
        if (again !== undefined) {
          this.dirty.delete(key);
          this.add(key, { priority: again });
        }
      }
    }
  }

  /** Stops taking work and waits (bounded) for the keys being processed. */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const w of this.wake.splice(0)) w();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.workers),
      new Promise<void>((r) => {
        timer = setTimeout(r, timeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  }
}
