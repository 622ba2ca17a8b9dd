// `opm cue fmt [--check] FILES|DIR...`: rewrites files in canonical format.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatNode, parseFile } from '@opm/cue';
import { UserFacingError } from '../../errors.js';

export async function fmtCommand(args: string[], opts: { check?: boolean }): Promise<void> {
  const files: string[] = [];
  for (const a of args.length ? args : ['.']) {
    const s = await stat(a).catch(() => undefined);
    if (!s) throw new UserFacingError(`no such file or directory: ${a}`, 2);
    if (s.isDirectory()) {
      for (const e of (await readdir(a, { withFileTypes: true })).sort((x, y) => (x.name < y.name ? -1 : 1))) {
        if (e.isFile() && e.name.endsWith('.cue')) files.push(join(a, e.name));
      }
    } else files.push(a);
  }
  const unformatted: string[] = [];
  for (const f of files) {
    const text = await readFile(f, 'utf8');
    const out = formatNode(parseFile(f, text, { comments: true }), { source: true });
    if (out === text) continue;
    unformatted.push(f);
    if (!opts.check) await writeFile(f, out);
  }
  if (opts.check && unformatted.length) {
    process.stdout.write(unformatted.map((f) => `${f}\n`).join(''));
    throw new UserFacingError(`${unformatted.length} file(s) not formatted`, 1);
  }
}
