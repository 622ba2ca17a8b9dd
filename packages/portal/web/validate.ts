// Live validation in the browser: the module's values schema (as CUE, from
// the API) is compiled once by @opm/cue, and every change of the form is
// unified with it, locally — no request to the server. Messages name the
// layer's field path, the value given and the constraint, as the CLI's do.
//
// Interim: @opm/core's browser build (validateValues, with the CLI's exact
// messages and file positions) replaces this adapter once it lands; the form
// only depends on `Validator`.
import { newContext, type Value } from '@opm/cue';

export interface Problem {
  /** Dotted path in the values (`image.tag`); '' for the whole layer. */
  path: string;
  message: string;
}

export type Validator = (values: Record<string, unknown>) => Problem[];

const LITERAL_CONFLICT = /^conflicting values ("(?:[^"\\]|\\.)*"|-?[0-9.]+|true|false|null) and .*$/;

/** A failed `*default | constraint` also lists the clash with the default literal: keep what informs. */
function simplify(detail: string, given: unknown): string {
  const m = /^(?:\d+ errors in )?empty disjunction: (.*)$/s.exec(detail);
  if (!m) return detail;
  const parts = m[1]!.split('; ');
  if (parts.length < 2) return m[1]!;
  const informative = parts.filter((p) => !LITERAL_CONFLICT.test(p));
  if (informative.length) return informative.join('; ');
  return `${JSON.stringify(given)} is not one of ${parts.map((p) => LITERAL_CONFLICT.exec(p)![1]).join(', ')}`;
}

function at(values: unknown, path: string[]): unknown {
  let cur = values;
  for (const p of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

export function validatorFor(schemaCue: string, moduleLabel: string, secretPaths: string[] = []): Validator {
  const ctx = newContext();
  const schema: Value = ctx.compile(schemaCue);
  return (values) => {
    const errs = schema.unify(ctx.encode(values)).validate({ all: true });
    const seen = new Set<string>();
    const out: Problem[] = [];
    for (const e of errs) {
      const path = e.path.join('.');
      const given = at(values, e.path);
      const secret = secretPaths.some((s) => path === s || path.startsWith(`${s}.`));
      const shown = given === undefined ? '' : `${secret ? '"<secret>"' : JSON.stringify(given)}: `;
      const message = `release: values${path ? `.${path}` : ''}: ${shown}${secret ? 'invalid value' : simplify(e.detail, given)} (schema of ${moduleLabel})`;
      if (seen.has(message)) continue;
      seen.add(message);
      out.push({ path, message });
    }
    return out;
  };
}
