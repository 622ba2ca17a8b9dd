// Errors raised by @opm/oci. Messages are written for the end user: they name
// the registry, repository and reference involved, never a password or token.

export type OciErrorCode =
  | 'ERROR'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'UNSUPPORTED'
  | 'EXISTS'
  | 'DIGEST_MISMATCH'
  | 'NETWORK'
  | 'INVALID';

export class OciError extends Error {
  constructor(message: string, readonly code: OciErrorCode = 'ERROR', readonly status?: number) {
    super(message);
    this.name = 'OciError';
  }
}

/**
 * A tag now points to another artifact than the one pinned (in a release
 * record, say). The CLI maps it to a validation failure; the user re-pins
 * deliberately if the change is wanted.
 */
export class DigestMismatchError extends OciError {
  constructor(
    /** What changed, without advice: callers that advise otherwise (rollback) build on this. */
    readonly finding: string,
    readonly expected: string,
    readonly actual: string,
    advice = 'Refusing to use a changed artifact; re-pin the release to the new digest if the change is intended.',
  ) {
    super(`${finding} ${advice}`, 'DIGEST_MISMATCH');
    this.name = 'DigestMismatchError';
  }
}
