// `node packages/cue/dist/conformance/invariance/main.js [DIR...] [--seeds N] [--filter TEXT] [--rewrite NAME] [-v]`
// Evaluates every txtar archive under each DIR (default: ../shared/cue-conformance)
// and every directory of .cue files given as `DIR` (a directory without
// archives is one program), as written and after each meaning-preserving
// rewrite (transforms.ts), and prints each difference: a value that changes
// with declaration order, file split, shorthand or a repeated conjunct is
// wrong on one side. Exit 1 when any differs.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTxtar } from '../txtar.js';
import { archiveProgram, checkProgram, type Program } from './check.js';
import { REWRITES } from './transforms.js';

function walkFiles(dir: string, keep: (p: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walkFiles(p, keep));
    else if (keep(p)) out.push(p);
  }
  return out;
}

/** The programs under `dir`: each archive, or (without archives) the directory's tree as one program per package directory. */
export function programsIn(dir: string): Program[] {
  const archives = walkFiles(dir, (p) => p.endsWith('.txtar'));
  if (archives.length) return archives.map((p) => archiveProgram(relative(dir, p), parseTxtar(readFileSync(p, 'utf8')).files));
  const cue = walkFiles(dir, (p) => p.endsWith('.cue'));
  const files = new Map(cue.map((p) => [`/${relative(dir, p)}`, readFileSync(p, 'utf8')]));
  const dirs = [...new Set([...files.keys()].filter((p) => !p.split('/').includes('cue.mod')).map((p) => dirname(p)))];
  return dirs.map((d) => ({ name: join(relative(process.cwd(), dir), d), files, dir: d }));
}

async function main(argv: string[]): Promise<number> {
  const dirs: string[] = [];
  let seeds = 2;
  let filter: string | undefined;
  let only: string | undefined;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--seeds') seeds = Number(argv[++i]);
    else if (a === '--filter') filter = argv[++i];
    else if (a === '--rewrite') only = argv[++i];
    else if (a === '-v') verbose = true;
    else dirs.push(a);
  }
  if (!dirs.length) dirs.push(resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../../shared/cue-conformance'));
  const rewrites = only ? REWRITES.filter((w) => only!.split(',').includes(w.name)) : REWRITES;
  let programs = 0;
  let differing = 0;
  for (const d of dirs) {
    if (!existsSync(d) || !statSync(d).isDirectory()) {
      process.stderr.write(`invariance: not a directory: ${d}\n`);
      return 2;
    }
    for (const p of programsIn(d)) {
      if (filter && !p.name.includes(filter)) continue;
      programs++;
      const { differences } = await checkProgram(p, { rewrites, seeds: Array.from({ length: seeds }, (_, i) => i + 1) });
      if (differences.length) differing++;
      for (const x of differences) {
        process.stdout.write(`${x.program} ${x.rewrite}#${x.seed}\n  written:   ${x.written}\n  rewritten: ${x.rewritten}\n`);
        if (verbose) for (const [path, text] of x.files) process.stdout.write(`  -- ${path} --\n${text.replace(/^/gm, '    ')}\n`);
      }
    }
  }
  process.stdout.write(`invariance: ${programs} programs, ${differing} with differences\n`);
  return differing ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`invariance: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(2);
    },
  );
}
