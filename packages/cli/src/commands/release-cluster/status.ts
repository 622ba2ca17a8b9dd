// opm release status NAME [--revision N] [--drift]
import type { Command } from 'commander';
import { displayRef, releaseStatus } from '@opm/kube';
import { UsageError } from '../../errors.js';
import { addTimeoutFlag, READ_TIMEOUT, addConnectionFlags, addOutputFlag, age, connect, Io, table, userError, type ClusterDeps } from './common.js';

export function registerStatus(release: Command, deps: ClusterDeps): void {
  const cmd = release.command('status <name>').description('show a release: revision, module version, values digest and the health of each object');
  addConnectionFlags(cmd);
  addTimeoutFlag(cmd, READ_TIMEOUT);
  addOutputFlag(cmd);
  cmd
    .option('--revision <n>', 'show a given revision instead of the latest')
    .option('--drift', 'report objects changed outside opm')
    .action(async (name: string, o: Record<string, unknown>) => {
      const io = new Io(deps);
      const { client, namespace } = connect(o, deps, io.reporter());
      let revision: number | undefined;
      if (o.revision !== undefined) {
        revision = Number(o.revision);
        if (!Number.isInteger(revision)) throw new UsageError(`--revision must be a number (got ${String(o.revision)})`);
      }
      try {
        const st = await releaseStatus(client, namespace, name, { revision, drift: !!o.drift });
        const drifted = st.objects.filter((x) => x.drift && x.drift.length > 0);
        io.emit(
          o.output as string,
          { ...st, objects: st.objects.map((x) => ({ ...x, object: displayRef(x.ref, namespace) })) },
          () => {
            const paint = (h: string) => io.paint(h, h === 'Ready' ? 32 : h === 'InProgress' ? 33 : 31);
            const head = [
              `NAME: ${st.name}`,
              `NAMESPACE: ${st.namespace}`,
              `REVISION: ${st.revision} (${st.status}, ${age(st.updatedAt)} ago)${st.note ? `\nNOTE: ${st.note}` : ''}`,
              `DESCRIPTION: ${st.description}`,
              `MODULE: ${st.module.name}@${st.module.version}${st.module.digest ? ` (${st.module.digest})` : ''}`,
              `VALUES DIGEST: ${st.valuesDigest}`,
              `HEALTH: ${paint(st.health)}`,
              '',
            ];
            const rows = st.objects.map((x) => [displayRef(x.ref, namespace), paint(x.health), x.reason]);
            const causes = st.objects.flatMap((x) => (x.causes ?? []).map((c) => `  ${displayRef(x.ref, namespace)}: ${c}`));
            const out = head.join('\n') + table(['OBJECT', 'HEALTH', 'REASON'], rows) + (causes.length ? `\n\nNOT READY, as the cluster says:\n${causes.join('\n')}` : '');
            if (!o.drift) return out;
            const d = drifted.length
              ? drifted.map((x) => `${displayRef(x.ref, namespace)}:\n${x.drift!.map((l) => `  ${l}`).join('\n')}`).join('\n')
              : 'no drift: live objects match the stored manifest';
            return `${out}\n\nDRIFT:\n${d}`;
          },
        );
        // Like `kubectl wait`-ish scripts expect: non-zero when drift was asked for and found.
        if (o.drift && drifted.length > 0) process.exitCode = 1;
      } catch (e) {
        throw userError(e);
      }
    });
}
