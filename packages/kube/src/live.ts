// Reading many live objects at once. Waiting on a 200-object release must not
// cost 200 GETs a second: objects of one kind in one namespace are read with a
// single LIST filtered by the release's labels; small groups use plain GETs.
import type { KubeClient } from './client.js';
import { apiVersionOf, refKey } from './objref.js';
import { LABEL_RELEASE, LABEL_RELEASE_NAMESPACE, type KubeObject, type ObjectRef } from './types.js';

const LIST_FROM = 3;

export async function readLive(
  client: KubeClient,
  refs: ObjectRef[],
  release?: { name: string; namespace: string },
): Promise<Map<string, KubeObject | undefined>> {
  const out = new Map<string, KubeObject | undefined>();
  const groups = new Map<string, ObjectRef[]>();
  for (const r of refs) {
    const k = `${apiVersionOf(r)}|${r.kind}|${r.namespace ?? ''}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  await Promise.all(
    [...groups.values()].map(async (g) => {
      const first = g[0]!;
      if (release && g.length >= LIST_FROM) {
        try {
          const items = await client.list(apiVersionOf(first), first.kind, {
            ...(first.namespace ? { namespace: first.namespace } : {}),
            labelSelector: `${LABEL_RELEASE}=${release.name},${LABEL_RELEASE_NAMESPACE}=${release.namespace}`,
          });
          const byName = new Map(items.map((o) => [o.metadata.name, o]));
          // List items of typed kinds carry no apiVersion/kind: restore them for the health rules.
          for (const r of g) {
            const o = byName.get(r.name);
            // Missing from the selection (deleted, or its labels were changed): look at it directly.
            out.set(refKey(r), o ? { ...o, apiVersion: o.apiVersion ?? apiVersionOf(r), kind: o.kind ?? r.kind } : await client.get(r));
          }
          return;
        } catch {
          /* fall back to GETs (e.g. the kind is not listable) */
        }
      }
      for (const r of g) out.set(refKey(r), await client.get(r));
    }),
  );
  return out;
}
