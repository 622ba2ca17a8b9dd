// Runs the cluster commands (`opm release ...`) in-process against a test API
// server, with injected dependencies (stand-in renderers) where a test wants
// them, capturing output, exit code and how long the command took. Every CLI
// cluster test goes through here so that they all see the same top level:
// commander's usage errors exit 2, other errors print `opm: …` and exit with
// errors.ts's code.
import { Readable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { registerReleaseClusterCommands, type ClusterDeps } from '../src/commands/release-cluster.js';
import { exitCodeFor } from '../src/errors.js';

export interface ClusterRun {
  code: number;
  out: string;
  err: string;
  seconds: number;
}

export interface RunOptions {
  /** Fed to process.stdin while the command runs (for `-f -` and the like). */
  stdin?: string;
  /** Whether stdout claims to be a terminal. */
  tty?: boolean;
}

export function clusterOpm(deps: Partial<ClusterDeps> = {}, home?: string): (args: string[], kubeconfig: string, opts?: RunOptions) => Promise<ClusterRun> {
  return async (args, kubeconfig, opts = {}) => {
    let out = '';
    let err = '';
    const program = new Command('opm').exitOverride();
    program.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    registerReleaseClusterCommands(program, {
      stdout: { write: (s: string) => (out += s), isTTY: opts.tty ?? false },
      stderr: { write: (s: string) => (err += s), isTTY: false },
      env: home === undefined ? {} : { HOME: home },
      ...deps,
    });
    const realStdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
    if (opts.stdin !== undefined) Object.defineProperty(process, 'stdin', { value: Readable.from([Buffer.from(opts.stdin)]), configurable: true });
    process.exitCode = undefined;
    const t0 = Date.now();
    let code: number;
    try {
      await program.parseAsync([...args, '--kubeconfig', kubeconfig], { from: 'user' });
      code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    } catch (e) {
      if (e instanceof CommanderError) code = e.exitCode === 0 ? 0 : 2;
      else {
        err += `opm: ${(e as Error).message}\n`;
        code = exitCodeFor(e);
      }
    } finally {
      Object.defineProperty(process, 'stdin', realStdin);
      process.exitCode = undefined;
    }
    return { code, out, err, seconds: (Date.now() - t0) / 1000 };
  };
}
