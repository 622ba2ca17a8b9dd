/**
 * Just enough schema knowledge for server-side apply and strategic merge patch: which lists are
 * associative (and by which keys), which are sets, which maps are atomic. Built-in kinds use a small
 * table of the upstream `+listType`/`+listMapKey`/`+structType` markers; custom resources use the
 * CRD's openAPIV3Schema (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`).
 */

/** `defaults`: schema defaults of key fields, used when an item omits them (e.g. ports[].protocol = TCP). */
export type ListType = { type: 'map'; keys: string[]; defaults?: Record<string, unknown> } | { type: 'set' } | { type: 'atomic' };

export interface TypeInfo {
  /** `path` holds field names, with '[]' for a step into a list item. */
  list(path: string[]): ListType;
  atomicMap(path: string[]): boolean;
  /** Merge key used by strategic merge patch (first key of the SSA keys for built-ins). */
  smpMergeKey(path: string[]): string | undefined;
  /**
   * Whether the field exists even in the Go zero value of its parent (non-pointer struct or non-omitempty
   * slice), so a typed comparison never sees it "added" (and an Update never owns it with `.`).
   */
  zeroPresent(path: string[]): boolean;
}

const ZERO_PRESENT = new Set(['metadata', 'spec', 'status', 'template', 'strategy', 'updateStrategy', 'jobTemplate', 'containers', 'loadBalancer', 'resources']);

const ATOMIC: ListType = { type: 'atomic' };

function lastField(path: string[], skip = 0): string | undefined {
  const names = path.filter((p) => p !== '[]');
  return names[names.length - 1 - skip];
}

/** Upstream list markers for the built-in types we serve (apps, batch, core pod spec, rbac, ...). */
export function builtinList(kind: string, path: string[]): ListType {
  const name = lastField(path);
  const parent = lastField(path, 1);
  switch (name) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'resourceClaims':
      return { type: 'map', keys: ['name'] };
    case 'volumeMounts':
      return { type: 'map', keys: ['mountPath'] };
    case 'volumeDevices':
      return { type: 'map', keys: ['devicePath'] };
    case 'hostAliases':
      return { type: 'map', keys: ['ip'] };
    case 'topologySpreadConstraints':
      return { type: 'map', keys: ['topologyKey', 'whenUnsatisfiable'] };
    case 'ports':
      if (kind === 'Service' && path[0] === 'spec') return { type: 'map', keys: ['port', 'protocol'], defaults: { protocol: 'TCP' } };
      if (parent === 'containers' || parent === 'initContainers' || parent === 'ephemeralContainers')
        return { type: 'map', keys: ['containerPort', 'protocol'], defaults: { protocol: 'TCP' } };
      return ATOMIC;
    case 'conditions':
      return { type: 'map', keys: ['type'] };
    case 'ownerReferences':
      return { type: 'map', keys: ['uid'] };
    case 'finalizers':
      return { type: 'set' };
    default:
      return ATOMIC;
  }
}

const ATOMIC_STRUCTS = new Set([
  'roleRef',
  'configMapKeyRef',
  'secretKeyRef',
  'fieldRef',
  'resourceFieldRef',
  'nodeSelector',
  'selector',
  'labelSelector',
  'namespaceSelector',
  'podSelector',
]);

export function builtinAtomicMap(path: string[]): boolean {
  const name = lastField(path);
  if (!name) return false;
  if (path[0] === 'metadata') return false;
  return ATOMIC_STRUCTS.has(name);
}

const SMP_KEY_OVERRIDE: Record<string, string> = { ports: 'containerPort' };

export function builtinTypeInfo(kind: string): TypeInfo {
  return {
    list: (path) => builtinList(kind, path),
    atomicMap: builtinAtomicMap,
    smpMergeKey(path) {
      const lt = builtinList(kind, path);
      if (lt.type !== 'map') return undefined;
      const name = lastField(path);
      if (name === 'ports' && kind === 'Service') return 'port';
      return (name && SMP_KEY_OVERRIDE[name]) ?? lt.keys[0];
    },
    zeroPresent(path) {
      const name = lastField(path);
      return name !== undefined && ZERO_PRESENT.has(name);
    },
  };
}

/** Walks an openAPIV3Schema along a field path ('[]' steps into `items`). */
function schemaAt(schema: any, path: string[]): any {
  let node = schema;
  for (const p of path) {
    if (!node) return undefined;
    if (p === '[]') node = node.items;
    else if (node.properties && node.properties[p]) node = node.properties[p];
    else if (node.additionalProperties && typeof node.additionalProperties === 'object') node = node.additionalProperties;
    else return undefined;
  }
  return node;
}

export function crdTypeInfo(kind: string, schema: any): TypeInfo {
  const builtin = builtinTypeInfo(kind);
  return {
    list(path) {
      if (path[0] === 'metadata') return builtin.list(path);
      const s = schemaAt(schema, path);
      const t = s?.['x-kubernetes-list-type'];
      if (t === 'map') {
        const keys: string[] = s['x-kubernetes-list-map-keys'] ?? [];
        const defaults: Record<string, unknown> = {};
        for (const k of keys) {
          const d = s.items?.properties?.[k]?.default;
          if (d !== undefined) defaults[k] = d;
        }
        return { type: 'map', keys, defaults };
      }
      if (t === 'set') return { type: 'set' };
      return ATOMIC;
    },
    atomicMap(path) {
      if (path[0] === 'metadata') return false;
      const s = schemaAt(schema, path);
      return s?.['x-kubernetes-map-type'] === 'atomic' || s?.['x-kubernetes-map-type'] === 'atomic';
    },
    smpMergeKey() {
      return undefined;
    },
    zeroPresent(path) {
      return path.length === 1 && path[0] === 'metadata';
    },
  };
}
