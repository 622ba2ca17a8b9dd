// The bundles are read as latin1 by their loaders (bundle-loader.js for the
// CLI's chunks, packages/cue/src/node-bundle.ts for @opm/cue's), which
// decodes like UTF-8 only for ASCII: a build whose output is not ASCII fails.
import { readFileSync } from 'node:fs';

/** Exits with an error naming the file and offset when one of `files` holds a non-ASCII byte. */
export function assertAscii(who, files) {
  for (const f of files) {
    const i = readFileSync(f).findIndex((b) => b > 0x7f);
    if (i >= 0) {
      console.error(`${who}: ${f} holds a non-ASCII byte at offset ${i}; its loader reads it as latin1`);
      process.exit(1);
    }
  }
}
