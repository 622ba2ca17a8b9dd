import type { Pos } from './ast.js';

/**
 * Error kinds, named as CUE names them (the conformance corpus asserts on these):
 * - `eval`: a conflict or failed constraint (permanent).
 * - `incomplete`: a value is not concrete enough yet (may resolve with more data).
 * - `cycle`: a reference cycle that cannot be resolved.
 * - `structural cycle`: a value that would be infinitely deep.
 * - `user`: an explicit `_|_` or error() call.
 * - `syntax`: the source does not parse.
 * - `import`: an import could not be resolved.
 */
export type ErrorCode = 'eval' | 'incomplete' | 'cycle' | 'structural cycle' | 'user' | 'syntax' | 'import';

export function formatPos(p: Pos): string {
  return `${p.file}:${p.line}:${p.col}`;
}

/** One CUE error. `positions` are all source positions that contributed (e.g. both sides of a conflict). */
export class CueError extends Error {
  readonly code: ErrorCode;
  readonly path: string[];
  readonly positions: Pos[];
  /** The message without path and positions. */
  readonly detail: string;

  constructor(code: ErrorCode, detail: string, opts: { path?: string[]; positions?: Pos[] } = {}) {
    const path = opts.path ?? [];
    const positions = opts.positions ?? [];
    const where = positions.length ? `\n${positions.map((p) => `    ${formatPos(p)}`).join('\n')}` : '';
    // A quoted label that reads like a definition or hidden field is marked internally (eval/vertex.ts fieldLabel).
    const shown = path.map((l) => (l.charCodeAt(0) === 2 ? JSON.stringify(l.slice(1)) : l));
    super(`${path.length ? `${shown.join('.')}: ` : ''}${detail}${where}`);
    this.name = 'CueError';
    this.code = code;
    this.path = path;
    this.positions = positions;
    this.detail = detail;
  }
}

/** Several errors reported together (a parse or evaluation reports all it finds, not only the first). */
export class CueErrorList extends Error {
  readonly errors: CueError[];
  constructor(errors: CueError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'CueErrorList';
    this.errors = errors;
  }
}
