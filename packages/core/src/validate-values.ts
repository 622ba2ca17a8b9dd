// Checking a release's values as `opm release vet` does, for callers that
// hold values rather than a file (the portal's form, in a browser or on the
// server): the same pipeline, so the same messages (layer, path, constraint;
// secrets masked). Browser-safe.
import { ValidationError } from './errors.js';
import { maskValues, splitPath, type PlainObject } from './paths.js';
import { releaseInputFromParts, renderReleaseInput, resolveReleaseValues, type ReleaseParts } from './release.js';
import { readReleaseFile, type ReleaseInput } from './release-file.js';
import type { Session } from './session.js';

export interface ValuesIssue {
  /** One line of the error, exactly as `opm release vet -o json` lists it in `errors`. */
  message: string;
  /** The values path the line is about (the first `values.<path>` it names), to show it next to that field. */
  path?: string[];
}

export interface ValuesCheck {
  ok: boolean;
  /** The lines of the error, as `opm release vet -o json` gives them (`errors`). Empty when ok. */
  errors: string[];
  issues: ValuesIssue[];
  warnings: string[];
  /** The final values after the cascade, secrets masked (when ok). */
  finalValues?: PlainObject;
  /** How many objects the release renders (with `render`, when ok). */
  objects?: number;
}

export interface ValidateValuesOptions {
  /**
   * Also render and apply the platform's object policy (ceilings, Pod
   * Security, registries, limits): everything `opm release vet` checks. Without
   * it, only the values stage runs (layers, locks, final values), which is
   * what changes as a user types and costs a fraction of a render.
   */
  render?: boolean;
  /** Secret values supplied beside the values (as `--secret` does). */
  secrets?: Record<string, string>;
  /**
   * Secret values paths (`database.password`) whose value the caller does not
   * hold because it is kept elsewhere (a portal never sends a stored secret
   * back to the browser): the final values' complaint that one is missing is
   * left out. Every other error stays. Rendering needs the value itself, so
   * with `render` a release missing one is ok without `objects`.
   */
  keptSecrets?: string[];
}

const MODEL_ERRORS = new Set(['ValidationError', 'PolicyError', 'CueError', 'CueErrorList', 'NotSupportedError']);

/** Checks a release given by its parts; errors of the model come back as a result, anything else (a broken engine) is thrown. */
export function validateValues(session: Session, release: ReleaseParts, opts: ValidateValuesOptions = {}): Promise<ValuesCheck> {
  return check(session, async () => releaseInputFromParts(release), opts);
}

/**
 * Checks a ModuleRelease file given as text (`file` only names it in
 * messages): `opm release vet FILE` with the same file name gives the same errors.
 */
export function validateRelease(session: Session, release: { file: string; text: string }, opts: ValidateValuesOptions = {}): Promise<ValuesCheck> {
  return check(session, () => readReleaseFile(session, release.file, release.text), opts);
}

async function check(session: Session, read: () => Promise<ReleaseInput>, opts: ValidateValuesOptions): Promise<ValuesCheck> {
  const ropts = opts.secrets ? { secrets: opts.secrets } : {};
  try {
    const input = await read();
    if (opts.render) {
      const r = await renderReleaseInput(session, input, ropts);
      return { ok: true, errors: [], issues: [], warnings: r.warnings, finalValues: maskValues(r.finalValues, r.secretPaths) as PlainObject, objects: r.objects.length };
    }
    const r = await resolveReleaseValues(session, input, ropts);
    return { ok: true, errors: [], issues: [], warnings: r.warnings, finalValues: maskValues(r.finalValues, r.secretPaths) };
  } catch (err) {
    if (!MODEL_ERRORS.has((err as Error)?.name)) throw err;
    const errors = String((err as Error).message).split('\n');
    let issues = errors.map(issueOf);
    if (opts.keptSecrets?.length && err instanceof ValidationError && err.layer === 'final') {
      // Only the final values' errors can be about a value that is simply absent here.
      const kept = new Set(opts.keptSecrets.map((p) => splitPath(p).join('\0')));
      issues = issues.filter((i) => !(i.path && kept.has(i.path.join('\0'))));
      if (!issues.length) return { ok: true, errors: [], issues: [], warnings: [] };
    }
    return { ok: false, errors: issues.map((i) => i.message), issues, warnings: [] };
  }
}

const VALUES_PATH = /(?<![\w.])values((?:\.(?:[A-Za-z_$#][\w$#]*|"(?:[^"\\]|\\.)*"))+)/;

function issueOf(message: string): ValuesIssue {
  const m = VALUES_PATH.exec(message);
  if (!m) return { message };
  return { message, path: splitPath(m[1]!.slice(1)) };
}
