// `npm run conformance -- [DIR] [--json FILE] [-v] [--timeout SEC] [--jobs N] [--filter TEXT] [--by-dir]`
// Prints one line per archive and a last line
// `conformance: N passed, M failed, K unsupported`. Exit code 0 even with
// failures (it is a report); 2 when DIR is missing or the runner itself fails.
import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { directoryLines, failureDetails, fileLine, jsonReport, summaryLine } from './report.js';
import { runCorpus, type RunOptions } from './runner.js';

const USAGE = 'usage: conformance [DIR] [--json FILE] [-v] [--timeout SECONDS] [--jobs N] [--filter TEXT] [--by-dir]';

export interface MainIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The repository root, from this script's location (packages/cue/{dist,src}/conformance/main.js). */
function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
}

const stdio: MainIO = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

/** `extra` lets tests run in-process (vitest cannot start the compiled worker). */
export async function main(argv: string[], io: MainIO = stdio, extra: Pick<RunOptions, 'inProcess' | 'engineModule'> = {}): Promise<number> {
  let dir: string | undefined;
  let json: string | undefined;
  let verbose = false;
  let byDir = false;
  let timeoutMs = 20_000;
  let jobs = 1;
  let filter: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--json') json = value();
      else if (a === '-v' || a === '--verbose') verbose = true;
      else if (a === '--by-dir') byDir = true;
      else if (a === '--timeout') timeoutMs = Number(value()) * 1000;
      else if (a === '--jobs' || a === '-j') jobs = Number(value());
      else if (a === '--filter') filter = value();
      else if (a === '-h' || a === '--help') {
        io.out(USAGE);
        return 0;
      } else if (a.startsWith('-')) throw new UsageError(`unknown flag ${a}`);
      else if (dir === undefined) dir = a;
      else throw new UsageError(`unexpected argument ${a}`);
      if (!(timeoutMs > 0) || !(jobs >= 1)) throw new UsageError('--timeout and --jobs must be positive numbers');
    } catch (err) {
      if (err instanceof UsageError) {
        io.err(`conformance: ${err.message}\n${USAGE}`);
        return 2;
      }
      throw err;
    }
  }
  const corpus = dir !== undefined ? resolve(dir) : resolve(repoRoot(), '../shared/cue-conformance');
  if (!existsSync(corpus) || !statSync(corpus).isDirectory()) {
    io.err(`conformance: corpus directory not found: ${corpus}`);
    return 2;
  }
  try {
    const results = await runCorpus(corpus, {
      ...extra,
      timeoutMs,
      jobs,
      ...(filter !== undefined ? { filter } : {}),
      onFile: (r) => {
        io.out(fileLine(r, verbose));
        if (verbose) failureDetails(r).forEach((l) => io.out(l));
      },
    });
    if (json) await writeFile(json, `${JSON.stringify(jsonReport(corpus, results), null, 2)}\n`);
    if (byDir || verbose) directoryLines(results).forEach((l) => io.out(l));
    io.out(summaryLine(results));
    return 0;
  } catch (err) {
    io.err(`conformance: runner failed: ${(err as Error).message}`);
    return 2;
  }
}

class UsageError extends Error {}

// Run when executed directly (not when imported by tests).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`conformance: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
