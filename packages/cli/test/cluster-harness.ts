// Runs the cluster commands (`opm release ...`) in-process against a test API
// server with injected dependencies (stand-in renderers), capturing output,
// exit code and how long the command took.
import { Command, CommanderError } from 'commander';
import { registerReleaseClusterCommands, type ClusterDeps } from '../src/commands/release-cluster.js';
import { exitCodeFor } from '../src/errors.js';

export interface ClusterRun {
  code: number;
  out: string;
  err: string;
  seconds: number;
}

export function clusterOpm(deps: Partial<ClusterDeps>, home: string): (args: string[], kubeconfig: string) => Promise<ClusterRun> {
  return async (args, kubeconfig) => {
    let out = '';
    let err = '';
    const program = new Command('opm').exitOverride();
    program.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    registerReleaseClusterCommands(program, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env: { HOME: home }, ...deps });
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
    }
    process.exitCode = undefined;
    return { code, out, err, seconds: (Date.now() - t0) / 1000 };
  };
}
