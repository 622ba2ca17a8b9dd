import type { Command } from 'commander';

// Placeholder until this group's commands land; registers nothing.
export function registerReleaseBuildCommands(_program: Command): void {}
