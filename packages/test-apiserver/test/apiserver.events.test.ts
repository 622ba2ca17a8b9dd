// Events through both APIs, as kube-apiserver serves them: one storage, core/v1 and events.k8s.io/v1 views
// with the field mapping (regarding ↔ involvedObject, note ↔ message, reportingController ↔
// reportingComponent, deprecated* ↔ the legacy fields), each group's field selector labels, and the strict
// validation of writes through events.k8s.io/v1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';

let api: TestApiServer;
beforeAll(async () => {
  api = await startTestApiServer();
});
afterAll(async () => {
  await api?.close();
});

async function req(method: string, path: string, body?: unknown, ct = 'application/json'): Promise<{ status: number; body: any }> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, ...(body !== undefined ? { 'content-type': ct } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: await res.json() };
}

const CORE = '/api/v1/namespaces/default/events';
const V1 = '/apis/events.k8s.io/v1/namespaces/default/events';
const regarding = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'app', uid: 'u-1' };

describe('events.k8s.io/v1', () => {
  it('is discovered', async () => {
    const g = await req('GET', '/apis/events.k8s.io');
    expect(g.body).toMatchObject({ kind: 'APIGroup', name: 'events.k8s.io', preferredVersion: { groupVersion: 'events.k8s.io/v1' } });
    const rl = await req('GET', '/apis/events.k8s.io/v1');
    expect(rl.body.resources.find((r: any) => r.name === 'events')).toMatchObject({ kind: 'Event', namespaced: true });
  });

  it('serves an Event written through core/v1 with the events.k8s.io/v1 field names', async () => {
    const legacy = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'app.legacy', namespace: 'default' },
      involvedObject: regarding,
      type: 'Warning',
      reason: 'Failed',
      message: 'it broke',
      source: { component: 'legacy-recorder', host: 'node-1' },
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:05:00Z',
      count: 3,
    };
    expect((await req('POST', CORE, legacy)).status).toBe(201);
    const v1 = await req('GET', `${V1}/app.legacy`);
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      regarding,
      note: 'it broke',
      reason: 'Failed',
      type: 'Warning',
      deprecatedSource: { component: 'legacy-recorder', host: 'node-1' },
      deprecatedFirstTimestamp: '2026-01-01T00:00:00Z',
      deprecatedLastTimestamp: '2026-01-01T00:05:00Z',
      deprecatedCount: 3,
    });
    for (const k of ['involvedObject', 'message', 'source', 'count', 'firstTimestamp', 'lastTimestamp']) expect(v1.body).not.toHaveProperty(k);
    // events.k8s.io's own selector labels; core's spellings are not its labels.
    const listed = await req('GET', `${V1}?fieldSelector=${encodeURIComponent('regarding.name=app,regarding.kind=ConfigMap')}`);
    expect(listed.body.items.map((e: any) => e.metadata.name)).toContain('app.legacy');
    expect((await req('GET', `${V1}?fieldSelector=regarding.name=other`)).body.items).toEqual([]);
    const bad = await req('GET', `${V1}?fieldSelector=involvedObject.name=app`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/field label not supported: involvedObject\.name/);
  });

  it('serves an Event written through events.k8s.io/v1 with the core/v1 field names, and its series updates', async () => {
    const modern = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'app.modern', namespace: 'default' },
      regarding,
      eventTime: '2026-01-01T00:00:00.123456Z',
      reportingController: 'example.com/ctl',
      reportingInstance: 'ctl-0',
      action: 'Reconcile',
      reason: 'Applied',
      note: 'applied it',
      type: 'Normal',
    };
    const created = await req('POST', V1, modern);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ regarding, note: 'applied it', reportingController: 'example.com/ctl' });
    const core = await req('GET', `${CORE}/app.modern`);
    expect(core.body).toMatchObject({ apiVersion: 'v1', involvedObject: regarding, message: 'applied it', reportingComponent: 'example.com/ctl', reportingInstance: 'ctl-0', action: 'Reconcile', eventTime: '2026-01-01T00:00:00.123456Z' });
    expect(core.body).not.toHaveProperty('note');
    expect(core.body).not.toHaveProperty('regarding');
    const byCore = await req('GET', `${CORE}?fieldSelector=${encodeURIComponent('involvedObject.name=app,reportingComponent=example.com/ctl')}`);
    expect(byCore.body.items.map((e: any) => e.metadata.name)).toEqual(['app.modern']);

    // The series is the one thing that changes through events.k8s.io/v1 (client-go's events library patches it).
    const series = { count: 2, lastObservedTime: '2026-01-01T00:01:00.000000Z' };
    const patched = await req('PATCH', `${V1}/app.modern`, { series }, 'application/merge-patch+json');
    expect(patched.status).toBe(200);
    expect(patched.body.series).toEqual(series);
    expect((await req('GET', `${CORE}/app.modern`)).body.series).toEqual(series);
    const changed = await req('PATCH', `${V1}/app.modern`, { note: 'something else' }, 'application/merge-patch+json');
    expect(changed.status).toBe(422);
    expect(changed.body.message).toMatch(/message: Invalid value: .*field is immutable/);
  });

  it('validates writes through events.k8s.io/v1 strictly', async () => {
    const base = { apiVersion: 'events.k8s.io/v1', kind: 'Event', regarding, reportingController: 'example.com/ctl', reportingInstance: 'ctl-0', action: 'Reconcile', reason: 'Applied', note: 'n', type: 'Normal' };
    const noTime = await req('POST', V1, { ...base, metadata: { name: 'a1', namespace: 'default' } });
    expect(noTime.status).toBe(422);
    expect(noTime.body.message).toMatch(/eventTime: Required value/);
    const legacyFields = await req('POST', V1, { ...base, metadata: { name: 'a2', namespace: 'default' }, eventTime: '2026-01-01T00:00:00.000000Z', deprecatedCount: 4, deprecatedSource: { component: 'x' } });
    expect(legacyFields.status).toBe(422);
    expect(legacyFields.body.message).toMatch(/deprecatedCount: Invalid value: "": needs to be unset/);
    expect(legacyFields.body.message).toMatch(/deprecatedSource: Invalid value: "": needs to be unset/);
    const badType = await req('POST', V1, { ...base, metadata: { name: 'a3', namespace: 'default' }, eventTime: '2026-01-01T00:00:00.000000Z', type: 'Info', reportingController: '' });
    expect(badType.status).toBe(422);
    expect(badType.body.message).toMatch(/type: Invalid value: "": has invalid value: Info/);
    expect(badType.body.message).toMatch(/reportingController: Required value/);
    const badSeries = await req('POST', V1, { ...base, metadata: { name: 'a4', namespace: 'default' }, eventTime: '2026-01-01T00:00:00.000000Z', series: { count: 1, lastObservedTime: '2026-01-01T00:00:00.000000Z' } });
    expect(badSeries.status).toBe(422);
    expect(badSeries.body.message).toMatch(/series\.count/);
    // The same legacy-shaped object is fine through core/v1 (no strict checks there).
    const viaCore = await req('POST', CORE, { apiVersion: 'v1', kind: 'Event', metadata: { name: 'a5', namespace: 'default' }, involvedObject: regarding, reason: 'X', message: 'm', count: 4, source: { component: 'x' } });
    expect(viaCore.status).toBe(201);
  });

  it('a watch on events.k8s.io/v1 sees Events written through core/v1', async () => {
    const ac = new AbortController();
    const res = await fetch(`${api.url}${V1}?watch=true&fieldSelector=regarding.name=watched`, { headers: { authorization: `Bearer ${api.token}` }, signal: ac.signal });
    const reader = res.body!.getReader();
    await req('POST', CORE, { apiVersion: 'v1', kind: 'Event', metadata: { name: 'watched.1', namespace: 'default' }, involvedObject: { ...regarding, name: 'watched' }, reason: 'X', message: 'seen', type: 'Normal' });
    let text = '';
    const deadline = Date.now() + 5000;
    while (!text.includes('\n') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    ac.abort();
    const ev = JSON.parse(text.split('\n')[0]!);
    expect(ev.type).toBe('ADDED');
    expect(ev.object).toMatchObject({ apiVersion: 'events.k8s.io/v1', note: 'seen', regarding: { name: 'watched' } });
  });
});
