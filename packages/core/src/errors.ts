// Errors of the OPM model. The CLI maps these names to exit code 1
// (validation/policy failure); every message is already fit for the user.

/** A value, structure or reference that the model rejects. `problems` lists each finding. */
export class ValidationError extends Error {
  constructor(
    readonly problems: string[],
    readonly layer?: string,
  ) {
    super(problems.join('\n'));
    this.name = 'ValidationError';
  }
}

/** The release violates platform policy; every violation is listed, not only the first. */
export class PolicyError extends Error {
  constructor(readonly violations: string[], readonly subject: string) {
    super(`${subject}: ${violations.length} policy violation${violations.length === 1 ? '' : 's'}:\n${violations.map((v) => `- ${v}`).join('\n')}`);
    this.name = 'PolicyError';
  }
}

/** A module or version the catalog does not have. */
export class CatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationError';
  }
}

/** Something the model does not support yet (said plainly rather than half-done). */
export class NotSupportedError extends Error {
  constructor(what: string) {
    super(`not supported yet: ${what}`);
    this.name = 'NotSupportedError';
  }
}
