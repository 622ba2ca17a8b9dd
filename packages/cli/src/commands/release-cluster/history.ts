// opm release history NAME — metadata only (no payload is decoded).
import type { Command } from 'commander';
import { releaseHistory } from '@opm/kube';
import { addTimeoutFlag, READ_TIMEOUT, addConnectionFlags, addOutputFlag, connect, Io, table, userError, type ClusterDeps } from './common.js';

export function registerHistory(release: Command, deps: ClusterDeps): void {
  const cmd = release.command('history <name>').description('list the stored revisions of a release');
  addConnectionFlags(cmd);
  addTimeoutFlag(cmd, READ_TIMEOUT);
  addOutputFlag(cmd);
  cmd.action(async (name: string, o: Record<string, unknown>) => {
    const io = new Io(deps);
    const { client, namespace } = connect(o, deps, io.reporter());
    try {
      const revs = await releaseHistory(client, namespace, name);
      io.emit(o.output as string, revs, () =>
        table(
          ['REVISION', 'UPDATED', 'STATUS', 'MODULE', 'VERSION', 'DESCRIPTION'],
          revs.map((r) => [String(r.revision), r.updatedAt, r.status, r.module, r.moduleVersion, r.description]),
        ),
      );
    } catch (e) {
      throw userError(e);
    }
  });
}
