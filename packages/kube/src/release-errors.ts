// Failures that are the user's to fix, as opposed to the cluster's or opm's:
// the CLI reports them with exit code 1 (validation, policy, conflict,
// not-ready, nothing to roll back); connection and internal errors exit 3.

/** The release cannot be changed as asked (unknown revision, a scale with no effect, a missing namespace, ...). */
export class ReleaseRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseRequestError';
  }
}

/** A rollback found no earlier good revision. */
export class NothingToRollBackError extends ReleaseRequestError {
  constructor(release: string) {
    super(`release ${release} has no earlier good revision to roll back to`);
    this.name = 'NothingToRollBackError';
  }
}
