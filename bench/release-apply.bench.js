// `opm release apply` of a 200-object release through the in-process test API
// server (packages/test-apiserver): install, a no-op re-apply, and
// an upgrade that changes 10% of the objects. Each run uses a fresh release
// in its own namespace; figures are the median over the runs. The server runs
// in this process, so its CPU is included (a real cluster's is not), and
// requests and new connections are counted to show what opm sends, independently of that cost.
import { fmt } from './lib.js';

const kube = await import('../packages/kube/dist/index.js');
const { startTestApiServer } = await import('../packages/test-apiserver/dist/index.js');

const RUNS = 5;

/** 200 objects: 40 Deployments + 40 Services + 60 ConfigMaps + 20 Secrets + 20 ServiceAccounts + 10 Roles + 10 RoleBindings. */
function objects(version) {
  const out = [];
  for (let i = 0; i < 40; i++) {
    const app = `app-${i}`;
    // The upgrade bumps the image of 10 Deployments and the data of 10 ConfigMaps (20 objects = 10%).
    const image = version > 1 && i < 10 ? `registry.example/app:${version}` : 'registry.example/app:1';
    out.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app, labels: { app } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app } },
        template: {
          metadata: { labels: { app } },
          spec: {
            serviceAccountName: `sa-${i % 20}`,
            containers: [
              {
                name: 'main',
                image,
                ports: [{ name: 'http', containerPort: 8080 }],
                env: [{ name: 'MODE', value: 'prod' }, { name: 'INDEX', value: String(i) }],
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
                volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: `config-${i}` } }],
          },
        },
      },
    });
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: app }, spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
  }
  for (let i = 0; i < 60; i++) {
    const data = { 'app.yaml': `index: ${i}\nlevel: info\n`, 'feature-flags': 'a,b,c' };
    if (version > 1 && i >= 50) data.version = String(version);
    out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `config-${i}` }, data });
  }
  for (let i = 0; i < 20; i++) out.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `secret-${i}` }, type: 'Opaque', stringData: { token: `t-${i}` } });
  for (let i = 0; i < 20; i++) out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `sa-${i}` } });
  for (let i = 0; i < 10; i++) {
    out.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `role-${i}` }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] });
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `role-${i}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `role-${i}` },
      subjects: [{ kind: 'ServiceAccount', name: `sa-${i}` }],
    });
  }
  return out;
}

const desired = (ns, version) => ({
  name: 'bench',
  namespace: ns,
  module: { name: 'bench-app', version: `1.${version}.0`, digest: 'sha256:0123456789abcdef' },
  userValues: { version },
  finalValues: { version },
  objects: objects(version),
});

const api = await startTestApiServer({});
const client = new kube.KubeClient(kube.loadKubeConfig({ kubeconfig: api.kubeconfigPath }));
const ctx = { client, reporter: { line: () => undefined, progress: () => undefined } };

async function step(fn) {
  const before = api.requests.length;
  const conns = api.connections();
  const t0 = performance.now();
  const res = await fn();
  const ms = performance.now() - t0;
  const reqs = api.requests.slice(before);
  const counts = {};
  for (const a of res.results) counts[a.action] = (counts[a.action] ?? 0) + 1;
  return { ms, requests: reqs.length, connections: api.connections() - conns, patches: reqs.filter((r) => r.method === 'PATCH' && r.contentType?.startsWith('application/apply-patch')).length, counts };
}

const phases = { install: [], noop: [], upgrade: [] };
for (let run = 0; run < RUNS; run++) {
  const ns = `bench-${run}`;
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  phases.install.push(await step(() => kube.applyRelease(ctx, desired(ns, 1))));
  phases.noop.push(await step(() => kube.applyRelease(ctx, desired(ns, 1))));
  phases.upgrade.push(await step(() => kube.applyRelease(ctx, desired(ns, 2))));
}
await api.close();

const expect = { install: { created: 200 }, noop: { unchanged: 200 }, upgrade: { configured: 20, unchanged: 180 } };
for (const [phase, runs] of Object.entries(phases)) {
  for (const r of runs) {
    const got = Object.entries(r.counts).sort();
    if (JSON.stringify(got) !== JSON.stringify(Object.entries(expect[phase]).sort())) throw new Error(`${phase}: unexpected result ${JSON.stringify(r.counts)}`);
  }
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  const r = runs[runs.length - 1];
  console.log(
    `${phase.padEnd(8)} 200 objects: median ${fmt(ms[Math.floor(ms.length / 2)])} (min ${fmt(ms[0])}, max ${fmt(ms[ms.length - 1])}, ${RUNS} runs); ` +
      `${r.requests} requests, ${r.connections} new connections, ${r.patches} apply PATCHes; ${Object.entries(r.counts).map(([k, v]) => `${v} ${k}`).join(', ')}`,
  );
}
