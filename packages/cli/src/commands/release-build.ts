// The offline side of `opm release`: build, vet, values. (apply and the other
// cluster commands live in release-cluster.ts.)
import type { Command } from 'commander';
import { group } from './index.js';
import { registerBuild } from './release-build/build.js';
import { registerValues } from './release-build/values.js';
import { registerVet } from './release-build/vet.js';

export function registerReleaseBuildCommands(program: Command): void {
  const release = group(program, 'release', 'render, apply and manage module releases');
  registerBuild(release);
  registerVet(release);
  registerValues(release);
}
