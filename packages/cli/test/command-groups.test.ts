// Which command groups a command line loads: the cluster groups pull in
// @kubernetes/client-node, the offline ones the CUE evaluator and the core
// schema; a command loads only its own group.
import { describe, expect, it } from 'vitest';
import { commandGroupsFor, groupLoaders, groupsFor } from '../src/commands/index.js';

describe('groupsFor', () => {
  it('names only the group of an offline command, and none for --version', () => {
    expect(groupsFor(['release', 'build', 'x.cue'])).toEqual(['releaseBuild']);
    expect(groupsFor(['release', 'values', 'x.cue'])).toEqual(['releaseBuild']);
    expect(groupsFor(['catalog', 'list'])).toEqual(['catalog']);
    expect(groupsFor(['cue', 'export', '.'])).toEqual(['cue']);
    expect(groupsFor(['mod', 'publish', '.'])).toEqual(['mod', 'modPublish']);
    for (const v of [['--version'], ['-V'], ['version']]) expect(groupsFor(v)).toEqual([]);
  });

  it('names only the cluster group for a cluster command', () => {
    for (const c of ['apply', 'diff', 'status', 'list', 'history', 'rollback', 'scale', 'delete', 'repair']) {
      expect(groupsFor(['release', c, 'x']), c).toEqual(['releaseCluster']);
    }
    expect(groupsFor(['operator', 'run'])).toEqual(['operator']);
    expect(groupsFor(['portal', '--port', '0'])).toEqual(['portal']);
  });

  it('names every group for help, completion, an empty line and an unknown command', () => {
    const all = Object.keys(groupLoaders);
    for (const argv of [['--help'], [], ['release'], ['release', '--help'], ['release', 'lst'], ['completion', 'bash'], ['__complete', 'release', ''], ['nope']]) {
      expect([...groupsFor(argv)].sort(), argv.join(' ')).toEqual([...all].sort());
    }
  });
});

describe('commandGroupsFor', () => {
  it('registers the groups of a command line and no other', async () => {
    const list = await commandGroupsFor(['release', 'list']);
    expect(list).toEqual([await groupLoaders.releaseCluster()]);
    expect(await commandGroupsFor(['release', 'build', 'x.cue'])).toEqual([await groupLoaders.releaseBuild()]);
    expect(await commandGroupsFor(['--help'])).toHaveLength(Object.keys(groupLoaders).length);
  });
});
