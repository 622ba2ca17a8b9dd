// Applying as a tenant's ServiceAccount: the same kubeconfig with the
// Impersonate-User header (`system:serviceaccount:NS:NAME`), so the API server
// authorizes every write against that ServiceAccount's RBAC, not the operator's.
import { KubeClient, impersonating, type ResolvedConfig } from '@opm/kube';
import { OPERATOR_FIELD_MANAGER } from './crd.js';

export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

export function impersonatingConfig(base: ResolvedConfig, user: string, groups: string[] = []): ResolvedConfig {
  return impersonating(base, user, groups);
}

/** One client per ServiceAccount, kept for the operator's life (they share nothing but the config). */
export class ClientPool {
  private readonly clients = new Map<string, KubeClient>();
  constructor(private readonly base: ResolvedConfig, readonly own: KubeClient) {}

  forServiceAccount(namespace: string, name: string | undefined): KubeClient {
    if (!name) return this.own;
    const user = serviceAccountUser(namespace, name);
    let c = this.clients.get(user);
    if (!c) {
      c = new KubeClient(impersonatingConfig(this.base, user), { fieldManager: OPERATOR_FIELD_MANAGER });
      this.clients.set(user, c);
    }
    return c;
  }
}
