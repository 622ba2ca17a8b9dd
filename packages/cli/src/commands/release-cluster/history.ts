// opm release history NAME — metadata only (no payload is decoded);
// with --verify every revision's payload is read back and checked.
import type { Command } from 'commander';
import { releaseHistory, verifyHistory } from '@opm/kube';
import { UserFacingError } from '../../errors.js';
import { addTimeoutFlag, READ_TIMEOUT, addConnectionFlags, addOutputFlag, connect, Io, table, userError, type ClusterDeps } from './common.js';

/** `sha256:0123456789ab (examples/catalog/platform.cue)`: which rules a revision was checked against; `-` before opm recorded them. */
function platformRules(p: { digest: string; source: string } | undefined): string {
  if (!p) return '-';
  const digest = p.digest.startsWith('sha256:') ? p.digest.slice(0, 19) : p.digest;
  return p.source && p.digest !== 'none' ? `${digest} (${p.source})` : p.source || digest;
}

export function registerHistory(release: Command, deps: ClusterDeps): void {
  const cmd = release.command('history <name>').description('list the stored revisions of a release');
  addConnectionFlags(cmd);
  addTimeoutFlag(cmd, READ_TIMEOUT);
  addOutputFlag(cmd);
  cmd.option('--verify', 'read every revision back and report the corrupt ones (exit 1 if any; opm release repair fixes them)');
  cmd.action(async (name: string, o: Record<string, unknown>) => {
    const io = new Io(deps);
    const { client, namespace } = connect(o, deps, io.reporter());
    try {
      const revs = await releaseHistory(client, namespace, name);
      if (!o.verify) {
        io.emit(o.output as string, revs, () =>
          table(
            ['REVISION', 'UPDATED', 'STATUS', 'MODULE', 'VERSION', 'PLATFORM RULES', 'DESCRIPTION'],
            revs.map((r) => [String(r.revision), r.updatedAt, r.status, r.module, r.moduleVersion, platformRules(r.platform), r.description]),
          ),
        );
        return;
      }
      const checks = new Map((await verifyHistory(client, namespace, name)).map((c) => [c.revision, c]));
      const rows = revs.map((r) => ({ ...r, intact: checks.get(r.revision)?.ok ?? false, problem: checks.get(r.revision)?.problem }));
      io.emit(o.output as string, rows, () =>
        table(
          ['REVISION', 'STATUS', 'INTEGRITY', 'DESCRIPTION'],
          rows.map((r) => [String(r.revision), r.status, r.intact ? 'ok' : `CORRUPT: ${r.problem ?? ''}`, r.description]),
        ),
      );
      const bad = rows.filter((r) => !r.intact);
      if (bad.length) {
        throw new UserFacingError(
          `release ${name}: ${bad.length} corrupt revision(s): ${bad.map((r) => r.revision).join(', ')}; run opm release repair ${name} -n ${namespace} to fix them`,
        );
      }
    } catch (e) {
      throw userError(e);
    }
  });
}
