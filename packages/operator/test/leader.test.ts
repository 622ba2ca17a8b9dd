// Two operators against one cluster: one leads and reconciles, the other
// stands by; when the leader stops (SIGTERM path) the standby takes over.
import { describe, expect, it } from 'vitest';
import { eventually, startOperator, waitReady, webAppRelease, type Env, useEnv } from './helpers.js';

describe('leader election', () => {
  let env!: Env;
  useEnv((e) => (env = e), 'development');

  it('lets one of two operators reconcile, and hands over when it stops', async () => {
    const le = { namespace: 'default', leaseDurationMs: 3_000, renewEveryMs: 500, retryEveryMs: 200 };
    const seen: Record<string, string[]> = { a: [], b: [] };
    const a = startOperator(env, { identity: 'op-a', leaderElection: le, onReconciled: (k) => seen.a!.push(k) });
    const b = startOperator(env, { identity: 'op-b', leaderElection: le, onReconciled: (k) => seen.b!.push(k) });
    await a.start();
    await b.start();
    await eventually(async () => a.isLeader || b.isLeader, 10_000, 'a leader');
    await new Promise((r) => setTimeout(r, 1_000)); // several retry periods: the standby must stay standby
    expect([a.isLeader, b.isLeader].filter(Boolean)).toHaveLength(1);
    const [leader, standby, ls, ss] = a.isLeader ? [a, b, 'a', 'b'] : [b, a, 'b', 'a'];
    const lease = (await env.client.get({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', namespace: 'default', name: 'opm-operator' })) as unknown as { spec: { holderIdentity: string } };
    expect(lease.spec.holderIdentity).toBe(`op-${ls}`);

    await env.client.create(webAppRelease('one', 'development') as never);
    await waitReady(env, 'development', 'one');
    expect(seen[ls]).toContain('development/one');
    expect(seen[ss]).toEqual([]);

    await leader.stop();
    await eventually(async () => standby.isLeader, 10_000, 'the standby to lead');
    await env.client.create(webAppRelease('two', 'development') as never);
    await waitReady(env, 'development', 'two');
    expect(seen[ss]).toContain('development/two');
  });
});
