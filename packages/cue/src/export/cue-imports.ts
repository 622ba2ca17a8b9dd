// The imports printed CUE needs. A value prints its builtin validators and
// unevaluated calls by package name (`struct.MaxFields(2)`); written out
// (`opm cue def`, `eval`) without the import, the output was no CUE.
import { builtinPackages } from '../builtins/index.js';
import { checkReferences } from '../eval/references.js';
import { parseFile } from '../parser.js';

/** Builtin packages by the name their functions print with (`json` for encoding/json). */
let byName: Map<string, string> | undefined;

function packagesByName(): Map<string, string> {
  if (byName) return byName;
  byName = new Map();
  for (const path of builtinPackages.keys()) byName.set(path.split('/').pop()!, path);
  return byName;
}

/** `text` with an import for each builtin package it refers to and does not declare; as is when none. */
export function withImports(text: string): string {
  const names = packagesByName();
  // Cheap first: a package name followed by a selector somewhere in the text.
  let maybe = false;
  for (const m of text.matchAll(/\b([a-z][a-z0-9]*)\.[A-Za-z]/g)) {
    if (names.has(m[1]!)) {
      maybe = true;
      break;
    }
  }
  if (!maybe) return text;
  let missing: string[];
  try {
    const errs = checkReferences([parseFile('out.cue', text)]);
    missing = [...new Set(errs.map((e) => /^reference "([^"]+)" not found$/.exec(e.detail)?.[1]).filter((n): n is string => !!n && names.has(n)))];
  } catch {
    return text;
  }
  if (!missing.length) return text;
  const paths = missing.map((n) => names.get(n)!).sort();
  const head = paths.length === 1 ? `import "${paths[0]}"` : `import (\n${paths.map((p) => `\t"${p}"`).join('\n')}\n)`;
  return `${head}\n\n${text}`;
}
