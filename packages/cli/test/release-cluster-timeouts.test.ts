// Every cluster command is bounded by --timeout, the connection and each request
// included (one deadline for the whole command), and a missed deadline in the
// middle of a deploy still leaves the revision failed, not pending.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterOpm } from './cluster-harness.js';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import type { DesiredRelease, RenderRelease, RerenderRelease } from '@opm/kube';

let api: TestApiServer;
let dir: string;
// Accepts TCP connections and never sends a byte back.
let mute: Server;
const sockets = new Set<Socket>();
let muteKubeconfig: string;
let muteUrl: string;

beforeAll(async () => {
  // The commands import these lazily; on a loaded machine vitest's first
  // transform of them takes seconds, which the timings below must not count.
  await Promise.all([import('@opm/core'), import('@opm/operator'), import('../src/commands/release-build/common.js')]);
  api = await startTestApiServer({ controllers: true });
  dir = mkdtempSync(join(tmpdir(), 'opm-cli-timeouts-'));
  mute = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
  muteUrl = `http://127.0.0.1:${(mute.address() as { port: number }).port}`;
  muteKubeconfig = join(dir, 'mute-kubeconfig');
  writeFileSync(muteKubeconfig, readFileSync(api.kubeconfigPath, 'utf8').replace(/server: http:\/\/127\.0\.0\.1:\d+/, `server: ${muteUrl}`));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => mute?.close(r));
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

const release = (image: string): DesiredRelease => ({
  name: 'slow',
  namespace: 'frozen',
  module: { name: 'simple-web-app', version: '1.0.0' },
  userValues: { replicas: 1 },
  finalValues: { replicas: 1 },
  objects: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'frozen' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { image } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
      },
    },
  ],
});
const render: RenderRelease = async (file) => JSON.parse(readFileSync(file, 'utf8')) as DesiredRelease;
const rerender: RerenderRelease = async () => release('web:1');

const opm = (args: string[], kubeconfig: string) => clusterOpm({ render, rerender }, dir)(args, kubeconfig);

describe('--timeout bounds every cluster command', () => {
  it('against a server that accepts connections and never answers, each command ends at its --timeout with exit 3, naming the server', async () => {
    const file = join(dir, 'slow.json');
    writeFileSync(file, JSON.stringify(release('web:1')));
    const commands = [
      ['apply', file],
      ['list'],
      ['status', 'slow'],
      ['history', 'slow'],
      ['diff', file],
      ['delete', 'slow'],
      ['rollback', 'slow'],
      ['scale', 'slow', '--replicas', '2'],
    ];
    for (const c of commands) {
      const r = await opm(['release', ...c, '-n', 'frozen', '--timeout', '1s'], muteKubeconfig);
      expect(r.code, c.join(' ')).toBe(3);
      expect(r.err, c.join(' ')).toMatch(new RegExp(`^opm: the API server ${muteUrl} did not answer within --timeout 1s \\((GET|PATCH|POST|PUT|DELETE) /`));
      expect(r.err).not.toContain(api.token);
      expect(r.seconds, c.join(' ')).toBeGreaterThanOrEqual(0.9);
      expect(r.seconds, c.join(' ')).toBeLessThan(4);
    }
  }, 60_000);

  it('list without --timeout ends within its own default (30s)', async () => {
    const r = await opm(['release', 'list'], muteKubeconfig);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`opm: the API server ${muteUrl} did not answer within --timeout 30s (GET /api/v1)`);
    expect(r.seconds).toBeGreaterThanOrEqual(29);
    expect(r.seconds).toBeLessThan(35);
  }, 60_000);

  it('an API server that freezes mid-apply: apply --wait ends at --timeout plus a short clean-up, the revision failed and the lock free', async () => {
    const file = join(dir, 'frozen.json');
    writeFileSync(file, JSON.stringify(release('web:2')));
    // Every write of the Deployment hangs (a frozen server for that request); the rest answers.
    const undo = api.faults.inject({ method: 'PATCH', path: '/deployments/web', hang: true, times: Infinity });
    try {
      const r = await opm(['release', 'apply', file, '--wait', '--timeout', '3s'], api.kubeconfigPath);
      expect(r.code).toBe(3);
      expect(r.err).toContain(`the API server ${api.url} did not answer within --timeout 3s (PATCH /apis/apps/v1/namespaces/frozen/deployments/web)`);
      // --timeout plus the clean-up grace (5s) at most; here the clean-up itself is quick.
      expect(r.seconds).toBeGreaterThanOrEqual(2.9);
      expect(r.seconds).toBeLessThan(3 + 5);
    } finally {
      undo();
    }
    const heads = api.store.list('v1', 'Secret', 'frozen').filter((s: { type?: string }) => s.type === 'opm.dev/release.v1');
    expect(heads.map((s: { metadata: { labels: Record<string, string> } }) => s.metadata.labels['opm.dev/status'])).toEqual(['failed']);
    expect(api.store.get('coordination.k8s.io/v1', 'Lease', 'frozen', 'opm.release.slow').spec.holderIdentity).toBe('');
    // The next apply, with the server answering again, goes through.
    const ok = await opm(['release', 'apply', file, '--timeout', '30s'], api.kubeconfigPath);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
  }, 60_000);
});
