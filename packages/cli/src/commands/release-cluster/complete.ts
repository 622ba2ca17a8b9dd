// `opm __complete WORD...` (hidden): the candidates for the last word of a
// command line, for the shell scripts of `opm completion`. Sub-commands and
// flags come from the command tree; arguments are completed from what exists:
// release names from the cluster, module names from the catalog. Files are left
// to the shell (nothing printed). Never fails loudly and never waits long: a
// completion that cannot reach its source prints nothing.
import type { Command } from 'commander';
import { listReleases } from '@opm/kube';
import { connect, type ClusterDeps } from './common.js';

/** How long a completion may take to reach the cluster or a catalog. */
const COMPLETION_TIMEOUT = '3s';

interface Located {
  cmd: Command;
  /** Positional arguments already given to `cmd`. */
  args: string[];
  /** Flag values given on the line (`-n x`, `--namespace=x`). */
  flags: Record<string, string>;
}

function optionOf(cmd: Command, flag: string) {
  for (let c: Command | null = cmd; c; c = c.parent) {
    const o = c.options.find((x) => x.long === flag || x.short === flag);
    if (o) return o;
  }
  return undefined;
}

/** Walks the words before the one being completed down the command tree. */
export function locate(program: Command, words: string[]): Located {
  let cmd = program;
  const args: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('-')) {
      const [flag, inline] = w.split(/=(.*)/s, 2) as [string, string | undefined];
      const o = optionOf(cmd, flag);
      if (o && (o.required || o.optional)) {
        const value = inline ?? words[++i];
        if (value !== undefined && o.long) flags[o.long.slice(2)] = value;
      }
      continue;
    }
    const sub = args.length === 0 ? cmd.commands.find((c) => c.name() === w || c.aliases().includes(w)) : undefined;
    if (sub) cmd = sub;
    else args.push(w);
  }
  return { cmd, args, flags };
}

function visible(cmd: Command): Command[] {
  return cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
}

/** Candidates for `current` after `before`; `deps` reach the cluster for release names. */
export async function completionsFor(program: Command, before: string[], current: string, deps: ClusterDeps): Promise<string[]> {
  const { cmd, args, flags } = locate(program, before);
  let out: string[];
  if (current.startsWith('-')) {
    out = [];
    for (let c: Command | null = cmd; c; c = c.parent) out.push(...c.options.flatMap((o) => [o.long, o.short].filter((x): x is string => !!x)));
  } else if (visible(cmd).length && args.length === 0) {
    out = visible(cmd).flatMap((c) => [c.name(), ...c.aliases()]);
  } else {
    const arg = (cmd as unknown as { registeredArguments: { name(): string }[] }).registeredArguments[args.length]?.name();
    out = await argumentCandidates(arg, flags, deps).catch(() => []);
  }
  return [...new Set(out.filter((c) => c.startsWith(current)))].sort();
}

async function argumentCandidates(arg: string | undefined, flags: Record<string, string>, deps: ClusterDeps): Promise<string[]> {
  if (arg === 'name') {
    const conn = { kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace, timeout: COMPLETION_TIMEOUT };
    const { client, namespace } = connect(conn, deps, { line: () => undefined });
    return (await listReleases(client, namespace)).map((r) => r.name);
  }
  if (arg === 'module') {
    // Imported here: the catalog code brings the CUE evaluator, which no other cluster command loads at start-up.
    const { catalogFor } = await import('../release-build/common.js');
    return (await catalogFor(flags.catalog)).listModules();
  }
  return [];
}

export function registerComplete(program: Command, deps: ClusterDeps): void {
  program
    .command('__complete', { hidden: true })
    .description('print completion candidates for the last word (used by the completion scripts)')
    .argument('[words...]')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (words: string[]) => {
      const all = words ?? [];
      const out = deps.stdout ?? process.stdout;
      const found = await completionsFor(program, all.slice(0, -1), all[all.length - 1] ?? '', deps);
      if (found.length) out.write(`${found.join('\n')}\n`);
    });
}
