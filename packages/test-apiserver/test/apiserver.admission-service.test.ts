// Webhooks registered by `clientConfig.service`, resolved as kube-apiserver resolves them: the Service must
// exist and list the port, the call goes to https://NAME.NAMESPACE.svc:PORT/PATH and the certificate must be
// valid for NAME.NAMESPACE.svc. A test-only route (api.routeService) stands in for the cluster network.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';

let api: TestApiServer;
const hooks: Server[] = [];

function cert(san: string): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'admission-svc-test-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=webhook', '-addext', `subjectAltName=${san}`, '-keyout', join(dir, 'k'), '-out', join(dir, 'c')], { stdio: 'ignore' });
    return { cert: readFileSync(join(dir, 'c'), 'utf8'), key: readFileSync(join(dir, 'k'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A webhook denying ConfigMaps whose data.mode is "bad"; records the paths it was called on. */
async function startHook(tls: { cert: string; key: string }, paths: string[]): Promise<number> {
  const hook = createServer(tls, (req, res) => {
    paths.push(req.url ?? '');
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => {
      const review = JSON.parse(b);
      const bad = review.request.object?.data?.mode === 'bad';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request.uid, allowed: !bad, ...(bad ? { status: { code: 422, reason: 'Invalid', message: 'mode bad is not allowed' } } : {}) } }));
    });
  });
  hooks.push(hook);
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
  return (hook.address() as AddressInfo).port;
}

beforeAll(async () => {
  api = await startTestApiServer({ namespaceDefaults: false });
});
afterAll(async () => {
  for (const h of hooks) {
    h.closeAllConnections();
    await new Promise<void>((r) => h.close(() => r()));
  }
  await api?.close();
});

async function call(method: string, path: string, body?: unknown): Promise<{ code: number; body: any }> {
  const res = await fetch(`${api.url}${path}`, { method, headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { code: res.status, body: await res.json() };
}

const cm = (name: string, mode: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { mode } });
const createCm = (name: string, mode: string) => call('POST', '/api/v1/namespaces/default/configmaps', cm(name, mode));

describe('validating webhooks by service reference', () => {
  it('resolves the Service like kube-apiserver: missing Service, missing port, no route, then calls NAME.NAMESPACE.svc', async () => {
    const tls = cert('DNS:hook.default.svc');
    const paths: string[] = [];
    const port = await startHook(tls, paths);
    const vwc = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'svc' },
      webhooks: [{
        name: 'svc.example.com', admissionReviewVersions: ['v1'], sideEffects: 'None', timeoutSeconds: 5,
        rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['configmaps'] }],
        clientConfig: { service: { name: 'hook', namespace: 'default', path: '/validate', port: 443 }, caBundle: Buffer.from(tls.cert).toString('base64') },
      }],
    };
    expect((await call('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', vwc)).code).toBe(201);

    let r = await createCm('a', 'good');
    expect(r.code).toBe(500);
    expect(r.body.message).toBe('Internal error occurred: failed calling webhook "svc.example.com": failed to call webhook: Post "https://hook.default.svc:443/validate?timeout=5s": service "hook" not found');

    expect((await call('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'hook', namespace: 'default' }, spec: { ports: [{ port: 8443 }] } })).code).toBe(201);
    r = await createCm('a', 'good');
    expect(r.code).toBe(500);
    expect(r.body.message).toMatch(/no service port 443 found for service "hook"$/);

    const svc = (await call('GET', '/api/v1/namespaces/default/services/hook')).body;
    svc.spec.ports = [{ name: 'https', port: 443, targetPort: 9443, protocol: 'TCP' }];
    expect((await call('PUT', '/api/v1/namespaces/default/services/hook', svc)).code).toBe(200);
    r = await createCm('a', 'good');
    expect(r.code).toBe(500);
    expect(r.body.message).toMatch(/no route to the service in the test API server/);

    const unroute = api.routeService('default', 'hook', 443, `127.0.0.1:${port}`);
    const denied = await createCm('a', 'bad');
    expect(denied.code).toBe(422);
    expect(denied.body.message).toBe('admission webhook "svc.example.com" denied the request: mode bad is not allowed');
    expect((await createCm('a', 'good')).code).toBe(201);
    expect(paths).toEqual(['/validate?timeout=5s', '/validate?timeout=5s']);
    unroute();
    expect((await createCm('b', 'good')).code).toBe(500);
  });

  it('verifies the certificate for NAME.NAMESPACE.svc, not the address it reached', async () => {
    const tls = cert('IP:127.0.0.1');
    const port = await startHook(tls, []);
    await call('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'iphook', namespace: 'default' }, spec: { ports: [{ port: 443 }] } });
    await call('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'iphook' },
      webhooks: [{
        name: 'iphook.example.com', admissionReviewVersions: ['v1'], sideEffects: 'None',
        rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['secrets'] }],
        clientConfig: { service: { name: 'iphook', namespace: 'default' }, caBundle: Buffer.from(tls.cert).toString('base64') },
      }],
    });
    api.routeService('default', 'iphook', 443, `127.0.0.1:${port}`);
    const r = await call('POST', '/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' } });
    expect(r.code).toBe(500);
    expect(r.body.message).toMatch(/Post "https:\/\/iphook\.default\.svc:443\?timeout=10s": .*iphook\.default\.svc/);
  });
});
