// The HTTP transport under client-node. client-node 1.3 sends requests with
// node-fetch and no timeout or AbortSignal, so a server that accepts the
// connection and never answers hangs the caller for ever. This transport is
// the same node-fetch call with a signal: the command's deadline (deadline.ts)
// and a per-request bound, whichever comes first. Its errors name the server
// (scheme, host and port only: never credentials from the URL).
import fetch, { type RequestInit } from 'node-fetch';
import { Observable, ResponseContext, type HttpLibrary, type RequestContext } from '@kubernetes/client-node';
import type { Deadline } from './deadline.js';
import { formatDuration } from './duration.js';
import { IMPERSONATE_GROUP } from './impersonate.js';

/** Upper bound of a single request (a LIST of thousands of objects takes a few seconds, not a minute). */
export const REQUEST_TIMEOUT_MS = 60_000;

/** The API server did not answer in time, or could not be reached: a connection failure (exit 3 in the CLI). */
export class ApiUnreachableError extends Error {
  constructor(
    message: string,
    /** The system error code (ECONNREFUSED, ...) or ETIMEDOUT for a missed deadline. */
    readonly code: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'ApiUnreachableError';
    this.summary = message;
  }

  /** The message as written here (client-node prefixes `message` with its own context on discovery). */
  readonly summary: string;
}

/** `https://host:port` of a server URL, without user info, path or query. */
export function serverName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the API server';
  }
}

export interface RequestBounds {
  deadline?: Deadline;
  requestTimeoutMs: number;
}

const SYSTEM_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
};

export class BoundedHttpLibrary implements HttpLibrary {
  constructor(
    private readonly bounds: RequestBounds,
    /** Sent as one `Impersonate-Group` header line each (impersonate.ts); client-node cannot send a repeated header. */
    private readonly groups: string[] = [],
  ) {}

  send(request: RequestContext): Observable<ResponseContext> {
    return new Observable(this.sendAsync(request));
  }

  private async sendAsync(request: RequestContext): Promise<ResponseContext> {
    const { deadline, requestTimeoutMs } = this.bounds;
    const perRequest = AbortSignal.timeout(requestTimeoutMs);
    const signal = deadline ? AbortSignal.any([deadline.signal, perRequest]) : perRequest;
    const url = request.getUrl();
    const where = `${request.getHttpMethod()} ${pathOf(url)}`;
    const fail = (e: unknown): never => {
      if (deadline?.signal.aborted) {
        throw new ApiUnreachableError(`the API server ${serverName(url)} did not answer within ${deadline.what} (${where})`, 'ETIMEDOUT', true);
      }
      if (perRequest.aborted) {
        throw new ApiUnreachableError(`the API server ${serverName(url)} did not answer within ${formatDuration(requestTimeoutMs)} (${where})`, 'ETIMEDOUT', true);
      }
      const code = (e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code;
      if (code && SYSTEM_ERRORS[code]) {
        throw new ApiUnreachableError(`cannot reach the API server ${serverName(url)} (${SYSTEM_ERRORS[code]})`, code, false);
      }
      throw e;
    };
    try {
      const resp = await fetch(url, {
        method: request.getHttpMethod().toString(),
        body: request.getBody() as RequestInit['body'],
        headers: this.groups.length ? [...Object.entries(request.getHeaders()), ...this.groups.map((g): [string, string] => [IMPERSONATE_GROUP, g])] : request.getHeaders(),
        agent: request.getAgent() as RequestInit['agent'],
        signal: signal as RequestInit['signal'],
      });
      const headers: Record<string, string> = {};
      resp.headers.forEach((value, name) => (headers[name] = value));
      // A Kubernetes API server answers JSON (also its errors; a plain-text "404 page not found" for an
      // unserved group); HTML means the URL points at some other web server.
      if (/^text\/html\b/i.test(headers['content-type'] ?? '')) {
        throw new ApiUnreachableError(`${serverName(url)} is not a Kubernetes API server (${where} answered HTTP ${resp.status} with an HTML page); check the server in the kubeconfig`, 'ENOTKUBE', false);
      }
      // The body is read now, under the same signal: a server that sends headers and then stalls is bounded too.
      const buf = await resp.buffer();
      return new ResponseContext(resp.status, headers, { text: async () => buf.toString('utf8'), binary: async () => buf });
    } catch (e) {
      if (e instanceof ApiUnreachableError) throw e;
      return fail(e);
    }
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}
