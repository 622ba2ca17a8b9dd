// The admission webhook over HTTPS with real AdmissionReview v1 payloads:
// allowed when the platform would deploy the release, denied with the CLI's
// message otherwise (module, schema, immutable values, platform rules), fail
// closed, secret values never echoed.
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryCatalog, Session, renderRelease } from '@opm/core';
import { WEBHOOK_PATH } from '../src/webhook.js';
import type { ModuleReleaseObject } from '../src/resource.js';
import { CATALOG, ensureNamespace, shop, startEnv, startOperator, stopEnv, webAppRelease, type Env } from './helpers.js';
import { selfSigned } from './tls.js';

interface Review {
  apiVersion: string;
  kind: string;
  response: { uid: string; allowed: boolean; status?: { code: number; message: string } };
}

function post(port: number, ca: string, body: unknown): Promise<{ status: number; body: Review }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(
      { host: '127.0.0.1', port, path: WEBHOOK_PATH, method: 'POST', ca, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Review });
          } catch (e) {
            reject(e);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

let seq = 0;
function admission(mr: ModuleReleaseObject, operation = 'CREATE', oldObject?: ModuleReleaseObject) {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `uid-${++seq}`,
      kind: { group: 'core.opm.dev', version: 'v1alpha1', kind: 'ModuleRelease' },
      resource: { group: 'core.opm.dev', version: 'v1alpha1', resource: 'modulereleases' },
      requestKind: { group: 'core.opm.dev', version: 'v1alpha1', kind: 'ModuleRelease' },
      name: mr.metadata.name,
      namespace: mr.metadata.namespace,
      operation,
      userInfo: { username: 'tenant-a', groups: ['system:authenticated'] },
      object: mr,
      ...(oldObject ? { oldObject } : {}),
      dryRun: false,
    },
  };
}


describe('admission webhook', () => {
  let env: Env;
  let port: number;
  let ca: string;
  beforeAll(async () => {
    env = await startEnv({ controllers: false });
    await ensureNamespace(env, 'development');
    await ensureNamespace(env, 'shop-staging');
    await env.client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop-db', namespace: 'shop-staging' }, stringData: { password: 'correct-horse-battery' } } as never);
    await env.client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'weak-db', namespace: 'shop-staging' }, stringData: { password: 'hunter2' } } as never);
    const tls = selfSigned();
    ca = tls.cert;
    const op = startOperator(env, { webhook: { port: 0, host: '127.0.0.1', cert: tls.cert, key: tls.key }, leaderElection: { namespace: 'default', retryEveryMs: 100 } });
    await op.start();
    port = op.webhookPort!;
  });
  afterAll(async () => {
    await stopEnv(env);
  });

  it('allows a release the platform would deploy, reading its secret values from Secrets', async () => {
    const r1 = await post(port, ca, admission(webAppRelease('web', 'development')));
    expect(r1.status).toBe(200);
    expect(r1.body).toMatchObject({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: `uid-${seq}`, allowed: true } });
    const r2 = await post(port, ca, admission(shop('shop', 'shop-staging')));
    expect(r2.body.response).toMatchObject({ allowed: true });
  });

  it('denies values that break the schema with the message the CLI prints', async () => {
    const mr = webAppRelease('web', 'development', { replicas: 50 });
    const r = await post(port, ca, admission(mr));
    expect(r.body.response.allowed).toBe(false);
    expect(r.body.response.status?.code).toBe(422);
    const cli = await renderRelease(
      { name: 'web', namespace: 'development', module: { name: 'simple-web-app', version: '1.0.0-platform.1' }, userValues: mr.spec.values!, labels: mr.spec.metadata!.labels! },
      { session: new Session({ catalog: new DirectoryCatalog(CATALOG) }) },
    ).then(() => '', (e: Error) => e.message);
    expect(cli).toMatch(/values\.replicas: 50/);
    expect(r.body.response.status?.message).toBe(cli);
  });

  it('denies a module or version the catalog does not have', async () => {
    const r = await post(port, ca, admission({ ...webAppRelease('web', 'development'), spec: { ...webAppRelease('web', 'development').spec, module: 'simple-web-app:9.9.9' } }));
    expect(r.body.response.allowed).toBe(false);
    expect(r.body.response.status?.message).toMatch(/9\.9\.9.*1\.0\.0-platform\.1|1\.0\.0-platform\.1.*9\.9\.9/s);
    const r2 = await post(port, ca, admission({ ...webAppRelease('web', 'development'), spec: { ...webAppRelease('web', 'development').spec, module: 'docker.io/evil/app' } }));
    expect(r2.body.response.allowed).toBe(false);
    expect(r2.body.response.status?.message).toMatch(/NAME:VERSION/);
  });

  it('denies changing an immutable value, and platform rules: a namespace no environment covers', async () => {
    const r = await post(port, ca, admission(webAppRelease('web', 'development', { image: { repository: 'docker.io/evil/app', tag: '1' } })));
    expect(r.body.response.allowed).toBe(false);
    expect(r.body.response.status?.message).toMatch(/values\.image\.repository: cannot set "docker\.io\/evil\/app": locked to/);
    const sys = webAppRelease('web', 'kube-system');
    const r2 = await post(port, ca, admission(sys));
    expect(r2.body.response.allowed).toBe(false);
    expect(r2.body.response.status?.message).toMatch(/kube-system/);
  });

  it('never echoes a secret value: a weak password from a Secret, or one written into spec.values', async () => {
    const weak = shop('shop', 'shop-staging', { secretValues: [{ path: 'database.password', secretKeyRef: { name: 'weak-db', key: 'password' } }] });
    const r = await post(port, ca, admission(weak));
    expect(r.body.response.allowed).toBe(false);
    expect(r.body.response.status?.message).toMatch(/database\.password/);
    expect(JSON.stringify(r.body)).not.toContain('hunter2');
    const literal = shop('shop', 'shop-staging', { secretValues: [] });
    (literal.spec.values as { database?: unknown }).database = { password: 'literal-password-in-spec' };
    const r2 = await post(port, ca, admission(literal));
    expect(r2.body.response.allowed).toBe(false);
    expect(r2.body.response.status?.message).toMatch(/spec\.values\.database\.password is a secret value/);
    expect(JSON.stringify(r2.body)).not.toContain('literal-password-in-spec');
    const missing = shop('shop', 'shop-staging', { secretValues: [{ path: 'database.password', secretKeyRef: { name: 'nope', key: 'password' } }] });
    expect((await post(port, ca, admission(missing))).body.response.status?.message).toMatch(/secret nope not found in namespace shop-staging/);
  });

  it('denies a spec.secretValues key or Secret name Kubernetes would never accept, naming layer, field and rule', async () => {
    for (const key of ['db/password', 'db password', 'пароль', '..hidden', 'x'.repeat(254)]) {
      const mr = shop('shop', 'shop-staging', { secretValues: [{ path: 'database.password', secretKeyRef: { name: 'shop-db', key } }] });
      const r = await post(port, ca, admission(mr));
      expect(r.body.response.allowed, key).toBe(false);
      expect(r.body.response.status?.code).toBe(422);
      expect(r.body.response.status?.message).toMatch(/^release shop: spec\.secretValues\[0\]\.secretKeyRef\.key: .* \(a Secret key consists of letters, digits, '-', '_' and '\.' \(at most 253 characters/);
    }
    const badName = shop('shop', 'shop-staging', { secretValues: [{ path: 'database.password', secretKeyRef: { name: 'Shop_DB', key: 'password' } }] });
    expect((await post(port, ca, admission(badName))).body.response.status?.message).toMatch(/spec\.secretValues\[0\]\.secretKeyRef\.name: "Shop_DB" is not a valid Secret name \(a Secret name is a DNS subdomain/);
  });

  it('lets metadata-only updates and other operations through, and fails closed on a malformed object', async () => {
    const bad = webAppRelease('web', 'development', { replicas: 50 });
    const withFinalizer = { ...bad, metadata: { ...bad.metadata, finalizers: ['core.opm.dev/cleanup'] } };
    expect((await post(port, ca, admission(withFinalizer, 'UPDATE', bad))).body.response.allowed).toBe(true);
    expect((await post(port, ca, admission(bad, 'DELETE'))).body.response.allowed).toBe(true);
    const broken = { ...webAppRelease('web', 'development'), spec: { ...webAppRelease('web', 'development').spec, values: 'nope' as never } };
    expect((await post(port, ca, admission(broken))).body.response.allowed).toBe(false);
    const noRequest = await post(port, ca, { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' });
    expect(noRequest.status).toBe(400);
  });
});

describe('admission webhook registered with the API server (by URL)', () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv({ controllers: false });
    await ensureNamespace(env, 'development');
    const tls = selfSigned();
    const op = startOperator(env, { webhook: { port: 0, host: '127.0.0.1', cert: tls.cert, key: tls.key }, leaderElection: { namespace: 'default', retryEveryMs: 100 } });
    await op.start();
    await env.client.create({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'opm-operator' },
      webhooks: [
        {
          name: 'modulereleases.core.opm.dev',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: 'Fail',
          rules: [{ apiGroups: ['core.opm.dev'], apiVersions: ['v1alpha1'], operations: ['CREATE', 'UPDATE'], resources: ['modulereleases'], scope: 'Namespaced' }],
          clientConfig: { url: `https://127.0.0.1:${op.webhookPort}${WEBHOOK_PATH}`, caBundle: Buffer.from(tls.cert).toString('base64') },
        },
      ],
    } as never);
  });
  afterAll(async () => {
    await stopEnv(env);
  });

  it('denies a bad ModuleRelease at create time with the CLI message, and admits a good one', async () => {
    const err = await env.client.create(webAppRelease('web', 'development', { replicas: 50 }) as never).then(() => undefined, (e: Error & { code?: number }) => e);
    expect(err?.code).toBe(422);
    expect(err?.message).toMatch(/^admission webhook "modulereleases\.core\.opm\.dev" denied the request: release web: values\.replicas: 50/);
    expect(env.api.store.get('core.opm.dev/v1alpha1', 'ModuleRelease', 'development', 'web')).toBeUndefined();
    await env.client.create(webAppRelease('web', 'development') as never);
    expect(env.api.store.get('core.opm.dev/v1alpha1', 'ModuleRelease', 'development', 'web')).toBeDefined();
    // An update that breaks an immutable value is denied too; the stored object keeps its spec.
    const upd = await env.client
      .mergePatch({ group: 'core.opm.dev', version: 'v1alpha1', kind: 'ModuleRelease', namespace: 'development', name: 'web' }, { spec: { values: { image: { repository: 'docker.io/evil/app' } } } })
      .then(() => undefined, (e: Error) => e);
    expect(upd?.message).toMatch(/denied the request: .*locked to/);
  });
});
