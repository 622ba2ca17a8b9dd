// The shapes the JSON API answers (README.md documents each endpoint): the one
// source of these types for the server (src/) and the web app (web/, whose
// tsconfig includes this file). Types only, and nothing from Node: the web
// app's compile sees this file too.
import type { Environment } from '@opm/core/browser';

export type FieldKind = 'int' | 'number' | 'string' | 'bool' | 'enum' | 'list' | 'map' | 'any';

export interface SchemaLeafNode {
  type: 'field';
  name: string;
  path: string;
  kind: FieldKind;
  constraint: string;
  optional: boolean;
  required: boolean;
  secret: boolean;
  description?: string;
  default?: unknown;
  /** Who set the default, as `opm release values --explain` names the layer. */
  defaultLayer?: string;
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  pattern?: string;
  enum?: unknown[];
  /** Locked: the release may not change it; `by` names the module or the environment. */
  locked?: { value: unknown; by: string; source: 'module' | 'environment' };
}

export interface SchemaGroupNode {
  type: 'group';
  name: string;
  path: string;
  description?: string;
  children: SchemaNode[];
}

export type SchemaNode = SchemaLeafNode | SchemaGroupNode;

/** GET /api/session */
export interface SessionInfo {
  user: string;
  /** The groups the portal acts in for the user (impersonated, or as the API server knows the token's); [] when unknown. */
  groups: string[];
  csrf: string;
  mode: 'local' | 'cluster';
  operator: boolean;
}

export interface ModuleSummary {
  name: string;
  versions: string[];
  latest: string;
  description?: string;
}

/** GET /api/catalog */
export interface CatalogList {
  catalog: string;
  modules: ModuleSummary[];
}

export interface EnvironmentInfo {
  name: string;
  tier: string;
  namespaces: string[];
  requiredLabels: string[];
  requiredAnnotations: string[];
  ceilings: Environment['ceilings'];
  immutable: Record<string, unknown>;
}

/** GET /api/catalog/{module}/{version} */
export interface ModuleDetail {
  name: string;
  version: string;
  versions: string[];
  digest?: string;
  description?: string;
  definition: { name: string; version: string };
  /** Components of the developer's definition. */
  components: string[];
  /** Components the platform's module adds beside the definition's. */
  platformComponents: string[];
  /** The platform's scopes (policies: monitoring, backup, networking, …). */
  policies: string[];
  immutable: { path: string; value: unknown; by: string }[];
  /** The values schema as the form needs it; secret defaults and locks are never included. */
  schema: SchemaGroupNode;
  /** The environment whose locks the schema shows (with `namespace`). */
  environment?: string;
  environments: EnvironmentInfo[];
}

/** GET /api/namespaces: where the caller may create a release. */
export interface NamespaceChoices {
  namespaces: { name: string; environment: string }[];
  /** What RBAC was asked for each namespace (`create modulereleases.opm.dev` or `create secrets`). */
  checked: string;
}

/** POST /api/preview */
export interface PreviewAnswer {
  file: string;
  fileName: string;
  manifests: string;
  objects: { apiVersion: string; kind: string; name: string; namespace?: string }[];
  environment: string | null;
  warnings: string[];
  via: 'operator' | 'apply';
}

export interface ReleaseRow {
  name: string;
  namespace: string;
  module: string;
  version: string;
  revision: number;
  status: string;
  updatedAt: string;
}

/** GET /api/releases */
export interface ReleaseList {
  namespaces: 'cluster' | string[];
  releases: ReleaseRow[];
}

export interface ObjectHealth {
  ref: { kind: string; name: string; namespace?: string };
  health: string;
  reason: string;
}

/** GET /api/releases/{ns}/{name} (and each `status` event of its stream). */
export interface ReleaseDetail {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  description: string;
  health: string;
  module: { name: string; version: string; digest?: string };
  /** User values, secrets masked. */
  values: Record<string, unknown>;
  objects: ObjectHealth[];
  managedBy?: 'opm' | 'operator';
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RevisionRow {
  revision: number;
  status: string;
  description: string;
  module: string;
  version: string;
  updatedAt: string;
}

/** GET /api/releases/{ns}/{name}/history */
export interface HistoryAnswer {
  revisions: RevisionRow[];
}

/** GET /api/releases/{ns}/{name}/diff */
export interface DiffAnswer {
  from: number;
  to: number;
  values: string;
  manifest: string;
  objects: { ref: unknown; change: 'create' | 'update' | 'delete' }[];
}

/** 202 answer of deploy, scale, rollback and delete. */
export interface OperationStarted {
  operation: string;
  release: { namespace: string; name: string };
  via?: 'operator' | 'apply';
}

/** GET /api/operations/{id}, and the `end` event of its stream. */
export interface OperationAnswer {
  id: string;
  kind: string;
  release: { namespace: string; name: string };
  state: 'running' | 'succeeded' | 'failed';
  lines: string[];
  result?: Record<string, unknown>;
  error?: string;
  startedAt: string;
  endedAt?: string;
}
