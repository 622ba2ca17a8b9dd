// Files `npm run build` derives from opm's own CUE (shipped-trees.ts,
// shipped-transformers.ts) hold what some build of @opm/cue or @opm/core made
// of it. One is used only while it is at least as new as every build that
// reads it (their dist/.tsbuildinfo, which tsc -b rewrites): after a plain
// `tsc -b` a stale artifact is ignored, never trusted. Node only.
import { statSync } from 'node:fs';

function mtime(p: URL | string): number | undefined {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Whether `artifact` exists and no build in `builds` is missing or newer. */
export function isFreshArtifact(artifact: URL | string, builds: (URL | string)[]): boolean {
  const made = mtime(artifact);
  return made !== undefined && builds.every((b) => (mtime(b) ?? Infinity) <= made);
}
