// opm release diff FILE — exit codes: 0 no change, 1 changes, >1 error
// (like `diff -u` and `kubectl diff`; errors exit 3 so scripts can tell them apart).
import type { Command } from 'commander';
import { colorDiff, diffRelease, modulePinProblem } from '@opm/kube';
import { UserFacingError } from '../../errors.js';
import { addTimeoutFlag, READ_TIMEOUT, addConnectionFlags, addRenderFlags, connect, Io, loadRenderer, renderRelease, userError, type ClusterDeps } from './common.js';
import { safeText } from '../../terminal.js';

export function registerDiff(release: Command, deps: ClusterDeps): void {
  const cmd = release
    .command('diff <file>')
    .description('show a unified diff of live objects vs. the rendered release (exit 0: none, 1: changes or conflicts, 3: error)');
  addConnectionFlags(cmd, 'namespace of the release (overrides the one in FILE)');
  addTimeoutFlag(cmd, READ_TIMEOUT);
  addRenderFlags(cmd, true);
  cmd
    .option('--force-conflicts', 'diff as if taking ownership of conflicting fields')
    .option('--adopt', 'diff as if taking over existing objects that carry no labels of this release (as apply --adopt)')
    .action(async (file: string, o: Record<string, unknown>) => {
      const io = new Io(deps);
      try {
        const { client } = connect(o, deps, io.reporter(true));
        const render = await loadRenderer(deps, o);
        const desired = await renderRelease(render, client, file, o.namespace as string | undefined);
        const pin = await modulePinProblem(client, desired.namespace, desired.name, desired.module);
        if (pin) io.err.write(`opm: warning: ${safeText(pin.finding)} \`opm release apply\` refuses it without --repin.\n`);
        const res = await diffRelease(client, desired, { force: !!o.forceConflicts, adopt: !!o.adopt });
        if (res.changed) io.out.write(io.color ? colorDiff(safeText(res.text)) : safeText(res.text));
        // Conflicts: the diff above shows them taken over; apply would refuse them without --force-conflicts.
        if (res.conflicts) io.err.write(`opm: ${safeText(res.conflicts.message).replace(/\n/g, '\n  ')}\n`);
        // Shown above as if adopted; apply takes them over only with --adopt (the same rule, @opm/kube ownership.ts).
        if (res.adoption) io.err.write(`opm: warning: \`opm release apply\` refuses this without --adopt: ${safeText(res.adoption.message).replace(/\n/g, '\n  ')}\n`);
        process.exitCode = res.changed || res.conflicts || res.adoption ? 1 : 0;
      } catch (e) {
        // Exit 1 means "changes" here, so every error is reported with 3.
        const u = userError(e);
        const msg = u instanceof Error ? u.message : String(u);
        throw new UserFacingError(msg, u instanceof UserFacingError && u.exitCode > 1 ? u.exitCode : 3);
      }
    });
}
