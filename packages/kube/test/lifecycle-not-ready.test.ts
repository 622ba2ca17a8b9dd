// A --wait that times out says why each object is not ready, from what the
// cluster reports: the pods' conditions and container states and the Warning
// Events (the test API server's controllers produce them as a real cluster does).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PodProblem } from '@opm/test-apiserver';
import { applyRelease } from '../src/apply-release.js';
import { WaitError } from '../src/wait.js';
import { releaseStatus } from '../src/status.js';
import type { KubeObject } from '../src/types.js';
import { deployment, namespace, release, startEnv, type Env } from './lifecycle-helpers.js';

let env: Env;
beforeAll(async () => {
  env = await startEnv({ controllers: { pods: true } });
});
afterAll(async () => {
  await env?.api.close();
});

const statefulSet = (name: string, replicas: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name },
  spec: {
    replicas,
    serviceName: name,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
  },
});

async function waitFails(ns: string, objects: KubeObject[], problems: [string, string, PodProblem][]): Promise<string> {
  for (const [kind, name, p] of problems) env.api.controllers.podProblem({ kind, namespace: ns, name }, p);
  const err = await applyRelease(env.ctx, release('app', ns, [namespace(ns), ...objects]), { wait: true, timeoutMs: 1500 }).catch((e) => e);
  expect(err).toBeInstanceOf(WaitError);
  return err.message;
}

describe('a --wait timeout reports the cause for each object that is not ready', () => {
  it('unschedulable pods: the scheduler\'s reason', async () => {
    const msg = await waitFails('sched', [deployment('web', 2)], [['Deployment', 'web', 'Unschedulable']]);
    expect(msg).toMatch(/^timed out waiting for: deployment\.apps\/web \(0\/2 replicas available\)\n/);
    expect(msg).toMatch(/\n {2}deployment\.apps\/web: 2 pods \(web-[a-z0-9]+-[a-z0-9]+, web-[a-z0-9]+-[a-z0-9]+\): Unschedulable: 0\/1 nodes are available: 1 Insufficient cpu\./);
    // The FailedScheduling event says the same: not repeated.
    expect(msg).not.toContain('FailedScheduling');
  });

  it('image pull back-off, crash loop and a failing readiness probe, each for its own object', async () => {
    const msg = await waitFails(
      'pods',
      [deployment('pull', 1, 'registry.example/nope:1'), deployment('crash', 1), statefulSet('db', 1)],
      [
        ['Deployment', 'pull', 'ImagePullBackOff'],
        ['Deployment', 'crash', 'CrashLoopBackOff'],
        ['StatefulSet', 'db', 'ReadinessProbeFailed'],
      ],
    );
    expect(msg).toMatch(/\n {2}deployment\.apps\/pull: pod pull-\S+: container main: ImagePullBackOff: Back-off pulling image "registry\.example\/nope:1"/);
    expect(msg).toMatch(/\n {2}deployment\.apps\/pull: pod pull-\S+: Failed: Failed to pull image "registry\.example\/nope:1": .*not found/);
    expect(msg).toMatch(/\n {2}deployment\.apps\/crash: pod crash-\S+: container main: CrashLoopBackOff: back-off 40s restarting failed container=main .* \(last exit code 1, Error; 3 restarts\)/);
    expect(msg).toMatch(/\n {2}statefulset\.apps\/db: pod db-0: container db: running but not ready/);
    expect(msg).toMatch(/\n {2}statefulset\.apps\/db: pod db-0: Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 500/);
  });
});

describe('release status says why each object is not ready', () => {
  it('names the pods\' causes and the Warning events, only for objects that are not ready', async () => {
    const ns = 'status-causes';
    env.api.controllers.podProblem({ kind: 'Deployment', namespace: ns, name: 'pull' }, 'ImagePullBackOff');
    env.api.controllers.podProblem({ kind: 'Deployment', namespace: ns, name: 'crash' }, 'CrashLoopBackOff');
    await applyRelease(env.ctx, release('st', ns, [namespace(ns), deployment('pull', 1, 'registry.example/nope:1'), deployment('crash', 1), deployment('fine', 1)]));
    await env.api.settle();
    const st = await releaseStatus(env.client, ns, 'st');
    const of = (name: string) => st.objects.find((o) => o.ref.kind === 'Deployment' && o.ref.name === name)!;
    expect(of('pull').health).not.toBe('Ready');
    expect(of('pull').causes).toEqual(expect.arrayContaining([expect.stringMatching(/^pod pull-\S+: container main: ImagePullBackOff: Back-off pulling image "registry\.example\/nope:1"/)]));
    expect(of('pull').causes!.join('\n')).toMatch(/Failed: Failed to pull image "registry\.example\/nope:1"/);
    expect(of('crash').causes!.join('\n')).toMatch(/^pod crash-\S+: container main: CrashLoopBackOff: .*\(last exit code 1, Error; 3 restarts\)/m);
    expect(of('fine').health).toBe('Ready');
    expect(of('fine').causes).toBeUndefined();
    expect(st.health).not.toBe('Ready');
  });
});
