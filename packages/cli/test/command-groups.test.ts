// Which command groups a command line loads: the cluster group pulls in
// @kubernetes/client-node (most of a second at start-up), so offline lines must not load it.
import { describe, expect, it } from 'vitest';
import { commandGroupsFor, offlineGroups } from '../src/commands/index.js';

describe('commandGroupsFor', () => {
  it('loads only the offline groups for offline commands and --version', async () => {
    for (const argv of [['release', 'build', 'x.cue'], ['catalog', 'list'], ['cue', 'export', '.'], ['--version'], ['-V']]) {
      expect(await commandGroupsFor(argv), argv.join(' ')).toEqual(offlineGroups);
    }
  });

  it('adds the cluster group for cluster commands, help and an empty line', async () => {
    for (const argv of [['release', 'apply', 'x.cue'], ['release', 'list'], ['--help'], []]) {
      const groups = await commandGroupsFor(argv);
      // + the cluster side of `release`, the `operator` group and `portal`
      expect(groups, argv.join(' ')).toHaveLength(offlineGroups.length + 3);
      expect(groups.filter((g) => !offlineGroups.includes(g)), argv.join(' ')).toHaveLength(3);
    }
  });
});
