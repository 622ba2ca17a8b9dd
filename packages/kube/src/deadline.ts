// One deadline per command. `--timeout` bounds the whole command: every HTTP
// request (connection included) is sent with the deadline's AbortSignal, and
// every wait loop stops at it. When it passes in the middle of a deploy, the
// clean-up (marking the revision failed, releasing the Lease) still needs a few
// requests: those run under a short grace deadline of their own, so a hung API
// server costs at most --timeout plus the grace, never --timeout per call.
import { formatDuration } from './duration.js';

/** How long the clean-up after a missed deadline may take (marking the revision failed, the Lease). */
export const CLEANUP_GRACE_MS = 5_000;

export class Deadline {
  readonly at: number;
  readonly signal: AbortSignal;

  constructor(
    readonly ms: number,
    /** What set it, for messages: `--timeout 5s`. */
    readonly what = `--timeout ${formatDuration(ms)}`,
  ) {
    this.at = Date.now() + ms;
    this.signal = AbortSignal.timeout(ms);
  }

  remaining(): number {
    return Math.max(0, this.at - Date.now());
  }

  get expired(): boolean {
    return this.signal.aborted || Date.now() >= this.at;
  }
}
