// Entry point of the `opm` command. Each command group registers itself from
// its own file under commands/, so groups can grow without touching this one.
import { Command, CommanderError } from 'commander';
import { commandGroupsFor } from './commands/index.js';
import { EXIT_CODES_HELP, exitCodeFor, reportError } from './errors.js';

export async function buildProgram(argv: string[] = []): Promise<Command> {
  const program = new Command('opm')
    .description('Open Platform Model: modules, catalogs and releases on Kubernetes')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride()
    // Program options are matched only before the sub-command: `--version` is
    // also a flag of `mod publish`, and must not print opm's version there.
    .enablePositionalOptions()
    .addHelpText('after', `\n${EXIT_CODES_HELP}`);
  for (const register of await commandGroupsFor(argv)) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
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
