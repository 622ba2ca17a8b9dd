// GET /api/namespaces: where the caller may create a release — the namespaces
// the platform's environments allow (literal names, and the cluster's
// namespaces matching a pattern such as `dev-*`) that RBAC lets the caller
// create a release in. RBAC is asked as the caller (SelfSubjectAccessReview
// through the caller's own client: their token, or impersonation with their
// groups), for what a deploy writes first: the ModuleRelease when the operator
// is installed, else the release's history Secret.
import { KubeApiError, type KubeClient } from '@opm/kube';
import { GROUP, PLURAL } from '@opm/operator';
import { sendJson } from '../http.js';
import type { Handler } from '../context.js';
import type { NamespaceChoices } from '../api-types.js';
import { operatorInstalled } from '../operator-deploy.js';

const isForbidden = (e: unknown) => e instanceof KubeApiError && e.code === 403;

/** A namespace pattern of platform.cue (`dev-*`) as a regular expression over DNS labels. */
export function namespacePattern(p: string): RegExp {
  return new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[-a-z0-9]*')}$`);
}

/**
 * The cluster's namespaces, read as the caller, or (when RBAC does not let the caller
 * list namespaces) as the portal: only names matching the environments' patterns are
 * kept, and each is shown only if the caller's own access review allows it.
 */
export async function clusterNamespaces(user: KubeClient, own: KubeClient): Promise<string[]> {
  for (const c of [user, own]) {
    try {
      return (await c.list('v1', 'Namespace')).map((n) => n.metadata.name);
    } catch (e) {
      if (!isForbidden(e)) throw e;
    }
  }
  return [];
}

async function mayCreate(client: KubeClient, namespace: string, what: { group: string; resource: string }): Promise<boolean> {
  const review = (await client.create({
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: {},
    spec: { resourceAttributes: { namespace, verb: 'create', group: what.group, resource: what.resource } },
  } as never)) as unknown as { status?: { allowed?: boolean } };
  return review.status?.allowed === true;
}

export const namespaces: Handler = async ({ res, state, principal }) => {
  const envs = await state.catalog.environments();
  const what = (await operatorInstalled(principal.client).catch(() => false)) ? { group: GROUP, resource: PLURAL } : { group: '', resource: 'secrets' };
  const globs = envs.flatMap((e) => e.namespaces.filter((p) => p.includes('*')));
  const existing = globs.length ? await clusterNamespaces(principal.client, state.own) : [];
  const candidates = new Set<string>();
  for (const p of envs.flatMap((e) => e.namespaces)) {
    if (!p.includes('*')) candidates.add(p);
    else for (const n of existing.filter((x) => namespacePattern(p).test(x))) candidates.add(n);
  }
  const allowed: NamespaceChoices['namespaces'] = [];
  for (const name of [...candidates].sort()) {
    // The environment as a render picks it (platform.cue's precedence), not merely the first pattern that matches.
    const env = await state.catalog.environmentFor(name);
    if (env && (await mayCreate(principal.client, name, what))) allowed.push({ name, environment: env.name });
  }
  sendJson(res, 200, { namespaces: allowed, checked: `create ${what.group ? `${what.resource}.${what.group}` : what.resource}` } satisfies NamespaceChoices);
};
