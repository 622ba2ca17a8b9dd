// Under mass creation a release whose rollout finished reports Ready as soon as a worker is free: the end of
// its rollout is queued ahead of the releases still waiting to be applied, not behind all of them.
import { describe, expect, it } from 'vitest';
import { eventually, startOperator, webAppRelease, type Env, useEnv } from './helpers.js';

describe('operator under mass creation', () => {
  let env!: Env;
  useEnv((e) => (env = e), 'development');

  it('reports the first release Ready before the last queued one is applied', async () => {
    const N = 24;
    // All created before the operator starts: its first list queues every one at once.
    for (let i = 0; i < N; i++) await env.client.create(webAppRelease(`web-${i}`, 'development') as never);
    const actions: string[] = [];
    const op = startOperator(env, { workers: 1, onReconciled: (key, r) => actions.push(`${key.split('/')[1]} ${r.action}`) });
    await op.start();
    await eventually(async () => actions.filter((a) => a.endsWith(' ready')).length === N, 120_000, `${N} releases ready`);
    const applied = actions.filter((a) => a.endsWith(' applied')).map((a) => a.split(' ')[0]);
    expect(applied).toHaveLength(N);
    const firstReady = actions.findIndex((a) => a.endsWith(' ready'));
    const lastApplied = actions.lastIndexOf(`${applied[N - 1]} applied`);
    expect(firstReady, actions.join(', ')).toBeLessThan(lastApplied);
  }, 150_000);
});
