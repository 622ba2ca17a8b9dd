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
    message: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(message, 'DIGEST_MISMATCH');
    this.name = 'DigestMismatchError';
  }
}
