// Object identity helpers: how opm names, keys and prints an object.
import type { KubeObject, ObjectRef } from './types.js';

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function apiVersionOf(ref: Pick<ObjectRef, 'group' | 'version'>): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

export function refOf(obj: KubeObject): ObjectRef {
  const { group, version } = splitApiVersion(obj.apiVersion);
  const ref: ObjectRef = { group, version, kind: obj.kind, name: obj.metadata.name };
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

/** Identity key; the version is left out on purpose so a version bump of an API is not a delete + create. */
export function refKey(ref: ObjectRef): string {
  return `${ref.group}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}

/** kubectl style: `deployment.apps/web`, `configmap/cfg`, with the namespace when not the release's. */
export function displayRef(ref: ObjectRef, releaseNamespace?: string): string {
  const kind = ref.kind.toLowerCase() + (ref.group ? `.${ref.group}` : '');
  const ns = ref.namespace && ref.namespace !== releaseNamespace ? ` -n ${ref.namespace}` : '';
  return `${kind}/${ref.name}${ns}`;
}

/** A header (apiVersion/kind/metadata) for reads and deletes. */
export function headerOf(ref: ObjectRef): KubeObject {
  const metadata: KubeObject['metadata'] = { name: ref.name };
  if (ref.namespace) metadata.namespace = ref.namespace;
  return { apiVersion: apiVersionOf(ref), kind: ref.kind, metadata };
}

export function sortRefs<T extends ObjectRef>(refs: T[]): T[] {
  return [...refs].sort((a, b) => refKey(a).localeCompare(refKey(b)));
}

export function deepClone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
