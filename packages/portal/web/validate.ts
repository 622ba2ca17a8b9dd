// Live validation in the browser with @opm/core's browser entry: the module
// version's catalog snapshot (from the API, once) is evaluated by the same
// engine and the same code as `opm release vet`, so the messages are the
// CLI's (layer, path, given value, constraint with file and line). Runs
// locally: no request to the server.
//
// Two stages, as `opm release vet` runs them: `values` (layers, locks,
// environment immutables, the cascade) on every change, and `policy`, which
// renders the release in the browser and applies the platform's object policy
// (ceilings, registries, Pod Security, secret leaks). A render costs several
// times the values stage, so the form runs it once the values pass and the
// user pauses (release-form.tsx).
import { parseCatalogSnapshot, snapshotSession, validateValues, type ValidateValuesOptions } from '@opm/core/browser';

export interface Problem {
  /** Dotted path in the values (`image.tag`); '' when the message is about no one value. */
  path: string;
  message: string;
}

export interface ReleaseDraft {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  values: Record<string, unknown>;
  secrets: Record<string, string>;
}

export interface Validator {
  /** The values stage: what changes as a user types. */
  values(draft: ReleaseDraft): Promise<Problem[]>;
  /** Everything `opm release vet` checks, object policy included (renders the release). */
  policy(draft: ReleaseDraft): Promise<Problem[]>;
}

export function validatorFor(snapshot: unknown, module: { name: string; version: string }): Validator {
  const session = snapshotSession(parseCatalogSnapshot(snapshot));
  const check = async (d: ReleaseDraft, render: boolean) => {
    const opts: ValidateValuesOptions = { render, ...(Object.keys(d.secrets).length ? { secrets: d.secrets } : {}) };
    const result = await validateValues(
      session,
      // A draft without a name yet is checked under a placeholder: the values do not depend on it.
      { name: d.name || 'release', namespace: d.namespace, module, userValues: d.values, labels: d.labels, annotations: d.annotations },
      opts,
    );
    return result.issues.map((i) => ({ path: i.path?.join('.') ?? '', message: i.message }));
  };
  return { values: (d) => check(d, false), policy: (d) => check(d, true) };
}
