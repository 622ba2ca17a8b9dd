// When apply records a revision (deploy.ts `sameContent`): when the objects,
// the module or the release's values change — as Helm and Flux do. Other
// platform rules, and the final values they alone change, record none when
// the objects are the same (the result says the rules changed); rules that
// change an object make a revision, which records them.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyRelease } from '../src/apply-release.js';
import { releaseHistory } from '../src/status.js';
import { configMap, deployment, namespace, release, startEnv, type Env } from './lifecycle-helpers.js';
import type { DesiredRelease } from '../src/types.js';

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await env?.api.close();
});

const ns = 'revs';
const rulesA = { source: '/catalog/platform.cue', digest: `sha256:${'a'.repeat(64)}` };
const rulesB = { source: '/catalog/platform.cue', digest: `sha256:${'b'.repeat(64)}` };
const desired = (opts: { rules: typeof rulesA; finalExtra?: Record<string, unknown>; mode?: string; userValues?: Record<string, unknown>; version?: string }): DesiredRelease => {
  const r = release('web', ns, [namespace(ns), deployment('web', 2), configMap('web-config', { mode: opts.mode ?? 'a' })], opts.userValues ?? { replicas: 2 }, opts.version);
  return { ...r, finalValues: { ...r.finalValues, ...opts.finalExtra }, platform: opts.rules };
};
const revisions = async () => (await releaseHistory(env.client, ns, 'web')).map((h) => [h.revision, h.status, h.platform?.digest]);

it('other rules that render the same objects record no revision; rules that change an object do', async () => {
  expect((await applyRelease(env.ctx, desired({ rules: rulesA }), {})).revision).toBe(1);

  // Other rules, same objects (their environment default changed a final value no object reads).
  const before = env.api.requests.length;
  const same = await applyRelease(env.ctx, desired({ rules: rulesB, finalExtra: { ingress: { host: 'dev.company.com' } } }), {});
  expect(same).toMatchObject({ revision: 1, unchanged: true, rulesChanged: { recorded: rulesA, now: rulesB } });
  expect(env.api.requests.slice(before).filter((r) => r.method !== 'GET' && !r.path.includes('/leases'))).toEqual([]);
  expect(await revisions()).toEqual([[1, 'deployed', rulesA.digest]]);

  // The same rules again: unchanged, and nothing to say about rules.
  const again = await applyRelease(env.ctx, desired({ rules: rulesA }), {});
  expect(again.unchanged).toBe(true);
  expect(again.rulesChanged).toBeUndefined();

  // Other rules that change an object: a revision, which records the rules it was checked against.
  const changed = await applyRelease(env.ctx, desired({ rules: rulesB, mode: 'b' }), {});
  expect(changed.unchanged).toBeFalsy();
  expect(changed.revision).toBe(2);
  expect(await revisions()).toEqual([
    [1, 'superseded', rulesA.digest],
    [2, 'deployed', rulesB.digest],
  ]);
});

it('a change of the release values or the module version records a revision even when the objects are the same', async () => {
  const values = await applyRelease(env.ctx, desired({ rules: rulesB, mode: 'b', userValues: { replicas: 2, note: 'x' } }), {});
  expect(values).toMatchObject({ revision: 3 });
  expect(values.unchanged).toBeFalsy();
  const version = await applyRelease(env.ctx, desired({ rules: rulesB, mode: 'b', userValues: { replicas: 2, note: 'x' }, version: '1.0.1' }), {});
  expect(version).toMatchObject({ revision: 4 });
  expect(version.unchanged).toBeFalsy();
});
