// Credential plugins (kubeconfig users[].user.exec) run under the command's
// deadline: a plugin that hangs is killed when --timeout passes and the command
// fails naming it; one that works authenticates every request, run once.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { KubeClient } from '../src/client.js';
import { Deadline } from '../src/deadline.js';
import { CredentialPluginError } from '../src/exec-credential.js';
import { loadKubeConfig } from '../src/kubeconfig.js';

let api: TestApiServer;
let dir: string;
beforeAll(async () => {
  api = await startTestApiServer();
  dir = mkdtempSync(join(tmpdir(), 'opm-exec-cred-'));
});
afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A kubeconfig for the test server whose user gets its credential from `node plugin.js`. */
function kubeconfigWithPlugin(name: string, plugin: string): string {
  const script = join(dir, `${name}.js`);
  writeFileSync(script, plugin);
  const kc = api.kubeconfigYaml.replace(
    /users:\n- name: test\n {2}user:\n {4}token: \S+\n/,
    [
      'users:',
      '- name: test',
      '  user:',
      '    exec:',
      '      apiVersion: client.authentication.k8s.io/v1',
      `      command: ${JSON.stringify(process.execPath)}`,
      '      args:',
      `      - ${JSON.stringify(script)}`,
      '      env:',
      '      - name: PLUGIN_DIR',
      `        value: ${JSON.stringify(dir)}`,
      '      interactiveMode: Never',
      '',
    ].join('\n'),
  );
  expect(kc).toContain('exec:');
  const p = join(dir, `${name}.kubeconfig`);
  writeFileSync(p, kc);
  return p;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('exec credential plugins', () => {
  it('authenticate requests with the token the plugin gives, running it once', async () => {
    const kc = kubeconfigWithPlugin(
      'good',
      `const fs = require('node:fs');
       fs.appendFileSync(process.env.PLUGIN_DIR + '/good.runs', 'x');
       const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
       console.log(JSON.stringify({ apiVersion: info.apiVersion, kind: 'ExecCredential', status: { token: ${JSON.stringify(api.token)} } }));`,
    );
    const client = new KubeClient(loadKubeConfig({ kubeconfig: kc }), { deadline: new Deadline(20_000) });
    expect(await client.list('v1', 'Namespace')).toEqual(expect.any(Array));
    await client.list('v1', 'ConfigMap', { namespace: 'default' });
    expect(readFileSync(join(dir, 'good.runs'), 'utf8')).toBe('x');
  });

  it('a plugin that hangs is killed when the deadline passes, and the error names it', async () => {
    const kc = kubeconfigWithPlugin(
      'hang',
      `require('node:fs').writeFileSync(process.env.PLUGIN_DIR + '/hang.pid', String(process.pid));
       setInterval(() => {}, 1000);`,
    );
    const client = new KubeClient(loadKubeConfig({ kubeconfig: kc }), { deadline: new Deadline(2000) });
    const t0 = Date.now();
    const err = await client.list('v1', 'Namespace').catch((e) => e);
    const took = Date.now() - t0;
    expect(err).toBeInstanceOf(CredentialPluginError);
    // summary: the message as written (client-node prefixes `message` with its discovery context).
    expect(err.summary).toMatch(/^the credential plugin .*node.* of kubeconfig user test did not finish within --timeout 2s; it was stopped$/);
    expect(took).toBeLessThan(10_000);
    const pid = Number(readFileSync(join(dir, 'hang.pid'), 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(pid)).toBe(false);
  });

  it('a plugin that fails says so with the end of its stderr; one that prints no credential too', async () => {
    const failing = kubeconfigWithPlugin('fail', `console.error('error: you must be logged in to the server (run vendor login)'); process.exit(4);`);
    const err = await new KubeClient(loadKubeConfig({ kubeconfig: failing }), { deadline: new Deadline(20_000) }).list('v1', 'Namespace').catch((e) => e);
    expect(err).toBeInstanceOf(CredentialPluginError);
    expect(err.summary).toMatch(/^the credential plugin .* of kubeconfig user test failed \(exit code 4\): error: you must be logged in to the server \(run vendor login\)$/);
    const empty = kubeconfigWithPlugin('empty', `console.log(JSON.stringify({ kind: 'ExecCredential', status: {} }));`);
    const err2 = await new KubeClient(loadKubeConfig({ kubeconfig: empty }), { deadline: new Deadline(20_000) }).list('v1', 'Namespace').catch((e) => e);
    expect(err2.summary).toMatch(/gave neither a token nor a client certificate and key$/);
  });
});
