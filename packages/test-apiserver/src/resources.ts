/** The resource table served by the test API server (built-ins plus CRD-defined resources). */

export interface ResourceDef {
  group: string; // '' for core
  version: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  /** Has a /status subresource (status is reset on main-resource writes and vice versa). */
  status: boolean;
  /** metadata.generation is maintained (set to 1 on create, bumped on spec changes). */
  generation: boolean;
  /** Served from a CustomResourceDefinition. */
  custom?: boolean;
  /** For custom resources: the openAPIV3Schema of the served version (used for list/map types). */
  schema?: any;
  /** Which DNS validation metadata.name gets. */
  nameValidation?: 'subdomain' | 'label' | 'dns1035' | 'path';
}

const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const NS_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function def(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceDef> = {},
): ResourceDef {
  return {
    group,
    version,
    plural,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced,
    verbs: ALL,
    status: false,
    generation: false,
    nameValidation: 'subdomain',
    ...extra,
  };
}

export const BUILTIN_RESOURCES: ResourceDef[] = [
  def('', 'v1', 'Namespace', 'namespaces', false, {
    shortNames: ['ns'],
    verbs: NS_VERBS,
    status: true,
    nameValidation: 'label',
  }),
  def('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  def('', 'v1', 'Secret', 'secrets', true),
  def('', 'v1', 'Service', 'services', true, {
    shortNames: ['svc'],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    status: true,
    nameValidation: 'dns1035',
  }),
  def('', 'v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] }),
  def('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, { shortNames: ['pvc'], status: true }),
  def('', 'v1', 'Pod', 'pods', true, { shortNames: ['po'], categories: ['all'], status: true }),
  def('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  // The same Event objects as core/v1's (shared storage, see events.ts).
  def('events.k8s.io', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  def('apps', 'v1', 'Deployment', 'deployments', true, {
    shortNames: ['deploy'],
    categories: ['all'],
    status: true,
    generation: true,
  }),
  def('apps', 'v1', 'StatefulSet', 'statefulsets', true, {
    shortNames: ['sts'],
    categories: ['all'],
    status: true,
    generation: true,
  }),
  def('apps', 'v1', 'DaemonSet', 'daemonsets', true, { shortNames: ['ds'], categories: ['all'], status: true, generation: true }),
  def('apps', 'v1', 'ReplicaSet', 'replicasets', true, { shortNames: ['rs'], categories: ['all'], status: true, generation: true }),
  def('batch', 'v1', 'Job', 'jobs', true, { categories: ['all'], status: true, generation: true }),
  def('batch', 'v1', 'CronJob', 'cronjobs', true, { shortNames: ['cj'], categories: ['all'], status: true, generation: true }),
  def('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, { shortNames: ['ing'], status: true, generation: true }),
  def('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, { shortNames: ['netpol'], generation: true }),
  def('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, {
    shortNames: ['hpa'],
    categories: ['all'],
    status: true,
  }),
  def('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, { shortNames: ['pdb'], status: true, generation: true }),
  def('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true, { nameValidation: 'path' }),
  def('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true, { nameValidation: 'path' }),
  def('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false, { nameValidation: 'path' }),
  def('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false, { nameValidation: 'path' }),
  def('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
  // Reviews: create-only, answered and never stored (server.ts `review`).
  def('authentication.k8s.io', 'v1', 'TokenReview', 'tokenreviews', false, { verbs: ['create'] }),
  def('authentication.k8s.io', 'v1', 'SelfSubjectReview', 'selfsubjectreviews', false, { verbs: ['create'] }),
  def('authorization.k8s.io', 'v1', 'SubjectAccessReview', 'subjectaccessreviews', false, { verbs: ['create'] }),
  def('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', false, { verbs: ['create'] }),
  def('admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false, { generation: true }),
  def('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, {
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    status: true,
    generation: true,
  }),
];

export function groupVersion(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** Registry of served resources; CRDs add and remove entries at runtime. */
export class ResourceRegistry {
  private defs: ResourceDef[] = [...BUILTIN_RESOURCES];

  all(): ResourceDef[] {
    return this.defs;
  }

  lookup(group: string, version: string, plural: string): ResourceDef | undefined {
    return this.defs.find((d) => d.group === group && d.version === version && d.plural === plural);
  }

  byKind(group: string, version: string, kind: string): ResourceDef | undefined {
    return this.defs.find((d) => d.group === group && d.version === version && d.kind === kind);
  }

  /** All versions served for a group/plural (custom resources may be served at several versions). */
  versionsOf(group: string, plural: string): ResourceDef[] {
    return this.defs.filter((d) => d.group === group && d.plural === plural);
  }

  groups(): { name: string; versions: string[] }[] {
    const out: { name: string; versions: string[] }[] = [];
    for (const d of this.defs) {
      if (!d.group) continue;
      let g = out.find((x) => x.name === d.group);
      if (!g) out.push((g = { name: d.group, versions: [] }));
      if (!g.versions.includes(d.version)) g.versions.push(d.version);
    }
    return out;
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.defs.some((d) => d.group === group && d.version === version);
  }

  setCustom(crdName: string, defs: ResourceDef[]): void {
    this.removeCustom(crdName);
    for (const d of defs) (d as ResourceDef & { crd?: string }).crd = crdName;
    this.defs.push(...defs);
  }

  removeCustom(crdName: string): void {
    this.defs = this.defs.filter((d) => (d as ResourceDef & { crd?: string }).crd !== crdName);
  }
}

/**
 * Resource key used for storage: group/plural (versions share storage). events.k8s.io Events are stored with
 * core's (kube-apiserver serves one Event storage through both groups).
 */
export function storageKey(d: { group: string; plural: string }): string {
  if (d.group === 'events.k8s.io' && d.plural === 'events') return '/events';
  return `${d.group}/${d.plural}`;
}

/** Key of a resource's field selector labels: group/plural of the served resource (not of its storage). */
export function fieldsKey(d: { group: string; plural: string }): string {
  return `${d.group}/${d.plural}`;
}
