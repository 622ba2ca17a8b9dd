// What every API handler receives: the request, the caller and the portal's shared state.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeClient } from '@opm/kube';
import type { Principal } from './auth.js';
import type { PortalCatalog } from './catalog.js';
import type { Operations } from './operations.js';

export interface PortalState {
  catalog: PortalCatalog;
  operations: Operations;
  /** Bound on each deploy, rollback, scale or delete (waits included). */
  timeoutMs: number;
  historyMax: number;
  mode: 'local' | 'cluster';
  /** The portal's own identity (local mode: the kubeconfig's; cluster mode: its ServiceAccount's): reads only, never to act for a user. */
  own: KubeClient;
  log: (line: string) => void;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The route's captured path segments, decoded. */
  params: string[];
  principal: Principal;
  state: PortalState;
}

export type Handler = (c: RequestContext) => Promise<void>;
