// `opm release rollback NAME [REVISION]`: deploy the content of a stored
// revision again, as a new revision (history is append-only), pruning what it
// does not contain. With dryRun, show what that would apply and prune.
import { NothingToRollBackError, ReleaseRequestError } from './release-errors.js';
import { contentOf, deploy, type DeployOptions, type DeployResult } from './deploy.js';
import { HistoryStore, readFirstIntact } from './history/store.js';
import { openSealed, restoreSecretData } from './history/secrets.js';
import type { ReleaseLock } from './lock.js';
import { ReleaseNotFoundError, withRelease, type ReleaseContext } from './session.js';
import type { KubeClient } from './client.js';
import type { ModuleRef, ReleaseRevision } from './types.js';

export interface RollbackOptions extends DeployOptions {
  /**
   * Called with the module the target revision was rendered from, before anything is applied; the CLI checks
   * there that the recorded OCI artifact (digest) is still what its tag points to. Throwing aborts the rollback.
   */
  verifyModule?: (module: ModuleRef, revision: number) => Promise<void>;
}

export async function rollbackRelease(
  ctx: ReleaseContext,
  namespace: string,
  name: string,
  revision: number | undefined,
  opts: RollbackOptions = {},
): Promise<DeployResult & { target: number }> {
  const run = async (store: HistoryStore, lock: ReleaseLock | undefined) => {
    let rev = await chooseTarget(store, name, namespace, revision, (t) => ctx.reporter.line(t));
    const target = rev.revision;
    await opts.verifyModule?.(rev.module, target);
    // History keeps digests of secret data: the values come from the live Secrets.
    rev = await restoreSecretData(ctx.client, openSealed(rev, ctx.historyKey, ctx.reporter), ctx.reporter);
    const res = await deploy(ctx, store, lock, contentOf(rev, `rollback to ${target}`), opts);
    return { ...res, target };
  };
  if (opts.dryRun) {
    // Reads only: no Lease, no revision recorded, and a revision left pending stays for the next
    // real command to reconcile. deploy() in dry-run mode applies with dryRun and prunes nothing.
    return run(new HistoryStore(ctx.client, namespace, name, ctx.chunkBytes, ctx.historyKey), undefined);
  }
  return withRelease(ctx, namespace, name, run, { mustExist: true });
}

/**
 * The revision a rollback goes back to: `revision`, or (without it) the good
 * revision before the current one — after a failed or interrupted change, the
 * one last deployed. Reads only. Errors as `opm release rollback` gives them.
 */
export async function rollbackTarget(client: KubeClient, namespace: string, name: string, revision: number | undefined, warn: (line: string) => void = () => {}): Promise<ReleaseRevision> {
  return chooseTarget(new HistoryStore(client, namespace, name), name, namespace, revision, warn);
}

async function chooseTarget(store: HistoryStore, name: string, namespace: string, revision: number | undefined, warn: (line: string) => void): Promise<ReleaseRevision> {
  const all = await store.summaries();
  if (all.length === 0) throw new ReleaseNotFoundError(name, namespace);
  let rev: ReleaseRevision | undefined;
  if (revision === undefined) {
    // After a failed or interrupted change, back to what was last deployed; otherwise to the
    // good revision before the current one. A corrupt candidate is skipped (warned) for the next.
    const latest = all[all.length - 1]!;
    const good = (st: string) => st === 'deployed' || st === 'superseded';
    const newest = [...all].reverse();
    const candidates =
      latest.status !== 'deployed'
        ? [...newest.filter((s) => s.status === 'deployed'), ...newest.filter((s) => s.status === 'superseded')]
        : newest.filter((s) => s.revision < latest.revision && good(s.status));
    if (!candidates.length) throw new NothingToRollBackError(name);
    rev = await readFirstIntact(store, candidates, warn);
    if (!rev) throw new Error(`release ${name}: every earlier good revision is corrupt (opm release history ${name} --verify)`);
  } else {
    if (!all.some((s) => s.revision === revision)) {
      throw new ReleaseRequestError(`release ${name} has no revision ${revision} (kept: ${all.map((s) => s.revision).join(', ')})`);
    }
    rev = await store.read(revision);
  }
  if (rev.repaired) {
    throw new Error(`release ${name} revision ${rev.revision} was rebuilt by repair from a corrupt payload: it has no manifest to roll back to`);
  }
  return rev;
}
