/**
 * Field tables for the built-in kinds (a hand-written subset of the upstream OpenAPI), used to find unknown
 * fields: kube-apiserver drops them from typed objects (with a `Warning`, or 400 under fieldValidation=Strict)
 * and server-side apply refuses them ("field not declared in schema"). `*` means "not checked below here".
 */
import { isObj } from './json.js';
import { builtinList } from './schema.js';

type Fields = Record<string, string>;

const any = (...names: string[]): Fields => Object.fromEntries(names.map((n) => [n, '*']));

const TYPE_META = any('apiVersion', 'kind');

const T: Record<string, Fields> = {
  ObjectMeta: {
    ...any('name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp'),
    ...any('deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'finalizers', 'managedFields'),
    ownerReferences: '[]OwnerReference',
  },
  OwnerReference: any('apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion'),
  PodTemplateSpec: { metadata: 'ObjectMeta', spec: 'PodSpec' },
  PodSpec: {
    volumes: '[]Volume',
    ...any('ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds'),
    ...any('dnsPolicy', 'nodeSelector', 'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'nodeName'),
    ...any('hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'securityContext', 'imagePullSecrets', 'hostname'),
    ...any('subdomain', 'affinity', 'schedulerName', 'tolerations', 'hostAliases', 'priorityClassName', 'priority', 'dnsConfig'),
    ...any('readinessGates', 'runtimeClassName', 'enableServiceLinks', 'preemptionPolicy', 'overhead', 'topologySpreadConstraints'),
    ...any('setHostnameAsFQDN', 'os', 'hostUsers', 'schedulingGates', 'resourceClaims', 'resources'),
    containers: '[]Container',
    initContainers: '[]Container',
  },
  Container: {
    ...any('name', 'image', 'command', 'args', 'workingDir', 'resizePolicy'),
    ...any('restartPolicy', 'volumeDevices', 'lifecycle'),
    ...any('terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty'),
    ports: '[]ContainerPort',
    env: '[]EnvVar',
    envFrom: '[]EnvFromSource',
    resources: 'ResourceRequirements',
    volumeMounts: '[]VolumeMount',
    livenessProbe: 'Probe',
    readinessProbe: 'Probe',
    startupProbe: 'Probe',
  },
  ContainerPort: any('name', 'hostPort', 'containerPort', 'protocol', 'hostIP'),
  EnvVar: any('name', 'value', 'valueFrom'),
  EnvFromSource: any('prefix', 'configMapRef', 'secretRef'),
  ResourceRequirements: any('limits', 'requests', 'claims'),
  VolumeMount: any('name', 'readOnly', 'recursiveReadOnly', 'mountPath', 'subPath', 'mountPropagation', 'subPathExpr'),
  Probe: any(
    'exec', 'httpGet', 'tcpSocket', 'grpc', 'initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold',
    'failureThreshold', 'terminationGracePeriodSeconds',
  ),
  Volume: any(
    'name', 'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi',
    'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc',
    'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected',
    'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
  ),
  ServicePort: any('name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort'),
  PersistentVolumeClaimTemplate: { metadata: 'ObjectMeta', spec: 'PersistentVolumeClaimSpec' },
  PersistentVolumeClaimSpec: {
    ...any('accessModes', 'selector', 'volumeName', 'storageClassName', 'volumeMode', 'dataSource', 'dataSourceRef'),
    ...any('volumeAttributesClassName'),
    resources: 'VolumeResourceRequirements',
  },
  VolumeResourceRequirements: any('limits', 'requests'),
  DeploymentSpec: {
    ...any('replicas', 'selector', 'strategy', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds'),
    template: 'PodTemplateSpec',
  },
  StatefulSetSpec: {
    ...any('replicas', 'selector', 'serviceName', 'podManagementPolicy', 'updateStrategy'),
    volumeClaimTemplates: '[]PersistentVolumeClaimTemplate',
    ...any('revisionHistoryLimit', 'minReadySeconds', 'persistentVolumeClaimRetentionPolicy', 'ordinals'),
    template: 'PodTemplateSpec',
  },
  DaemonSetSpec: { ...any('selector', 'updateStrategy', 'minReadySeconds', 'revisionHistoryLimit'), template: 'PodTemplateSpec' },
  ReplicaSetSpec: { ...any('replicas', 'minReadySeconds', 'selector'), template: 'PodTemplateSpec' },
  JobSpec: {
    ...any('parallelism', 'completions', 'activeDeadlineSeconds', 'podFailurePolicy', 'successPolicy', 'backoffLimit'),
    ...any('backoffLimitPerIndex', 'maxFailedIndexes', 'selector', 'manualSelector', 'ttlSecondsAfterFinished'),
    ...any('completionMode', 'suspend', 'podReplacementPolicy', 'managedBy'),
    template: 'PodTemplateSpec',
  },
  JobTemplateSpec: { metadata: 'ObjectMeta', spec: 'JobSpec' },
  CronJobSpec: {
    ...any('schedule', 'timeZone', 'startingDeadlineSeconds', 'concurrencyPolicy', 'suspend'),
    ...any('successfulJobsHistoryLimit', 'failedJobsHistoryLimit'),
    jobTemplate: 'JobTemplateSpec',
  },
  ServiceSpec: {
    ports: '[]ServicePort',
    ...any(
    'selector', 'clusterIP', 'clusterIPs', 'type', 'externalIPs', 'sessionAffinity', 'loadBalancerIP',
    'loadBalancerSourceRanges', 'externalName', 'externalTrafficPolicy', 'healthCheckNodePort', 'publishNotReadyAddresses',
    'sessionAffinityConfig', 'ipFamilies', 'ipFamilyPolicy', 'allocateLoadBalancerNodePorts', 'loadBalancerClass',
    'internalTrafficPolicy', 'trafficDistribution',
    ),
  },
  LeaseSpec: any('holderIdentity', 'leaseDurationSeconds', 'acquireTime', 'renewTime', 'leaseTransitions', 'strategy', 'preferredHolder'),
};

const withMeta = (f: Fields): Fields => ({ ...TYPE_META, metadata: 'ObjectMeta', ...f });

/** Top-level fields per kind (kinds not listed are not checked). */
const KINDS: Record<string, Fields> = {
  ConfigMap: withMeta(any('data', 'binaryData', 'immutable')),
  Secret: withMeta(any('data', 'stringData', 'type', 'immutable')),
  ServiceAccount: withMeta(any('secrets', 'imagePullSecrets', 'automountServiceAccountToken')),
  Namespace: withMeta(any('spec', 'status')),
  Service: withMeta({ spec: 'ServiceSpec', status: '*' }),
  PersistentVolumeClaim: withMeta({ spec: 'PersistentVolumeClaimSpec', status: '*' }),
  Pod: withMeta({ spec: 'PodSpec', status: '*' }),
  Deployment: withMeta({ spec: 'DeploymentSpec', status: '*' }),
  StatefulSet: withMeta({ spec: 'StatefulSetSpec', status: '*' }),
  DaemonSet: withMeta({ spec: 'DaemonSetSpec', status: '*' }),
  ReplicaSet: withMeta({ spec: 'ReplicaSetSpec', status: '*' }),
  Job: withMeta({ spec: 'JobSpec', status: '*' }),
  CronJob: withMeta({ spec: 'CronJobSpec', status: '*' }),
  Ingress: withMeta(any('spec', 'status')),
  NetworkPolicy: withMeta(any('spec')),
  HorizontalPodAutoscaler: withMeta(any('spec', 'status')),
  PodDisruptionBudget: withMeta(any('spec', 'status')),
  Role: withMeta(any('rules')),
  ClusterRole: withMeta(any('rules', 'aggregationRule')),
  RoleBinding: withMeta(any('subjects', 'roleRef')),
  ClusterRoleBinding: withMeta(any('subjects', 'roleRef')),
  Lease: withMeta({ spec: 'LeaseSpec' }),
  CustomResourceDefinition: withMeta(any('spec', 'status')),
};

export interface UnknownField {
  /** As in strict decoding errors: `spec.template.spec.containers[0].foo`. */
  json: string;
  /** As structured-merge-diff prints it: `.spec.template.spec.containers[name="c"].foo`. */
  smd: string;
}

/** Finds (and, with `prune`, removes) fields not declared for a built-in kind. */
export function unknownFields(kind: string, obj: unknown, prune: boolean): UnknownField[] {
  const top = KINDS[kind];
  const out: UnknownField[] = [];
  if (!top || !isObj(obj)) return out;
  const walk = (v: unknown, fields: Fields, json: string, smd: string, spath: string[]): void => {
    if (!isObj(v)) return;
    for (const k of Object.keys(v)) {
      const jp = json ? `${json}.${k}` : k;
      const sp = `${smd}.${k}`;
      const t = fields[k];
      if (t === undefined) {
        out.push({ json: jp, smd: sp });
        if (prune) delete v[k];
        continue;
      }
      if (t === '*') continue;
      if (t.startsWith('[]')) {
        const item = T[t.slice(2)];
        const arr = v[k];
        if (!item || !Array.isArray(arr)) continue;
        const lt = builtinList(kind, [...spath, k]);
        arr.forEach((x, i) => {
          let key = `[${i}]`;
          if (lt.type === 'map' && isObj(x)) {
            const parts = [...lt.keys].sort().map((kk) => [kk, x[kk] ?? lt.defaults?.[kk]] as const).filter(([, v]) => v !== undefined);
            key = `[${parts.map(([kk, v]) => `${kk}=${JSON.stringify(v)}`).join(',')}]`;
          }
          walk(x, item, `${jp}[${i}]`, `${sp}${key}`, [...spath, k, '[]']);
        });
        continue;
      }
      const sub = T[t];
      if (sub) walk(v[k], sub, jp, sp, [...spath, k]);
    }
  };
  walk(obj, top, '', '', []);
  return out;
}
