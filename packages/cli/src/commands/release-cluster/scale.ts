// opm release scale NAME [COMPONENT] --replicas N — through the release's values.
import type { Command } from 'commander';
import { replicasPath, scaleRelease } from '@opm/kube';
import { UsageError } from '../../errors.js';
import { addConnectionFlags, addHistoryKeyFlag, useHistoryKey, addRenderFlags, addTakeOwnershipFlag, addTimeoutFlag, connect, guardOperator, historyMax, Io, loadRerenderer, timeoutMs, userError, type ClusterDeps } from './common.js';

export function registerScale(release: Command, deps: ClusterDeps): void {
  const cmd = release
    .command('scale <name> [component]')
    .description("set a component's replicas through the release values (validated and policy-checked, recorded as a revision)");
  addConnectionFlags(cmd);
  addRenderFlags(cmd);
  addTimeoutFlag(cmd);
  addHistoryKeyFlag(cmd);
  addTakeOwnershipFlag(cmd);
  cmd
    .requiredOption('--replicas <n>', 'replica count')
    .option('--wait', 'wait until every object is ready')
    .option('--force-conflicts', 'take ownership of fields managed by others (e.g. after kubectl scale)')
    .option('--history-max <n>', 'revisions to keep', '10')
    .option('--update-autoscaler', "for a component run by a HorizontalPodAutoscaler: deploy the min/max range the new value renders (refused without it)")
    .action(async (name: string, component: string | undefined, o: Record<string, unknown>) => {
      const replicas = Number(o.replicas);
      if (!Number.isInteger(replicas) || replicas < 0) throw new UsageError(`--replicas must be a whole number ≥ 0 (got ${String(o.replicas)})`);
      const io = new Io(deps);
      const { ctx, client, namespace } = connect(o, deps, io.reporter());
      await guardOperator(client, namespace, name, o, io);
      await useHistoryKey(ctx, o.historyEncryptionKey);
      const rerender = await loadRerenderer(deps, o);
      try {
        const res = await scaleRelease(ctx, namespace, name, {
          component,
          replicas,
          rerender,
          force: !!o.forceConflicts,
          wait: !!o.wait,
          timeoutMs: timeoutMs(o.timeout as string),
          historyMax: historyMax(o.historyMax as string),
          updateAutoscaler: !!o.updateAutoscaler,
        });
        const path = `values.${replicasPath(component).join('.')}`;
        io.print(`release ${name}${component ? ` component ${component}` : ''} scaled to ${replicas} (revision ${res.revision})`);
        io.print(
          `note: ${path}=${replicas} is recorded with the release: later applies of the release file keep it ` +
            `until \`opm release apply FILE --reset-scale\` goes back to the file's values`,
        );
      } catch (e) {
        throw userError(e);
      }
    });
}
