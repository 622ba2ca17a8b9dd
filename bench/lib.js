// Small timing helpers shared by the benchmarks.
import { spawnSync } from 'node:child_process';

/** Runs fn `iterations` times after `warmup` runs; returns per-iteration stats in ms. */
export async function measure(fn, { warmup = 5, iterations = 50 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const sum = times.reduce((a, b) => a + b, 0);
  return { mean: sum / times.length, median: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)], min: times[0] };
}

/** Wall time of a fresh `node` process running `args`, median of `runs`. */
export function coldProcess(args, { runs = 5, cwd } = {}) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`cold run failed: ${r.stderr || r.stdout}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Heap used after a full GC, in MiB (run node with --expose-gc). */
export function heapMiB() {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

export const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)) + ' ms';
