// opm release apply FILE
import type { Command } from 'commander';
import { applyRelease, currentValueOverrides, displayRef, type DesiredRelease } from '@opm/kube';
import { UserFacingError } from '../../errors.js';
import {
  addConnectionFlags,
  addDryRunFlag,
  addOutputFlag,
  addTimeoutFlag,
  connect,
  dryRunMode,
  historyMax,
  Io,
  loadRenderer,
  timeoutMs,
  userError,
  type ClusterDeps,
} from './common.js';

export function registerApply(release: Command, deps: ClusterDeps): void {
  const cmd = release
    .command('apply <file>')
    .description('render a ModuleRelease and apply it to the cluster as a new revision (server-side apply, prune, history)');
  addConnectionFlags(cmd);
  addDryRunFlag(cmd);
  addTimeoutFlag(cmd);
  addOutputFlag(cmd, 'table');
  cmd
    .option('--wait', 'wait until every object is ready')
    .option('--atomic', 'on failure, roll back to the last good revision (implies --wait)')
    .option('--atomic-timeout <duration>', 'timeout of the atomic rollback (default: --timeout)')
    .option('--force-conflicts', 'take ownership of fields managed by others')
    .option('--history-max <n>', 'revisions to keep', '10')
    .option('--create-namespace', 'create the release namespace if missing')
    .action(async (file: string, o: Record<string, unknown>) => {
      const io = new Io(deps);
      const machine = o.output !== 'table';
      const { ctx, client } = connect(o, deps, io.reporter(machine));
      const render = await loadRenderer(deps);
      const dryRun = dryRunMode(o.dryRun);
      let desired: DesiredRelease;
      try {
        // A first render tells the release's name/namespace; scale overrides recorded
        // on the cluster are then merged into the render so a scale survives apply.
        desired = await render(file, o.namespace ? { namespace: o.namespace as string } : {});
        const overrides = await currentValueOverrides(client, desired.namespace, desired.name).catch(() => ({}));
        if (Object.keys(overrides).length > 0) {
          desired = await render(file, { ...(o.namespace ? { namespace: o.namespace as string } : {}), valueOverrides: overrides });
        }
      } catch (e) {
        if (e instanceof UserFacingError) throw e;
        throw e;
      }
      try {
        const res = await applyRelease(ctx, desired, {
          dryRun,
          force: !!o.forceConflicts,
          wait: !!o.wait || !!o.atomic,
          atomic: !!o.atomic,
          timeoutMs: timeoutMs(o.timeout as string),
          atomicTimeoutMs: o.atomicTimeout ? timeoutMs(o.atomicTimeout as string) : undefined,
          historyMax: historyMax(o.historyMax as string),
          createNamespace: !!o.createNamespace,
        });
        const summary = {
          release: desired.name,
          namespace: desired.namespace,
          revision: res.revision,
          dryRun: dryRun ?? null,
          objects: res.results.map((r) => ({ object: displayRef(r.ref, desired.namespace), action: r.action })),
        };
        io.emit(o.output as string, summary, () =>
          dryRun
            ? `release ${desired.name} (dry run): would be revision ${res.revision}`
            : `release ${desired.name} revision ${res.revision} deployed in namespace ${desired.namespace}`,
        );
      } catch (e) {
        throw userError(e);
      }
    });
}
