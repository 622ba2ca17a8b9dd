// The difference between two stored revisions of a release (the portal's
// history view): their manifests and user values, secrets masked. Reads the
// history only; the live cluster is not consulted.
import type { KubeClient } from './client.js';
import { maskSecretPair, toYaml } from './diff.js';
import { HistoryStore } from './history/store.js';
import { unifiedDiff } from './linediff.js';
import { displayRef, refKey, refOf } from './objref.js';
import { Redactor, maskValues } from './redact.js';
import { ReleaseRequestError } from './release-errors.js';
import { ReleaseNotFoundError } from './session.js';
import type { KubeObject, ReleaseRevision } from './types.js';
import { stringify } from 'yaml';

export interface RevisionDiff {
  from: number;
  to: number;
  /** Unified diff of the user values (secret paths masked); '' when equal. */
  values: string;
  /** Unified diff of the manifests, object by object (Secret data masked); '' when equal. */
  manifest: string;
  objects: { ref: string; change: 'create' | 'update' | 'delete' }[];
}

export async function diffRevisions(client: KubeClient, namespace: string, name: string, from: number, to: number): Promise<RevisionDiff> {
  const store = new HistoryStore(client, namespace, name);
  const all = await store.summaries();
  if (all.length === 0) throw new ReleaseNotFoundError(name, namespace);
  for (const r of [from, to]) {
    if (!all.some((s) => s.revision === r)) throw new ReleaseRequestError(`release ${name} has no revision ${r}`);
  }
  const [a, b] = [await store.read(from), await store.read(to)];
  // One redaction for both: a secret value of either revision never shows in the other's text.
  const redactor = new Redactor();
  for (const rev of [a, b]) redactor.addObjects(rev.manifest).addValues(rev.userValues, rev.secretPaths).addValues(rev.finalValues, rev.secretPaths);
  const shownValues = (rev: ReleaseRevision) => stringify(maskValues(rev.userValues, rev.secretPaths), { sortMapEntries: true });
  const values = unifiedDiff(shownValues(a), shownValues(b), `revision ${from}/values`, `revision ${to}/values`);
  const byKey = (m: KubeObject[]) => new Map(m.map((o) => [refKey(refOf(o)), o]));
  const before = byKey(a.manifest);
  const after = byKey(b.manifest);
  const parts: string[] = [];
  const objects: RevisionDiff['objects'] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const [x, y] = maskSecretPair(before.get(key), after.get(key));
    const ref = refOf((x ?? y)!);
    const shown = displayRef(ref, namespace);
    const d = unifiedDiff(toYaml(x), toYaml(y), x ? `revision ${from}/${shown}` : '/dev/null', y ? `revision ${to}/${shown}` : '/dev/null');
    if (!d) continue;
    parts.push(d);
    objects.push({ ref: shown, change: !x ? 'create' : !y ? 'delete' : 'update' });
  }
  return { from, to, values: redactor.scrub(values), manifest: redactor.scrub(parts.join('')), objects };
}
