// The cluster side of `opm release`: apply, diff, status, list, history,
// rollback, scale, delete, repair. (`release build/vet/values` live in release-build.ts.)
import type { Command } from 'commander';
import { group } from './index.js';
import { registerApply } from './release-cluster/apply.js';
import { registerDiff } from './release-cluster/diff.js';
import { registerStatus } from './release-cluster/status.js';
import { registerList } from './release-cluster/list.js';
import { registerHistory } from './release-cluster/history.js';
import { registerRollback } from './release-cluster/rollback.js';
import { registerScale } from './release-cluster/scale.js';
import { registerDelete } from './release-cluster/delete.js';
import { registerRepair } from './release-cluster/repair.js';
import { registerCompletion } from './release-cluster/completion.js';
import { registerComplete } from './release-cluster/complete.js';
import type { ClusterDeps } from './release-cluster/common.js';

export type { ClusterDeps } from './release-cluster/common.js';

export function registerReleaseClusterCommands(program: Command, deps: ClusterDeps = {}): void {
  const release = group(program, 'release', 'render, apply and manage module releases');
  registerApply(release, deps);
  registerDiff(release, deps);
  registerStatus(release, deps);
  registerList(release, deps);
  registerHistory(release, deps);
  registerRollback(release, deps);
  registerScale(release, deps);
  registerDelete(release, deps);
  registerRepair(release, deps);
  // Shell completion covers the whole program; it walks the tree when run, so order does not matter.
  registerCompletion(program, deps);
  registerComplete(program, deps);
}
