import type { Command } from 'commander';
import { registerCueCommands } from './cue.js';
import { registerReleaseBuildCommands } from './release-build.js';
import { registerReleaseClusterCommands } from './release-cluster.js';
import { registerCatalogCommands } from './catalog.js';
import { registerModCommands } from './mod.js';
import { registerModPublishCommand } from './mod-publish.js';

/** Every command group, in help order. Each file owns one group or sub-group. */
export const commandGroups: ((program: Command) => void)[] = [
  registerReleaseBuildCommands,
  registerReleaseClusterCommands,
  registerCatalogCommands,
  registerModCommands,
  registerModPublishCommand,
  registerCueCommands,
];

/** Returns the named sub-command of `program`, creating it once: several files add to `release` and `mod`. */
export function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}
