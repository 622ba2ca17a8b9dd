// A kubeconfig that cannot work, or a server that is not Kubernetes, gets a
// sentence naming the file or server: not a JS message, a YAML code frame of
// binary bytes, or a client-node internal.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiUnreachableError, KubeClient, KubeConfigError, loadKubeConfig } from '../src/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'opm-kc-'));
const file = (name: string, content: string | Buffer) => {
  const f = path.join(dir, name);
  writeFileSync(f, content);
  return f;
};
const config = (server: string, insecure = false) => `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: ${JSON.stringify(server)}${insecure ? '\n    insecure-skip-tls-verify: true' : ''}
contexts:
- name: c
  context: {cluster: c, user: u}
current-context: c
users:
- name: u
  user: {token: t}
`;

function loadError(f: string): KubeConfigError {
  try {
    loadKubeConfig({ kubeconfig: f }, {});
  } catch (e) {
    expect(e).toBeInstanceOf(KubeConfigError);
    return e as KubeConfigError;
  }
  throw new Error('expected the kubeconfig to be refused');
}

describe('kubeconfig errors', () => {
  it('an empty file', () => {
    for (const content of ['', '\n  \n']) {
      const f = file('empty', content);
      expect(loadError(f).message).toBe(`kubeconfig ${f} is empty: it defines no cluster, user or context`);
    }
  });

  it('a binary file, without printing its bytes', () => {
    const bytes = Buffer.from([0x1b, 0x5b, 0x32, 0x4a, 0, 0xff, 0xfe, 0x41]);
    const f = file('binary', bytes);
    const m = loadError(f).message;
    expect(m).toBe(`kubeconfig ${f} is not a text file (it holds binary data); a kubeconfig is YAML`);
    expect(m).not.toContain('\x1b');
  });

  it('YAML that is not a kubeconfig, or not YAML at all', () => {
    const f1 = file('list', '- a\n- b\n');
    expect(loadError(f1).message).toContain(`kubeconfig ${f1} is not a kubeconfig`);
    const f2 = file('bad', 'clusters: [\n');
    expect(loadError(f2).message).toMatch(new RegExp(`^kubeconfig ${f2} is not valid YAML \\(line \\d+\\): `));
  });

  it('a server that is not a URL, or plain HTTP without insecure-skip-tls-verify', () => {
    const f1 = file('notaurl', config('not a url'));
    expect(loadError(f1).message).toBe(`cluster "c" in ${f1}: server "not a url" is not a URL (expected https://HOST[:PORT])`);
    const f2 = file('ftp', config('ftp://user:secret@example.test'));
    expect(loadError(f2).message).not.toContain('secret');
    const f3 = file('http', config('http://127.0.0.1:1'));
    expect(loadError(f3).message).toContain('is plain HTTP, which needs insecure-skip-tls-verify: true');
  });
});

describe('a server that is not Kubernetes', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><body>Not Found</body></html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('is named as such, exit-3 kind (unreachable), with no page content', async () => {
    const client = new KubeClient(loadKubeConfig({ kubeconfig: file('web', config(url, true)) }, {}));
    const err = await client.list('v1', 'Secret', { namespace: 'default' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiUnreachableError);
    expect((err as Error).message).toContain(`${url} is not a Kubernetes API server`);
    expect((err as Error).message).not.toContain('<html>');
  });
});
