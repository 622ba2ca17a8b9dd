// Who created what. Before a revision is recorded, every object it renders is
// read live once (the reads are handed on to the apply, which needs them
// anyway) and classified:
//   - absent: this release creates it            → created: true
//   - carries this release's labels: already ours → created as recorded before
//   - carries another release's labels           → refused (OwnershipError)
//   - carries no release labels: someone else's  → refused unless `adopt`;
//     adopted objects are recorded created: false and annotated opm.dev/adopted
// Delete and prune only ever delete what the release created (mayDelete), the
// rule Helm's keep policy and Flux's ownership labels follow: an adopted
// object, and a Namespace the release is not known to have created, is left
// in place and handed back (opm's labels removed).
import type { KubeClient } from './client.js';
import { ANNOTATION_MANIFEST_HASH, OwnershipError, manifestHash, ownerOf } from './inventory.js';
import { displayRef, refKey, refOf } from './objref.js';
import {
  ANNOTATION_ADOPTED,
  LABEL_MANAGED_BY,
  LABEL_RELEASE,
  LABEL_RELEASE_NAMESPACE,
  type InventoryEntry,
  type KubeObject,
  type ObjectRef,
} from './types.js';

/** Existing objects that carry no labels of this release, refused without consent. */
export class AdoptionError extends Error {
  constructor(readonly release: string, readonly objects: ObjectRef[], namespace: string) {
    super(
      `release ${release} would take over ${objects.length} existing object(s) it did not create:\n` +
        objects.map((r) => `  ${displayRef(r, namespace)}`).join('\n') +
        `\nthey carry no opm.dev/release label of this release. Nothing was changed. Re-run with --adopt to take them over ` +
        `(an adopted object is kept, never deleted, when the release is deleted or stops rendering it), or rename or remove them.`,
    );
    this.name = 'AdoptionError';
  }
}

export interface OwnershipPlan {
  /** The revision's inventory, with `created` per object. */
  inventory: InventoryEntry[];
  /** Live copies read (undefined: absent), keyed by refKey, for the apply to reuse. */
  live: Map<string, KubeObject | undefined>;
  /** Objects adopted by this revision for the first time. */
  adopted: ObjectRef[];
}

/** Whether delete or prune may delete an object the release owns. */
export function mayDelete(e: InventoryEntry): boolean {
  if (e.created !== undefined) return e.created;
  // Unknown (history written before opm recorded it): a Namespace may hold other teams' objects.
  return !(e.group === '' && e.kind === 'Namespace');
}

/** Why an owned object is kept rather than deleted (for output). */
export function keepReason(e: InventoryEntry): string {
  return e.created === false ? 'adopted, not created by this release' : 'namespace not known to be created by this release';
}

/** The merge patch that hands an object back: opm's ownership labels and annotations removed. */
export function releasePatch(live: KubeObject): Record<string, unknown> {
  const labels: Record<string, null> = { [LABEL_RELEASE]: null, [LABEL_RELEASE_NAMESPACE]: null };
  if (live.metadata.labels?.[LABEL_MANAGED_BY] === 'opm') labels[LABEL_MANAGED_BY] = null;
  return { metadata: { labels, annotations: { [ANNOTATION_MANIFEST_HASH]: null, [ANNOTATION_ADOPTED]: null } } };
}

/** Marks a prepared manifest object as adopted (the annotation is part of what opm applies, so the hash covers it). */
function markAdopted(obj: KubeObject): void {
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [ANNOTATION_ADOPTED]: 'true' };
  obj.metadata.annotations[ANNOTATION_MANIFEST_HASH] = manifestHash(obj);
}

/**
 * Reads every object of `manifest` live and decides ownership. Marks adopted
 * objects in `manifest` (in place). Throws OwnershipError (objects of another
 * release) or AdoptionError (unlabelled objects without `adopt`), naming every one.
 */
export async function planOwnership(
  client: KubeClient,
  manifest: KubeObject[],
  o: { release: string; namespace: string; adopt?: boolean; previous: InventoryEntry[]; precreated?: Set<string>; concurrency?: number },
): Promise<OwnershipPlan> {
  const recorded = new Map<string, InventoryEntry>();
  for (const e of o.previous) recorded.set(refKey(e), e);
  const live = new Map<string, KubeObject | undefined>();
  const inventory: InventoryEntry[] = new Array(manifest.length);
  const foreign: string[] = [];
  const unlabelled: ObjectRef[] = [];
  const adopted: ObjectRef[] = [];
  let next = 0;
  const worker = async () => {
    while (next < manifest.length) {
      const i = next++;
      const obj = manifest[i]!;
      const ref = refOf(obj);
      const key = refKey(ref);
      // A custom resource whose kind is not served yet reads as absent (get() says so).
      const cur = await client.get(ref);
      live.set(key, cur);
      let created: boolean | undefined;
      if (!cur || o.precreated?.has(key)) created = true;
      else {
        const owner = ownerOf(cur);
        if (!owner) {
          if (!o.adopt) unlabelled.push(ref);
          adopted.push(ref);
          created = false;
        } else if (owner.name !== o.release || (owner.namespace && owner.namespace !== o.namespace)) {
          foreign.push(
            `${displayRef(ref, o.namespace)} belongs to release ${owner.name}${owner.namespace ? ` in namespace ${owner.namespace}` : ''}`,
          );
        } else {
          const before = recorded.get(key);
          created = before ? before.created : cur.metadata.annotations?.[ANNOTATION_ADOPTED] === 'true' ? false : undefined;
        }
      }
      const entry: InventoryEntry = { ...ref };
      if (created !== undefined) entry.created = created;
      inventory[i] = entry;
      if (created === false) markAdopted(obj);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 8, manifest.length) }, worker));
  if (foreign.length) {
    throw new OwnershipError(
      `${foreign.join('; ')}; release ${o.release} will not modify or delete ${foreign.length > 1 ? 'them' : 'it'} ` +
        `(rename the object or remove it from one of the releases)`,
    );
  }
  if (unlabelled.length) throw new AdoptionError(o.release, sortByKey(unlabelled), o.namespace);
  return { inventory, live, adopted };
}

const sortByKey = (refs: ObjectRef[]) => [...refs].sort((a, b) => refKey(a).localeCompare(refKey(b)));
