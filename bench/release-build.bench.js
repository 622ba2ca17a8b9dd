// `opm release build` of the spec's five examples (cold process, warm
// in-process) and validating + rendering 1,000 generated releases. No peer
// tool (Helm, Timoni) runs on these machines: the cold figures are reported as
// ratios to `node -e 0` measured in the same rounds (issue 12: one release
// <= 2x, the five examples <= 4x), and against issue 3's absolute targets.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coldProcessesStats, cpuOf, exampleReleases, fmt, measure, releasesDir } from './lib.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = exampleReleases();
const { openSession, renderReleaseFile } = await import('../packages/core/dist/index.js');

// bin/opm.js runs the bundled CLI only when it is newer than every package's compiled output.
const bundled = createRequire(import.meta.url)('../packages/cli/bin/bundle-fresh.js').cliBundleIsFresh();
// Beside the build: one release (the usual invocation), and the floor under
// any cold figure on this machine: Node starting (`node -e 0`) and opm
// loading (`opm --version`), measured in the same rounds.
const opm = join(root, 'packages/cli/bin/opm.js');
const colds = coldProcessesStats(
  {
    build: [opm, 'release', 'build', ...examples],
    one: [opm, 'release', 'build', join(releasesDir, 'web-app-prod.cue')],
    version: [opm, '--version'],
    node: ['-e', '0'],
  },
  { runs: 7, cwd: root },
);
const cold = colds.build;

const session = await openSession({});
let objects = 0;
for (const f of examples) objects += (await renderReleaseFile(f, { session })).objects.length;
const warm = await measure(async () => {
  for (const f of examples) await renderReleaseFile(f, { session });
}, { warmup: 2, iterations: 10 });
const warmCpu = (await cpuOf(async () => {
  for (let i = 0; i < 5; i++) for (const f of examples) await renderReleaseFile(f, { session });
})) / 5;

// 1,000 releases: variants of the development example with their own names and replica counts.
const dir = mkdtempSync(join(tmpdir(), 'opm-bench-'));
const template = readFileSync(join(releasesDir, 'web-app-dev.cue'), 'utf8');
const files = [];
for (let i = 0; i < 1000; i++) {
  const f = join(dir, `r${i}.cue`);
  writeFileSync(f, template.replace('name: "web-app-dev"', `name: "web-app-dev-${i}"`).replace('replicas: 1 ', `replicas: ${1 + (i % 2)} `));
  files.push(f);
}
const t0 = performance.now();
let rendered = 0;
const thousandCpu = await cpuOf(async () => {
  for (const f of files) rendered += (await renderReleaseFile(f, { session })).objects.length;
});
const thousand = performance.now() - t0;
rmSync(dir, { recursive: true, force: true });

// What warm renders promote to old space: objects that outlive a scavenge because something
// long-lived still points at them (a result keeping its evaluation, a table keyed by nodes).
// Counted by V8 and independent of machine load; the last regression took 21 MB to 320 MB.
const ROUNDS = 40;
const gc = spawnSync(process.execPath, ['--single-threaded-gc', '--trace-gc-nvp', join(root, 'bench/warm-renders.js'), String(ROUNDS)], { encoding: 'utf8', maxBuffer: 256 << 20 });
let promoted = 0;
for (const m of gc.stdout.matchAll(/promoted=(\d+)/g)) promoted += Number(m[1]);

// CPU figures (user + system) next to wall times: on a shared machine they move less with other load.
const cpu = (ms) => (ms === undefined ? '' : `, cpu ${fmt(ms)}`);
console.log(`cold process, 5 examples (${objects} objects): median ${fmt(cold.wall)}${cpu(cold.cpu)} (target < 300 ms: ${cold.wall < 300 ? 'met' : 'NOT met'})${bundled ? '' : ' [CLI bundle missing or stale: run npm run build]'}`);
console.log(`  same rounds: one release (web-app-prod) ${fmt(colds.one.wall)}${cpu(colds.one.cpu)}; opm --version ${fmt(colds.version.wall)}${cpu(colds.version.cpu)}; node -e 0 ${fmt(colds.node.wall)}${cpu(colds.node.cpu)}`);
// Issue 12's targets, as ratios to `node -e 0` in the same rounds (wall; CPU beside it, steadier on a loaded machine).
const ratio = (c, target) => {
  const w = c.wall / colds.node.wall;
  const u = c.cpu !== undefined && colds.node.cpu ? `, cpu ${(c.cpu / colds.node.cpu).toFixed(2)}x` : '';
  return `${w.toFixed(2)}x${u} (target <= ${target}x: ${w <= target ? 'met' : 'NOT met'})`;
};
console.log(`  ratio to node -e 0: one release ${ratio(colds.one, 2)}; five examples ${ratio(cold, 4)}; opm --version ${ratio(colds.version, 2)}`);
console.log(`warm in-process, 5 examples: median ${fmt(warm.median)}, p95 ${fmt(warm.p95)}${cpu(warmCpu)}`);
console.log(`1,000 generated releases (${rendered} objects): ${fmt(thousand)}, ${fmt(thousand / 1000)} each${cpu(thousandCpu)} (target < 5 s: ${thousand < 5000 ? 'met' : 'NOT met'})`);
console.log(`warm renders' promotion to old space: ${(promoted / 2 ** 20).toFixed(1)} MiB over ${ROUNDS} rounds of the 5 examples${gc.status === 0 ? '' : ` [child failed: ${gc.stderr.trim().split('\\n').pop()}]`}`);
