// Apply order. Namespaces and CRDs first (everything else may live in or be
// typed by them), then RBAC (workloads need their ServiceAccounts and
// permissions), then the rest — storage and config before the workloads that
// mount them, as Helm orders an install. Deletion runs in reverse.
import type { ObjectRef } from './types.js';

export const STAGE_NAMES = ['namespaces and CRDs', 'RBAC', 'resources'] as const;

const stage0 = new Set(['/Namespace', 'apiextensions.k8s.io/CustomResourceDefinition']);
const stage1 = new Set([
  '/ServiceAccount',
  'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/RoleBinding',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
]);

const kindOrder = [
  'Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding',
  'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget', 'Secret', 'ConfigMap',
  'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Service', 'DaemonSet', 'Pod', 'ReplicationController',
  'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress',
  'APIService',
];

export function stageOf(ref: Pick<ObjectRef, 'group' | 'kind'>): number {
  const k = `${ref.group}/${ref.kind}`;
  if (stage0.has(k)) return 0;
  if (stage1.has(k)) return 1;
  return 2;
}

function rank(ref: Pick<ObjectRef, 'kind'>): number {
  const i = kindOrder.indexOf(ref.kind);
  return i < 0 ? kindOrder.length : i;
}

/** Groups items into the three stages, each sorted in install order (stable otherwise). */
export function byStage<T>(items: T[], refOf: (t: T) => ObjectRef): T[][] {
  const stages: T[][] = [[], [], []];
  for (const it of items) stages[stageOf(refOf(it))]!.push(it);
  for (const s of stages) s.sort((a, b) => rank(refOf(a)) - rank(refOf(b)));
  return stages;
}

/** Deletion order: the reverse of install order. */
export function deletionOrder<T>(items: T[], refOf: (t: T) => ObjectRef): T[] {
  return byStage(items, refOf).flatMap((s) => s).reverse();
}
