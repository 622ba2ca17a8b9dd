// How failures reach the user: one message on stderr and the documented exit
// code (EXIT_CODES_HELP, shown by `opm --help`).
import { writeErr } from './stdio.js';
import { safeText } from './terminal.js';

/** The exit codes, as `opm --help` and the CLI README document them. */
export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  the input or the cluster state is the user's to fix: validation (including a 422 from the
     API server), policy, a field conflict, objects not ready in time, nothing to roll back,
     the release locked by another command; \`release diff\`: changes or conflicts found;
     \`release status --drift\`: drift found
  2  usage error (unknown command or flag, bad flag value)
  3  connection or internal error: the cluster or a registry unreachable or not answering
     within --timeout, a server error (5xx), anything unexpected`;
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An error whose message is already fit for the user (validation, policy, ...), exit code 1 unless given. */
export class UserFacingError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'UserFacingError';
  }
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) return 2;
  if (err instanceof UserFacingError) return err.exitCode;
  const name = (err as { name?: string } | undefined)?.name;
  // Errors of the CUE engine and of the OPM model are validation failures.
  if (name === 'CueError' || name === 'CueErrorList' || name === 'ValidationError' || name === 'PolicyError' || name === 'DigestMismatchError') return 1;
  return 3;
}

export function reportError(err: unknown): void {
  const msg = err instanceof Error ? err.message : String(err);
  writeErr(`opm: ${safeText(msg).replace(/\n/g, '\n  ')}\n`);
  if (process.env.OPM_DEBUG && err instanceof Error && err.stack) writeErr(`${safeText(err.stack)}\n`);
}
