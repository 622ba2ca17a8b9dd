// opm release repair NAME — remove or rebuild revisions whose stored payload is corrupt (kube repair.ts).
import type { Command } from 'commander';
import { repairRelease } from '@opm/kube';
import { addConnectionFlags, addOutputFlag, connect, Io, userError, type ClusterDeps } from './common.js';

export function registerRepair(release: Command, deps: ClusterDeps): void {
  const cmd = release
    .command('repair <name>')
    .description('fix corrupt history: remove corrupt revisions no longer needed, rebuild needed ones from the labelled live objects');
  addConnectionFlags(cmd);
  addOutputFlag(cmd);
  cmd.action(async (name: string, o: Record<string, unknown>) => {
    const io = new Io(deps);
    const machine = o.output !== 'table';
    const { ctx, namespace } = connect(o, deps, io.reporter(machine));
    try {
      const done = await repairRelease(ctx, namespace, name);
      if (machine) io.emit(o.output as string, done, () => '');
    } catch (e) {
      throw userError(e);
    }
  });
}
