// @opm/operator: platform-side governance. Tenants write ModuleRelease objects;
// this package's controller renders them with the platform's catalog and rules
// (@opm/core) and deploys them through the CLI's code paths (@opm/kube); its
// admission webhook refuses bad ones at `kubectl apply` time.
export { API_VERSION, GROUP, VERSION, KIND, PLURAL, FINALIZER, OPERATOR_FIELD_MANAGER, moduleReleaseCRD } from './crd.js';
export { checkSecretValueRefs, secretKeyFor, secretKeyProblem, SECRET_KEY_RULE } from './secret-refs.js';
export { parseModuleRef, releaseToResource, type ModuleReleaseObject, type ModuleReleaseSpec, type ModuleReleaseStatus, type Condition, type ReleaseParts } from './resource.js';
export { renderResource, readSecretValues } from './render.js';
export { checkTenancy } from './tenancy.js';
export { withPlatformFile, withPlatformRules, operatorSession, type PlatformPin } from './catalog.js';
export { Reconciler, manifestDigest, type ReconcileResult } from './reconcile.js';
export { WorkQueue } from './queue.js';
export { LeaderElector, type LeaderOptions } from './leader.js';
export { review, WebhookServer, WEBHOOK_PATH, type AdmissionResponse } from './webhook.js';
export { Operator, type OperatorOptions } from './operator.js';
export { operatorManaged, guardOperatorOwnership, ManagedByOperatorError } from './ownership.js';
export { serviceAccountUser, impersonatingConfig } from './impersonate.js';
export { operatorManifests, RENDERED_RESOURCES, type ManifestOptions } from './manifests.js';
export { getCondition } from './conditions.js';
