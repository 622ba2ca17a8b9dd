/** Defaulting that kube-apiserver performs for the built-in kinds we serve (the commonly visible subset). */
import { isObj } from './json.js';

function setDefault(o: Record<string, any>, k: string, v: unknown): void {
  if (o[k] === undefined || o[k] === null) o[k] = v;
}

function imagePullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.split('/').pop() ?? '';
  const tag = last.includes(':') ? last.slice(last.lastIndexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: any): void {
  if (!isObj(c)) return;
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'imagePullPolicy', imagePullPolicy(c.image));
  setDefault(c, 'resources', {});
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObj(p)) setDefault(p, 'protocol', 'TCP');
  if (Array.isArray(c.env))
    for (const e of c.env) if (isObj(e) && isObj(e.valueFrom) && isObj(e.valueFrom.fieldRef)) setDefault(e.valueFrom.fieldRef, 'apiVersion', 'v1');
}

export function defaultPodSpec(spec: any, restartPolicy = 'Always'): void {
  if (!isObj(spec)) return;
  setDefault(spec, 'restartPolicy', restartPolicy);
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const k of ['containers', 'initContainers']) if (Array.isArray(spec[k])) spec[k].forEach(defaultContainer);
  if (Array.isArray(spec.volumes)) {
    for (const v of spec.volumes) {
      if (!isObj(v)) continue;
      if (isObj(v.configMap)) setDefault(v.configMap, 'defaultMode', 420);
      if (isObj(v.secret)) setDefault(v.secret, 'defaultMode', 420);
      if (isObj(v.projected)) setDefault(v.projected, 'defaultMode', 420);
    }
  }
}

function template(o: any): any {
  return isObj(o?.spec?.template) ? o.spec.template : undefined;
}

/** Applies defaults in place. `uid` is the object's uid (Jobs derive selector labels from it). */
export function applyDefaults(kind: string, o: any): void {
  if (!isObj(o)) return;
  const spec = isObj(o.spec) ? o.spec : undefined;
  switch (kind) {
    case 'Deployment':
      if (!spec) return;
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'progressDeadlineSeconds', 600);
      setDefault(spec, 'strategy', {});
      setDefault(spec.strategy, 'type', 'RollingUpdate');
      if (spec.strategy.type === 'RollingUpdate') {
        setDefault(spec.strategy, 'rollingUpdate', {});
        setDefault(spec.strategy.rollingUpdate, 'maxUnavailable', '25%');
        setDefault(spec.strategy.rollingUpdate, 'maxSurge', '25%');
      }
      defaultPodSpec(template(o)?.spec);
      return;
    case 'StatefulSet':
      if (!spec) return;
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'podManagementPolicy', 'OrderedReady');
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'updateStrategy', {});
      setDefault(spec.updateStrategy, 'type', 'RollingUpdate');
      if (spec.updateStrategy.type === 'RollingUpdate') {
        setDefault(spec.updateStrategy, 'rollingUpdate', {});
        setDefault(spec.updateStrategy.rollingUpdate, 'partition', 0);
      }
      setDefault(spec, 'persistentVolumeClaimRetentionPolicy', {});
      setDefault(spec.persistentVolumeClaimRetentionPolicy, 'whenDeleted', 'Retain');
      setDefault(spec.persistentVolumeClaimRetentionPolicy, 'whenScaled', 'Retain');
      if (Array.isArray(spec.volumeClaimTemplates))
        for (const t of spec.volumeClaimTemplates) if (isObj(t) && isObj(t.spec)) setDefault(t.spec, 'volumeMode', 'Filesystem');
      defaultPodSpec(template(o)?.spec);
      return;
    case 'DaemonSet':
      if (!spec) return;
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'updateStrategy', {});
      setDefault(spec.updateStrategy, 'type', 'RollingUpdate');
      if (spec.updateStrategy.type === 'RollingUpdate') {
        setDefault(spec.updateStrategy, 'rollingUpdate', {});
        setDefault(spec.updateStrategy.rollingUpdate, 'maxUnavailable', 1);
        setDefault(spec.updateStrategy.rollingUpdate, 'maxSurge', 0);
      }
      defaultPodSpec(template(o)?.spec);
      return;
    case 'ReplicaSet':
      if (!spec) return;
      setDefault(spec, 'replicas', 1);
      defaultPodSpec(template(o)?.spec);
      return;
    case 'Job':
      if (!spec) return;
      defaultJobSpec(spec);
      return;
    case 'CronJob':
      if (!spec) return;
      setDefault(spec, 'concurrencyPolicy', 'Allow');
      setDefault(spec, 'suspend', false);
      setDefault(spec, 'successfulJobsHistoryLimit', 3);
      setDefault(spec, 'failedJobsHistoryLimit', 1);
      if (isObj(spec.jobTemplate) && isObj(spec.jobTemplate.spec)) defaultJobSpec(spec.jobTemplate.spec);
      return;
    case 'Pod':
      defaultPodSpec(spec);
      return;
    case 'Secret':
      setDefault(o, 'type', 'Opaque');
      if (isObj(o.stringData)) {
        o.data = isObj(o.data) ? o.data : {};
        for (const [k, v] of Object.entries(o.stringData)) o.data[k] = Buffer.from(String(v)).toString('base64');
        delete o.stringData;
      }
      return;
    case 'Service':
      if (!spec) return;
      setDefault(spec, 'type', 'ClusterIP');
      setDefault(spec, 'sessionAffinity', 'None');
      if (spec.type !== 'ExternalName') {
        setDefault(spec, 'internalTrafficPolicy', 'Cluster');
        if (Array.isArray(spec.ports))
          for (const p of spec.ports) {
            if (!isObj(p)) continue;
            setDefault(p, 'protocol', 'TCP');
            setDefault(p, 'targetPort', p.port);
          }
      }
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') setDefault(spec, 'externalTrafficPolicy', 'Cluster');
      if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
      return;
    case 'PersistentVolumeClaim':
      if (spec) setDefault(spec, 'volumeMode', 'Filesystem');
      return;
    case 'Namespace':
      o.metadata = o.metadata ?? {};
      o.metadata.labels = { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name };
      o.spec = isObj(o.spec) ? o.spec : {};
      setDefault(o.spec, 'finalizers', ['kubernetes']);
      return;
    case 'CustomResourceDefinition':
      if (!spec) return;
      setDefault(spec, 'conversion', { strategy: 'None' });
      if (isObj(spec.names)) {
        setDefault(spec.names, 'singular', String(spec.names.kind ?? '').toLowerCase());
        setDefault(spec.names, 'listKind', `${spec.names.kind}List`);
      }
      return;
  }
}

function defaultJobSpec(spec: any): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', 6);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
  defaultPodSpec(spec.template?.spec);
}

/** Job controller-uid selector and template labels (batch/v1 Job PrepareForCreate / generateSelector). */
export function jobSelector(o: any, uid: string): void {
  const spec = o?.spec;
  if (!isObj(spec) || spec.manualSelector === true) return;
  const name = o.metadata?.name;
  if (!spec.selector) spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  if (isObj(spec.template)) {
    spec.template.metadata = isObj(spec.template.metadata) ? spec.template.metadata : {};
    spec.template.metadata.labels = {
      ...(spec.template.metadata.labels ?? {}),
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': name,
      'controller-uid': uid,
      'job-name': name,
    };
  }
}
