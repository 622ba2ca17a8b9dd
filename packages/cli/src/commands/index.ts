import type { Command } from 'commander';
import { registerCueCommands } from './cue.js';
import { registerReleaseBuildCommands } from './release-build.js';
import { registerCatalogCommands } from './catalog.js';
import { registerModCommands } from './mod.js';
import { registerModPublishCommand } from './mod-publish.js';

type Register = (program: Command) => void;

/** The offline command groups, in help order. Each file owns one group or sub-group. */
export const offlineGroups: Register[] = [
  registerReleaseBuildCommands,
  registerCatalogCommands,
  registerModCommands,
  registerModPublishCommand,
  registerCueCommands,
];

/**
 * The groups a command line needs. The cluster commands load
 * @kubernetes/client-node, which costs most of a second at start-up, so they
 * are loaded only when the line may name one of them (help loads everything).
 */
export async function commandGroupsFor(argv: string[]): Promise<Register[]> {
  const [first, second] = argv;
  const offline =
    (first !== undefined && ['cue', 'catalog', 'mod', 'version', '--version', '-v', '-V'].includes(first)) ||
    (first === 'release' && second !== undefined && ['build', 'vet', 'values'].includes(second));
  if (offline) return offlineGroups;
  const { registerReleaseClusterCommands } = await import('./release-cluster.js');
  const { registerOperatorCommands } = await import('./operator.js');
  const { registerPortalCommand } = await import('./portal.js');
  return [offlineGroups[0]!, registerReleaseClusterCommands, ...offlineGroups.slice(1), registerOperatorCommands, registerPortalCommand];
}

/** Returns the named sub-command of `program`, creating it once: several files add to `release` and `mod`. */
export function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}
