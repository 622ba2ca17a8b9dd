// The opm operator at scale, against the in-process test API server
// (packages/test-apiserver): the operator runs as its own process
// (`opm operator run`, as in a cluster), so its RSS is its own.
//   1. 200 ModuleReleases created at once → time until every one is Ready, and how late Ready is
//      reported after each release was applied (median, p90)
//   2. 800 more (1,000 in all), then one periodic resync of the 1,000 unchanged
//      releases: its duration (the operator logs it), the API requests it sent
//      per release (target ≤ 3), and the operator's RSS (target < 300 MB).
// The API server's CPU shares the machine with the operator (a real one's does not).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { fmt } from './lib.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const kube = await import('../packages/kube/dist/index.js');
const { moduleReleaseCRD } = await import('../packages/operator/dist/index.js');
const { startTestApiServer } = await import('../packages/test-apiserver/dist/index.js');

// Smaller runs for a quick look: OPM_BENCH_FIRST=20 OPM_BENCH_TOTAL=50 OPM_BENCH_RESYNC_S=10 node bench/operator.bench.js
const FIRST = Number(process.env.OPM_BENCH_FIRST ?? 200);
const TOTAL = Number(process.env.OPM_BENCH_TOTAL ?? 1000);
const NAMESPACES = 10;
const RESYNC_S = Number(process.env.OPM_BENCH_RESYNC_S ?? 60);

const api = await startTestApiServer({ controllers: true });
const client = new kube.KubeClient(kube.loadKubeConfig({ kubeconfig: api.kubeconfigPath }));
await client.create(moduleReleaseCRD());
for (let i = 0; i < NAMESPACES; i++) await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `dev-${i}` } });
await api.settle();

const child = spawn(
  process.execPath,
  [join(root, 'packages/cli/bin/opm.js'), 'operator', 'run', '--kubeconfig', api.kubeconfigPath, '--catalog', join(root, 'examples/catalog'), '--no-leader-elect', '--workers', '8', '--resync', `${RESYNC_S}s`],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
const lines = [];
let buf = '';
child.stderr.on('data', (d) => {
  buf += d;
  const parts = buf.split('\n');
  buf = parts.pop();
  lines.push(...parts);
});
const rssMb = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};
const hwmMb = () => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

async function until(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (child.exitCode !== null) throw new Error(`the operator exited (${child.exitCode}): ${lines.slice(-5).join(' | ')}`);
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}; operator log: ${lines.slice(-5).join(' | ')}`);
}

const readyCount = () =>
  api.store.list('core.opm.dev/v1alpha1', 'ModuleRelease').filter((m) => m.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && m.status.observedGeneration === m.metadata.generation).length;

function release(i) {
  return {
    apiVersion: 'core.opm.dev/v1alpha1',
    kind: 'ModuleRelease',
    metadata: { name: `web-${i}`, namespace: `dev-${i % NAMESPACES}` },
    spec: {
      module: 'simple-web-app:1.0.0-platform.1',
      values: { replicas: 1 + (i % 3), image: { tag: `1.0.${i % 7}` } },
      metadata: { labels: { environment: 'development', team: 'bench', owner: 'platform' } },
    },
  };
}

async function createAll(from, to) {
  const idx = Array.from({ length: to - from }, (_, k) => from + k);
  // All at once, as `kubectl apply -f dir/` of many files would (bounded in flight).
  for (let i = 0; i < idx.length; i += 50) await Promise.all(idx.slice(i, i + 50).map((k) => client.create(release(k))));
}

try {
  await until(() => lines.some((l) => l.includes('opm operator started')), 60_000, 'the operator to start');
  const t0 = performance.now();
  await createAll(0, FIRST);
  await until(() => readyCount() >= FIRST, 15 * 60_000, `${FIRST} releases Ready`);
  const firstMs = performance.now() - t0;
  const rssAfterFirst = rssMb();
  console.log(`${FIRST} ModuleReleases created at once → all Ready: ${fmt(firstMs)} (operator RSS ${rssAfterFirst.toFixed(0)} MB)`);
  // How late Ready is reported once a release's objects are applied (status.lastAppliedTime → the Ready
  // condition's transition; both to the second): a finished rollout waiting behind queued applies shows here.
  const lags = api.store
    .list('core.opm.dev/v1alpha1', 'ModuleRelease')
    .map((m) => Date.parse(m.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime) - Date.parse(m.status?.lastAppliedTime))
    .filter((x) => Number.isFinite(x))
    .sort((a, b) => a - b);
  const pct = (p) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))];
  console.log(`  applied → Ready reported: median ${fmt(pct(50))}, p90 ${fmt(pct(90))}, max ${fmt(lags[lags.length - 1])} (${lags.length} releases)`);

  await createAll(FIRST, TOTAL);
  await until(() => readyCount() >= TOTAL, 30 * 60_000, `${TOTAL} releases Ready`);
  console.log(`${TOTAL} releases Ready after ${fmt(performance.now() - t0)}`);

  // The next periodic resync that starts from here on: count every request from its start to its end.
  const doneBefore = lines.filter((l) => /resync: \d+ releases done/.test(l)).length;
  const from = lines.length;
  await until(() => lines.slice(from).some((l) => /resync: \d+ releases queued/.test(l)), RESYNC_S * 3000, 'the next resync to start');
  const req0 = api.requests.length;
  const startAt = from + lines.slice(from).findIndex((l) => /resync: \d+ releases queued/.test(l));
  await until(() => lines.slice(startAt + 1).some((l) => /resync: \d+ releases done/.test(l)), RESYNC_S * 3000, 'that resync to end');
  const req1 = api.requests.length;
  const done = lines.slice(startAt + 1).find((l) => /resync: \d+ releases done/.test(l));
  const m = /resync: (\d+) releases done in (\d+) ms/.exec(done);
  const writes = api.requests.slice(req0, req1).filter((r) => r.method !== 'GET').length;
  console.log(
    `resync of ${m[1]} unchanged releases: ${fmt(Number(m[2]))}, ${req1 - req0} requests (${((req1 - req0) / Number(m[1])).toFixed(2)} per release, target ≤ 3; ${writes} writes)`,
  );
  console.log(`operator RSS: ${rssMb().toFixed(0)} MB now, peak ${hwmMb().toFixed(0)} MB (target < 300 MB); ${doneBefore} earlier resync(s) ran during the creation phase`);
} finally {
  child.kill('SIGTERM');
  const exited = new Promise((r) => child.once('exit', r));
  if ((await Promise.race([exited, sleep(30_000).then(() => 'timeout')])) === 'timeout') child.kill('SIGKILL');
  await api.close();
}
