import type { Command } from 'commander';

export type Register = (program: Command) => void;

/**
 * Every command group, in help order, each imported only when a command line
 * needs it: the offline groups load the CUE evaluator and the core schema,
 * the cluster ones @kubernetes/client-node, and each costs start-up time a
 * command of the other kind does not need. (In the bundle each import is
 * its own chunk; see scripts/bundle-cli.js.)
 */
export const groupLoaders = {
  releaseBuild: async () => (await import('./release-build.js')).registerReleaseBuildCommands,
  releaseCluster: async () => (await import('./release-cluster.js')).registerReleaseClusterCommands as Register,
  catalog: async () => (await import('./catalog.js')).registerCatalogCommands,
  mod: async () => (await import('./mod.js')).registerModCommands,
  modPublish: async () => (await import('./mod-publish.js')).registerModPublishCommand,
  cue: async () => (await import('./cue.js')).registerCueCommands,
  operator: async () => (await import('./operator.js')).registerOperatorCommands,
  portal: async () => (await import('./portal.js')).registerPortalCommand,
  cache: async () => (await import('./cache.js')).registerCacheCommands,
} satisfies Record<string, () => Promise<Register>>;

export type GroupName = keyof typeof groupLoaders;

const ALL: GroupName[] = ['releaseBuild', 'releaseCluster', 'catalog', 'mod', 'modPublish', 'cue', 'operator', 'portal', 'cache'];
const RELEASE_OFFLINE = ['build', 'vet', 'values'];
const RELEASE_CLUSTER = ['apply', 'diff', 'status', 'list', 'history', 'rollback', 'scale', 'delete', 'repair'];

/**
 * The groups a command line needs: those of the command it names, or all of
 * them when it names none or one not known here (help, completion, a typo:
 * commander then sees the whole tree and reports or suggests as usual).
 */
export function groupsFor(argv: string[]): GroupName[] {
  const [first, second] = argv;
  if (first === undefined) return ALL;
  if (['version', '--version', '-v', '-V'].includes(first)) return [];
  if (first === 'release' && second !== undefined) {
    if (RELEASE_OFFLINE.includes(second)) return ['releaseBuild'];
    if (RELEASE_CLUSTER.includes(second)) return ['releaseCluster'];
    return ALL;
  }
  const only: Partial<Record<string, GroupName[]>> = { catalog: ['catalog'], mod: ['mod', 'modPublish'], cue: ['cue'], operator: ['operator'], portal: ['portal'], cache: ['cache'] };
  return only[first] ?? ALL;
}

/** The register functions of the groups `argv` needs (see groupsFor), in help order. */
export async function commandGroupsFor(argv: string[]): Promise<Register[]> {
  return Promise.all(groupsFor(argv).map((g) => groupLoaders[g]()));
}

/** Returns the named sub-command of `program`, creating it once: several files add to `release` and `mod`. */
export function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}
