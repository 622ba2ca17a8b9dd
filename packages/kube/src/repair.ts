// `opm release history NAME --verify` and `opm release repair NAME`: find
// revisions whose stored payload cannot be read back, and fix them.
//
// A corrupt revision older than the last deployed one is not needed by
// anything (ownership starts at the last deployed revision): repair removes
// it. One that is the last deployed revision, or later, still decides what the
// release owns: repair rebuilds it in place as a `failed` revision whose
// inventory is the live objects labelled for the release of the kinds its head
// Secret records (sweep.ts), with no manifest and no values (`repaired`), so
// prune and delete still see those objects and rollback refuses to target it.
import type { KubeClient } from './client.js';
import { inventoryByLabel } from './deploy.js';
import { CorruptRevisionError, HistoryStore } from './history/store.js';
import { ReleaseNotFoundError, withRelease, type ReleaseContext } from './session.js';
import type { ReleaseRevision, RevisionStatus, RevisionSummary } from './types.js';

export interface RevisionCheck {
  revision: number;
  status: RevisionStatus;
  ok: boolean;
  /** What is wrong, naming the Secret (only when not ok). */
  problem?: string;
}

export interface RepairAction {
  revision: number;
  action: 'removed' | 'rebuilt';
  detail: string;
}

async function check(store: HistoryStore, s: RevisionSummary): Promise<RevisionCheck> {
  try {
    await store.read(s.revision);
    return { revision: s.revision, status: s.status, ok: true };
  } catch (e) {
    if (!(e instanceof CorruptRevisionError)) throw e;
    return { revision: s.revision, status: s.status, ok: false, problem: e.message };
  }
}

/** Reads every revision's payload back; one row per revision, oldest first. */
export async function verifyHistory(client: KubeClient, namespace: string, name: string): Promise<RevisionCheck[]> {
  const store = new HistoryStore(client, namespace, name);
  const all = await store.summaries();
  if (all.length === 0) throw new ReleaseNotFoundError(name, namespace);
  const out: RevisionCheck[] = [];
  for (const s of all) out.push(await check(store, s));
  return out;
}

export async function repairRelease(ctx: ReleaseContext, namespace: string, name: string): Promise<RepairAction[]> {
  return withRelease(
    ctx,
    namespace,
    name,
    async (store) => {
      const all = await store.summaries();
      const lastDeployed = [...all].reverse().find((s) => s.status === 'deployed')?.revision ?? 0;
      const done: RepairAction[] = [];
      for (const s of all) {
        const c = await check(store, s);
        if (c.ok) continue;
        if (s.revision < lastDeployed) {
          await store.deleteRevisionSecrets(s.revision);
          done.push({ revision: s.revision, action: 'removed', detail: `${c.problem}; removed (revision ${lastDeployed} is the last deployed one)` });
          continue;
        }
        const inventory = await inventoryByLabel(store, s);
        const now = new Date().toISOString();
        const rebuilt: ReleaseRevision = {
          name,
          namespace,
          revision: s.revision,
          status: 'failed',
          description: `repaired: the stored payload was corrupt; inventory rebuilt from ${inventory.length} labelled live object(s) (was: ${s.status}, ${s.description})`,
          module: { name: s.module, version: s.moduleVersion, ...(s.moduleDigest ? { digest: s.moduleDigest } : {}) },
          userValues: {},
          finalValues: {},
          valueOverrides: {},
          valuesDigest: s.valuesDigest,
          secretPaths: [],
          inventory,
          manifest: [],
          createdAt: now,
          updatedAt: now,
          repaired: true,
        };
        await store.deleteRevisionSecrets(s.revision);
        await store.write(rebuilt);
        done.push({ revision: s.revision, action: 'rebuilt', detail: `${c.problem}; rebuilt as failed with ${inventory.length} object(s) found by label` });
      }
      for (const d of done) ctx.reporter.line(`revision ${d.revision} ${d.action}: ${d.detail}`);
      if (!done.length) ctx.reporter.line(`release ${name}: every revision reads back intact; nothing to repair`);
      return done;
    },
    { mustExist: true },
  );
}
