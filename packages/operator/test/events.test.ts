// Kubernetes Events on ModuleReleases: what happened (applied, deployed, refused with layer + path +
// constraint, stalled), secrets masked, deduplicated (series) and aggregated, written through
// events.k8s.io/v1 and readable through core/v1 too (`kubectl get events`, `kubectl describe`), and
// accepted by the test API server only where a real one accepts them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeApiError } from '@opm/kube';
import { EventRecorder } from '../src/events.js';
import { condition, ensureNamespace, eventually, getRelease, mrRef, shop, startEnv, startOperator, stopEnv, waitReady, webAppRelease, type Env, useEnv } from './helpers.js';

/** An Event as events.k8s.io/v1 serves it. */
interface Ev {
  metadata: { name: string; namespace: string };
  regarding: { kind: string; name: string; namespace?: string; uid?: string };
  type: string;
  reason: string;
  action: string;
  note: string;
  eventTime: string;
  series?: { count: number; lastObservedTime: string };
  reportingController: string;
  reportingInstance: string;
}

/** The same Event as core/v1 serves it (what `kubectl describe` reads). */
interface CoreEv {
  metadata: { name: string };
  involvedObject: { kind: string; name: string; namespace?: string; uid?: string };
  type: string;
  reason: string;
  message: string;
  reportingComponent: string;
  series?: { count: number };
}

const eventsOf = async (env: Env, ns: string, name?: string) =>
  ((await env.client.list('events.k8s.io/v1', 'Event', { namespace: ns })) as unknown as Ev[]).filter((e) => e.regarding.kind === 'ModuleRelease' && (!name || e.regarding.name === name));
const coreEventsOf = async (env: Env, ns: string, name?: string) =>
  ((await env.client.list('v1', 'Event', { namespace: ns })) as unknown as CoreEv[]).filter((e) => e.involvedObject.kind === 'ModuleRelease' && (!name || e.involvedObject.name === name));

describe('operator events', () => {
  let env!: Env;
  useEnv((e) => (env = e), 'development', 'shop-staging');

  it('records applied, deployed, refused (layer, path, constraint) and stalled as Events on the ModuleRelease', async () => {
    const op = startOperator(env, { timeoutMs: 1500 });
    await op.start();
    await env.client.create(webAppRelease('web', 'development') as never);
    const mr = await waitReady(env, 'development', 'web');
    await op.events.flush();
    const evs = await eventsOf(env, 'development', 'web');
    expect(evs.map((e) => [e.type, e.reason])).toEqual(expect.arrayContaining([
      ['Normal', 'Applied'],
      ['Normal', 'Reconciled'],
    ]));
    const applied = evs.find((e) => e.reason === 'Applied')!;
    expect(applied.note).toMatch(/^applied revision 1 \(simple-web-app@1\.0\.0-platform\.1, \d+ objects/);
    expect(applied.regarding).toMatchObject({ kind: 'ModuleRelease', name: 'web', namespace: 'development', uid: mr.metadata.uid });
    expect(applied).toMatchObject({ reportingController: 'opm-operator', action: 'Apply' });
    expect(applied.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(evs.find((e) => e.reason === 'Reconciled')!.note).toMatch(/revision 1 deployed: all \d+ objects ready/);
    // The same Events through core/v1, as `kubectl get events` / `kubectl describe mr` read them.
    const core = await coreEventsOf(env, 'development', 'web');
    const coreApplied = core.find((e) => e.metadata.name === applied.metadata.name)!;
    expect(coreApplied).toMatchObject({ type: 'Normal', reason: 'Applied', message: applied.note, reportingComponent: 'opm-operator' });
    expect(coreApplied.involvedObject).toMatchObject({ kind: 'ModuleRelease', name: 'web', namespace: 'development', uid: mr.metadata.uid });

    await env.client.create(webAppRelease('bad', 'development', { replicas: 50 }) as never);
    const bad = await eventually(async () => {
      await op.events.flush();
      return (await eventsOf(env, 'development', 'bad')).find((e) => e.reason === 'ValidationFailed');
    });
    expect(bad.type).toBe('Warning');
    expect(bad.action).toBe('Render');
    expect(bad.note).toMatch(/^validation failed: layer release; path values\.replicas; constraint .*out of bound <=20\); release bad: values\.replicas: 50/);

    env.api.controllers.hold({ kind: 'Deployment', namespace: 'development', name: 'slow-web' });
    await env.client.create(webAppRelease('slow', 'development') as never);
    const stalled = await eventually(async () => {
      await op.events.flush();
      return (await eventsOf(env, 'development', 'slow')).find((e) => e.reason === 'ProgressDeadlineExceeded');
    });
    expect(stalled.type).toBe('Warning');
    expect(stalled.note).toMatch(/revision 1 failed: timed out waiting for: deployment\.apps\/slow-web.*release stalled/s);
  });

  it('says the render\'s warnings: a Warning Event RenderWarning and condition RenderWarnings, once per change', async () => {
    const op = startOperator(env);
    await op.start();
    const labels = { environment: 'development', team: 'frontend', owner: 'Jane Doe' };
    await env.client.create(webAppRelease('web', 'development', {}, { metadata: { labels } }) as never);
    let mr = await waitReady(env, 'development', 'web');
    const said = 'release web: label owner: "Jane Doe" is not a valid Kubernetes label value; rendered as an annotation';
    expect(condition(mr, 'RenderWarnings')).toMatchObject({ status: 'True', reason: 'RenderWarnings', message: said, observedGeneration: 1 });
    await op.events.flush();
    const warned = async () => (await eventsOf(env, 'development', 'web')).filter((e) => e.reason === 'RenderWarning');
    expect(await warned()).toEqual([expect.objectContaining({ type: 'Warning', action: 'Render', note: said })]);
    expect((await coreEventsOf(env, 'development', 'web')).filter((e) => e.reason === 'RenderWarning').map((e) => e.message)).toEqual([said]);

    // A new generation with the same warning, and a second operator (a restart): no second Event.
    await env.client.mergePatch(mrRef('development', 'web'), { spec: { values: { replicas: 2 } } });
    mr = await eventually(async () => {
      const m = await waitReady(env, 'development', 'web');
      return m.metadata.generation === 2 ? m : undefined;
    });
    expect(condition(mr, 'RenderWarnings')).toMatchObject({ status: 'True', message: said, observedGeneration: 2 });
    await op.stop();
    const again = startOperator(env);
    await again.start();
    const from = env.logs.length;
    again.resync();
    await eventually(async () => env.logs.slice(from).some((l) => /^resync: \d+ releases done/.test(l)), 15_000, 'the resync to end');
    await again.events.flush();
    const [ev] = await warned();
    expect(ev!.series).toBeUndefined();
    expect(await warned()).toHaveLength(1);

    // A valid label: no warning any more, and the condition says so.
    await env.client.mergePatch(mrRef('development', 'web'), { spec: { metadata: { labels: { ...labels, owner: 'jane' } } } });
    mr = await eventually(async () => {
      const m = await waitReady(env, 'development', 'web');
      return m.metadata.generation === 3 ? m : undefined;
    });
    expect(condition(mr, 'RenderWarnings')).toMatchObject({ status: 'False', reason: 'NoWarnings' });
    expect(JSON.stringify(mr.status)).not.toContain('Jane Doe');
  });

  it('never puts a secret value into an Event', async () => {
    const op = startOperator(env);
    await op.start();
    await env.client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'weak-db', namespace: 'shop-staging' }, stringData: { password: 'hunter2' } } as never);
    await env.client.create(shop('shop', 'shop-staging', { secretValues: [{ path: 'database.password', secretKeyRef: { name: 'weak-db', key: 'password' } }] }) as never);
    const ev = await eventually(async () => {
      await op.events.flush();
      return (await eventsOf(env, 'shop-staging', 'shop')).find((e) => e.type === 'Warning');
    });
    expect(ev.note).toMatch(/database\.password/);
    for (const apiVersion of ['v1', 'events.k8s.io/v1']) expect(JSON.stringify(await env.client.list(apiVersion, 'Event', { namespace: 'shop-staging' }))).not.toContain('hunter2');
    expect(JSON.stringify(await getRelease(env, 'shop-staging', 'shop'))).not.toContain('hunter2');
  });
});

describe('event recorder (client-go semantics)', () => {
  let env: Env;
  beforeEach(async () => {
    env = await startEnv({ controllers: false });
    await ensureNamespace(env, 'development');
  });
  afterEach(async () => {
    await stopEnv(env);
  });

  const obj = { apiVersion: 'core.opm.dev/v1alpha1', kind: 'ModuleRelease', metadata: { name: 'web', namespace: 'development', uid: 'u-1' } };

  it('counts a repeated event on one Event (series), and combines many similar ones', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const rec = new EventRecorder(env.client, { component: 'opm-operator', host: 'h', now: () => new Date(t) });
    const before = env.api.requests.length;
    for (let i = 0; i < 3; i++) {
      rec.event(obj, 'Warning', 'ApplyFailed', 'the API server said no');
      t += 60_000;
    }
    await rec.flush();
    let evs = await eventsOf(env, 'development');
    expect(evs).toHaveLength(1);
    expect(evs[0]).toMatchObject({ series: { count: 3, lastObservedTime: '2026-01-01T00:02:00.000000Z' }, eventTime: '2026-01-01T00:00:00.000000Z', reason: 'ApplyFailed', type: 'Warning', action: 'Reconcile' });
    expect(evs[0]!.metadata.name).toMatch(/^web\.[0-9a-f]+$/);
    // Written through events.k8s.io/v1: one create, then patches of the series only.
    const writes = env.api.requests.slice(before).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.split('?')[0]}`);
    expect(writes).toEqual([`POST /apis/events.k8s.io/v1/namespaces/development/events`, ...Array(2).fill(`PATCH /apis/events.k8s.io/v1/namespaces/development/events/${evs[0]!.metadata.name}`)]);
    expect((await coreEventsOf(env, 'development'))[0]).toMatchObject({ series: { count: 3 }, message: 'the API server said no' });

    // 10 distinct messages of one reason are kept apart; from the 11th they are combined into one Event.
    for (let i = 0; i < 14; i++) rec.event(obj, 'Warning', 'RenderFailed', `problem ${i}`);
    await rec.flush();
    evs = (await eventsOf(env, 'development')).filter((e) => e.reason === 'RenderFailed');
    expect(evs).toHaveLength(11);
    const combined = evs.find((e) => e.note.startsWith('(combined from similar events): '))!;
    expect(combined.series?.count).toBe(4);
    // The note of an events.k8s.io/v1 Event is immutable: it keeps the first combined message.
    expect(combined.note).toBe('(combined from similar events): problem 10');
  });

  it('drops events past the per-object burst, and re-creates an Event that expired', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const rec = new EventRecorder(env.client, { component: 'opm-operator', host: 'h', now: () => new Date(t), burst: 3, refillMs: 60_000 });
    for (let i = 0; i < 5; i++) rec.event(obj, 'Normal', 'Applied', 'same');
    await rec.flush();
    expect((await eventsOf(env, 'development'))[0]!.series?.count).toBe(3);
    // The API server deleted it (event TTL): the next one is created again.
    const name = (await eventsOf(env, 'development'))[0]!.metadata.name;
    await env.client.delete({ group: 'events.k8s.io', version: 'v1', kind: 'Event', namespace: 'development', name });
    t += 60_000;
    rec.event(obj, 'Normal', 'Applied', 'same');
    await rec.flush();
    const evs = await eventsOf(env, 'development');
    expect(evs).toHaveLength(1);
    expect(evs[0]!.series?.count).toBe(4);
  });

  it('the test API server refuses an Event outside its object namespace, as kube-apiserver does', async () => {
    await ensureNamespace(env, 'other');
    const ev = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.1', namespace: 'other' },
      involvedObject: { apiVersion: 'core.opm.dev/v1alpha1', kind: 'ModuleRelease', name: 'web', namespace: 'development' },
      type: 'Normal',
      reason: 'Applied',
      message: 'x',
    };
    const err = await env.client.create(ev as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).code).toBe(422);
    expect((err as Error).message).toMatch(/involvedObject\.namespace: Invalid value: "development": does not match event\.namespace/);
    // A new-style event (eventTime) needs its reporting fields.
    const err2 = await env.client
      .create({ ...ev, metadata: { name: 'web.2', namespace: 'development' }, eventTime: '2026-01-01T00:00:00.000000Z', reportingInstance: 'h' } as never)
      .catch((e: unknown) => e);
    expect((err2 as Error).message).toMatch(/reportingComponent: Required value/);
    expect((err2 as Error).message).toMatch(/action: Required value/);
  });
});
