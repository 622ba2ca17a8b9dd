// opm release apply FILE
import type { Command } from 'commander';
import { applyRelease, displayRef } from '@opm/kube';
import {
  actionCounts,
  addConnectionFlags,
  addDryRunFlag,
  addOutputFlag,
  addTimeoutFlag,
  connect,
  dryRunMode,
  historyMax,
  Io,
  loadRenderer,
  renderRelease,
  timeoutMs,
  userError,
  type ClusterDeps,
  addRenderFlags,
  addTakeOwnershipFlag,
  guardOperator,
  addHistoryKeyFlag,
  useHistoryKey,
} from './common.js';

export function registerApply(release: Command, deps: ClusterDeps): void {
  const cmd = release
    .command('apply <file>')
    .description('render a ModuleRelease and apply it to the cluster as a new revision (server-side apply, prune, history)');
  addConnectionFlags(cmd, 'namespace of the release (overrides the one in FILE)');
  addRenderFlags(cmd, true);
  addDryRunFlag(cmd);
  addTimeoutFlag(cmd);
  addOutputFlag(cmd, 'table');
  addTakeOwnershipFlag(cmd);
  addHistoryKeyFlag(cmd);
  cmd
    .option('--wait', 'wait until every object is ready')
    .option('--atomic', 'on failure, roll back to the last good revision (implies --wait)')
    .option('--atomic-timeout <duration>', 'timeout of the atomic rollback (default: --timeout)')
    .option('--force-conflicts', 'take ownership of fields managed by others')
    .option('--history-max <n>', 'revisions to keep', '10')
    .option('--create-namespace', 'create the release namespace if missing')
    .option('--reset-scale', 'drop the replica counts recorded by `opm release scale`: deploy the values of FILE as they are')
    .option('--adopt', 'take over existing objects that carry no labels of this release (they are kept, never deleted, by delete and prune)')
    .option('--repin', "accept a module whose OCI artifact changed since the release recorded it (a re-pushed tag) and record its new digest")
    .action(async (file: string, o: Record<string, unknown>) => {
      const io = new Io(deps);
      const machine = o.output !== 'table';
      const { ctx, client } = connect(o, deps, io.reporter(machine));
      const render = await loadRenderer(deps, o);
      const dryRun = dryRunMode(o.dryRun);
      // Flags are checked before anything is rendered or sent.
      const opts = {
        dryRun,
        force: !!o.forceConflicts,
        wait: !!o.wait || !!o.atomic,
        atomic: !!o.atomic,
        timeoutMs: timeoutMs(o.timeout as string),
        atomicTimeoutMs: o.atomicTimeout ? timeoutMs(o.atomicTimeout as string) : undefined,
        historyMax: historyMax(o.historyMax as string),
        createNamespace: !!o.createNamespace,
        repin: !!o.repin,
        adopt: !!o.adopt,
        // --reset-scale: record no overrides, so later applies stay on the file's values too.
        ...(o.resetScale ? { valueOverrides: {} } : {}),
      };
      const desired = await renderRelease(render, client, file, o.namespace as string | undefined, {
        withOverrides: !o.resetScale,
        ...(o.resetScale ? { onReset: (was: string) => io.err.write(`opm: --reset-scale: dropping ${was} recorded by \`opm release scale\`\n`) } : {}),
      });
      await guardOperator(client, desired.namespace, desired.name, o, io);
      await useHistoryKey(ctx, o.historyEncryptionKey);
      try {
        const res = await applyRelease(ctx, desired, opts);
        const summary = {
          release: desired.name,
          namespace: desired.namespace,
          revision: res.revision,
          unchanged: !!res.unchanged,
          // Other platform rules that render the same objects record no revision: said, with both rules.
          ...(res.rulesChanged ? { platformRulesChanged: { recorded: res.rulesChanged.recorded ?? null, now: res.rulesChanged.now } } : {}),
          dryRun: dryRun ?? null,
          objects: res.results.map((r) => ({ object: displayRef(r.ref, desired.namespace), action: r.action })),
        };
        const counts = actionCounts(res.results);
        io.emit(o.output as string, summary, () =>
          dryRun
            ? `release ${desired.name} (dry run): would be revision ${res.revision} (${counts || 'no objects'})`
            : res.unchanged
              ? `release ${desired.name} unchanged: no new revision (revision ${res.revision} stays deployed in namespace ${desired.namespace}; ${counts || 'no objects'})` +
                (res.rulesChanged ? `\nnote: ${rulesNote(res.revision, res.rulesChanged)}` : '')
              : `release ${desired.name} revision ${res.revision} deployed in namespace ${desired.namespace} (${counts || 'no objects'})`,
        );
      } catch (e) {
        throw userError(e);
      }
    });
}

/** Other platform rules than the deployed revision records, rendering the same objects. */
function rulesNote(revision: number, c: NonNullable<Awaited<ReturnType<typeof applyRelease>>['rulesChanged']>): string {
  const ref = (r: { source: string; digest: string } | undefined) => (r ? `${r.digest.slice(0, 19)} (${r.source})` : 'none recorded');
  return `the platform rules changed (${ref(c.now)}; revision ${revision} records ${ref(c.recorded)}) and render the same objects: a revision is recorded when the objects, the module or the release's values change`;
}
