/** The validation kube-apiserver performs that clients commonly run into. */
import { goValue, type FieldError } from './errors.js';
import { isEventsV1, validateEventsV1 } from './events.js';
import { deepEqual, isObj, jsonSize } from './json.js';
import type { ResourceDef } from './resources.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const MSG_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const MSG_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const MSG_1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

export function validateName(def: ResourceDef, name: string, field = 'metadata.name'): FieldError[] {
  const errs: FieldError[] = [];
  switch (def.nameValidation ?? 'subdomain') {
    case 'subdomain':
      if (name.length > 253) errs.push({ type: 'Invalid', field, value: name, detail: 'must be no more than 253 characters' });
      if (!DNS1123_SUBDOMAIN.test(name)) errs.push({ type: 'Invalid', field, value: name, detail: MSG_SUBDOMAIN });
      break;
    case 'label':
      if (name.length > 63) errs.push({ type: 'Invalid', field, value: name, detail: 'must be no more than 63 characters' });
      if (!DNS1123_LABEL.test(name)) errs.push({ type: 'Invalid', field, value: name, detail: MSG_LABEL });
      break;
    case 'dns1035':
      if (name.length > 63) errs.push({ type: 'Invalid', field, value: name, detail: 'must be no more than 63 characters' });
      if (!DNS1035_LABEL.test(name)) errs.push({ type: 'Invalid', field, value: name, detail: MSG_1035 });
      break;
    case 'path':
      if (name === '.' || name === '..') errs.push({ type: 'Invalid', field, value: name, detail: `may not be '${name}'` });
      for (const bad of ['/', '%'])
        if (name.includes(bad)) errs.push({ type: 'Invalid', field, value: name, detail: `may not contain '${bad}'` });
      break;
  }
  return errs;
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function validateQualifiedKey(key: string, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const parts = key.split('/');
  let name = key;
  if (parts.length === 2) {
    const [prefix, n] = parts as [string, string];
    name = n;
    if (prefix.length === 0) errs.push({ type: 'Invalid', field, value: key, detail: 'prefix part must be non-empty' });
    else if (!DNS1123_SUBDOMAIN.test(prefix) || prefix.length > 253)
      errs.push({ type: 'Invalid', field, value: key, detail: `prefix part ${MSG_SUBDOMAIN}` });
  } else if (parts.length > 2) {
    errs.push({
      type: 'Invalid',
      field,
      value: key,
      detail:
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    });
    return errs;
  }
  if (name.length === 0) errs.push({ type: 'Invalid', field, value: key, detail: 'name part must be non-empty' });
  else {
    if (name.length > 63) errs.push({ type: 'Invalid', field, value: key, detail: 'name part must be no more than 63 characters' });
    if (!QUALIFIED_NAME.test(name))
      errs.push({
        type: 'Invalid',
        field,
        value: key,
        detail:
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      });
  }
  return errs;
}

export function validateMetadata(def: ResourceDef, obj: any): FieldError[] {
  const errs: FieldError[] = [];
  const md = obj.metadata ?? {};
  const labels = md.labels;
  if (labels !== undefined && labels !== null) {
    if (!isObj(labels)) errs.push({ type: 'Invalid', field: 'metadata.labels', value: labels, detail: 'must be a map' });
    else
      for (const [k, v] of Object.entries(labels)) {
        errs.push(...validateQualifiedKey(k, 'metadata.labels'));
        if (typeof v !== 'string') {
          errs.push({ type: 'Invalid', field: `metadata.labels`, value: v, detail: 'must be a string' });
          continue;
        }
        if (v.length > 63) errs.push({ type: 'Invalid', field: 'metadata.labels', value: v, detail: 'must be no more than 63 characters' });
        if (!LABEL_VALUE.test(v))
          errs.push({
            type: 'Invalid',
            field: 'metadata.labels',
            value: v,
            detail:
              "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
          });
      }
  }
  const ann = md.annotations;
  if (isObj(ann)) {
    let total = 0;
    for (const [k, v] of Object.entries(ann)) {
      errs.push(...validateQualifiedKey(k.toLowerCase(), 'metadata.annotations'));
      total += k.length + String(v).length;
    }
    if (total > 256 * 1024)
      errs.push({ type: 'TooLong', field: 'metadata.annotations', detail: `must have at most ${256 * 1024} bytes` });
  }
  void def;
  return errs;
}

function labelsMatch(selector: any, labels: any): boolean {
  if (!isObj(selector)) return false;
  const ml = selector.matchLabels ?? {};
  for (const [k, v] of Object.entries(ml)) if (!isObj(labels) || labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = isObj(labels) && e.key in labels;
    const val = has ? labels[e.key] : undefined;
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(val))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(val)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return Object.keys(ml).length > 0 || (selector.matchExpressions ?? []).length > 0;
}

function validateContainers(list: any, field: string, required: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(list) || list.length === 0) {
    if (required) errs.push({ type: 'Required', field, detail: '' });
    return errs;
  }
  const seen = new Set<string>();
  list.forEach((c: any, i: number) => {
    const f = `${field}[${i}]`;
    if (!c?.name) errs.push({ type: 'Required', field: `${f}.name` });
    else {
      if (seen.has(c.name)) errs.push({ type: 'Duplicate', field: `${f}.name`, value: c.name });
      seen.add(c.name);
      if (!DNS1123_LABEL.test(c.name) || c.name.length > 63)
        errs.push({ type: 'Invalid', field: `${f}.name`, value: c.name, detail: MSG_LABEL });
    }
    if (!c?.image) errs.push({ type: 'Required', field: `${f}.image` });
  });
  return errs;
}

function validatePodTemplate(tpl: any, field: string, selector: any, kind: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(tpl)) return [{ type: 'Required', field }];
  if (selector !== undefined && !labelsMatch(selector, tpl.metadata?.labels)) {
    errs.push({
      type: 'Invalid',
      field: `${field}.metadata.labels`,
      value: tpl.metadata?.labels ?? {},
      detail: '`selector` does not match template `labels`',
    });
  }
  errs.push(...validateContainers(tpl.spec?.containers, `${field}.spec.containers`, true));
  (Array.isArray(tpl.spec?.volumes) ? tpl.spec.volumes : []).forEach((v: any, i: number) => {
    const f = `${field}.spec.volumes[${i}]`;
    if (!v?.name) errs.push({ type: 'Required', field: `${f}.name` });
    const sources = isObj(v) ? Object.keys(v).filter((k) => k !== 'name') : [];
    if (sources.length === 0) errs.push({ type: 'Required', field: f, detail: 'must specify a volume type' });
    else if (sources.length > 1) errs.push({ type: 'Forbidden', field: `${f}.${sources[1]}`, detail: 'may not specify more than 1 volume type' });
  });
  const rp = tpl.spec?.restartPolicy;
  if (kind === 'Job' && rp !== 'OnFailure' && rp !== 'Never')
    errs.push({ type: 'NotSupported', field: `${field}.spec.restartPolicy`, value: rp, detail: 'supported values: "OnFailure", "Never"' });
  if ((kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet' || kind === 'ReplicaSet') && rp !== 'Always')
    errs.push({ type: 'NotSupported', field: `${field}.spec.restartPolicy`, value: rp, detail: 'supported values: "Always"' });
  return errs;
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** Go encoding/base64 StdEncoding: index of the first illegal byte, or -1 when `s` decodes. */
export function base64ErrorIndex(s: string): number {
  const bad = s.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) return bad;
  const pad = s.indexOf('=');
  if (pad >= 0 && (!/^=*$/.test(s.slice(pad)) || s.length - pad > 2)) return pad;
  if (s.length % 4 !== 0) return s.length - (s.length % 4);
  return -1;
}

function validateConfigKeys(data: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(data)) return errs;
  for (const k of Object.keys(data)) {
    if (k.length > 253) errs.push({ type: 'Invalid', field: `${field}[${k}]`, value: k, detail: 'must be no more than 253 characters' });
    if (!CONFIG_KEY.test(k))
      errs.push({
        type: 'Invalid',
        field: `${field}[${k}]`,
        value: k,
        detail:
          "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      });
  }
  return errs;
}

function immutable(field: string, value: unknown): FieldError {
  return { type: 'Invalid', field, value, detail: 'field is immutable' };
}

/** Kind-specific validation on create (old undefined) and update. */
export function validateObject(def: ResourceDef, obj: any, old: any | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj.spec;
  const ospec = old?.spec;
  switch (def.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'StatefulSet': {
      if (!isObj(spec)) return [{ type: 'Required', field: 'spec' }];
      if (!isObj(spec.selector)) errs.push({ type: 'Required', field: 'spec.selector' });
      else if (!spec.selector.matchLabels && !spec.selector.matchExpressions)
        errs.push({ type: 'Invalid', field: 'spec.selector', value: spec.selector, detail: 'empty selector is invalid for deployment' });
      errs.push(...validatePodTemplate(spec.template, 'spec.template', isObj(spec.selector) ? spec.selector : undefined, def.kind));
      if (typeof spec.replicas === 'number' && spec.replicas < 0)
        errs.push({ type: 'Invalid', field: 'spec.replicas', value: spec.replicas, detail: 'must be greater than or equal to 0' });
      if (old && !deepEqual(spec.selector, ospec?.selector)) errs.push(immutable('spec.selector', spec.selector));
      if (def.kind === 'StatefulSet' && old) {
        const allowed = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
        const strip = (s: any) => Object.fromEntries(Object.entries(s ?? {}).filter(([k]) => !allowed.includes(k)));
        if (!deepEqual(strip(spec), strip(ospec)))
          errs.push({
            type: 'Forbidden',
            field: 'spec',
            detail:
              "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
          });
      }
      break;
    }
    case 'Job': {
      if (!isObj(spec)) return [{ type: 'Required', field: 'spec' }];
      errs.push(...validatePodTemplate(spec.template, 'spec.template', undefined, 'Job'));
      if (old) {
        if (!deepEqual(spec.selector, ospec?.selector)) errs.push(immutable('spec.selector', spec.selector));
        if (!deepEqual(spec.template, ospec?.template)) errs.push(immutable('spec.template', spec.template));
        if (!deepEqual(spec.completions, ospec?.completions)) errs.push(immutable('spec.completions', spec.completions));
      }
      break;
    }
    case 'CronJob': {
      if (!isObj(spec)) return [{ type: 'Required', field: 'spec' }];
      if (!spec.schedule) errs.push({ type: 'Required', field: 'spec.schedule' });
      if (!isObj(spec.jobTemplate)) errs.push({ type: 'Required', field: 'spec.jobTemplate' });
      else errs.push(...validatePodTemplate(spec.jobTemplate.spec?.template, 'spec.jobTemplate.spec.template', undefined, 'Job'));
      break;
    }
    case 'Service': {
      if (!isObj(spec)) return [{ type: 'Required', field: 'spec' }];
      const type = spec.type ?? 'ClusterIP';
      if (!['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(type))
        errs.push({ type: 'NotSupported', field: 'spec.type', value: type, detail: 'supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"' });
      if (type !== 'ExternalName' && spec.clusterIP !== 'None' && (!Array.isArray(spec.ports) || spec.ports.length === 0))
        errs.push({ type: 'Required', field: 'spec.ports' });
      if (Array.isArray(spec.ports))
        spec.ports.forEach((p: any, i: number) => {
          if (typeof p?.port !== 'number' || p.port < 1 || p.port > 65535)
            errs.push({ type: 'Invalid', field: `spec.ports[${i}].port`, value: p?.port, detail: 'must be between 1 and 65535, inclusive' });
          if (spec.ports.length > 1 && !p?.name) errs.push({ type: 'Required', field: `spec.ports[${i}].name` });
        });
      if (old && ospec?.clusterIP && ospec.clusterIP !== 'None' && spec.clusterIP !== ospec.clusterIP && type !== 'ExternalName')
        errs.push({ type: 'Invalid', field: 'spec.clusterIPs[0]', value: spec.clusterIPs ?? [spec.clusterIP], detail: 'may not change once set' });
      break;
    }
    case 'Secret': {
      if (old && (obj.type ?? 'Opaque') !== (old.type ?? 'Opaque')) errs.push(immutable('type', obj.type));
      errs.push(...validateConfigKeys(obj.data, 'data'));
      let total = 0;
      for (const [k, v] of Object.entries(obj.data ?? {})) {
        total += k.length + Buffer.from(String(v), 'base64').length;
      }
      const data = isObj(obj.data) ? obj.data : {};
      const need = (key: string) => {
        if (data[key] === undefined) errs.push({ type: 'Required', field: `data[${key}]` });
      };
      switch (obj.type) {
        case 'kubernetes.io/tls':
          need('tls.crt');
          need('tls.key');
          break;
        case 'kubernetes.io/dockerconfigjson':
          need('.dockerconfigjson');
          break;
        case 'kubernetes.io/dockercfg':
          need('.dockercfg');
          break;
        case 'kubernetes.io/ssh-auth':
          need('ssh-privatekey');
          break;
        case 'kubernetes.io/service-account-token':
          if (!obj.metadata?.annotations?.['kubernetes.io/service-account.name'])
            errs.push({ type: 'Required', field: "metadata.annotations[kubernetes.io/service-account.name]" });
          break;
      }
      if (total > 1048576) errs.push({ type: 'TooLong', field: 'data', detail: 'must have at most 1048576 bytes' });
      if (old) {
        if (old.immutable === true) {
          if (!deepEqual(obj.data, old.data)) errs.push({ type: 'Forbidden', field: 'data', detail: 'field is immutable when `immutable` is set' });
          if (obj.immutable !== true) errs.push({ type: 'Forbidden', field: 'immutable', detail: 'field is immutable when `immutable` is set' });
        }
      }
      break;
    }
    case 'ConfigMap': {
      errs.push(...validateConfigKeys(obj.data, 'data'), ...validateConfigKeys(obj.binaryData, 'binaryData'));
      for (const k of Object.keys(obj.data ?? {}))
        if (isObj(obj.binaryData) && k in obj.binaryData) errs.push({ type: 'Invalid', field: `data[${k}]`, value: k, detail: 'duplicate of key present in binaryData' });
      let total = 0;
      for (const [k, v] of Object.entries(obj.data ?? {})) total += k.length + String(v).length;
      for (const [k, v] of Object.entries(obj.binaryData ?? {})) total += k.length + Buffer.from(String(v), 'base64').length;
      if (total > 1048576) errs.push({ type: 'TooLong', field: '[]', detail: 'must have at most 1048576 bytes' });
      if (old?.immutable === true) {
        if (!deepEqual(obj.data, old.data)) errs.push({ type: 'Forbidden', field: 'data', detail: 'field is immutable when `immutable` is set' });
        if (!deepEqual(obj.binaryData, old.binaryData))
          errs.push({ type: 'Forbidden', field: 'binaryData', detail: 'field is immutable when `immutable` is set' });
        if (obj.immutable !== true) errs.push({ type: 'Forbidden', field: 'immutable', detail: 'field is immutable when `immutable` is set' });
      }
      break;
    }
    case 'PersistentVolumeClaim': {
      if (!isObj(spec)) return [{ type: 'Required', field: 'spec' }];
      if (!Array.isArray(spec.accessModes) || spec.accessModes.length === 0)
        errs.push({ type: 'Required', field: 'spec.accessModes', detail: 'at least 1 access mode is required' });
      if (!spec.resources?.requests?.storage) errs.push({ type: 'Required', field: 'spec.resources[storage]' });
      if (old) {
        const strip = (s: any) => {
          const c = { ...(s ?? {}) };
          delete c.resources;
          delete c.volumeAttributesClassName;
          if (!ospec?.volumeName) delete c.volumeName;
          return c;
        };
        if (!deepEqual(strip(spec), strip(ospec)))
          errs.push({
            type: 'Forbidden',
            field: 'spec',
            detail: 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
          });
      }
      break;
    }
    case 'RoleBinding':
    case 'ClusterRoleBinding': {
      if (!isObj(obj.roleRef)) errs.push({ type: 'Required', field: 'roleRef' });
      if (old && !deepEqual(obj.roleRef, old.roleRef)) errs.push({ type: 'Invalid', field: 'roleRef', value: obj.roleRef, detail: 'cannot change roleRef' });
      break;
    }
    case 'CustomResourceDefinition': {
      if (!isObj(spec)) return [{ type: 'Required', field: 'spec' }];
      const names = spec.names ?? {};
      if (!spec.group) errs.push({ type: 'Required', field: 'spec.group' });
      if (!names.plural) errs.push({ type: 'Required', field: 'spec.names.plural' });
      if (!names.kind) errs.push({ type: 'Required', field: 'spec.names.kind' });
      if (names.plural && spec.group && obj.metadata?.name !== `${names.plural}.${spec.group}`)
        errs.push({ type: 'Invalid', field: 'metadata.name', value: obj.metadata?.name, detail: `must be spec.names.plural+"."+spec.group` });
      if (!['Namespaced', 'Cluster'].includes(spec.scope))
        errs.push({ type: 'NotSupported', field: 'spec.scope', value: spec.scope ?? '', detail: 'supported values: "Cluster", "Namespaced"' });
      const versions = Array.isArray(spec.versions) ? spec.versions : [];
      if (versions.length === 0) errs.push({ type: 'Required', field: 'spec.versions', detail: 'must have exactly one version marked as storage version' });
      else if (versions.filter((v: any) => v?.storage === true).length !== 1)
        errs.push({ type: 'Invalid', field: 'spec.versions', value: versions.map((v: any) => v?.name), detail: 'must have exactly one version marked as storage version' });
      versions.forEach((v: any, i: number) => {
        if (!v?.schema?.openAPIV3Schema) errs.push({ type: 'Required', field: `spec.versions[${i}].schema.openAPIV3Schema`, detail: 'schemas are required' });
      });
      if (old) {
        if (spec.group !== ospec?.group) errs.push(immutable('spec.group', spec.group));
        if (names.plural !== ospec?.names?.plural) errs.push(immutable('spec.names.plural', names.plural));
        if (spec.scope !== ospec?.scope) errs.push(immutable('spec.scope', spec.scope));
      }
      break;
    }
    case 'Ingress': {
      if (!isObj(spec)) break;
      (Array.isArray(spec.rules) ? spec.rules : []).forEach((r: any, i: number) => {
        (Array.isArray(r?.http?.paths) ? r.http.paths : []).forEach((p: any, j: number) => {
          const f = `spec.rules[${i}].http.paths[${j}]`;
          if (!p?.pathType) errs.push({ type: 'Required', field: `${f}.pathType`, detail: 'pathType must be specified' });
          else if (!['Exact', 'Prefix', 'ImplementationSpecific'].includes(p.pathType))
            errs.push({ type: 'NotSupported', field: `${f}.pathType`, value: p.pathType, detail: 'supported values: "Exact", "ImplementationSpecific", "Prefix"' });
          if (p?.pathType !== 'ImplementationSpecific' && typeof p?.path === 'string' && !p.path.startsWith('/'))
            errs.push({ type: 'Invalid', field: `${f}.path`, value: p.path, detail: "must be an absolute path" });
          const svc = p?.backend?.service;
          if (!svc && !p?.backend?.resource) errs.push({ type: 'Invalid', field: `${f}.backend`, value: p?.backend ?? {}, detail: 'resource or service backend is required' });
          if (svc && !svc.name) errs.push({ type: 'Required', field: `${f}.backend.service.name` });
          if (svc && !svc.port?.name && svc.port?.number === undefined)
            errs.push({ type: 'Invalid', field: `${f}.backend.service.port`, value: svc.port ?? {}, detail: 'port name or number is required' });
        });
      });
      break;
    }
    case 'PodDisruptionBudget': {
      if (isObj(spec) && spec.minAvailable !== undefined && spec.maxUnavailable !== undefined)
        errs.push({ type: 'Invalid', field: 'spec', value: spec, detail: 'minAvailable and maxUnavailable cannot be both set' });
      break;
    }
    case 'HorizontalPodAutoscaler': {
      if (!isObj(spec)) return [{ type: 'Required', field: 'spec' }];
      if (!isObj(spec.scaleTargetRef)) errs.push({ type: 'Required', field: 'spec.scaleTargetRef' });
      else {
        if (!spec.scaleTargetRef.kind) errs.push({ type: 'Required', field: 'spec.scaleTargetRef.kind' });
        if (!spec.scaleTargetRef.name) errs.push({ type: 'Required', field: 'spec.scaleTargetRef.name' });
      }
      if (typeof spec.maxReplicas !== 'number' || spec.maxReplicas < 1)
        errs.push({ type: 'Invalid', field: 'spec.maxReplicas', value: spec.maxReplicas ?? 0, detail: 'must be greater than or equal to 1' });
      if (typeof spec.minReplicas === 'number' && typeof spec.maxReplicas === 'number' && spec.minReplicas > spec.maxReplicas)
        errs.push({ type: 'Invalid', field: 'spec.maxReplicas', value: spec.maxReplicas, detail: 'must be greater than or equal to `minReplicas`' });
      break;
    }
    case 'Event': {
      if (def.group === '') errs.push(...validateCoreEvent(obj, 'reportingComponent'));
      else if (isEventsV1(def)) errs.push(...validateCoreEvent(obj, 'reportingController'), ...validateEventsV1(obj, old));
      break;
    }
    case 'Lease': {
      if (isObj(spec) && spec.leaseDurationSeconds !== undefined && !(spec.leaseDurationSeconds > 0))
        errs.push({ type: 'Invalid', field: 'spec.leaseDurationSeconds', value: spec.leaseDurationSeconds, detail: 'must be greater than 0' });
      break;
    }
  }
  void goValue;
  return errs;
}

/**
 * kube-apiserver's checks of a core/v1 Event (create and update; v1 has no further update rules, for backwards
 * compatibility): an event about a namespaced object lives in that object's namespace (one about a
 * cluster-scoped object in "" or "default"); a "new" event (eventTime set) also needs reportingComponent
 * (a qualified name), reportingInstance, action and reason, within their length limits.
 */
function validateCoreEvent(ev: any, reportingField: string): FieldError[] {
  const errs: FieldError[] = [];
  const ns = ev.metadata?.namespace ?? '';
  const invNs = ev.involvedObject?.namespace ?? '';
  const mismatch = (): FieldError => ({ type: 'Invalid', field: 'involvedObject.namespace', value: invNs, detail: 'does not match event.namespace' });
  if (!ev.eventTime) {
    if (invNs === '' ? ns !== '' && ns !== 'default' : ns !== invNs) errs.push(mismatch());
  } else {
    if (invNs === '' && ns !== 'default' && ns !== 'kube-system') errs.push(mismatch());
    const rc = ev.reportingComponent ?? '';
    if (!rc) errs.push({ type: 'Required', field: reportingField, detail: '' });
    else errs.push(...validateQualifiedKey(rc, reportingField));
    const limit = (field: string, v: string | undefined, n: number) => {
      if (!v) errs.push({ type: 'Required', field, detail: '' });
      else if (v.length > n) errs.push({ type: 'Invalid', field, value: '', detail: `can have at most ${n} characters` });
    };
    limit('reportingInstance', ev.reportingInstance, 128);
    limit('action', ev.action, 128);
    limit('reason', ev.reason, 128);
    if (typeof ev.message === 'string' && ev.message.length > 1024) errs.push({ type: 'Invalid', field: 'message', value: '', detail: 'can have at most 1024 characters' });
  }
  return errs;
}

/** etcd's default request limit (--max-request-bytes 1.5 MiB). */
export const ETCD_MAX_BYTES = 1572864;
/** kube-apiserver's request body limit for JSON (3 MiB). */
export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;

export function objectTooLarge(obj: unknown): boolean {
  return jsonSize(obj) > ETCD_MAX_BYTES;
}
