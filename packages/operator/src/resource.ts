// The ModuleRelease object as the API server holds it, and its conversion from
// a CUE release file's parts (`opm release build FILE -o resource`).
import { splitPath, type ReleaseParts } from '@opm/core';
import { API_VERSION, KIND } from './crd.js';
import { secretKeyFor } from './secret-refs.js';

export interface SecretValueRef {
  path: string;
  secretKeyRef: { name: string; key: string };
}

export interface Condition {
  type: 'Ready' | 'Reconciling' | 'Stalled' | 'Drifted' | string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

export interface ModuleReleaseStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  module?: { name: string; version: string; digest?: string };
  /** The registry platform rules the release was judged by (`--platform oci://…`), pinned by digest. */
  platform?: { ref: string; version: string; digest: string };
  revision?: number;
  /**
   * The history status of `revision`, as `opm release history` shows it: `pending` while its objects roll out,
   * `deployed` once all are ready, `failed` when the rollout failed or missed its progress deadline.
   */
  revisionStatus?: 'pending' | 'deployed' | 'failed';
  /** Hash of the manifest last deployed (what a resync compares with, to write nothing when unchanged). */
  manifestDigest?: string;
  inventory?: { apiVersion: string; kind: string; namespace?: string; name: string }[];
  lastError?: { layer?: string; path?: string; constraint?: string; message: string };
  lastAppliedTime?: string;
}

export interface ModuleReleaseSpec {
  module: string;
  values?: Record<string, unknown>;
  secretValues?: SecretValueRef[];
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  suspend?: boolean;
  serviceAccountName?: string;
}

export interface ModuleReleaseObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
    finalizers?: string[];
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  spec: ModuleReleaseSpec;
  status?: ModuleReleaseStatus;
}

/** `NAME:VERSION` → parts; the version must be exact (no ranges: the platform pins what runs). */
export function parseModuleRef(ref: string): { name: string; version: string } {
  const i = ref.lastIndexOf(':');
  const name = i > 0 ? ref.slice(0, i) : '';
  const version = i > 0 ? ref.slice(i + 1) : '';
  if (!name || !version || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || !/^[0-9A-Za-z.+-]+$/.test(version)) {
    throw new Error(`spec.module: ${JSON.stringify(ref)} is not a catalog reference NAME:VERSION with an exact version (e.g. simple-web-app:1.0.0-platform.1)`);
  }
  return { name, version };
}

/** The secret value paths of `values` that are set, removed from a copy (they go to Secrets, never the spec). */
function withoutPaths(values: Record<string, unknown>, paths: string[]): { values: Record<string, unknown>; removed: string[] } {
  const out = JSON.parse(JSON.stringify(values ?? {})) as Record<string, unknown>;
  const removed: string[] = [];
  for (const p of paths) {
    const segs = splitPath(p);
    let cur: unknown = out;
    for (const s of segs.slice(0, -1)) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[s] : undefined;
    const last = segs[segs.length - 1]!;
    if (cur && typeof cur === 'object' && last in (cur as object)) {
      delete (cur as Record<string, unknown>)[last];
      removed.push(p);
    }
  }
  return { values: out, removed };
}

/** A release by its parts: core's, which the portal's form and a stored revision give too. */
export type { ReleaseParts };

/**
 * The ModuleRelease object for a release read from CUE. Secret values written
 * in the file are not copied: each becomes a `secretValues` entry naming key
 * `<path>` of Secret `<release>-values`, which the user creates (returned in `secretsToCreate`).
 */
export function releaseToResource(r: ReleaseParts, secretPaths: string[]): { resource: ModuleReleaseObject; secretsToCreate: string[] } {
  const { values, removed } = withoutPaths(r.userValues, secretPaths);
  const spec: ModuleReleaseSpec = { module: `${r.module.name}:${r.module.version}` };
  if (Object.keys(values).length) spec.values = values;
  // A Secret key holds no quotes: `integrations."stripe-eu".token` is key `integrations.stripe-eu.token` (secretKeyFor).
  if (removed.length) spec.secretValues = removed.map((p) => ({ path: p, secretKeyRef: { name: `${r.name}-values`, key: secretKeyFor(p) } }));
  const md: NonNullable<ModuleReleaseSpec['metadata']> = {};
  if (r.labels && Object.keys(r.labels).length) md.labels = r.labels;
  if (r.annotations && Object.keys(r.annotations).length) md.annotations = r.annotations;
  if (Object.keys(md).length) spec.metadata = md;
  return {
    resource: { apiVersion: API_VERSION, kind: KIND, metadata: { name: r.name, namespace: r.namespace }, spec },
    secretsToCreate: removed.map(secretKeyFor),
  };
}
