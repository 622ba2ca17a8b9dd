// Validating admission webhooks called by the test API server (src/admission.ts).
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';

let api: TestApiServer;
let hook: Server;
let port: number;
let cert: string;
const seen: any[] = [];

beforeAll(async () => {
  api = await startTestApiServer({ namespaceDefaults: false });
  const dir = mkdtempSync(join(tmpdir(), 'admission-test-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'k'), '-out', join(dir, 'c')], { stdio: 'ignore' });
  cert = readFileSync(join(dir, 'c'), 'utf8');
  const key = readFileSync(join(dir, 'k'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  // Denies ConfigMaps whose data.mode is "bad"; answers every review with its uid.
  hook = createServer({ cert, key }, (req, res) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => {
      const review = JSON.parse(b);
      seen.push(review);
      const bad = review.request.object?.data?.mode === 'bad';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request.uid, allowed: !bad, ...(bad ? { status: { code: 422, reason: 'Invalid', message: 'mode bad is not allowed' } } : {}) } }));
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
  port = (hook.address() as AddressInfo).port;
});
afterAll(async () => {
  hook?.closeAllConnections();
  await new Promise<void>((r) => (hook ? hook.close(() => r()) : r()));
  await api?.close();
});

async function call(method: string, path: string, body?: unknown, ct = 'application/json'): Promise<{ code: number; body: any }> {
  const res = await fetch(`${api.url}${path}`, { method, headers: { authorization: `Bearer ${api.token}`, 'content-type': ct }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { code: res.status, body: await res.json() };
}

const vwc = (name: string, url: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingWebhookConfiguration',
  metadata: { name },
  webhooks: [{ name: `${name}.example.com`, admissionReviewVersions: ['v1'], sideEffects: 'None', rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['configmaps'] }], clientConfig: { url, caBundle: Buffer.from(cert).toString('base64') }, ...extra }],
});
const cm = (name: string, mode: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { mode } });

describe('validating admission webhooks', () => {
  it('sends an AdmissionReview of the object as it would be stored and honours the answer', async () => {
    expect((await call('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', vwc('modes', `https://127.0.0.1:${port}/validate`))).code).toBe(201);
    const denied = await call('POST', '/api/v1/namespaces/default/configmaps', cm('a', 'bad'));
    expect(denied.code).toBe(422);
    expect(denied.body).toMatchObject({ kind: 'Status', reason: 'Invalid', message: 'admission webhook "modes.example.com" denied the request: mode bad is not allowed' });
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/a')).code).toBe(404);
    expect((await call('POST', '/api/v1/namespaces/default/configmaps', cm('a', 'good'))).code).toBe(201);
    const created = seen[seen.length - 1].request;
    expect(created).toMatchObject({ operation: 'CREATE', namespace: 'default', name: 'a', resource: { group: '', version: 'v1', resource: 'configmaps' }, oldObject: null });
    expect(created.object.metadata.uid).toBeDefined();
    const upd = await call('PATCH', '/api/v1/namespaces/default/configmaps/a', { data: { mode: 'bad' } }, 'application/merge-patch+json');
    expect(upd.code).toBe(422);
    expect(seen[seen.length - 1].request).toMatchObject({ operation: 'UPDATE', oldObject: { data: { mode: 'good' } }, object: { data: { mode: 'bad' } } });
    // Other resources are not sent to the webhook.
    const before = seen.length;
    expect((await call('POST', '/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } })).code).toBe(201);
    expect(seen.length).toBe(before);
    await call('DELETE', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/modes');
  });

  it('fails closed when the webhook cannot be called, unless failurePolicy is Ignore', async () => {
    await call('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', vwc('down', 'https://127.0.0.1:9/validate', { failurePolicy: 'Fail' }));
    const r = await call('POST', '/api/v1/namespaces/default/configmaps', cm('b', 'good'));
    expect(r.code).toBe(500);
    expect(r.body.message).toMatch(/^Internal error occurred: failed calling webhook "down\.example\.com": failed to call webhook: Post "https:\/\/127\.0\.0\.1:9\/validate"/);
    await call('DELETE', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/down');
    await call('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', vwc('optional', 'https://127.0.0.1:9/validate', { failurePolicy: 'Ignore' }));
    expect((await call('POST', '/api/v1/namespaces/default/configmaps', cm('b', 'good'))).code).toBe(201);
  });
});
