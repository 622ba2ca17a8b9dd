// The work queue's two lanes: a finished rollout (status only left to write) is taken before releases that
// wait to be applied, so Ready is reported as soon as a worker is free under mass creation.
import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../src/queue.js';

/** A queue with one worker whose handler blocks until released; records the order keys are handled in. */
function gated() {
  const order: string[] = [];
  let release: (() => void) | undefined;
  const q = new WorkQueue(async (key) => {
    order.push(key);
    await new Promise<void>((r) => (release = r));
  }, { workers: 1 });
  const running = async () => {
    for (let i = 0; i < 100 && !release; i++) await new Promise((r) => setTimeout(r, 5));
  };
  const step = async () => {
    await running();
    const r = release;
    release = undefined;
    r?.();
    await new Promise((r) => setTimeout(r, 5));
  };
  return { q, order, step, running };
}

describe('work queue lanes', () => {
  it('takes a priority key before keys queued earlier in the normal lane', async () => {
    const { q, order, step, running } = gated();
    q.start();
    for (const k of ['a', 'b', 'c', 'd']) q.add(k);
    await running(); // a runs; b c d wait
    q.add('x', { priority: true });
    for (let i = 0; i < 5; i++) await step();
    expect(order).toEqual(['a', 'x', 'b', 'c', 'd']);
    await q.stop(1000);
  });

  it('moves a key already waiting in the normal lane to the priority lane, once', async () => {
    const { q, order, step, running } = gated();
    q.start();
    for (const k of ['a', 'b', 'c', 'd']) q.add(k);
    await running();
    q.add('d', { priority: true });
    q.add('d');
    expect(q.length).toBe(3);
    for (let i = 0; i < 5; i++) await step();
    expect(order).toEqual(['a', 'd', 'b', 'c']);
    await q.stop(1000);
  });

  it('re-runs a key added with priority while it runs ahead of the normal lane', async () => {
    const { q, order, step, running } = gated();
    q.start();
    q.add('a');
    q.add('b');
    q.add('c');
    await running();
    q.add('a', { priority: true });
    for (let i = 0; i < 5; i++) await step();
    expect(order).toEqual(['a', 'a', 'b', 'c']);
    await q.stop(1000);
  });
});

describe('work queue back-off', () => {
  it('retries a failing key after base·2^n (capped), never blocking the others', async () => {
    const at: Record<string, number[]> = {};
    const start = Date.now();
    const q = new WorkQueue(
      async (key) => {
        (at[key] ??= []).push(Date.now() - start);
        if (key === 'bad') throw new Error('no');
      },
      { workers: 1, baseDelayMs: 40, maxDelayMs: 160 },
    );
    q.start();
    q.add('bad');
    q.add('good');
    // Tries at ~0, 40, 120 (40+80), 280 (+160), 440 (+160 capped): waits (bounded) for five.
    for (let i = 0; i < 200 && (at.bad?.length ?? 0) < 5; i++) await new Promise((r) => setTimeout(r, 25));
    await q.stop(1000);
    const bad = at.bad!.slice(0, 5);
    expect(bad).toHaveLength(5);
    // Gaps are at least the back-off (timers never fire early by more than a millisecond).
    const gaps = bad.slice(1).map((t, i) => t - bad[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(39);
    expect(gaps[1]).toBeGreaterThanOrEqual(79);
    expect(gaps[2]).toBeGreaterThanOrEqual(159);
    expect(gaps[3]).toBeGreaterThanOrEqual(159);
    expect(q.failuresOf('bad')).toBeGreaterThanOrEqual(5);
    expect(at.good).toHaveLength(1);
    expect(at.good![0]!).toBeLessThan(bad[1]!);
  });
});
