// Rendering values for `opm cue export` / `eval`, and turning engine errors
// into one CueErrorList so the CLI prints every `file:line:col`.
import { CueErrorList, type CueError, type Value } from '@opm/cue';
import { UsageError } from '../../errors.js';
import { escapeC1 } from '../../terminal.js';

export type OutFormat = 'json' | 'yaml' | 'cue' | 'text';

export function parseOut(out: string | undefined): OutFormat {
  const f = (out ?? 'json').toLowerCase();
  if (f === 'json' || f === 'yaml' || f === 'cue' || f === 'text') return f;
  throw new UsageError(`--out: unknown format ${JSON.stringify(out)} (json, yaml, cue, text)`);
}

/**
 * Throws the value's errors (all of them) if any, so that the command exits 1
 * as `cue` does. `definitions`: the output shows definitions (eval, def, vet),
 * so an error in one (`#D: {a: 1} & {a: 2}`) is an error of the result.
 */
export function check(v: Value, concrete: boolean, opts: { prefix?: string; definitions?: boolean } = {}): void {
  const errs = v.validate({ concrete, all: true, definitions: opts.definitions === true });
  if (errs.length) throw withPrefix(errs, opts.prefix);
}

export function withPrefix(errs: CueError[], prefix?: string): CueErrorList {
  const list = new CueErrorList(errs);
  if (prefix) list.message = `${prefix}:\n${list.message}`;
  return list;
}

export function render(v: Value, format: OutFormat): string {
  switch (format) {
    // C1 controls escaped as the C0 ones are (see terminal.ts).
    case 'json':
      return ensureNewline(escapeC1(v.toJSON(4)));
    case 'yaml':
      return ensureNewline(escapeC1(v.toYAML()));
    case 'cue':
      return ensureNewline(v.toCUE({ definitions: false, optional: false, hidden: false, imports: true }));
    case 'text':
      // Like `cue export --out text`: a string is printed as is.
      if (v.kind() !== 'string') throw new UsageError('--out text needs a string value');
      return ensureNewline(v.string());
  }
}

function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}
