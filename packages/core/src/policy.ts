// Policy checks. All violations are collected and reported together.
import { environmentFor, type Environment, type PlatformRules } from './platform.js';
import { parseQuantity } from './quantity.js';
import { checkPodSecurity } from './pod-security.js';

export interface ReleaseMeta {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Namespace coverage, required labels/annotations, environment tier consistency. */
export function checkReleasePolicy(
  rules: PlatformRules,
  meta: ReleaseMeta,
  finalValues: Record<string, unknown>,
): { environment?: Environment; violations: string[] } {
  const v: string[] = [];
  if (!rules.environments.length) return { violations: v };
  const env = environmentFor(rules, meta.namespace);
  if (!env) {
    const known = rules.environments.map((e) => `${e.name} (${e.namespaces.join(', ')})`).join('; ');
    v.push(`namespace ${meta.namespace} is not covered by any environment of the platform (${rules.file}): ${known}`);
    return { violations: v };
  }
  for (const l of env.requiredLabels) {
    if (!meta.labels[l]) v.push(`environment ${env.name} requires label ${l} in #metadata.labels`);
  }
  for (const a of env.requiredAnnotations) {
    if (!meta.annotations[a]) v.push(`environment ${env.name} requires annotation ${a} in #metadata.annotations`);
  }
  const label = meta.labels.environment;
  if (label !== undefined && label !== env.tier) {
    v.push(`label environment: ${label} does not match the ${env.tier} tier of environment ${env.name} (namespace ${meta.namespace})`);
  }
  const value = finalValues.environment;
  if (typeof value === 'string' && value !== env.tier) {
    v.push(`values.environment: ${value} does not match the ${env.tier} tier of environment ${env.name} (namespace ${meta.namespace})`);
  }
  return { environment: env, violations: v };
}

type Obj = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: Record<string, any> };

/** The `security` and `resources` policies of the scopes that apply to a component, merged (they only tighten). */
export interface ComponentPolicies {
  security?: { runAsNonRoot?: boolean; allowPrivileged?: boolean; allowedRegistries?: string[] };
  resources?: { requireLimits?: boolean };
}

export interface ObjectPolicyContext {
  /** By component name (objects carry it as app.kubernetes.io/name). */
  componentPolicies?: Record<string, ComponentPolicies>;
  /** Names the values a rendered quantity comes from (see QuantitySource). */
  source?: QuantitySource;
}

function podSpecOf(o: Obj): Record<string, any> | undefined {
  switch (o.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
      return o.spec?.template?.spec;
    case 'CronJob':
      return o.spec?.jobTemplate?.spec?.template?.spec;
    case 'Pod':
      return o.spec;
    default:
      return undefined;
  }
}

/**
 * Where a rendered quantity came from, for messages: e.g. ` (values.resources.requests.cpu, set in
 * release web at web.cue:12)`; empty when unknown. The release renderer provides it.
 */
export type QuantitySource = (quantity: string) => string;

/**
 * Security rules on every workload, and the environment's ceilings on every object. Requests are
 * checked like limits — against the ceilings, and never above their own limit (the API server would
 * refuse that with a 422 at apply time; here it is a policy error at vet/build time).
 */
export function checkObjectPolicy(rules: PlatformRules, env: Environment | undefined, objects: Obj[], pc: ObjectPolicyContext = {}): string[] {
  const source = pc.source ?? (() => '');
  const v: string[] = [];
  const c = env?.ceilings ?? {};
  const level = env?.podSecurity ?? rules.security.podSecurity ?? 'baseline';
  const over = (what: string, q: string | undefined, ceiling: string | undefined) => {
    if (!q || !ceiling) return false;
    const a = parseQuantity(q);
    const b = parseQuantity(ceiling);
    return a !== undefined && b !== undefined && a > b;
  };
  for (const o of objects) {
    const id = `${o.kind} ${o.metadata.name}`;
    const pod = podSpecOf(o);
    // The platform's rules, tightened by the scopes that apply to the object's component.
    const scoped = pc.componentPolicies?.[o.metadata.labels?.['app.kubernetes.io/name'] ?? ''];
    const s = {
      runAsNonRoot: rules.security.runAsNonRoot || scoped?.security?.runAsNonRoot === true,
      allowPrivileged: rules.security.allowPrivileged && scoped?.security?.allowPrivileged !== false,
      requireLimits: rules.security.requireLimits || scoped?.resources?.requireLimits === true,
      registries: [rules.security.allowedRegistries, scoped?.security?.allowedRegistries ?? []].filter((l) => l.length),
    };
    if (pod) {
      const template = o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template : o.kind === 'Pod' ? o : o.spec?.template;
      v.push(...checkPodSecurity(level, id, pod, template?.metadata ?? {}));
      const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? [])] as Record<string, any>[];
      for (const ct of containers) {
        const cid = `${id}: container ${ct.name}`;
        const sc = ct.securityContext ?? {};
        if (s.runAsNonRoot && (sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true) {
          v.push(`${cid} must run as non-root (securityContext.runAsNonRoot: true)`);
        }
        // runAsNonRoot with user 0 is a pod the kubelet refuses to start.
        const uid = sc.runAsUser ?? pod.securityContext?.runAsUser;
        if (uid === 0 && (sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) === true) {
          v.push(`${cid}: runAsUser 0 contradicts runAsNonRoot: true (the kubelet would refuse to start it)`);
        } else if (uid === 0 && s.runAsNonRoot) v.push(`${cid} must not run as user 0`);
        if (!s.allowPrivileged && (sc.privileged === true || sc.allowPrivilegeEscalation === true)) {
          v.push(`${cid} must not be privileged or allow privilege escalation`);
        }
        for (const allowed of s.registries) {
          if (!allowed.some((r) => imageFromRegistry(String(ct.image), r))) v.push(`${cid}: image ${ct.image} is not from an allowed registry (${allowed.join(', ')})`);
        }
        const limits = ct.resources?.limits ?? {};
        if (s.requireLimits && (!limits.cpu || !limits.memory)) {
          v.push(`${cid} must set resource limits for cpu and memory`);
        }
        const requests = ct.resources?.requests ?? {};
        for (const r of ['cpu', 'memory'] as const) {
          const ceiling = c[r];
          if (over(r, limits[r], ceiling)) v.push(`${cid}: ${r} limit ${limits[r]} exceeds the ${env!.name} ceiling ${ceiling}${source(String(limits[r]))}`);
          if (over(r, requests[r], ceiling)) v.push(`${cid}: ${r} request ${requests[r]} exceeds the ${env!.name} ceiling ${ceiling}${source(String(requests[r]))}`);
          if (over(r, requests[r], limits[r])) {
            v.push(`${cid}: ${r} request ${requests[r]} exceeds its limit ${limits[r]} (resources.requests.${r} must be ≤ resources.limits.${r})${source(String(requests[r]))}`);
          }
        }
      }
    }
    const replicas = o.kind === 'HorizontalPodAutoscaler' ? o.spec?.maxReplicas : podSpecOf(o) ? o.spec?.replicas : undefined;
    if (c.replicas !== undefined && typeof replicas === 'number' && replicas > c.replicas) {
      v.push(`${id}: ${o.kind === 'HorizontalPodAutoscaler' ? 'maxReplicas' : 'replicas'} ${replicas} exceeds the ${env!.name} ceiling ${c.replicas}`);
    }
    const claims: { name: string; size?: string }[] = [];
    if (o.kind === 'PersistentVolumeClaim') claims.push({ name: o.metadata.name, size: o.spec?.resources?.requests?.storage });
    for (const t of o.spec?.volumeClaimTemplates ?? []) claims.push({ name: `${o.metadata.name}/${t.metadata?.name}`, size: t.spec?.resources?.requests?.storage });
    for (const cl of claims) {
      if (over('storage', cl.size, c.storage)) v.push(`${o.kind} ${cl.name}: storage ${cl.size} exceeds the ${env!.name} ceiling ${c.storage}`);
    }
  }
  return v;
}

/**
 * Whether an image comes from an allowed registry entry (`registry.company.com`
 * or `registry.company.com/mirror`): whole host names and whole path segments,
 * so `registry.company.com` does not admit `registry.company.com.evil.example/x`
 * nor `registry.company.com:5000/x`, and `.../mirror` does not admit `.../mirror-evil/x`.
 */
export function imageFromRegistry(image: string, entry: string): boolean {
  const e = entry.trim().replace(/\/+$/, '');
  if (!e) return false;
  const slash = e.indexOf('/');
  const host = (slash < 0 ? e : e.slice(0, slash)).toLowerCase();
  const imageSlash = image.indexOf('/');
  if (imageSlash < 0 || image.slice(0, imageSlash).toLowerCase() !== host) return false;
  if (slash < 0) return true;
  const rest = image.slice(imageSlash);
  const prefix = e.slice(slash);
  if (!rest.startsWith(prefix)) return false;
  const next = rest.charAt(prefix.length);
  return next === '' || next === '/' || next === ':' || next === '@';
}

// Kinds without a namespace. A kind not listed (a custom resource) is taken as namespaced.
export const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'PriorityClass', 'RuntimeClass',
  'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService', 'IngressClass', 'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'CertificateSigningRequest',
  'FlowSchema', 'PriorityLevelConfiguration', 'ClusterIssuer',
]);

/** Pod fields a module reaches only through `workload.podSpec` (schema/kubernetes.cue #PodSpecExtra). */
const ESCAPE_HATCH_FIELDS = ['nodeName', 'schedulerName', 'overhead'] as const;

/**
 * Where a module's objects may go: namespaced objects in the release namespace,
 * cluster-scoped kinds and other namespaces only when the platform allows them
 * for that module (`platform.modules.<name>`). `platformObjects` (the release
 * Namespace an environment creates) are the platform's own.
 */
export function checkPlacement(rules: PlatformRules, module: string, namespace: string, objects: Obj[], platformObjects: Set<Obj>): string[] {
  const v: string[] = [];
  const allow = { clusterScoped: [], namespaces: [], podSpec: [], ...rules.modules?.[module] };
  const where = rules.file ? ` in ${rules.file}` : '';
  for (const o of objects) {
    if (platformObjects.has(o)) continue;
    // The escape hatch (`workload.podSpec`): pod fields the schema leaves to the platform, each one allowed per module.
    const pod = podSpecOf(o);
    for (const f of ESCAPE_HATCH_FIELDS) {
      if (pod?.[f] !== undefined && !allow.podSpec.includes(f)) {
        v.push(`${o.kind} ${o.metadata.name} sets the pod's ${f} (workload.podSpec): the platform does not allow module ${module} to set it (platform.modules.${module}.podSpec${where})`);
      }
    }
    if (CLUSTER_SCOPED.has(o.kind)) {
      if (!allow.clusterScoped.includes(o.kind)) {
        v.push(`${o.kind} ${o.metadata.name} is cluster-scoped: the platform does not allow module ${module} to render ${o.kind} (platform.modules.${module}.clusterScoped${where})`);
      }
      continue;
    }
    const ns = o.metadata.namespace;
    if (ns !== undefined && ns !== namespace && !allow.namespaces.includes(ns)) {
      v.push(`${o.kind} ${o.metadata.name} is in namespace ${ns}, not the release namespace ${namespace}: the platform does not allow module ${module} to render into it (platform.modules.${module}.namespaces${where})`);
    }
  }
  return v;
}
