import type { Command } from 'commander';

// Placeholder until this group's commands land; registers nothing.
export function registerModPublishCommand(_program: Command): void {}
