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
import { WaitError } from './wait.js';
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

export interface ObjectConflicts {
  ref: ObjectRef;
  conflicts: { manager: string; field: string }[];
}

/** Field conflicts with other managers: every conflicting object, every field and its manager. */
export class ConflictError extends Error {
  readonly objects: ObjectConflicts[];

  constructor(objects: ObjectConflicts[], namespace: string) {
    const lines = objects.map(
      (o) => `conflict applying ${displayRef(o.ref, namespace)}: fields owned by another field manager:\n${o.conflicts.map((c) => `  ${c.field} (managed by "${c.manager}")`).join('\n')}`,
    );
    super(`${lines.join('\n')}\nre-run with --force-conflicts to take ownership of them`);
    this.name = 'ConflictError';
    this.objects = objects;
  }

  get ref(): ObjectRef {
    return this.objects[0]!.ref;
  }
}

/**
 * The API server refused an object (HTTP status kept: 422 Invalid, 400 BadRequest, 403 Forbidden,
 * ... are the release's problem to fix; 5xx the server's).
 */
export class ObjectApiError extends Error {
  constructor(
    message: string,
    readonly ref: ObjectRef,
    /** HTTP status, when the server answered. */
    readonly status: number | undefined,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'ObjectApiError';
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

type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Runs `fn` over items with at most `n` in flight and settles each one. After a failure that
 * `keepGoing` does not accept, no new item is started (items not started have no entry); the
 * others run to completion, so every object's outcome can be reported.
 */
async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>, keepGoing: (e: unknown) => boolean): Promise<(Settled<R> | undefined)[]> {
  const out = new Array<Settled<R> | undefined>(items.length);
  let next = 0;
  let stop = false;
  const worker = async () => {
    while (!stop && next < items.length) {
      const i = next++;
      try {
        out[i] = { ok: true, value: await fn(items[i]!) };
      } catch (error) {
        out[i] = { ok: false, error };
        if (!keepGoing(error)) stop = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
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
  const settled = await pool(
    objects,
    o.concurrency ?? 8,
    async (obj): Promise<ObjectResult | undefined> => {
      const ref = refOf(obj);
      // The ownership plan just read every object: use that read (kept for applyOne too), not a second GET.
      const key = refKey(ref);
      const live = o.live?.has(key) ? o.live.get(key) : await o.client.get(ref);
      if (live) checkOwnership(live, o.release, o.namespace, ref);
      return live && alreadyApplied(obj, live) ? { ref, action: 'unchanged', live } : undefined;
    },
    () => false,
  );
  const failed = settled.find((r) => r && !r.ok);
  if (failed && !failed.ok) throw failed.error;
  const results = settled.map((r) => (r?.ok ? r.value : undefined));
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
    if (e instanceof KubeApiError && e.code === 409) throw new ConflictError([{ ref, conflicts: conflictsOf(e) }], o.namespace);
    if (e instanceof UnknownKindError) throw e;
    throw new ObjectApiError(`applying ${describeApiError(e, ref, o.namespace)}`, ref, e instanceof KubeApiError ? e.code : undefined, e);
  }
  let action: Action;
  if (!live) action = 'created';
  else if (o.dryRun === 'server') action = sameJson(comparable(live), comparable(result)) ? 'unchanged' : 'configured';
  else action = live.metadata.resourceVersion === result.metadata.resourceVersion ? 'unchanged' : 'configured';
  if (action === 'unchanged' && o.precreated?.has(refKey(ref))) action = 'created';
  return { ref, action, live: result };
}

async function waitEstablished(o: ApplyObjectsOptions, crds: KubeObject[]): Promise<void> {
  // Within the command's deadline too (one deadline: deadline.ts).
  const deadline = Date.now() + Math.min(o.crdTimeoutMs ?? 60_000, o.client.deadline?.remaining() ?? Infinity);
  for (const crd of crds) {
    for (;;) {
      const live = await o.client.get(refOf(crd));
      const h = assessHealth(live);
      if (h.status === 'Ready') break;
      if (h.status === 'Failed') throw new WaitError(`${displayRef(refOf(crd))}: ${h.reason}`, [{ ref: refOf(crd), health: h }]);
      if (Date.now() > deadline) throw new WaitError(`timed out waiting for ${displayRef(refOf(crd))} to be established`, [{ ref: refOf(crd), health: h }]);
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
          if (Date.now() > deadline) throw new WaitError(`timed out waiting for the API server to serve ${spec.names.kind} in ${apiVersion}`, []);
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
    if (!o.dryRun) await o.fence?.(true);
    // A conflict does not stop the stage: the other objects are applied and every conflict is reported.
    const settled = await pool(stage, o.concurrency ?? 8, (obj) => applyOne(obj, o), (e) => e instanceof ConflictError);
    const conflicts: ObjectConflicts[] = [];
    let failure: unknown;
    for (let i = 0; i < stage.length; i++) {
      const r = settled[i];
      if (!r) continue;
      if (r.ok) {
        // Every object's outcome is printed, also when another object of the stage failed.
        o.reporter.line(line(r.value, o.namespace, o.dryRun));
        results.push(r.value);
        continue;
      }
      const ref = refOf(stage[i]!);
      if (r.error instanceof ConflictError) conflicts.push(...r.error.objects);
      else failure ??= r.error;
      o.reporter.line(`${displayRef(ref, o.namespace)} failed${r.error instanceof ConflictError ? ' (conflict)' : ''}${o.dryRun ? ` (${o.dryRun} dry run)` : ''}`);
    }
    const notStarted = settled.filter((r) => !r).length;
    if (notStarted > 0) o.reporter.line(`${notStarted} more object(s) of stage "${STAGE_NAMES[s]}" not applied after the failure`);
    if (failure !== undefined || conflicts.length > 0) {
      const e = failure ?? new ConflictError(conflicts, o.namespace);
      if (failure !== undefined && conflicts.length > 0 && e instanceof Error) e.message += `\n${new ConflictError(conflicts, o.namespace).message}`;
      throw o.redactor ? o.redactor.scrubError(e) : e;
    }
    const crds = stage.filter((x) => x.kind === 'CustomResourceDefinition');
    if (crds.length > 0 && !o.dryRun) {
      try {
        await waitEstablished(o, crds);
      } catch (e) {
        if (e instanceof Error) e.message = `after stage "${STAGE_NAMES[s]}": ${e.message}`;
        throw e;
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
        throw new ObjectApiError(`pruning ${describeApiError(e, ref, o.namespace)}`, ref, e instanceof KubeApiError ? e.code : undefined, e);
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
  const deadline = Date.now() + Math.min(timeoutMs, client.deadline?.remaining() ?? Infinity);
  let left = refs;
  while (left.length > 0) {
    const still: ObjectRef[] = [];
    for (const r of left) if (await client.get(r)) still.push(r);
    left = still;
    if (left.length === 0) break;
    reporter?.progress?.(`waiting for ${left.length} object(s) to be deleted: ${left.slice(0, 3).map((r) => displayRef(r)).join(', ')}`);
    if (Date.now() > deadline) throw new WaitError(`timed out waiting for deletion of ${left.map((r) => displayRef(r)).join(', ')}`, []);
    await new Promise((r) => setTimeout(r, 300));
  }
}

export { apiVersionOf };
