// Live validation in the browser with @opm/core's browser entry: the module
// version's catalog snapshot (from the API, once) is evaluated by the same
// engine and the same code as `opm release vet`, so the messages are the
// CLI's (layer, path, given value, constraint with file and line). Runs
// locally on every change: no request to the server.
import { parseCatalogSnapshot, snapshotSession, validateValues } from '@opm/core/browser';

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

export type Validator = (draft: ReleaseDraft) => Promise<Problem[]>;

export function validatorFor(snapshot: unknown, module: { name: string; version: string }): Validator {
  const session = snapshotSession(parseCatalogSnapshot(snapshot));
  return async (d) => {
    const check = await validateValues(
      session,
      // A draft without a name yet is checked under a placeholder: the values do not depend on it.
      { name: d.name || 'release', namespace: d.namespace, module, userValues: d.values, labels: d.labels, annotations: d.annotations },
      Object.keys(d.secrets).length ? { secrets: d.secrets } : {},
    );
    return check.issues.map((i) => ({ path: i.path?.join('.') ?? '', message: i.message }));
  };
}
