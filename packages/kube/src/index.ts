// @opm/kube: everything that talks to a cluster. Input is an already rendered
// release (types.ts: DesiredRelease); rendering lives in @opm/core.
export * from './types.js';
export { loadKubeConfig, KubeConfigError, type ConnectionOptions, type ResolvedConfig } from './kubeconfig.js';
export { impersonating, impersonatedGroups, IMPERSONATE_GROUP } from './impersonate.js';
export { KubeClient, KubeApiError, UnknownKindError, describeApiError, type KubeClientOptions } from './client.js';
export { applyRelease, currentValueOverrides, prepareRelease, type ApplyReleaseOptions } from './apply-release.js';
export { rollbackRelease, rollbackTarget, type RollbackOptions } from './rollback.js';
export { ModuleDigestChangedError, checkModulePin, modulePinProblem, pinnedDigest } from './module-pin.js';
export { AutoscaledError, scaleRelease, replicasPath, setIn, type ScaleOptions } from './scale.js';
export { deleteRelease, DeleteCancelledError, type DeleteOptions, type DeletePlan } from './delete-release.js';
export { AdoptionError } from './ownership.js';
export { verifyHistory, repairRelease, type RevisionCheck, type RepairAction } from './repair.js';
export { CorruptRevisionError } from './history/store.js';
export { releaseStatus, releaseHistory, listReleases, ReleaseNotFoundError, type ReleaseStatus, type ObjectStatus } from './status.js';
export { diffRelease, colorDiff, maskSecretPair, type DiffResult } from './diff.js';
export { AtomicRollbackError, DEFAULT_HISTORY_MAX, DEFAULT_TIMEOUT_MS, type DeployOptions, type DeployResult } from './deploy.js';
export { ConflictError, ObjectApiError, type ObjectConflicts, type ObjectResult, type Action, type DryRun } from './apply.js';
export { NothingToRollBackError, ReleaseRequestError } from './release-errors.js';
export { OwnershipError } from './inventory.js';
export { LockLostError, ReleaseLock, ReleaseLockedError, type LockOptions } from './lock.js';
export { HistoryConflictError } from './history/store.js';
export { WaitError } from './wait.js';
export { Deadline, CLEANUP_GRACE_MS } from './deadline.js';
export { ApiUnreachableError, REQUEST_TIMEOUT_MS, serverName } from './http.js';
export { CredentialPluginError } from './exec-credential.js';
export { assessHealth } from './health.js';
export { parseDuration, formatDuration } from './duration.js';
export { unifiedDiff } from './linediff.js';
export { diffRevisions, type RevisionDiff } from './revision-diff.js';
export { watchRelease, type ReleaseWatch } from './release-watch.js';
export { Redactor, MASK, maskValues, maskSecretObject } from './redact.js';
export { displayRef, refOf, refKey } from './objref.js';
export type { ReleaseContext } from './session.js';
// For a controller that keeps its own cache of live objects (packages/operator): the same
// "already applied" test apply.ts uses, and the drift report of `status --drift`.
export { comparable, isSubset } from './normalize.js';
export { ANNOTATION_MANIFEST_HASH, ownerOf } from './inventory.js';
export { driftOf, formatDrift, type DriftEntry } from './drift.js';
export { headerOf } from './objref.js';
