// `opm release diff`: unified diff of live vs. what an apply would produce.
// The "after" side is the server's answer to a dry-run server-side apply (so
// defaults, admission and merge semantics are the server's), falling back to
// the rendered object when the kind is not served yet (CRD in the same
// release). Objects the apply would prune are shown as removed. Secret
// data/stringData are always shown as <secret>, a changed value as
// `<secret> (changed)`, so a diff never prints secret material.
import { stringify } from 'yaml';
import { ConflictError, conflictsOf, type ObjectConflicts } from './apply.js';
import { KubeApiError, UnknownKindError, type KubeClient } from './client.js';
import { ownedInventory, redactorFor } from './deploy.js';
import { HistoryStore } from './history/store.js';
import { ANNOTATION_MANIFEST_HASH, computePrune, isOurs } from './inventory.js';
import { AdoptionError, mayDelete, planOwnership } from './ownership.js';
import { unifiedDiff } from './linediff.js';
import { comparable } from './normalize.js';
import { displayRef, refKey, refOf } from './objref.js';
import { MASK, isSecret } from './redact.js';
import { prepareRelease } from './apply-release.js';
import type { DesiredRelease, KubeObject } from './types.js';

export interface DiffResult {
  changed: boolean;
  /** The unified diff (may contain ANSI colour only if `color`). */
  text: string;
  objects: { ref: string; change: 'create' | 'update' | 'delete' }[];
  /**
   * Objects whose apply would conflict with another field manager (every object, every field). Their
   * diff is shown as if the conflicting fields were taken over (--force-conflicts); without that
   * flag `opm release apply` would refuse them.
   */
  conflicts?: ConflictError;
  /**
   * Existing objects that carry no labels of this release: `opm release apply` refuses to take them over
   * without --adopt (the same rule, ownership.ts planOwnership). Their diff is shown as if adopted.
   */
  adoption?: AdoptionError;
}

/** Masks Secret data in both sides; a value that differs is marked changed (still masked). */
export function maskSecretPair(before: KubeObject | undefined, after: KubeObject | undefined): [KubeObject | undefined, KubeObject | undefined] {
  const o = before ?? after;
  if (!o || !isSecret(o)) return [before, after];
  const data = (x: KubeObject | undefined) => ((x as { data?: Record<string, string> } | undefined)?.data ?? {}) as Record<string, string>;
  const b = data(before);
  const a = data(after);
  const mask = (x: KubeObject | undefined, mine: Record<string, string>, other: Record<string, string>, marker: boolean) => {
    if (!x) return x;
    const copy = { ...x } as Record<string, unknown>;
    delete copy.stringData;
    if (Object.keys(mine).length) {
      copy.data = Object.fromEntries(
        Object.keys(mine).map((k) => [k, marker && k in other && other[k] !== mine[k] ? `${MASK} (changed)` : MASK]),
      );
    }
    const ann = x.metadata.annotations;
    if (ann?.['kubectl.kubernetes.io/last-applied-configuration']) {
      copy.metadata = { ...x.metadata, annotations: { ...ann, 'kubectl.kubernetes.io/last-applied-configuration': MASK } };
    }
    return copy as KubeObject;
  };
  return [mask(before, b, a, false), mask(after, a, b, true)];
}

/** YAML for the diff, without opm's manifest-hash bookkeeping (it changes with any change: noise). */
export const toYaml = (o: KubeObject | undefined) => {
  if (!o) return '';
  const ann = o.metadata.annotations;
  if (ann && ANNOTATION_MANIFEST_HASH in ann) {
    const { [ANNOTATION_MANIFEST_HASH]: _h, ...rest } = ann;
    o = { ...o, metadata: { ...o.metadata, annotations: rest } };
    if (Object.keys(rest).length === 0) delete o.metadata.annotations;
  }
  return stringify(o, { sortMapEntries: false });
};

export async function diffRelease(client: KubeClient, desired: DesiredRelease, opts: { force?: boolean; adopt?: boolean } = {}): Promise<DiffResult> {
  const manifest = await prepareRelease(client, desired);
  const redactor = redactorFor({ manifest, userValues: desired.userValues, finalValues: desired.finalValues, secretPaths: desired.secretPaths ?? [] });
  const parts: string[] = [];
  const objects: DiffResult['objects'] = [];
  const conflicts: ObjectConflicts[] = [];
  let adoption: AdoptionError | undefined;
  try {
    const store = new HistoryStore(client, desired.namespace, desired.name);
    const owned = await ownedInventory(store, await store.summaries());
    // Apply's ownership rule, read-only: another release's objects fail the diff as they fail the apply;
    // unlabelled ones are planned as adopted (marked so in the manifest), and said to be refused without --adopt.
    const plan = await planOwnership(client, manifest, { release: desired.name, namespace: desired.namespace, adopt: true, previous: owned });
    if (plan.adopted.length && !opts.adopt) adoption = new AdoptionError(desired.name, [...plan.adopted].sort((a, b) => refKey(a).localeCompare(refKey(b))), desired.namespace);
    for (const obj of manifest) {
      const ref = refOf(obj);
      const live = plan.live.get(refKey(ref));
      let after: KubeObject;
      try {
        after = await client.apply(obj, { dryRun: true, force: opts.force });
      } catch (e) {
        if (e instanceof KubeApiError && e.code === 409 && !opts.force) {
          conflicts.push({ ref, conflicts: conflictsOf(e) });
          after = await client.apply(obj, { dryRun: true, force: true });
        } else if (e instanceof UnknownKindError || (e instanceof KubeApiError && e.code === 404)) after = obj;
        else throw e;
      }
      const [b, a] = maskSecretPair(comparable(live), comparable(after));
      const name = displayRef(ref, desired.namespace);
      const d = unifiedDiff(toYaml(b), toYaml(a), live ? `live/${name}` : '/dev/null', `desired/${name}`);
      if (d) {
        parts.push(d);
        objects.push({ ref: name, change: live ? 'update' : 'create' });
      }
    }
    for (const ref of computePrune(owned, manifest.map(refOf))) {
      const live = await client.get(ref);
      if (!live || !isOurs(live, desired.name, desired.namespace)) continue;
      // Not created by the release (adopted, or a Namespace not known to be its own): apply keeps it.
      if (!mayDelete(ref)) continue;
      const [b] = maskSecretPair(comparable(live), undefined);
      const name = displayRef(ref, desired.namespace);
      parts.push(unifiedDiff(toYaml(b), '', `live/${name}`, '/dev/null'));
      objects.push({ ref: name, change: 'delete' });
    }
  } catch (e) {
    throw redactor.scrubError(e);
  }
  // Belt and braces: nothing the redactor knows may appear in the output.
  const text = redactor.scrub(parts.join(''));
  return {
    changed: objects.length > 0,
    text,
    objects,
    ...(conflicts.length ? { conflicts: new ConflictError(conflicts, desired.namespace) } : {}),
    ...(adoption ? { adoption } : {}),
  };
}

/** ANSI colouring of a unified diff (callers decide based on TTY and NO_COLOR). */
export function colorDiff(text: string): string {
  return text
    .split('\n')
    .map((l) =>
      l.startsWith('+++') || l.startsWith('---')
        ? `\x1b[1m${l}\x1b[0m`
        : l.startsWith('+')
          ? `\x1b[32m${l}\x1b[0m`
          : l.startsWith('-')
            ? `\x1b[31m${l}\x1b[0m`
            : l.startsWith('@@')
              ? `\x1b[36m${l}\x1b[0m`
              : l,
    )
    .join('\n');
}
