// Policy checks. All violations are collected and reported together.
import { environmentFor, type Environment, type PlatformRules } from './platform.js';
import { parseQuantity } from './quantity.js';

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

type Obj = { kind: string; metadata: { name: string }; spec?: Record<string, any> };

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
export function checkObjectPolicy(rules: PlatformRules, env: Environment | undefined, objects: Obj[], source: QuantitySource = () => ''): string[] {
  const v: string[] = [];
  const s = rules.security;
  const c = env?.ceilings ?? {};
  const over = (what: string, q: string | undefined, ceiling: string | undefined) => {
    if (!q || !ceiling) return false;
    const a = parseQuantity(q);
    const b = parseQuantity(ceiling);
    return a !== undefined && b !== undefined && a > b;
  };
  for (const o of objects) {
    const id = `${o.kind} ${o.metadata.name}`;
    const pod = podSpecOf(o);
    if (pod) {
      const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? [])] as Record<string, any>[];
      for (const ct of containers) {
        const cid = `${id}: container ${ct.name}`;
        const sc = ct.securityContext ?? {};
        if (s.runAsNonRoot && (sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true) {
          v.push(`${cid} must run as non-root (securityContext.runAsNonRoot: true)`);
        }
        if (!s.allowPrivileged && (sc.privileged === true || sc.allowPrivilegeEscalation === true)) {
          v.push(`${cid} must not be privileged or allow privilege escalation`);
        }
        if (s.allowedRegistries.length && !s.allowedRegistries.some((r) => String(ct.image).startsWith(r))) {
          v.push(`${cid}: image ${ct.image} is not from an allowed registry (${s.allowedRegistries.join(', ')})`);
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
