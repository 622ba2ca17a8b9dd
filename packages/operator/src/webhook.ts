// The validating admission webhook (AdmissionReview v1, HTTPS): a CREATE or
// UPDATE of a ModuleRelease is rendered exactly as the controller would render
// it (catalog, schema, immutable values, platform rules, tenancy) and denied
// with the CLI's message when refused. Anything unexpected denies too (fail
// closed); secret values are read to validate but never echoed.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Session } from '@opm/core';
import { Redactor, type KubeClient, type KubeObject } from '@opm/kube';
import { GROUP, KIND } from './crd.js';
import { renderResource } from './render.js';
import type { ModuleReleaseObject } from './resource.js';

export const WEBHOOK_PATH = '/validate-modulerelease';

/** Warnings per admission response (kube-apiserver cuts them past 4096 characters in all). */
const MAX_WARNINGS = 10;

interface AdmissionRequest {
  uid: string;
  kind?: { group?: string; kind?: string };
  operation?: string;
  namespace?: string;
  object?: ModuleReleaseObject;
  oldObject?: ModuleReleaseObject;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; reason?: string; message: string };
  warnings?: string[];
}

export interface ValidatorOptions {
  session: Session;
  /** Reads the Secrets that spec.secretValues names. */
  client: KubeClient;
  /** The client a release would apply with (its ServiceAccount's), for the namespaced-kind lookups. */
  clientFor?: (mr: ModuleReleaseObject) => KubeClient;
}

/** Decides one AdmissionReview request. Never throws: an internal error is a denial. */
export async function review(req: AdmissionRequest, o: ValidatorOptions): Promise<AdmissionResponse> {
  const uid = req.uid;
  try {
    if (req.kind?.group !== GROUP || req.kind?.kind !== KIND || (req.operation !== 'CREATE' && req.operation !== 'UPDATE')) {
      return { uid, allowed: true };
    }
    const mr = req.object;
    if (!mr?.metadata?.name || !mr.spec) return deny(uid, 400, 'BadRequest', 'the ModuleRelease has no metadata.name or spec');
    // Deleting (finalizer removal, status of a terminating object) is never blocked.
    if (mr.metadata.deletionTimestamp) return { uid, allowed: true };
    // A metadata-only update (labels, finalizers) changes nothing the platform judges.
    if (req.operation === 'UPDATE' && req.oldObject && JSON.stringify(req.oldObject.spec) === JSON.stringify(mr.spec)) return { uid, allowed: true };
    const withNs = { ...mr, metadata: { ...mr.metadata, namespace: mr.metadata.namespace ?? req.namespace } };
    const rendered = await renderResource(withNs, { session: o.session, client: o.clientFor?.(withNs) ?? o.client });
    // The render's warnings (a label value rendered as an annotation, ...) are the admission response's
    // `warnings`: kube-apiserver passes them on as Warning headers, which kubectl prints. Secret values
    // (read from Secrets, rendered into Secret objects) are masked in them as in every message.
    const scrub = new Redactor().addValues(rendered.finalValues, rendered.secretPaths).addObjects(rendered.objects as KubeObject[]);
    const warnings = [...new Set(rendered.warnings)].slice(0, MAX_WARNINGS).map((w) => scrub.scrub(w));
    return { uid, allowed: true, ...(warnings.length ? { warnings } : {}) };
  } catch (e) {
    const name = (e as Error)?.name;
    const refused = name === 'ValidationError' || name === 'PolicyError' || name === 'NotSupportedError' || name === 'MissingSecretError';
    return deny(uid, refused ? 422 : 500, refused ? 'Invalid' : 'InternalError', (e as Error)?.message ?? String(e));
  }
}

function deny(uid: string, code: number, reason: string, message: string): AdmissionResponse {
  return { uid, allowed: false, status: { code, reason, message: message.length > 8000 ? `${message.slice(0, 8000)}…` : message } };
}

export interface WebhookServerOptions extends ValidatorOptions {
  port: number;
  host?: string;
  cert: string | Buffer;
  key: string | Buffer;
  log?: (line: string) => void;
}

export class WebhookServer {
  private server?: Server;
  constructor(private readonly o: WebhookServerOptions) {}

  async start(): Promise<number> {
    const server = createServer({ cert: this.o.cert, key: this.o.key }, (req, res) => {
      const answer = (code: number, body: unknown) => {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/healthz') return answer(200, { ok: true });
      if (req.method !== 'POST' || req.url?.split('?')[0] !== WEBHOOK_PATH) return answer(404, { message: 'not found' });
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 3 * 1024 * 1024) req.destroy();
        else chunks.push(c);
      });
      req.on('end', () => {
        let body: { apiVersion?: string; kind?: string; request?: AdmissionRequest };
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return answer(400, { message: 'body is not JSON' });
        }
        if (body.kind !== 'AdmissionReview' || body.apiVersion !== 'admission.k8s.io/v1' || !body.request?.uid) {
          return answer(400, { message: 'expected an admission.k8s.io/v1 AdmissionReview with request.uid' });
        }
        void review(body.request, this.o).then((response) => {
          if (!response.allowed) this.o.log?.(`webhook: denied ${body.request!.operation} ${body.request!.namespace}/${body.request!.object?.metadata?.name}: ${response.status?.message.split('\n')[0]}`);
          answer(200, { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response });
        });
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port, this.o.host ?? '0.0.0.0', () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections?.();
    await new Promise<void>((r) => s.close(() => r()));
  }
}
