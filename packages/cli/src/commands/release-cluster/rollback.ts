// opm release rollback NAME [REVISION]
import type { Command } from 'commander';
import { rollbackRelease } from '@opm/kube';
import { UsageError } from '../../errors.js';
import { addRegistryOptions, registryAccess } from '../registry-flags.js';
import { rollbackModuleVerifier } from './module-pin.js';
import { actionCounts, addConnectionFlags, addDryRunFlag, addHistoryKeyFlag, useHistoryKey, addTakeOwnershipFlag, addTimeoutFlag, connect, guardOperator, dryRunMode, historyMax, Io, timeoutMs, userError, type ClusterDeps } from './common.js';
import { safeText } from '../../terminal.js';

export function registerRollback(release: Command, deps: ClusterDeps): void {
  const cmd = release
    .command('rollback <name> [revision]')
    .description('re-apply a stored revision (default: the previous good one) as a new revision');
  addConnectionFlags(cmd);
  addTimeoutFlag(cmd);
  addDryRunFlag(cmd);
  addRegistryOptions(cmd);
  addHistoryKeyFlag(cmd);
  addTakeOwnershipFlag(cmd);
  cmd
    .option('--repin', "roll back even if the module's OCI tag now points to another artifact than the one the revision recorded")
    .option('--catalog <url>', 'oci:// catalog to verify the module against when the revision does not record its registry')
    .option('--wait', 'wait until every object is ready')
    .option('--force-conflicts', 'take ownership of fields managed by others')
    .option('--adopt', 'take over existing objects that carry no labels of this release (they are kept, never deleted, by delete and prune)')
    .option('--history-max <n>', 'revisions to keep', '10')
    .action(async (name: string, revision: string | undefined, o: Record<string, unknown>) => {
      const io = new Io(deps);
      const { ctx, client, namespace } = connect(o, deps, io.reporter());
      await guardOperator(client, namespace, name, o, io);
      await useHistoryKey(ctx, o.historyEncryptionKey);
      let rev: number | undefined;
      if (revision !== undefined) {
        rev = Number(revision);
        if (!Number.isInteger(rev) || rev < 1) throw new UsageError(`REVISION must be a revision number (got ${revision})`);
      }
      const dryRun = dryRunMode(o.dryRun);
      try {
        const res = await rollbackRelease(ctx, namespace, name, rev, {
          dryRun,
          force: !!o.forceConflicts,
          adopt: !!o.adopt,
          wait: !!o.wait,
          timeoutMs: timeoutMs(o.timeout as string),
          historyMax: historyMax(o.historyMax as string),
          verifyModule: rollbackModuleVerifier({ ...(o.catalog ? { catalog: o.catalog as string } : {}), repin: !!o.repin, access: await registryAccess(o), warn: (t) => io.err.write(`opm: warning: ${safeText(t)}\n`) }),
        });
        io.print(
          dryRun
            ? `release ${name} (dry run): rolling back to revision ${res.target} would record revision ${res.revision} (${actionCounts(res.results) || 'no objects'})`
            : `release ${name} rolled back to revision ${res.target} (now revision ${res.revision})`,
        );
      } catch (e) {
        throw userError(e);
      }
    });
}
