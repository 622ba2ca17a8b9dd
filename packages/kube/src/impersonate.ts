// Acting as another user through Kubernetes impersonation: the same cluster
// and credentials, plus `Impersonate-User` and one `Impersonate-Group` header
// per group, so the API server authorizes each request as that user and
// groups (RBAC bindings to a Group count). client-node's kubeconfig carries
// only the user (`impersonateUser`) and joins a list header into one value, so
// the groups are added here: to each API request by the transport (http.ts,
// through `impersonatedGroups`) and to watches by this KubeConfig.
import { KubeConfig } from '@kubernetes/client-node';
import type { ResolvedConfig } from './kubeconfig.js';

export const IMPERSONATE_GROUP = 'Impersonate-Group';

class ImpersonatingKubeConfig extends KubeConfig {
  constructor(readonly groups: string[]) {
    super();
  }

  // Watches (client-node's Watch) build their request from these options; an array becomes one header line each.
  override async applyToHTTPSOptions(opts: Parameters<KubeConfig['applyToHTTPSOptions']>[0]): Promise<void> {
    await super.applyToHTTPSOptions(opts);
    if (this.groups.length) opts.headers = { ...(opts.headers ?? {}), [IMPERSONATE_GROUP]: [...this.groups] };
  }
}

/** The groups a config impersonates (none for an ordinary config). */
export function impersonatedGroups(kc: KubeConfig): string[] {
  return kc instanceof ImpersonatingKubeConfig ? kc.groups : [];
}

/** `base` acting as `user` in `groups` (the caller's own credentials must be allowed to impersonate them). */
export function impersonating(base: ResolvedConfig, user: string, groups: string[] = []): ResolvedConfig {
  const src = base.kc;
  const current = src.getCurrentUser();
  const kc = new ImpersonatingKubeConfig([...new Set(groups)]);
  kc.loadFromOptions({
    clusters: src.getClusters(),
    users: src.getUsers().map((u) => (u.name === current?.name ? { ...u, impersonateUser: user } : u)),
    contexts: src.getContexts(),
    currentContext: src.getCurrentContext(),
  });
  return { ...base, kc };
}
