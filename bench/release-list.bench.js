// `opm release list -A` over 1,000 stored releases (2 revisions each, so
// 2,000 history heads) in the in-process test API server. `list` asks for
// metadata only (labels and annotations carry what it shows); the peer in the
// same run reads what a list that decodes payloads (as Helm's does) would
// read: every head with its data, gunzipped and parsed. Reported: time,
// requests and response bytes of both, and the ratio; then the whole command
// as a fresh `opm` process.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fmt, measure } from './lib.js';

const kube = await import('../packages/kube/dist/index.js');
const codec = await import('../packages/kube/dist/history/codec.js');
const { startTestApiServer } = await import('../packages/test-apiserver/dist/index.js');

const RELEASES = 1000;
const NAMESPACES = 20;

/** A small web app: what one revision's manifest holds. */
function manifest(name, ns, revision) {
  const labels = { app: name, 'opm.dev/release': name, 'opm.dev/release-namespace': ns, 'app.kubernetes.io/managed-by': 'opm' };
  const meta = (n, extra = {}) => ({ name: n, namespace: ns, labels, annotations: { 'opm.dev/manifest-hash': `sha256:${'ab'.repeat(32)}` }, ...extra });
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(name),
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [
              {
                name: 'web',
                image: `registry.example/${name}:1.${revision}.0`,
                ports: [{ name: 'http', containerPort: 8080 }],
                env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'DB_HOST', value: `${name}-db` }],
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
                readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
              },
            ],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: meta(name), spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${name}-config`), data: { 'app.yaml': `name: ${name}\nrevision: ${revision}\nfeatures: [a, b, c]\n` } },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta(`${name}-db`), type: 'Opaque', data: { password: Buffer.from(`pw-${name}`).toString('base64') } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name) },
  ];
}

const api = await startTestApiServer({ namespaceDefaults: false });
const now = new Date().toISOString();
let payloadBytes = 0;
for (let n = 0; n < NAMESPACES; n++) api.store.write({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `tenant-${n}` } });
for (let i = 0; i < RELEASES; i++) {
  const ns = `tenant-${i % NAMESPACES}`;
  const name = `app-${i}`;
  for (const revision of [1, 2]) {
    const objs = manifest(name, ns, revision);
    const values = { replicas: 2, image: { tag: `1.${revision}.0` }, db: { host: `${name}-db` } };
    const rev = {
      name,
      namespace: ns,
      revision,
      status: revision === 2 ? 'deployed' : 'superseded',
      description: revision === 2 ? 'upgrade to web-app@1.2.0' : 'install web-app@1.1.0',
      module: { name: 'web-app', version: `1.${revision}.0`, digest: `sha256:${'cd'.repeat(32)}` },
      userValues: values,
      finalValues: values,
      valueOverrides: {},
      valuesDigest: codec.valuesDigest(values),
      secretPaths: ['db.password'],
      inventory: objs.map((o) => ({ group: o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '', version: o.apiVersion.split('/').pop(), kind: o.kind, namespace: ns, name: o.metadata.name })),
      manifest: objs,
      createdAt: now,
      updatedAt: now,
    };
    // Written straight into the store (no HTTP) to keep the setup short.
    for (const s of codec.revisionSecrets(rev)) {
      payloadBytes += Buffer.from(s.data?.release ?? '', 'base64').length;
      api.store.write(s);
    }
  }
}

const client = new kube.KubeClient(kube.loadKubeConfig({ kubeconfig: api.kubeconfigPath }));

/** Time, requests and response bytes of one call. */
async function traffic(fn) {
  const before = api.requests.length;
  const out = await fn();
  const reqs = api.requests.slice(before);
  return { out, requests: reqs.length, bytes: reqs.reduce((a, r) => a + (r.bytes ?? 0), 0) };
}

const listMetadata = () => kube.listReleases(client);
// The peer: the same heads with their payloads, each decoded, then the latest per release.
async function listPayloads() {
  const heads = await client.list('v1', 'Secret', { labelSelector: 'opm.dev/owner=opm,opm.dev/chunk=0' });
  const latest = new Map();
  for (const h of heads) {
    const rev = codec.decodePayload([Buffer.from(h.data.release, 'base64')], h.metadata.annotations['opm.dev/sha256']);
    const key = `${rev.namespace}/${rev.name}`;
    if (!latest.has(key) || latest.get(key).revision < rev.revision) latest.set(key, rev);
  }
  return [...latest.values()];
}

const meta = await traffic(listMetadata);
const full = await traffic(listPayloads);
if (meta.out.length !== RELEASES || full.out.length !== RELEASES) throw new Error(`expected ${RELEASES} releases, got ${meta.out.length} / ${full.out.length}`);
if (!meta.out.every((r) => r.revision === 2 && r.status === 'deployed' && r.moduleVersion === '1.2.0')) throw new Error('list shows the wrong revision');

const tMeta = await measure(listMetadata, { warmup: 2, iterations: 10 });
const tFull = await measure(listPayloads, { warmup: 2, iterations: 10 });

// The whole command, as a user runs it (process start, kubeconfig, discovery, list, table).
const opm = fileURLToPath(new URL('../packages/cli/bin/opm.js', import.meta.url));
const runCli = () =>
  new Promise((resolve, reject) => {
    const t0 = performance.now();
    let out = '';
    const p = spawn(process.execPath, [opm, 'release', 'list', '-A'], { env: { ...process.env, KUBECONFIG: api.kubeconfigPath, NO_COLOR: '1' } });
    p.stdout.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve({ ms: performance.now() - t0, lines: out.trim().split('\n').length }) : reject(new Error(`opm release list exited ${code}`))));
  });
const cli = [];
for (let i = 0; i < 5; i++) cli.push(await runCli());
if (cli[0].lines !== RELEASES + 1) throw new Error(`opm release list printed ${cli[0].lines} lines`);
const cliMs = cli.map((c) => c.ms).sort((a, b) => a - b);
await api.close();

const kib = (b) => `${(b / 1024).toFixed(0)} KiB`;
console.log(`${RELEASES} releases x 2 revisions in ${NAMESPACES} namespaces; stored payloads ${kib(payloadBytes)} (gzip'd)`);
console.log(`list, metadata only:   median ${fmt(tMeta.median)} (p95 ${fmt(tMeta.p95)}); ${meta.requests} requests, ${kib(meta.bytes)} received`);
console.log(`peer, decode payloads: median ${fmt(tFull.median)} (p95 ${fmt(tFull.p95)}); ${full.requests} requests, ${kib(full.bytes)} received`);
console.log(`ratio (payloads / metadata only): time ${(tFull.median / tMeta.median).toFixed(2)}x, bytes ${(full.bytes / meta.bytes).toFixed(2)}x`);
console.log(`opm release list -A, fresh process: median ${fmt(cliMs[2])} (min ${fmt(cliMs[0])}, 5 runs)`);
