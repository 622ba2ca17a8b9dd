// The contract between the offline side (rendering, packages/core) and the
// cluster side (this package). kube never looks at CUE: it receives a release
// that is already rendered into plain Kubernetes manifests.

/** A plain JSON Kubernetes manifest, as rendered (never a client-node model class). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export interface ModuleRef {
  name: string;
  version: string;
  /** Manifest digest of the module artifact (OCI catalogs): what the release is pinned to. */
  digest?: string;
  /** The artifact it came from, `oci://REGISTRY/REPO:TAG@DIGEST` (lets rollback re-check it without --catalog). */
  ref?: string;
}

/** The platform rules a release was checked against (core's PlatformRulesRef). */
export interface PlatformRulesRef {
  /** The rules file, a published artifact's reference, `OPM_PLATFORM=<file>`, or `none (--no-platform-rules)`. */
  source: string;
  /** `sha256:` of the rules' text, or `none`. */
  digest: string;
}

/** What `opm release build` produces and `opm release apply` consumes. */
export interface DesiredRelease {
  name: string;
  namespace: string;
  module: ModuleRef;
  /** The values written in the ModuleRelease (before the cascade). */
  userValues: Record<string, unknown>;
  /** The values after the cascade (definition → platform → release). */
  finalValues: Record<string, unknown>;
  /** Rendered objects. Namespaced objects without a namespace go to `namespace`. */
  objects: KubeObject[];
  /** Dotted paths into the values that hold secrets (masked whenever values are shown). */
  secretPaths?: string[];
  /** The ModuleRelease's own metadata labels/annotations (kept so a re-render sees the same release). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** The platform rules it was checked against (recorded in the history). */
  platform?: PlatformRulesRef;
}

/** Identity of a live object; `group` is '' for the core group. */
export interface ObjectRef {
  group: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * One object of a revision's inventory. `created` records whether this release
 * created the object (true) or took over one that already existed (false, only
 * with consent: --adopt). Revisions written before opm recorded it have no
 * `created`: unknown, which delete and prune treat as "not created" for
 * Namespaces (never deleted) and as "created" for other kinds (they were
 * inventoried and carry the release's labels).
 */
export interface InventoryEntry extends ObjectRef {
  created?: boolean;
}

/** Renders a ModuleRelease file. Supplied by the CLI from @opm/core. */
export type RenderRelease = (file: string, opts: RenderOptions) => Promise<DesiredRelease>;

export interface RenderOptions {
  /** Namespace given with -n, overriding the one written in the release. */
  namespace?: string;
  /**
   * Values recorded by `opm release scale`, merged over the file's values so a
   * scale survives the next apply (policy still applies to the merged result).
   */
  valueOverrides?: Record<string, unknown>;
}

/**
 * Re-renders a stored release with new user values (used by scale, so the new
 * replica count goes through validation and policy ceilings exactly as an apply would).
 */
export type RerenderRelease = (input: {
  name: string;
  namespace: string;
  module: ModuleRef;
  userValues: Record<string, unknown>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}) => Promise<DesiredRelease>;

export type RevisionStatus =
  | 'pending'
  | 'deployed'
  | 'failed'
  | 'superseded'
  | 'uninstalling';

/** One stored revision of a release (the decoded payload of its history Secret(s)). */
export interface ReleaseRevision {
  name: string;
  namespace: string;
  revision: number;
  status: RevisionStatus;
  description: string;
  module: ModuleRef;
  userValues: Record<string, unknown>;
  finalValues: Record<string, unknown>;
  /** Values set by `opm release scale`, carried forward by later applies. */
  valueOverrides: Record<string, unknown>;
  valuesDigest: string;
  secretPaths: string[];
  /** The ModuleRelease's metadata labels/annotations (for re-rendering). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Exactly the objects this revision owns. */
  inventory: InventoryEntry[];
  /** The rendered manifest (as applied, with opm's ownership labels). */
  manifest: KubeObject[];
  createdAt: string;
  updatedAt: string;
  /** Which Secret key holds the value of each secret path (history keeps no secret values: history/secrets.ts). */
  secretRefs?: SecretRef[];
  /** The secret data, encrypted with the platform's history key, when one was given (history/sealed.ts). */
  sealed?: SealedSecrets;
  /** Set by `opm release repair` on a revision rebuilt from a corrupt payload (inventory from labels, no manifest). */
  repaired?: boolean;
  /** The platform rules the revision was checked against (absent on revisions written before opm recorded them). */
  platform?: PlatformRulesRef;
}

/** AES-256-GCM ciphertext of a revision's secret values and Secret data (base64 fields). */
export interface SealedSecrets {
  alg: 'AES-256-GCM';
  iv: string;
  tag: string;
  data: string;
}

/** Where the value of a secret path lives in the cluster: a key of a rendered Secret. */
export interface SecretRef {
  path: string;
  namespace: string;
  name: string;
  key: string;
}

/** What `list` and `history` show; read from labels/annotations only, never from payloads. */
export interface RevisionSummary {
  name: string;
  namespace: string;
  revision: number;
  status: RevisionStatus;
  description: string;
  module: string;
  moduleVersion: string;
  /** The module artifact's digest, when it came from an OCI catalog. */
  moduleDigest?: string;
  /** The platform rules the revision was checked against (from the head; absent on old revisions). */
  platform?: PlatformRulesRef;
  valuesDigest: string;
  updatedAt: string;
  chunks: number;
  /** `apiVersion/Kind` of every object in the revision's inventory (from the head; absent on old revisions). */
  kinds?: string[];
  /** Namespaces of the inventory's namespaced objects (from the head; absent on old revisions). */
  namespaces?: string[];
}

export type Health = 'Ready' | 'InProgress' | 'Failed' | 'NotFound';

export interface HealthResult {
  status: Health;
  reason: string;
}

/** Sink for the human-readable progress of long operations. */
export interface Reporter {
  /** One line that stays (e.g. `deployment.apps/web created`). */
  line(text: string): void;
  /** A transient progress line (overwritten on a TTY, de-duplicated otherwise). */
  progress?(text: string): void;
}

export const FIELD_MANAGER = 'opm';
export const LABEL_RELEASE = 'opm.dev/release';
export const LABEL_RELEASE_NAMESPACE = 'opm.dev/release-namespace';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
/** Set on an object the release adopted (it existed before; never deleted by the release). */
export const ANNOTATION_ADOPTED = 'opm.dev/adopted';
