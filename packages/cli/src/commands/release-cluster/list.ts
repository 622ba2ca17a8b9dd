// opm release list [-A] — reads only the labels/annotations of history Secrets.
import type { Command } from 'commander';
import { listReleases } from '@opm/kube';
import { addTimeoutFlag, READ_TIMEOUT, addConnectionFlags, addOutputFlag, age, connect, Io, table, userError, type ClusterDeps } from './common.js';

export function registerList(release: Command, deps: ClusterDeps): void {
  const cmd = release.command('list').alias('ls').description('list releases (latest revision of each)');
  addConnectionFlags(cmd);
  addTimeoutFlag(cmd, READ_TIMEOUT);
  addOutputFlag(cmd);
  cmd.option('-A, --all-namespaces', 'list releases in every namespace').action(async (o: Record<string, unknown>) => {
    const io = new Io(deps);
    const { client, namespace } = connect(o, deps, io.reporter());
    try {
      const rels = await listReleases(client, o.allNamespaces ? undefined : namespace);
      io.emit(o.output as string, rels, () =>
        rels.length === 0
          ? `no releases in ${o.allNamespaces ? 'any namespace' : `namespace ${namespace}`}`
          : table(
              ['NAME', 'NAMESPACE', 'REVISION', 'STATUS', 'MODULE', 'VERSION', 'UPDATED'],
              rels.map((r) => [r.name, r.namespace, String(r.revision), r.status, r.module, r.moduleVersion, age(r.updatedAt)]),
            ),
      );
    } catch (e) {
      throw userError(e);
    }
  });
}
