// `opm release rollback NAME [REVISION]`: deploy the content of a stored
// revision again, as a new revision (history is append-only), pruning what it
// does not contain. With dryRun, show what that would apply and prune.
import { NothingToRollBackError, ReleaseRequestError } from './release-errors.js';
import { contentOf, deploy, type DeployOptions, type DeployResult } from './deploy.js';
import { HistoryStore } from './history/store.js';
import type { ReleaseLock } from './lock.js';
import { ReleaseNotFoundError, withRelease, type ReleaseContext } from './session.js';
import type { ModuleRef } from './types.js';

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
    const all = await store.summaries();
    if (all.length === 0) throw new ReleaseNotFoundError(name, namespace);
    let target = revision;
    if (target === undefined) {
      // After a failed or interrupted change, back to what was last deployed; otherwise to the
      // good revision before the current one.
      const latest = all[all.length - 1]!;
      const good = (st: string) => st === 'deployed' || st === 'superseded';
      const prev =
        latest.status !== 'deployed'
          ? [...all].reverse().find((s) => s.status === 'deployed') ?? [...all].reverse().find((s) => good(s.status))
          : [...all].reverse().find((s) => s.revision < latest.revision && good(s.status));
      if (!prev) throw new NothingToRollBackError(name);
      target = prev.revision;
    } else if (!all.some((s) => s.revision === target)) {
      throw new ReleaseRequestError(`release ${name} has no revision ${target} (kept: ${all.map((s) => s.revision).join(', ')})`);
    }
    const rev = await store.read(target);
    await opts.verifyModule?.(rev.module, target);
    const res = await deploy(ctx, store, lock, contentOf(rev, `rollback to ${target}`), opts);
    return { ...res, target };
  };
  if (opts.dryRun) {
    // Reads only: no Lease, no revision recorded, and a revision left pending stays for the next
    // real command to reconcile. deploy() in dry-run mode applies with dryRun and prunes nothing.
    return run(new HistoryStore(ctx.client, namespace, name, ctx.chunkBytes), undefined);
  }
  return withRelease(ctx, namespace, name, run, { mustExist: true });
}
