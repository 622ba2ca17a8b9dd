// The webhook as `opm operator manifests` registers it: a ValidatingWebhookConfiguration whose clientConfig is
// the operator's Service (not a URL), its CA from `--ca-bundle` or injected by cert-manager from the
// Certificate's Secret. The test API server calls it the way kube-apiserver does (Service looked up, TLS
// verified for NAME.NAMESPACE.svc); `routeService` stands in for the cluster network.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeApiError, type KubeObject } from '@opm/kube';
import { operatorManifests } from '../src/manifests.js';
import { ensureNamespace, startEnv, startOperator, stopEnv, webAppRelease, type Env } from './helpers.js';
import { selfSigned } from './tls.js';

type Obj = Record<string, any>;
const find = (objs: Obj[], kind: string) => objs.find((o) => o.kind === kind)!;

describe('webhook registered by service reference', () => {
  let env: Env;
  beforeEach(async () => {
    env = await startEnv({ controllers: false });
    await ensureNamespace(env, 'development');
    await ensureNamespace(env, 'opm-system');
  });
  afterEach(async () => {
    await stopEnv(env);
  });

  /** Starts the operator's webhook with a certificate for the names the manifests' Certificate asks for. */
  async function serve(dnsNames: string[]) {
    const tls = selfSigned(dnsNames.map((n) => `DNS:${n}`));
    const op = startOperator(env, { webhook: { port: 0, host: '127.0.0.1', cert: tls.cert, key: tls.key } });
    await op.start();
    return { tls, op };
  }

  const bad = () => env.client.create(webAppRelease('bad', 'development', { replicas: 50 }) as never).then(() => undefined, (e: unknown) => e);

  it('with --ca-bundle: the API server calls the Service and denies a bad ModuleRelease at create time', async () => {
    const dnsNames = find(operatorManifests(), 'Certificate').spec.dnsNames as string[];
    const { tls, op } = await serve(dnsNames);
    const objs = operatorManifests({ caBundle: tls.cert }) as Obj[];
    const vwc = find(objs, 'ValidatingWebhookConfiguration');
    expect(vwc.webhooks[0].clientConfig.url).toBeUndefined();
    expect(vwc.webhooks[0].clientConfig.service).toEqual({ name: 'opm-operator-webhook', namespace: 'opm-system', path: '/validate-modulerelease', port: 443 });
    expect(vwc.metadata.annotations).toBeUndefined();
    expect(objs.find((o) => o.kind === 'Certificate')).toBeUndefined();
    await env.client.create(find(objs, 'Service') as KubeObject);
    await env.client.create(vwc as KubeObject);
    // The Service's port 443 forwards to the operator's webhook port (targetPort "webhook" in the Deployment).
    env.api.routeService('opm-system', 'opm-operator-webhook', 443, `127.0.0.1:${op.webhookPort}`);

    const err = await bad();
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).code).toBe(422);
    expect((err as Error).message).toMatch(/admission webhook "modulereleases\.core\.opm\.dev" denied the request: .*values\.replicas: 50/);
    expect(await env.client.create(webAppRelease('good', 'development') as never)).toBeTruthy();
    // The render's warnings come back as the admission response's warnings: Warning headers, as kubectl prints them.
    const labelled = webAppRelease('labelled', 'development', {}, { metadata: { labels: { environment: 'development', team: 'frontend', owner: 'Jane Doe' } } });
    const res = await fetch(`${env.api.url}/apis/core.opm.dev/v1alpha1/namespaces/development/modulereleases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.api.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(labelled),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('warning')).toBe('299 - "release labelled: label owner: \\"Jane Doe\\" is not a valid Kubernetes label value; rendered as an annotation"');

    // Fail closed: with the operator gone, nothing is admitted unchecked.
    await op.stop();
    const down = await env.client.create(webAppRelease('other', 'development') as never).then(() => undefined, (e: unknown) => e);
    expect((down as KubeApiError).code).toBe(500);
    expect((down as Error).message).toMatch(/failed calling webhook "modulereleases\.core\.opm\.dev": failed to call webhook: Post "https:\/\/opm-operator-webhook\.opm-system\.svc:443\/validate-modulerelease\?timeout=15s"/);
  });

  it('with cert-manager: the CA injected from the Certificate\'s Secret is trusted', async () => {
    const objs = operatorManifests() as Obj[];
    const vwc = find(objs, 'ValidatingWebhookConfiguration');
    const certificate = find(objs, 'Certificate');
    const deployment = find(objs, 'Deployment');
    // The Deployment serves the certificate cert-manager writes into the Secret the Certificate names.
    expect(deployment.spec.template.spec.volumes).toContainEqual({ name: 'tls', secret: { secretName: certificate.spec.secretName } });
    expect(deployment.spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['--tls-cert-file=/tls/tls.crt', '--tls-key-file=/tls/tls.key']));
    expect(vwc.metadata.annotations['cert-manager.io/inject-ca-from']).toBe(`${certificate.metadata.namespace}/${certificate.metadata.name}`);
    expect(vwc.webhooks[0].clientConfig.caBundle).toBeUndefined();

    const { tls, op } = await serve(certificate.spec.dnsNames);
    // What cert-manager does: the Secret with tls.crt/tls.key/ca.crt, and cainjector copies ca.crt into caBundle.
    await env.client.create({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: certificate.spec.secretName, namespace: 'opm-system' },
      data: { 'tls.crt': Buffer.from(tls.cert).toString('base64'), 'tls.key': Buffer.from(tls.key).toString('base64'), 'ca.crt': Buffer.from(tls.cert).toString('base64') },
    } as KubeObject);
    await env.client.create(find(objs, 'Service') as KubeObject);
    await env.client.create(vwc as KubeObject);
    env.api.routeService('opm-system', 'opm-operator-webhook', 443, `127.0.0.1:${op.webhookPort}`);
    // Before injection the serving certificate is not trusted: fail closed.
    expect(((await bad()) as KubeApiError).code).toBe(500);
    const [ns, name] = (vwc.metadata.annotations['cert-manager.io/inject-ca-from'] as string).split('/') as [string, string];
    const secretName = (objs.find((o) => o.kind === 'Certificate' && o.metadata.namespace === ns && o.metadata.name === name)!).spec.secretName;
    const secret = (await env.client.get({ group: '', version: 'v1', kind: 'Secret', namespace: ns, name: secretName })) as unknown as { data: Record<string, string> };
    const live = (await env.client.get({ group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingWebhookConfiguration', name: vwc.metadata.name })) as unknown as Obj;
    live.webhooks[0].clientConfig.caBundle = secret.data['ca.crt'];
    await env.client.replace(live as KubeObject);
    const err = await bad();
    expect((err as KubeApiError).code).toBe(422);
    expect((err as Error).message).toMatch(/denied the request: .*values\.replicas: 50/);
  });
});
