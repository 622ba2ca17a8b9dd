// The parse trees of opm's own CUE files (core schema, built-in provider),
// made at build time (scripts/shipped-trees.js, `npm run build`) into
// dist/shipped-trees.jsonl: a cold `opm release build` parsed ~60 KB of CUE
// on every start, in code that had no time to warm up; reading the same
// trees as JSON is native code. Node only (shipped.ts).
//
// A tree is used only for the very file it was made from: same file name and
// same text (compared with what was read from disk), and only while the
// artifact is at least as new as the CUE parser's build (@opm/cue's
// dist/.tsbuildinfo, as bin/opm.js compares the CLI bundle): a tree from an
// older parser or an edited file is never used; the file is parsed instead.
import { readFileSync } from 'node:fs';
import { isFreshArtifact } from './build-artifact.js';
import type { File, Source } from '@opm/cue';

export const SHIPPED_TREES = new URL('./shipped-trees.jsonl', import.meta.url);
// @opm/cue beside @opm/core (packages/ in the repository, node_modules/@opm/ installed).
const PARSER_BUILD = new URL('../../cue/dist/.tsbuildinfo', import.meta.url);

/** Each file's name → its text when the tree was made, and the tree as JSON. */
export type ShippedTrees = Map<string, { text: string; tree: string }>;

// ASCII only, so that the reader may decode it as latin1 (JSON.stringify leaves other characters as they are).
const ascii = (json: string) => json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

// Nodes' end positions are read only by the formatter (@opm/cue format.ts),
// and of these trees, which are built and never formatted from source, only
// whether a struct has one (braces: `a: {b: c}`, not the `a: b: c`
// shorthand) can show, when a value is exported as CUE. The artifact keeps
// ends on structs and lists only: every position is an object of its own
// with the file's name in the JSON, and the 6,600 other ends were 40% of
// what a cold build spent reading the trees.
const KEEPS_END = new Set(['StructLit', 'ListLit']);
function withoutEnds(this: { type?: unknown }, key: string, value: unknown): unknown {
  return key === 'end' && !KEEPS_END.has(this.type as string) ? undefined : value;
}

/** The artifact's text: two lines per file, [filename, text] and then its tree (JSON.stringify writes no raw newline). */
export function shippedTreesText(sources: Source[], parse: (s: Source) => File): string {
  return sources.map((s) => `${ascii(JSON.stringify([s.filename, s.text]))}\n${ascii(JSON.stringify(parse(s), withoutEnds))}\n`).join('');
}

/** The trees of an artifact, or null when there is none or it is older than the parser's build. */
export function readShippedTrees(artifact: URL | string = SHIPPED_TREES, parserBuild: URL | string = PARSER_BUILD): ShippedTrees | null {
  if (!isFreshArtifact(artifact, [parserBuild])) return null;
  // Read as latin1 (the file is ASCII): Node's UTF-8 decoding validates and transcodes, several ms for this file.
  const lines = readFileSync(artifact, 'latin1').split('\n');
  const out: ShippedTrees = new Map();
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const [filename, text] = JSON.parse(lines[i]!) as [string, string];
    out.set(filename, { text, tree: lines[i + 1]! });
  }
  return out;
}

let shipped: ShippedTrees | null | undefined;

/** The sources, each with its build-time tree when one was made from exactly this file. */
export function withShippedTrees(sources: Source[], trees: ShippedTrees | null = (shipped ??= readShippedTrees())): Source[] {
  if (!trees) return sources;
  return sources.map((s) => {
    const made = trees.get(s.filename);
    if (!made || made.text !== s.text || s.experiments || s.languageVersion) return s;
    // A fresh tree for every parse: building a package qualifies its hidden names in place.
    return { ...s, parsed: () => JSON.parse(made.tree) as File };
  });
}
