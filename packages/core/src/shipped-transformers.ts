// What the built-in provider's transformers declare for pre-selection (kind,
// requires, when: render.ts), worked out at build time (scripts/shipped-trees.js,
// `npm run build`) into dist/shipped-transformers.json. Read at run time,
// every transformer was evaluated once just to learn them: about 900 of a
// cold one-release build's 8,000 evaluation steps, for 21 transformers of
// which a release uses a few; with them, a transformer is evaluated only
// when it runs.
//
// Used only with the very sources they were worked out from (the core schema,
// whose #Transformer gives `requires` its default, and the provider: same
// file names and texts) and only while the artifact is newer than the
// builds of @opm/cue and @opm/core that evaluate them; otherwise the
// transformers are evaluated as before. Node only (shipped.ts).
import { readFileSync } from 'node:fs';
import { isFreshArtifact } from './build-artifact.js';
import type { Source } from '@opm/cue';
import type { TransformerMeta } from './render.js';

export const SHIPPED_TRANSFORMERS = new URL('./shipped-transformers.json', import.meta.url);
const BUILDS = [new URL('../../cue/dist/.tsbuildinfo', import.meta.url), new URL('./.tsbuildinfo', import.meta.url)];

interface Artifact {
  sources: [filename: string, text: string][];
  transformers: Record<string, TransformerMeta>;
}

/** The artifact's text: the sources (as read) and what each transformer declares. */
export function shippedTransformersText(sources: Source[], transformers: Record<string, TransformerMeta>): string {
  const a: Artifact = { sources: sources.map((s) => [s.filename, s.text]), transformers };
  return `${JSON.stringify(a)}\n`;
}

/**
 * The transformers' declarations when the artifact was made from exactly these
 * sources (core schema and provider, in the order given) and is newer than the
 * builds that evaluate them; undefined otherwise.
 */
export function shippedTransformers(sources: Source[], artifact: URL | string = SHIPPED_TRANSFORMERS, builds: (URL | string)[] = BUILDS): Record<string, TransformerMeta> | undefined {
  if (!isFreshArtifact(artifact, builds)) return undefined;
  let a: Artifact;
  try {
    a = JSON.parse(readFileSync(artifact, 'utf8')) as Artifact;
  } catch {
    return undefined;
  }
  const same = a.sources.length === sources.length && sources.every((s, i) => s.filename === a.sources[i]![0] && s.text === a.sources[i]![1] && !s.experiments && !s.languageVersion);
  return same ? a.transformers : undefined;
}
