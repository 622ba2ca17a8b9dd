// Impersonation and a minimal RBAC authorizer, as kube-apiserver's
// impersonation filter and RBAC authorizer behave for the requests opm sends.
// The static bearer token is a cluster admin (system:masters): its own
// requests are always allowed, as before. The tokens of `users` (index.ts)
// authenticate as their user and groups; such a user may impersonate only
// what RBAC grants them `impersonate` on. With `Impersonate-User` (and one
// `Impersonate-Group` line per group) the request runs as that user, and is allowed
// only when a RoleBinding in the request's namespace or a ClusterRoleBinding
// grants the verb on the resource (rules: apiGroups, resources incl.
// `resource/subresource` and `*`, verbs incl. `*`, resourceNames).
import type { IncomingMessage } from 'node:http';

export interface UserInfo {
  name: string;
  groups: string[];
}

export interface Attributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace: string;
  name?: string;
}

type Obj = { metadata: { name: string; namespace?: string }; subjects?: { kind: string; name: string; namespace?: string; apiGroup?: string }[]; roleRef?: { kind: string; name: string }; rules?: Rule[] };
interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
}

const SA = /^system:serviceaccount:([^:]+):([^:]+)$/;

/**
 * The impersonated user of a request, or undefined (the token's own identity).
 * Each `Impersonate-Group` header line is one group (a value is never split at commas, as upstream).
 */
export function impersonatedUser(req: IncomingMessage): UserInfo | undefined {
  const user = req.headers['impersonate-user'];
  if (typeof user !== 'string' || !user) return undefined;
  const groups = impersonatedGroupsOf(req);
  const sa = SA.exec(user);
  // Like upstream: a ServiceAccount impersonated without groups gets its ServiceAccount groups.
  if (sa && groups.length === 0) groups.push('system:serviceaccounts', `system:serviceaccounts:${sa[1]}`);
  if (!groups.includes('system:authenticated')) groups.push('system:authenticated');
  return { name: user, groups };
}

/** The `Impersonate-Group` header lines of a request, one group each. */
export function impersonatedGroupsOf(req: IncomingMessage): string[] {
  const groups: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'impersonate-group') groups.push(raw[i + 1]!);
  return groups;
}

function subjectMatches(s: NonNullable<Obj['subjects']>[number], user: UserInfo): boolean {
  if (s.kind === 'User') return s.name === user.name;
  if (s.kind === 'Group') return user.groups.includes(s.name);
  if (s.kind === 'ServiceAccount') return user.name === `system:serviceaccount:${s.namespace}:${s.name}`;
  return false;
}

function ruleAllows(r: Rule, a: Attributes): boolean {
  const verbs = r.verbs ?? [];
  if (!verbs.includes('*') && !verbs.includes(a.verb)) return false;
  const groups = r.apiGroups ?? [];
  if (!groups.includes('*') && !groups.includes(a.group)) return false;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resources = r.resources ?? [];
  if (!resources.includes('*') && !resources.includes(res) && !(a.subresource && resources.includes(`*/${a.subresource}`))) return false;
  if (r.resourceNames?.length && (!a.name || !r.resourceNames.includes(a.name))) return false;
  return true;
}

/**
 * Whether RBAC allows `a` for `user`. `list(kind, namespace?)` returns the stored
 * Roles, RoleBindings, ClusterRoles and ClusterRoleBindings.
 */
export function rbacAllows(user: UserInfo, a: Attributes, list: (kind: string, namespace?: string) => Obj[]): boolean {
  // Discovery-level access every authenticated user has (system:basic-user / system:discovery) is not routed here.
  const clusterRoles = new Map(list('ClusterRole').map((r) => [r.metadata.name, r]));
  const grants = (roleRef: Obj['roleRef'], ns?: string): boolean => {
    if (!roleRef) return false;
    const role = roleRef.kind === 'ClusterRole' ? clusterRoles.get(roleRef.name) : list('Role', ns).find((r) => r.metadata.name === roleRef.name);
    return !!role && (role.rules ?? []).some((r) => ruleAllows(r, a));
  };
  for (const b of list('ClusterRoleBinding')) {
    if ((b.subjects ?? []).some((s) => subjectMatches(s, user)) && grants(b.roleRef)) return true;
  }
  if (a.namespace) {
    for (const b of list('RoleBinding', a.namespace)) {
      if ((b.subjects ?? []).some((s) => subjectMatches(s, user)) && grants(b.roleRef, a.namespace)) return true;
    }
  }
  return false;
}

/** Upstream's Forbidden message: `User "u" cannot get resource "r" in API group "g" in the namespace "n"`. */
export function forbiddenReason(user: UserInfo, a: Attributes): string {
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${user.name}" cannot ${a.verb} resource "${res}" in API group "${a.group}" ${where}`;
}
