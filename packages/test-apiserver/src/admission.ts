// Validating admission webhooks, as kube-apiserver calls them: for a CREATE or
// UPDATE of a resource a ValidatingWebhookConfiguration's rule matches, the
// object as it would be stored (after defaulting and schema validation) is sent
// in an admission.k8s.io/v1 AdmissionReview to the webhook's `clientConfig.url`, or to its
// `clientConfig.service` (https://NAME.NAMESPACE.svc:PORT/PATH, resolved as kube-apiserver's ClusterIP resolver
// does: the Service must exist and serve that port; the certificate must be valid for NAME.NAMESPACE.svc),
// over HTTPS (trusting `clientConfig.caBundle`). A denial fails the request with
// `admission webhook "NAME" denied the request: MESSAGE`; its `warnings` go to the client as Warning headers (allowed or
// denied); a webhook that cannot
// be called fails it under `failurePolicy: Fail` (the default) and is skipped under `Ignore`.
import { randomUUID } from 'node:crypto';
import { request } from 'node:https';
import { apiError, type ApiError } from './errors.js';

export interface AdmissionAttributes {
  group: string;
  version: string;
  kind: string;
  resource: string;
  namespace: string;
  name: string;
  operation: 'CREATE' | 'UPDATE';
  object: unknown;
  oldObject?: unknown;
  dryRun: boolean;
  user: { username: string; groups: string[] };
}

interface Webhook {
  name: string;
  failurePolicy?: 'Fail' | 'Ignore';
  timeoutSeconds?: number;
  rules?: { apiGroups?: string[]; apiVersions?: string[]; operations?: string[]; resources?: string[]; scope?: string }[];
  clientConfig?: { url?: string; caBundle?: string; service?: ServiceReference };
}

export interface ServiceReference {
  name: string;
  namespace: string;
  path?: string;
  port?: number;
}

/**
 * Where a webhook Service is reached: the address to connect to (host:port) and the TLS server name the
 * certificate must match, or why it cannot be (the error text kube-apiserver gives).
 */
export type ServiceResolver = (svc: ServiceReference & { port: number }) => { address: string; servername: string } | { error: string };

const has = (list: string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v));

/** The webhooks of these configurations that apply to a request. */
export function matchingWebhooks(configs: { webhooks?: Webhook[] }[], a: Pick<AdmissionAttributes, 'group' | 'version' | 'resource' | 'operation' | 'namespace'>): Webhook[] {
  const out: Webhook[] = [];
  for (const c of configs) {
    for (const w of c.webhooks ?? []) {
      const hit = (w.rules ?? []).some(
        (r) =>
          has(r.apiGroups, a.group) &&
          has(r.apiVersions, a.version) &&
          has(r.operations, a.operation) &&
          has(r.resources, a.resource) &&
          (!r.scope || r.scope === '*' || (r.scope === 'Namespaced') === (a.namespace !== '')),
      );
      if (hit) out.push(w);
    }
  }
  return out;
}

function post(url: URL, ca: string | undefined, body: string, timeoutMs: number, servername?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      // servername: SNI and the name the certificate is verified against (NAME.NAMESPACE.svc for a service).
      { method: 'POST', ...(ca ? { ca } : {}), ...(servername ? { servername } : {}), headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`context deadline exceeded (timeout ${timeoutMs / 1000}s)`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function callOne(w: Webhook, a: AdmissionAttributes, resolveService: ServiceResolver, warn: (text: string) => void): Promise<ApiError | undefined> {
  const failed = (why: string): ApiError | undefined =>
    w.failurePolicy === 'Ignore' ? undefined : apiError(500, 'InternalError', `Internal error occurred: failed calling webhook "${w.name}": ${why}`);
  const timeoutMs = (w.timeoutSeconds ?? 10) * 1000;
  let url: string;
  let target: URL;
  let servername: string | undefined;
  const svc = w.clientConfig?.service;
  if (w.clientConfig?.url) {
    url = w.clientConfig.url;
    target = new URL(url);
  } else if (svc) {
    const port = svc.port ?? 443;
    // As kube-apiserver shows it: the service's DNS name, with the timeout it sends as a query parameter.
    url = `https://${svc.name}.${svc.namespace}.svc:${port}${svc.path ?? ''}?timeout=${timeoutMs / 1000}s`;
    const r = resolveService({ ...svc, port });
    if ('error' in r) return failed(`failed to call webhook: Post "${url}": ${r.error}`);
    target = new URL(`https://${r.address}${svc.path ?? ''}?timeout=${timeoutMs / 1000}s`);
    servername = r.servername;
  } else {
    return failed('webhook has neither clientConfig.url nor clientConfig.service');
  }
  const uid = randomUUID();
  const review = {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: a.group, version: a.version, kind: a.kind },
      resource: { group: a.group, version: a.version, resource: a.resource },
      requestKind: { group: a.group, version: a.version, kind: a.kind },
      requestResource: { group: a.group, version: a.version, resource: a.resource },
      name: a.name,
      ...(a.namespace ? { namespace: a.namespace } : {}),
      operation: a.operation,
      userInfo: a.user,
      object: a.object,
      oldObject: a.oldObject ?? null,
      dryRun: a.dryRun,
      options: { apiVersion: 'meta.k8s.io/v1', kind: a.operation === 'CREATE' ? 'CreateOptions' : 'UpdateOptions' },
    },
  };
  let res: { status: number; text: string };
  try {
    const ca = w.clientConfig?.caBundle ? Buffer.from(w.clientConfig.caBundle, 'base64').toString('utf8') : undefined;
    res = await post(target, ca, JSON.stringify(review), timeoutMs, servername);
  } catch (e) {
    return failed(`failed to call webhook: Post "${url}": ${(e as Error).message}`);
  }
  let body: { response?: { uid?: string; allowed?: boolean; status?: { code?: number; reason?: string; message?: string }; warnings?: unknown } };
  try {
    body = JSON.parse(res.text);
  } catch {
    return failed(`received invalid webhook response: HTTP ${res.status}`);
  }
  if (res.status !== 200 || !body.response) return failed(`received invalid webhook response: HTTP ${res.status}`);
  if (body.response.uid !== uid) return failed(`expected response.uid="${uid}", got "${body.response.uid}"`);
  // A webhook's warnings reach the client whether it allows or denies (Warning headers, warnings.ts).
  if (Array.isArray(body.response.warnings)) for (const text of body.response.warnings) if (typeof text === 'string') warn(text);
  if (body.response.allowed) return undefined;
  const st = body.response.status ?? {};
  return apiError(st.code ?? 403, st.reason, `admission webhook "${w.name}" denied the request${st.message ? `: ${st.message}` : ' without explanation'}`);
}

/** Calls every matching webhook (in order), passing on their warnings; throws the first denial or failure. */
export async function admit(webhooks: Webhook[], a: AdmissionAttributes, resolveService: ServiceResolver, warn: (text: string) => void = () => {}): Promise<void> {
  for (const w of webhooks) {
    const err = await callOne(w, a, resolveService, warn);
    if (err) throw err;
  }
}
