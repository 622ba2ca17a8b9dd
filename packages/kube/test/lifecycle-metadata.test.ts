// `list` asks the API server for PartialObjectMetadataList, with plain JSON as
// the fallback for servers without that transform. The test API server serves
// the transform (lifecycle-scale.test.ts counts the bytes); this minimal stub
// pins the exact request and the parsing of the metadata-only response shape
// independently of it.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KubeClient } from '../src/client.js';
import { loadKubeConfig } from '../src/kubeconfig.js';
import { listReleases } from '../src/history/store.js';

const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
const server = createServer((req, res) => {
  seen.push({ url: req.url ?? '', headers: req.headers });
  res.setHeader('content-type', 'application/json');
  if (req.url === '/api/v1') {
    res.end(JSON.stringify({ kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'secrets', namespaced: true, kind: 'Secret', verbs: ['list'] }] }));
    return;
  }
  const head = (name: string, ns: string, rev: number, status: string) => ({
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      name: `opm.release.v1.${name}.v${rev}`,
      namespace: ns,
      labels: { 'opm.dev/owner': 'opm', 'opm.dev/name': name, 'opm.dev/revision': String(rev), 'opm.dev/status': status, 'opm.dev/chunk': '0' },
      annotations: { 'opm.dev/module': 'm', 'opm.dev/module-version': `1.${rev}.0`, 'opm.dev/chunks': '1', 'opm.dev/updated': '2026-01-01T00:00:00Z' },
    },
  });
  res.end(
    JSON.stringify({
      kind: 'PartialObjectMetadataList',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '9' },
      items: [head('a', 'x', 1, 'superseded'), head('a', 'x', 2, 'deployed'), head('b', 'y', 1, 'failed')],
    }),
  );
});
let dir: string;
let client: KubeClient;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  dir = mkdtempSync(join(tmpdir(), 'opm-meta-'));
  const kc = join(dir, 'kubeconfig');
  writeFileSync(
    kc,
    `apiVersion: v1
kind: Config
clusters: [{name: s, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: c, context: {cluster: s, user: u}}]
current-context: c
`,
  );
  client = new KubeClient(loadKubeConfig({ kubeconfig: kc }));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

it('requests metadata only and reads the summaries from it', async () => {
  const rels = await listReleases(client);
  const list = seen.find((s) => s.url.startsWith('/api/v1/secrets'))!;
  expect(list.headers.accept).toContain('as=PartialObjectMetadataList;v=v1;g=meta.k8s.io');
  expect(decodeURIComponent(list.url)).toContain('labelSelector=opm.dev/owner=opm,opm.dev/chunk=0');
  expect(rels.map((r) => [r.namespace, r.name, r.revision, r.status, r.moduleVersion])).toEqual([
    ['x', 'a', 2, 'deployed', '1.2.0'],
    ['y', 'b', 1, 'failed', '1.1.0'],
  ]);
});
