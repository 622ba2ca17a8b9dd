// client-node (1.3) builds a fresh http(s).Agent for every request, without
// keep-alive, so each API call opens its own TCP connection — and on a real
// cluster its own TLS handshake. An apply of a few hundred objects makes a few
// hundred calls, so opm hands each request a shared keep-alive agent built
// from the same options instead (one per distinct set of TLS options, so
// rotated client credentials still get a new agent). Proxy agents are left as
// client-node built them.
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

/** Sockets per agent: bounds how many requests opm has in flight against one API server. */
const MAX_SOCKETS = 16;
/**
 * How long an idle connection is kept. Well under kube-apiserver's idle timeout (90 s); Node also
 * honours a shorter `Keep-Alive: timeout=N` hint from the server (minus 1 s), but only when this is set.
 */
const IDLE_MS = 30_000;

export class KeepAliveAgents {
  private readonly agents = new Map<string, http.Agent>();

  /** The shared keep-alive equivalent of `agent`, or `agent` itself when it is not a plain http(s) agent. */
  reuse(agent: unknown): unknown {
    if (!(agent instanceof http.Agent)) return agent;
    const Ctor = agent.constructor;
    if (Ctor !== http.Agent && Ctor !== https.Agent) return agent;
    const options = (agent as http.Agent & { options?: Record<string, unknown> }).options ?? {};
    const key = `${Ctor === https.Agent ? 'https' : 'http'}:${digest(options)}`;
    let shared = this.agents.get(key);
    if (!shared) {
      const opts = { ...options, keepAlive: true, maxSockets: MAX_SOCKETS, timeout: IDLE_MS };
      shared = Ctor === https.Agent ? new https.Agent(opts) : new http.Agent(opts);
      this.agents.set(key, shared);
    }
    return shared;
  }
}

function digest(options: Record<string, unknown>): string {
  // Buffers (ca, cert, key) serialise through their toJSON, which is enough to tell them apart.
  return createHash('sha256').update(JSON.stringify(options)).digest('hex');
}

/**
 * The server closed a kept-alive connection as it was being reused (the request likely never
 * arrived). node-fetch reports the system error code on the error itself.
 */
export function isConnectionReset(e: unknown): boolean {
  const code = (e as { code?: string } | undefined)?.code ?? (e as { cause?: { code?: string } } | undefined)?.cause?.code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}
