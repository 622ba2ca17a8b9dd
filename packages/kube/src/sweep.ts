// Finding a release's objects by label rather than by inventory: every object
// opm applies carries opm.dev/release and opm.dev/release-namespace, so a LIST
// per kind and namespace with that selector finds them even when the history
// that inventoried them cannot be read (a corrupt payload). The kinds to look
// at come from whatever history is readable plus the kinds every head Secret
// names in its metadata (codec.ts A_KINDS), which survive a corrupt payload.
import { UnknownKindError, isNotFound, type KubeClient } from './client.js';
import { isOurs } from './inventory.js';
import { refOf, splitApiVersion } from './objref.js';
import { LABEL_RELEASE, LABEL_RELEASE_NAMESPACE, type KubeObject, type ObjectRef, type RevisionSummary } from './types.js';

export interface KindRef {
  apiVersion: string;
  kind: string;
}

/** `apiVersion/Kind` → KindRef (the kind is after the last slash). */
export function parseKind(s: string): KindRef | undefined {
  const i = s.lastIndexOf('/');
  if (i <= 0 || i === s.length - 1) return undefined;
  return { apiVersion: s.slice(0, i), kind: s.slice(i + 1) };
}

/** The kinds and namespaces to sweep: from inventories read and from the heads' metadata. */
export function sweepScope(refs: ObjectRef[], summaries: RevisionSummary[], namespace: string, extra: KindRef[] = []): { kinds: KindRef[]; namespaces: string[] } {
  const kinds = new Map<string, KindRef>();
  const add = (k: KindRef | undefined) => {
    // One version per group and kind is enough: the server lists every stored version through any served one.
    if (k) kinds.set(`${splitApiVersion(k.apiVersion).group}/${k.kind}`, k);
  };
  for (const s of summaries) for (const k of s.kinds ?? []) add(parseKind(k));
  for (const r of refs) add({ apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind });
  for (const k of extra) add(k);
  const namespaces = new Set([namespace]);
  for (const s of summaries) for (const n of s.namespaces ?? []) namespaces.add(n);
  for (const r of refs) if (r.namespace) namespaces.add(r.namespace);
  return { kinds: [...kinds.values()], namespaces: [...namespaces] };
}

/** Every live object of the given kinds (in the given namespaces) labelled for this release. */
export async function labelledObjects(
  client: KubeClient,
  release: string,
  namespace: string,
  scope: { kinds: KindRef[]; namespaces: string[] },
): Promise<KubeObject[]> {
  const labelSelector = `${LABEL_RELEASE}=${release},${LABEL_RELEASE_NAMESPACE}=${namespace}`;
  const out: KubeObject[] = [];
  for (const k of scope.kinds) {
    let namespaced: boolean;
    try {
      namespaced = await client.isNamespaced(k.apiVersion, k.kind);
    } catch (e) {
      if (e instanceof UnknownKindError) continue; // no longer served: nothing of it can exist
      throw e;
    }
    for (const ns of namespaced ? scope.namespaces : [undefined]) {
      let items: KubeObject[];
      try {
        items = await client.list(k.apiVersion, k.kind, { ...(ns ? { namespace: ns } : {}), labelSelector });
      } catch (e) {
        // The kind stopped being served (its CRD was just deleted) or the namespace is gone: nothing left there.
        if (isNotFound(e) || e instanceof UnknownKindError) continue;
        throw e;
      }
      for (const it of items) {
        // Typed list items carry no apiVersion/kind.
        const obj = { ...it, apiVersion: k.apiVersion, kind: k.kind } as KubeObject;
        if (isOurs(obj, release, namespace)) out.push(obj);
      }
    }
  }
  return out;
}

export const refsOf = (objs: KubeObject[]): ObjectRef[] => objs.map(refOf);
