// Applying and pruning objects. Every write is a server-side apply under the
// field manager `opm`, and only what changed is patched:
//  - an object whose live copy carries the hash of the very manifest being
//    applied (annotation opm.dev/manifest-hash) and already has every value opm
//    sets is `unchanged` without any PATCH (drift or a manifest change always
//    falls through to an apply);
//  - otherwise it is applied, and `unchanged` when its resourceVersion did not
//    move (read before, compared with the apply response: the API server does
//    not write a no-op apply).
// With --dry-run=server the dry-run result is compared with the live object
// instead (a dry run never moves the version).
import { KubeApiError, UnknownKindError, describeApiError, type KubeClient } from './client.js';
import { ANNOTATION_MANIFEST_HASH, checkOwnership, isOurs } from './inventory.js';
import { comparable, isSubset, sameJson } from './normalize.js';
import { byStage, deletionOrder, STAGE_NAMES } from './stages.js';
import type { InventoryEntry, KubeObject, ObjectRef, Reporter } from './types.js';
import { keepReason, mayDelete, releasePatch } from './ownership.js';
import { apiVersionOf, displayRef, refKey, refOf } from './objref.js';
import { assessHealth } from './health.js';
import type { Redactor } from './redact.js';

export type Action = 'created' | 'configured' | 'unchanged' | 'pruned' | 'skipped' | 'kept';

export interface ObjectResult {
  ref: ObjectRef;
  action: Action;
  live?: KubeObject;
  note?: string;
}

export type DryRun = 'client' | 'server' | undefined;

export interface ApplyObjectsOptions {
  client: KubeClient;
  release: string;
  namespace: string;
  force?: boolean;
  dryRun?: DryRun;
  reporter: Reporter;
  redactor?: Redactor;
  /** Bound for waiting on CRDs to be established before their custom resources. */
  crdTimeoutMs?: number;
  concurrency?: number;
  /** Objects created just before this apply (the release namespace), reported as created. */
  precreated?: Set<string>;
  /** Live copies already read (ownership.planOwnership), by refKey; each is used once instead of a GET. */
  live?: Map<string, KubeObject | undefined>;
  /**
   * Fencing (the release lock): called before each write; `renew` before each batch (stage, prune).
   * Throws when this process no longer holds the lock, and the write is not made.
   */
  fence?: (renew?: boolean) => Promise<void>;
}

/** A field conflict with another manager, with the fields named. */
export class ConflictError extends Error {
  constructor(readonly ref: ObjectRef, readonly conflicts: { manager: string; field: string }[], namespace: string) {
    const lines = conflicts.map((c) => `  ${c.field} (managed by "${c.manager}")`);
    super(
      `conflict applying ${displayRef(ref, namespace)}: fields owned by another field manager:\n${lines.join('\n')}\n` +
        `re-run with --force-conflicts to take ownership of them`,
    );
    this.name = 'ConflictError';
  }
}

export function conflictsOf(e: KubeApiError): { manager: string; field: string }[] {
  const out: { manager: string; field: string }[] = [];
  for (const c of e.causes) {
    if (c.type && c.type !== 'FieldManagerConflict') continue;
    const m = /conflict with "([^"]+)"/.exec(c.message ?? '');
    out.push({ manager: m?.[1] ?? 'unknown', field: c.field ?? c.message ?? '?' });
  }
  if (out.length === 0) {
    // Older servers put everything in the message: `conflict with "x" using apps/v1: .spec.replicas`.
    for (const m of e.message.matchAll(/conflict with "([^"]+)"(?: using [^:]+)?: ([^\n,]+)/g)) out.push({ manager: m[1]!, field: m[2]!.trim() });
  }
  return out;
}

/** Runs `fn` over items with at most `n` in flight; stops starting new ones after the first failure. */
async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed: unknown;
  let hasFailed = false;
  const worker = async () => {
    while (!hasFailed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!);
      } catch (e) {
        if (!hasFailed) {
          hasFailed = true;
          failed = e;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  if (hasFailed) throw failed;
  return out;
}

function line(r: ObjectResult, ns: string, dryRun: DryRun): string {
  const suffix = dryRun ? ` (${dryRun} dry run)` : '';
  return `${displayRef(r.ref, ns)} ${r.action}${r.note ? ` (${r.note})` : ''}${suffix}`;
}

/** The no-PATCH condition: the live copy carries this manifest's hash and every value opm sets. */
function alreadyApplied(obj: KubeObject, live: KubeObject | undefined): boolean {
  const hash = obj.metadata.annotations?.[ANNOTATION_MANIFEST_HASH];
  return !!live && !!hash && live.metadata.annotations?.[ANNOTATION_MANIFEST_HASH] === hash && isSubset(comparable(obj), live);
}

/**
 * Reads every object (no writes): their results, all `unchanged`, when each is
 * live exactly as it would be applied; undefined as soon as one is not.
 */
export async function allUnchanged(objects: KubeObject[], o: ApplyObjectsOptions): Promise<ObjectResult[] | undefined> {
  const results = await pool(objects, o.concurrency ?? 8, async (obj): Promise<ObjectResult | undefined> => {
    const ref = refOf(obj);
    // Live copies read for the ownership plan serve here too (and are left for the apply that follows).
    const key = refKey(ref);
    const live = o.live?.has(key) ? o.live.get(key) : await o.client.get(ref);
    if (live) checkOwnership(live, o.release, o.namespace, ref);
    return live && alreadyApplied(obj, live) ? { ref, action: 'unchanged', live } : undefined;
  });
  if (results.some((r) => r === undefined)) return undefined;
  for (const r of results) o.reporter.line(line(r!, o.namespace, o.dryRun));
  return results as ObjectResult[];
}

async function applyOne(obj: KubeObject, o: ApplyObjectsOptions): Promise<ObjectResult> {
  const ref = refOf(obj);
  const key = refKey(ref);
  let live: KubeObject | undefined;
  if (o.live?.has(key)) {
    live = o.live.get(key);
    o.live.delete(key);
  } else live = await o.client.get(ref);
  if (live) checkOwnership(live, o.release, o.namespace, ref);
  if (o.dryRun === 'client') {
    // No server-side evaluation: unchanged when everything we set is already live.
    const action: Action = !live ? 'created' : isSubset(comparable(obj), live) ? 'unchanged' : 'configured';
    return { ref, action, ...(live ? { live } : {}) };
  }
  if (live && alreadyApplied(obj, live)) {
    return { ref, action: o.precreated?.has(refKey(ref)) ? 'created' : 'unchanged', live };
  }
  let result: KubeObject;
  if (!o.dryRun) await o.fence?.();
  try {
    result = await o.client.apply(obj, { force: o.force, dryRun: o.dryRun === 'server' });
  } catch (e) {
    // A server dry run cannot admit objects into a namespace the same (dry) run would create.
    if (o.dryRun === 'server' && !live && e instanceof KubeApiError && e.code === 404 && /namespaces? "[^"]+" not found/.test(e.message)) {
      return { ref, action: 'created', note: 'namespace not created yet' };
    }
    // Nor type custom resources whose CRD the same (dry) run would create.
    if (o.dryRun === 'server' && !live && e instanceof UnknownKindError) return { ref, action: 'created', note: 'kind not served yet' };
    if (e instanceof KubeApiError && e.code === 409) throw new ConflictError(ref, conflictsOf(e), o.namespace);
    if (e instanceof UnknownKindError) throw e;
    throw new Error(`applying ${describeApiError(e, ref, o.namespace)}`);
  }
  let action: Action;
  if (!live) action = 'created';
  else if (o.dryRun === 'server') action = sameJson(comparable(live), comparable(result)) ? 'unchanged' : 'configured';
  else action = live.metadata.resourceVersion === result.metadata.resourceVersion ? 'unchanged' : 'configured';
  if (action === 'unchanged' && o.precreated?.has(refKey(ref))) action = 'created';
  return { ref, action, live: result };
}

async function waitEstablished(o: ApplyObjectsOptions, crds: KubeObject[]): Promise<void> {
  const deadline = Date.now() + (o.crdTimeoutMs ?? 60_000);
  for (const crd of crds) {
    for (;;) {
      const live = await o.client.get(refOf(crd));
      const h = assessHealth(live);
      if (h.status === 'Ready') break;
      if (h.status === 'Failed') throw new Error(`${displayRef(refOf(crd))}: ${h.reason}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${displayRef(refOf(crd))} to be established`);
      await new Promise((r) => setTimeout(r, 250));
    }
    // Established is not the same as discoverable: a real API server's discovery can lag a moment.
    const spec = (crd as { spec?: { group?: string; names?: { kind?: string }; versions?: { name: string; served?: boolean }[] } }).spec;
    for (const v of spec?.versions ?? []) {
      if (v.served === false || !spec?.names?.kind) continue;
      const apiVersion = `${spec.group}/${v.name}`;
      for (;;) {
        o.client.forgetDiscovery(apiVersion);
        try {
          await o.client.isNamespaced(apiVersion, spec.names.kind);
          break;
        } catch (e) {
          if (!(e instanceof UnknownKindError)) throw e;
          if (Date.now() > deadline) throw new Error(`timed out waiting for the API server to serve ${spec.names.kind} in ${apiVersion}`);
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    }
  }
}

/** Applies objects stage by stage, printing one line per object; returns per-object results. */
export async function applyObjects(objects: KubeObject[], o: ApplyObjectsOptions): Promise<ObjectResult[]> {
  const stages = byStage(objects, refOf);
  const results: ObjectResult[] = [];
  for (let s = 0; s < stages.length; s++) {
    const stage = stages[s]!;
    if (stage.length === 0) continue;
    let res: ObjectResult[];
    if (!o.dryRun) await o.fence?.(true);
    try {
      res = await pool(stage, o.concurrency ?? 8, (obj) => applyOne(obj, o));
    } catch (e) {
      throw o.redactor ? o.redactor.scrubError(e) : e;
    }
    for (const r of res) o.reporter.line(line(r, o.namespace, o.dryRun));
    results.push(...res);
    const crds = stage.filter((x) => x.kind === 'CustomResourceDefinition');
    if (crds.length > 0 && !o.dryRun) {
      try {
        await waitEstablished(o, crds);
      } catch (e) {
        throw new Error(`after stage "${STAGE_NAMES[s]}": ${(e as Error).message}`);
      }
    }
  }
  return results;
}

/**
 * Deletes objects this release owns (reverse install order). An object that
 * now carries another release's labels, or none, is left alone and reported.
 * One the release did not create (adopted, or a Namespace not known to be
 * created by it) is kept and handed back: opm's labels are removed.
 */
export async function pruneObjects(refs: InventoryEntry[], o: ApplyObjectsOptions): Promise<ObjectResult[]> {
  const results: ObjectResult[] = [];
  for (const entry of deletionOrder(refs, (r) => r)) {
    const ref: ObjectRef = { group: entry.group, version: entry.version, kind: entry.kind, name: entry.name, ...(entry.namespace ? { namespace: entry.namespace } : {}) };
    const live = await o.client.get(ref);
    if (!live) continue;
    if (!isOurs(live, o.release, o.namespace)) {
      const r: ObjectResult = { ref, action: 'skipped', note: 'not owned by this release any more' };
      o.reporter.line(line(r, o.namespace, o.dryRun));
      results.push(r);
      continue;
    }
    if (!mayDelete(entry)) {
      if (!o.dryRun) {
        await o.fence?.(results.length === 0);
        try {
          await o.client.mergePatch(ref, releasePatch(live));
        } catch (e) {
          throw new Error(`releasing ${describeApiError(e, ref, o.namespace)}`);
        }
      }
      const r: ObjectResult = { ref, action: 'kept', note: keepReason(entry) };
      o.reporter.line(line(r, o.namespace, o.dryRun));
      results.push(r);
      continue;
    }
    if (!o.dryRun) {
      await o.fence?.(results.length === 0);
      try {
        await o.client.delete(ref);
      } catch (e) {
        throw new Error(`pruning ${describeApiError(e, ref, o.namespace)}`);
      }
    }
    const r: ObjectResult = { ref, action: 'pruned' };
    o.reporter.line(line(r, o.namespace, o.dryRun));
    results.push(r);
  }
  return results;
}

/** Waits (bounded) until none of `refs` exists any more. */
export async function waitDeleted(client: KubeClient, refs: ObjectRef[], timeoutMs: number, reporter?: Reporter): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let left = refs;
  while (left.length > 0) {
    const still: ObjectRef[] = [];
    for (const r of left) if (await client.get(r)) still.push(r);
    left = still;
    if (left.length === 0) break;
    reporter?.progress?.(`waiting for ${left.length} object(s) to be deleted: ${left.slice(0, 3).map((r) => displayRef(r)).join(', ')}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for deletion of ${left.map((r) => displayRef(r)).join(', ')}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

export { apiVersionOf };
