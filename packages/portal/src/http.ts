// Request and response helpers of the portal's server: JSON bodies (bounded),
// JSON answers, and the mapping of known failures to HTTP statuses.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A failure the API answers with its own status and message (never a stack). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Request bodies are small JSON documents (a release's values); anything larger is refused. */
export const MAX_BODY_BYTES = 1024 * 1024;

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, 'the request body must be application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(c);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch (e) {
    throw new HttpError(400, `the request body is not JSON: ${(e as Error).message}`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'the request body must be a JSON object');
  return body as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, data: unknown): void {
  const text = JSON.stringify(data);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, message: string, details?: Record<string, unknown>): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, status, { error: message, ...(details ?? {}) });
}

/** A string field of a JSON body, required. */
export function str(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || v === '') throw new HttpError(400, `${key}: a non-empty string is required`);
  return v;
}

export function optionalStringMap(body: Record<string, unknown>, key: string): Record<string, string> {
  const v = body[key];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
    throw new HttpError(400, `${key}: an object of strings is required`);
  }
  return v as Record<string, string>;
}

export function objectField(body: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = body[key];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new HttpError(400, `${key}: a JSON object is required`);
  return v as Record<string, unknown>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Release and namespace names go into URLs, label values and CUE: DNS labels only. */
export function dnsLabel(v: string, what: string): string {
  if (v.length > 63 || !DNS_LABEL.test(v)) throw new HttpError(400, `${what} ${JSON.stringify(v)} must be a DNS label (lower-case letters, digits and '-', at most 63)`);
  return v;
}
