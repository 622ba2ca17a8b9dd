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
      // data.warnings (a JSON list) is answered as the review's warnings.
      const warnings = review.request.object?.data?.warnings;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request.uid, allowed: !bad, ...(bad ? { status: { code: 422, reason: 'Invalid', message: 'mode bad is not allowed' } } : {}), ...(warnings ? { warnings: JSON.parse(warnings) } : {}) } }));
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

async function call(method: string, path: string, body?: unknown, ct = 'application/json'): Promise<{ code: number; body: any; warnings: string[] }> {
  const res = await fetch(`${api.url}${path}`, { method, headers: { authorization: `Bearer ${api.token}`, 'content-type': ct }, ...(body ? { body: JSON.stringify(body) } : {}) });
  // Each Warning header as sent (fetch reads header bytes as latin1; the server sends UTF-8).
  const warnings = rawWarnings(res.headers);
  return { code: res.status, body: await res.json(), warnings };
}

/** The Warning header values in order, UTF-8 decoded. */
function rawWarnings(h: Headers): string[] {
  const joined = h.get('warning');
  if (!joined) return [];
  const text = Buffer.from(joined, 'latin1').toString('utf8');
  // `299 - "a", 299 - "b"`: split at the commas between quoted texts.
  return text.match(/299 - "(?:[^"\\]|\\.)*"/g) ?? [];
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

  it('passes the webhook\'s warnings on as Warning headers, allowed or denied, as kube-apiserver\'s recorder writes them', async () => {
    await call('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', vwc('warns', `https://127.0.0.1:${port}/validate`));
    const given = ['label team: "Front End" is not a label value', 'label team: "Front End" is not a label value', 'path C:\\tmp', 'naïve ünïcode ✓', '', 'two\nlines', 'bell\u0007'];
    const ok = await call('POST', '/api/v1/namespaces/default/configmaps', { ...cm('w1', 'good'), data: { mode: 'good', warnings: JSON.stringify(given) } });
    expect(ok.code).toBe(201);
    // Deduplicated; `"` and `\` escaped; UTF-8 as is; empty texts and texts with control characters dropped.
    expect(ok.warnings).toEqual(['299 - "label team: \\"Front End\\" is not a label value"', '299 - "path C:\\\\tmp"', '299 - "naïve ünïcode ✓"']);
    const denied = await call('POST', '/api/v1/namespaces/default/configmaps', { ...cm('w2', 'bad'), data: { mode: 'bad', warnings: JSON.stringify(['careful']) } });
    expect(denied.code).toBe(422);
    expect(denied.warnings).toEqual(['299 - "careful"']);
    // Past 4096 characters in all, every warning is cut to 256 characters and the rest past 4096 dropped.
    const long = Array.from({ length: 30 }, (_, i) => `${String(i).padStart(2, '0')} ${'x'.repeat(497)}`);
    const many = await call('POST', '/api/v1/namespaces/default/configmaps', { ...cm('w3', 'good'), data: { mode: 'good', warnings: JSON.stringify(long) } });
    expect(many.code).toBe(201);
    // 8 × 500 fit; the 9th goes over: the 9 are cut to 256 (2304), then 7 more fill 4096 and the rest are dropped.
    expect(many.warnings.length).toBe(16);
    expect(many.warnings[0]).toBe(`299 - "00 ${'x'.repeat(253)}"`);
    expect(many.warnings[15]).toMatch(/^299 - "15 x{253}"$/);
    await call('DELETE', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/warns');
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
