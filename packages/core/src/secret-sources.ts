// Whether a module's values can be secret at all. A value is a secret
// because its field carries the `@secret()` attribute, and attributes come
// only from CUE source: the module's files and the packages they import (the
// core schema, the built-in provider, other catalog modules). A module is
// evaluated in a release's context with plain data only (#context, the
// layers' values), which carries no attribute. So when none of those files
// holds `@secret` outside a comment line, no value of the module is ever a
// secret, and the walks that look for secret fields (values.ts walkSecrets:
// every field of the values schema, optional ones included, evaluated and
// read) can be skipped: for a module without secrets they were 2% of a cold
// one-release build.
//
// The test on the text is conservative: an attribute's name follows `@`
// directly (@opm/cue scanner.ts scanAttribute), so a secret attribute makes
// the text hold `@secret`; an occurrence counts unless its line is a `//`
// comment (a line of a multi-line string that reads like one is string
// content, no attribute either). A file whose header cannot be read counts
// as possibly holding secrets.
import { scanHeader, type Source } from '@opm/cue';
import type { Session } from './session.js';

const MARK = '@secret';

/** Whether the text may attach a `@secret()` attribute (false only when every `@secret` is on a comment line). */
export function textMayMarkSecrets(text: string): boolean {
  for (let i = text.indexOf(MARK); i >= 0; i = text.indexOf(MARK, i + MARK.length)) {
    const lineStart = text.lastIndexOf('\n', i) + 1;
    if (!text.slice(lineStart, i).trimStart().startsWith('//')) return true;
  }
  return false;
}

/** Whether any of these files, or a package they import (transitively, through the session's resolver), may mark a value secret. */
export async function filesMayMarkSecrets(session: Session, files: Source[], seen = new Set<string>()): Promise<boolean> {
  for (const f of files) {
    if (textMayMarkSecrets(f.text)) return true;
    let imports: string[];
    try {
      imports = scanHeader(f.filename, f.text).imports.map((i) => i.path);
    } catch {
      return true;
    }
    for (const p of imports) {
      if (seen.has(p)) continue;
      seen.add(p);
      // Builtin packages (strings, list, ...) have no files and no attributes.
      const pkg = await session.resolver.resolve(p, f.filename);
      if (pkg && (await filesMayMarkSecrets(session, pkg.files, seen))) return true;
    }
  }
  return false;
}
