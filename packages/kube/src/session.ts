// Everything that changes a release runs inside a session: the release's Lease
// is held, and a revision left `pending` by a process that died (SIGKILL, lost
// connection) is reconciled first — marked failed, its inventory still counted
// as owned so the next apply prunes whatever it had created.
import type { KubeClient } from './client.js';
import { HistoryStore } from './history/store.js';
import { ReleaseLock, type LockOptions } from './lock.js';
import type { Reporter } from './types.js';

export class ReleaseNotFoundError extends Error {
  constructor(name: string, namespace: string) {
    super(`release ${name} not found in namespace ${namespace}`);
    this.name = 'ReleaseNotFoundError';
  }
}

export interface ReleaseContext {
  client: KubeClient;
  reporter: Reporter;
  lock?: LockOptions;
  /** History chunk size (tests use small ones). */
  chunkBytes?: number;
  /** The platform's history encryption key (32 bytes, `--history-encryption-key`): see history/sealed.ts. */
  historyKey?: Buffer;
}

/**
 * Marks what an interrupted command left behind: a `pending` revision failed,
 * and (unless this command is the delete that finishes it) an `uninstalling`
 * one failed too, so an interrupted delete followed by an apply leaves no
 * revision `uninstalling` for ever. Its inventory still counts as owned
 * (ownedInventory: every revision after the last deployed one).
 */
export async function reconcilePending(store: HistoryStore, reporter: Reporter, opts: { deleting?: boolean } = {}): Promise<number[]> {
  const fixed: number[] = [];
  for (const s of await store.summaries()) {
    if (s.status === 'pending') {
      await store.setStatus(s.revision, 'failed', `interrupted: the opm process applying it stopped before finishing (was: ${s.description})`);
      reporter.line(`revision ${s.revision} was left pending by an interrupted command; marked failed`);
    } else if (s.status === 'uninstalling' && !opts.deleting) {
      await store.setStatus(s.revision, 'failed', `interrupted delete: some objects may have been deleted (was: ${s.description.replace(/^uninstalling \(was: (.*)\)$/, '$1')})`);
      reporter.line(`revision ${s.revision} was left uninstalling by an interrupted delete; marked failed`);
    } else continue;
    fixed.push(s.revision);
  }
  return fixed;
}

export async function withRelease<T>(
  ctx: ReleaseContext,
  namespace: string,
  name: string,
  fn: (store: HistoryStore, lock: ReleaseLock) => Promise<T>,
  opts: { mustExist?: boolean; deleting?: boolean } = {},
): Promise<T> {
  if (opts.mustExist && (await new HistoryStore(ctx.client, namespace, name).summaries()).length === 0) {
    // Checked before locking so a typo never leaves a Lease behind.
    throw new ReleaseNotFoundError(name, namespace);
  }
  const lock = await ReleaseLock.acquire(ctx.client, namespace, name, ctx.lock);
  try {
    const store = new HistoryStore(ctx.client, namespace, name, ctx.chunkBytes, ctx.historyKey);
    // Fencing: every history write first renews the Lease (conditional on its resourceVersion).
    store.guard = () => lock.fence({ renew: true });
    await reconcilePending(store, ctx.reporter, { deleting: opts.deleting });
    return await fn(store, lock);
  } finally {
    await ctx.client.cleanup(() => lock.release());
  }
}
