// `opm operator run|manifests`: the platform-side controller and webhook
// (packages/operator), and the manifests that install it.
import type { Command } from 'commander';
import { registerOperatorManifests } from './operator/manifests.js';
import { registerOperatorRun } from './operator/run.js';

export function registerOperatorCommands(program: Command): void {
  const op = program.command('operator').description('the opm operator: ModuleRelease controller and admission webhook (platform teams)');
  registerOperatorRun(op);
  registerOperatorManifests(op);
}
