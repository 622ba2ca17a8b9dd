// opm release delete NAME
//
// Lists what it will delete and what it keeps (objects the release did not
// create, volume claims), then asks on a terminal. Without a terminal it
// refuses unless --yes: a script must say so explicitly, because a delete
// cannot be undone. A dry run never asks.
import type { Command } from 'commander';
import { deleteRelease, displayRef, type DeletePlan } from '@opm/kube';
import { UserFacingError } from '../../errors.js';
import { addConnectionFlags, addDryRunFlag, addTimeoutFlag, connect, dryRunMode, Io, timeoutMs, userError, type ClusterDeps } from './common.js';

export function registerDelete(release: Command, deps: ClusterDeps): void {
  const cmd = release
    .command('delete <name>')
    .alias('uninstall')
    .description('delete every object the release created (after confirmation), wait for them to go, then its history');
  addConnectionFlags(cmd);
  addTimeoutFlag(cmd);
  addDryRunFlag(cmd);
  cmd
    .option('--no-wait', 'do not wait for the objects to disappear')
    .option('-y, --yes', 'do not ask for confirmation (required when not on a terminal)')
    .option('--delete-volumes', "also delete the release's PersistentVolumeClaims, and with them their data")
    .action(async (name: string, o: Record<string, unknown>) => {
      const io = new Io(deps);
      const { ctx, namespace } = connect(o, deps, io.reporter());
      const confirm = async (plan: DeletePlan): Promise<boolean> => {
        if (o.yes) return true;
        io.err.write(`${describePlan(plan)}\n`);
        const ask = deps.confirm === undefined ? terminalConfirm() : deps.confirm;
        if (!ask) {
          throw new UserFacingError(`refusing to delete release ${name} without confirmation: not on a terminal; re-run with --yes to delete (nothing was changed)`);
        }
        return ask(`delete release ${name} in namespace ${namespace}? [y/N] `);
      };
      try {
        await deleteRelease(ctx, namespace, name, {
          timeoutMs: timeoutMs(o.timeout as string),
          wait: o.wait !== false,
          dryRun: dryRunMode(o.dryRun),
          deleteVolumes: !!o.deleteVolumes,
          confirm,
        });
      } catch (e) {
        throw userError(e);
      }
    });
}

export function describePlan(p: DeletePlan): string {
  const lines = [`release ${p.release} in namespace ${p.namespace}: ${p.remove.length} object(s) to delete, and ${p.revisions} revision(s) of history:`];
  for (const r of p.remove) lines.push(`  ${displayRef(r, p.namespace)}`);
  if (p.keep.length) {
    lines.push(`${p.keep.length} object(s) kept:`);
    for (const k of p.keep) lines.push(`  ${displayRef(k.ref, p.namespace)} (${k.reason})`);
  }
  return lines.join('\n');
}

/** A y/N question on stderr when stdin is a terminal; undefined otherwise. */
function terminalConfirm(): ((q: string) => Promise<boolean>) | undefined {
  if (!process.stdin.isTTY) return undefined;
  return async (q) => {
    const { createInterface } = await import('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await rl.question(q)).trim());
    } finally {
      rl.close();
    }
  };
}
