// The portal's JSON API from the page: same-origin fetches with the session
// cookie, and the CSRF token on every change.
import type { OperationAnswer, SessionInfo } from '../src/api-types.js';

let csrf = '';

export type Session = SessionInfo;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

async function answer<T>(r: Response): Promise<T> {
  const body = (await r.json().catch(() => ({}))) as { error?: string; problems?: string[] };
  if (!r.ok) throw new ApiError(r.status, body.error ?? `HTTP ${r.status}`, body.problems ?? []);
  return body as T;
}

export async function session(): Promise<Session> {
  const s = await get<Session>('/api/session');
  csrf = s.csrf;
  return s;
}

export async function get<T>(path: string): Promise<T> {
  return answer<T>(await fetch(path, { credentials: 'same-origin' }));
}

export async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
  return answer<T>(
    await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
}

/** What a page needs of an operation's end (a lost connection gives only this). */
export type OperationEnd = Pick<OperationAnswer, 'state' | 'error' | 'result'>;

/** Follows an operation: each progress line, then its end. */
export function follow(id: string, onLine: (l: string) => void): Promise<OperationEnd> {
  return new Promise((resolve) => {
    const es = new EventSource(`/api/operations/${encodeURIComponent(id)}/events`);
    es.addEventListener('line', (e) => onLine(JSON.parse((e as MessageEvent<string>).data) as string));
    es.addEventListener('end', (e) => {
      es.close();
      resolve(JSON.parse((e as MessageEvent<string>).data) as OperationEnd);
    });
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) resolve({ state: 'failed', error: 'the connection to the portal was lost' });
    };
  });
}
