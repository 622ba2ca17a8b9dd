// opm release delete NAME
import type { Command } from 'commander';
import { deleteRelease } from '@opm/kube';
import { addConnectionFlags, addDryRunFlag, addTimeoutFlag, connect, dryRunMode, Io, timeoutMs, userError, type ClusterDeps } from './common.js';

export function registerDelete(release: Command, deps: ClusterDeps): void {
  const cmd = release
    .command('delete <name>')
    .alias('uninstall')
    .description('delete every object of a release, wait for them to go, then its history');
  addConnectionFlags(cmd);
  addTimeoutFlag(cmd);
  addDryRunFlag(cmd);
  cmd.option('--no-wait', 'do not wait for the objects to disappear').action(async (name: string, o: Record<string, unknown>) => {
    const io = new Io(deps);
    const { ctx, namespace } = connect(o, deps, io.reporter());
    try {
      await deleteRelease(ctx, namespace, name, {
        timeoutMs: timeoutMs(o.timeout as string),
        wait: o.wait !== false,
        dryRun: dryRunMode(o.dryRun),
      });
    } catch (e) {
      throw userError(e);
    }
  });
}
