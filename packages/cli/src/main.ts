// Entry point of the `opm` command. Each command group registers itself from
// its own file under commands/, so groups can grow without touching this one.
import { Command, CommanderError } from 'commander';
import { commandGroupsFor } from './commands/index.js';
import { EXIT_CODES_HELP, exitCodeFor, reportError } from './errors.js';
import { useDirectOutput, writeErr, writeOut } from './stdio.js';

export const VERSION = '0.1.0';

/** The exit codes `opm --help` documents (errors.ts: one text for the help and the README). */
export const EXIT_CODES = EXIT_CODES_HELP;

export async function buildProgram(argv: string[] = []): Promise<Command> {
  const program = new Command('opm')
    .description('Open Platform Model: modules, catalogs and releases on Kubernetes')
    .version(VERSION, '-v, --version', 'print the version of opm')
    .exitOverride()
    // Help, usage errors and the version through stdio.ts, as all of opm's own output.
    .configureOutput({ writeOut, writeErr })
    // Program options are matched only before the sub-command: `--version` is
    // also a flag of `mod publish`, and must not print opm's version there.
    .enablePositionalOptions();
  program
    .command('version')
    .description('print the version of opm')
    .action(() => {
      writeOut(`${VERSION}\n`);
    });
  for (const register of await commandGroupsFor(argv)) register(program);
  program.addHelpText('after', `\n${EXIT_CODES}`);
  usageHints(program);
  return program;
}

/** A usage error prints the error and one line saying where help is, not the whole help. */
function usageHints(cmd: Command, path: string[] = []): void {
  const here = [...path, cmd.name()];
  cmd.showHelpAfterError(`(run '${here.join(' ')} --help' for usage)`);
  for (const sub of cmd.commands) usageHints(sub, here);
}

/** Conventions commander does not cover: `opm -V`, and `opm help release build` for nested commands. */
export function normalizeArgv(argv: string[]): string[] {
  if (argv[0] === '-V') return ['--version', ...argv.slice(1)];
  if (argv[0] === 'help' && argv.length > 1) return [...argv.slice(1).filter((a) => !a.startsWith('-')), '--help'];
  // `cue`'s boolean flag syntax (-c=false) for `opm cue`'s -c/--concrete.
  if (argv[0] === 'cue') return argv.map((a) => (/^(-c|--concrete)=(true|false)$/.test(a) ? (a.endsWith('=true') ? '--concrete' : '--no-concrete') : a));
  return argv;
}

/** `directOutput`: the process is the `opm` command itself (bin/opm.js); see stdio.ts. */
export async function main(argv0: string[], opts: { directOutput?: boolean } = {}): Promise<number> {
  if (opts.directOutput) useDirectOutput();
  const argv = normalizeArgv(argv0);
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    reportError(err);
    return exitCodeFor(err);
  }
}
