// What a release owns. Each revision records its inventory (the exact object
// refs it applied); ownership is also stamped on every object as labels so an
// object that belongs to another release is recognised and never touched.
import { ReleaseRequestError } from './release-errors.js';
import { createHash } from 'node:crypto';
import { LABEL_MANAGED_BY, LABEL_RELEASE, LABEL_RELEASE_NAMESPACE, type KubeObject, type ObjectRef } from './types.js';
import { canonicalJson } from './history/codec.js';

/** Hash of the manifest opm last applied to an object (see apply.ts: unchanged objects are not patched). */
export const ANNOTATION_MANIFEST_HASH = 'opm.dev/manifest-hash';

export function manifestHash(obj: KubeObject): string {
  const { [ANNOTATION_MANIFEST_HASH]: _drop, ...annotations } = obj.metadata.annotations ?? {};
  const bare = { ...obj, metadata: { ...obj.metadata, annotations } };
  return createHash('sha256').update(canonicalJson(bare)).digest('hex').slice(0, 32);
}
import { deepClone, displayRef, refKey, refOf, splitApiVersion } from './objref.js';

export class OwnershipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OwnershipError';
  }
}

/** Objects to prune: owned before, not rendered now. */
export function computePrune<T extends ObjectRef>(previous: T[], desired: ObjectRef[]): T[] {
  const keep = new Set(desired.map(refKey));
  const seen = new Set<string>();
  const out: T[] = [];
  for (const r of previous) {
    const k = refKey(r);
    if (keep.has(k) || seen.has(k)) continue;
    seen.add(k);
    out.push(r);
  }
  return out;
}

export function unionRefs<T extends ObjectRef>(...lists: T[][]): T[] {
  const m = new Map<string, T>();
  for (const l of lists) for (const r of l) if (!m.has(refKey(r))) m.set(refKey(r), r);
  return [...m.values()];
}

/** The release that owns a live object according to its labels, if any. */
export function ownerOf(live: KubeObject): { name: string; namespace: string } | undefined {
  const l = live.metadata.labels ?? {};
  const name = l[LABEL_RELEASE];
  return name ? { name, namespace: l[LABEL_RELEASE_NAMESPACE] ?? '' } : undefined;
}

/** Throws unless `live` is unowned or owned by this release. */
export function checkOwnership(live: KubeObject, release: string, namespace: string, ref: ObjectRef): void {
  const o = ownerOf(live);
  if (o && (o.name !== release || (o.namespace && o.namespace !== namespace))) {
    throw new OwnershipError(
      `${displayRef(ref, namespace)} belongs to release ${o.name}${o.namespace ? ` in namespace ${o.namespace}` : ''}; ` +
        `release ${release} will not modify or delete it (rename the object or remove it from one of the releases)`,
    );
  }
}

/** Whether pruning/deleting `live` on behalf of `release` is allowed (ours, by label). */
export function isOurs(live: KubeObject, release: string, namespace: string): boolean {
  const o = ownerOf(live);
  return !!o && o.name === release && (!o.namespace || o.namespace === namespace);
}

export type ScopeLookup = (apiVersion: string, kind: string) => Promise<boolean>;

/**
 * Prepares rendered objects for apply: the release namespace on namespaced
 * objects that have none, and opm's ownership labels. Rejects duplicates.
 * Scope of custom resources whose CRD is part of the same release comes from
 * that CRD (the cluster may not serve the kind yet).
 */
export async function prepareObjects(
  objects: KubeObject[],
  release: string,
  namespace: string,
  isNamespaced: ScopeLookup,
): Promise<KubeObject[]> {
  const crdScopes = new Map<string, boolean>();
  for (const o of objects) {
    if (o.kind === 'CustomResourceDefinition') {
      const spec = (o as { spec?: { group?: string; names?: { kind?: string }; scope?: string } }).spec;
      if (spec?.group && spec.names?.kind) crdScopes.set(`${spec.group}/${spec.names.kind}`, spec.scope !== 'Cluster');
    }
  }
  const seen = new Set<string>();
  const out: KubeObject[] = [];
  for (const src of objects) {
    if (!src || typeof src !== 'object' || !src.apiVersion || !src.kind || !src.metadata?.name) {
      // Name only what identifies it: the object itself may be a Secret.
      const o = (src ?? {}) as Partial<KubeObject>;
      throw new ReleaseRequestError(`rendered object without apiVersion, kind or metadata.name (kind ${o.kind ?? '?'}, name ${o.metadata?.name ?? '?'})`);
    }
    const o = deepClone(src);
    const { group } = splitApiVersion(o.apiVersion);
    const fromCrd = crdScopes.get(`${group}/${o.kind}`);
    const namespaced = fromCrd ?? (await isNamespaced(o.apiVersion, o.kind));
    if (namespaced && !o.metadata.namespace) o.metadata.namespace = namespace;
    if (!namespaced) delete o.metadata.namespace;
    o.metadata.labels = {
      ...(o.metadata.labels ?? {}),
      [LABEL_RELEASE]: release,
      [LABEL_RELEASE_NAMESPACE]: namespace,
      [LABEL_MANAGED_BY]: 'opm',
    };
    o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [ANNOTATION_MANIFEST_HASH]: manifestHash(o) };
    const k = refKey(refOf(o));
    if (seen.has(k)) throw new ReleaseRequestError(`the release renders ${displayRef(refOf(o), namespace)} twice`);
    seen.add(k);
    out.push(o);
  }
  return out;
}
