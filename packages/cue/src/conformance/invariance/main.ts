// `node packages/cue/dist/conformance/invariance/main.js [DIR...] [--repo] [--seeds N] [--filter TEXT] [--rewrite NAME] [-v]`
// Evaluates every txtar archive under each DIR (default: ../shared/cue-conformance)
// and every directory of .cue files given as `DIR` (a directory without
// archives is one program), as written and after each meaning-preserving
// rewrite (transforms.ts); `--repo` checks opm's own CUE (schema, provider,
// catalog). It prints each difference: a value that changes
// with declaration order, file split or join, shorthand or a repeated conjunct is
// wrong on one side. `reexport` (check.ts) also evaluates the value exported
// as CUE, which must be the same value again (closedness aside: the export
// does not write it for regular fields, so `*close({}) | {[_]: null}` reads
// back as `*{} | ...`). Exit 1 when any differs.
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

/** Directories of opm's CUE (relative to the repository root) that import only core.opm.dev/v1, the schema. */
export const REPO_PACKAGES = [
  'packages/core/providers/kubernetes',
  'examples/catalog',
  'examples/catalog/simple-web-app/1.0.0-platform.1',
  'examples/catalog/ecommerce-platform/2.1.0-enterprise.3',
];

/**
 * A package of opm's CUE as a program: its files in /p, the schema served as
 * core.opm.dev/v1 from the module's cue.mod/pkg (as opm's loader serves it;
 * the rewrites leave cue.mod alone, so the schema is checked on its own).
 */
export function repoProgram(root: string, dir: string): Program {
  const cue = (d: string) => readdirSync(join(root, d)).filter((f) => f.endsWith('.cue'));
  const files = new Map([['/cue.mod/module.cue', 'module: "opm.local/check"\nlanguage: version: "v0.9.0"\n']]);
  for (const f of cue('packages/core/schema')) files.set(`/cue.mod/pkg/core.opm.dev/v1/${f}`, readFileSync(join(root, 'packages/core/schema', f), 'utf8'));
  for (const f of cue(dir)) files.set(`/p/${f}`, readFileSync(join(root, dir, f), 'utf8'));
  return { name: dir, files, dir: '/p' };
}

async function main(argv: string[]): Promise<number> {
  const dirs: string[] = [];
  let seeds = 2;
  let filter: string | undefined;
  let only: string | undefined;
  let verbose = false;
  let repo = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--seeds') seeds = Number(argv[++i]);
    else if (a === '--filter') filter = argv[++i];
    else if (a === '--rewrite') only = argv[++i];
    else if (a === '-v') verbose = true;
    else if (a === '--repo') repo = true;
    else dirs.push(a);
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
  const programs0: Program[] = repo ? [programsIn(join(root, 'packages/core/schema'))[0]!, ...REPO_PACKAGES.map((d) => repoProgram(root, d))] : [];
  if (!dirs.length && !repo) dirs.push(resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../../shared/cue-conformance'));
  const rewrites = only ? REWRITES.filter((w) => only!.split(',').includes(w.name)) : REWRITES;
  let programs = 0;
  let differing = 0;
  const all: Program[] = [...programs0];
  for (const d of dirs) {
    if (!existsSync(d) || !statSync(d).isDirectory()) {
      process.stderr.write(`invariance: not a directory: ${d}\n`);
      return 2;
    }
    all.push(...programsIn(d));
  }
  {
    for (const p of all) {
      if (filter && !p.name.includes(filter)) continue;
      programs++;
      const { differences } = await checkProgram(p, { rewrites, seeds: Array.from({ length: seeds }, (_, i) => i + 1), reexport: !only || only.split(',').includes('reexport') });
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
