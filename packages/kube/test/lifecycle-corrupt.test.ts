// A corrupt history Secret is survivable: errors name the revision and the
// Secret, corrupt revisions are skipped (warned) when an intact deployed one
// exists, delete finds the release's objects by label without any readable
// history, and verify/repair show and fix it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRelease } from '../src/apply-release.js';
import { deleteRelease } from '../src/delete-release.js';
import { CorruptRevisionError, HistoryStore } from '../src/history/store.js';
import { repairRelease, verifyHistory } from '../src/repair.js';
import { rollbackRelease } from '../src/rollback.js';
import { releaseHistory, releaseStatus } from '../src/status.js';
import { configMap, namespace, release, startEnv, type Env } from './lifecycle-helpers.js';

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await env?.api.close();
});
const take = () => env.lines.splice(0, env.lines.length);
const ns = 'corrupt';

/** Overwrites a history Secret's payload with bytes that no longer match its checksum. */
function corrupt(secretName: string): void {
  const s = env.api.store.get('v1', 'Secret', ns, secretName);
  const bytes = Buffer.from(s.data.release, 'base64');
  bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0xff;
  s.data.release = bytes.toString('base64');
  env.api.store.write(s);
}

describe('a corrupt latest revision', () => {
  it('is named with its Secret, and status shows the newest intact revision', async () => {
    await applyRelease(env.ctx, release('c', ns, [namespace(ns), configMap('a', { v: '1' }), configMap('b', { v: '1' })]), {});
    await applyRelease(env.ctx, release('c', ns, [namespace(ns), configMap('a', { v: '2' }), configMap('b', { v: '2' })]), {});
    await applyRelease(env.ctx, release('c', ns, [namespace(ns), configMap('a', { v: '3' }), configMap('only-in-3', { v: '3' })]), {});
    corrupt('opm.release.v1.c.v3');
    const err = await new HistoryStore(env.client, ns, 'c').read(3).catch((e) => e);
    expect(err).toBeInstanceOf(CorruptRevisionError);
    expect(err.message).toBe('release c revision 3: history Secret corrupt/opm.release.v1.c.v3 is corrupt (checksum mismatch across chunks)');

    const st = await releaseStatus(env.client, ns, 'c');
    expect(st.revision).toBe(2);
    expect(st.note).toContain('release c revision 3: history Secret corrupt/opm.release.v1.c.v3 is corrupt');
    expect(st.note).toContain('showing revision 2');
    await expect(releaseStatus(env.client, ns, 'c', { revision: 3 })).rejects.toThrow(/revision 3: history Secret corrupt\/opm.release.v1.c.v3 is corrupt/);
  });

  it('apply warns and still prunes what the corrupt revision created (found by label)', async () => {
    take();
    const res = await applyRelease(env.ctx, release('c', ns, [namespace(ns), configMap('a', { v: '4' })]), {});
    expect(res.revision).toBe(4);
    const lines = take();
    expect(lines.some((l) => l.startsWith('warning: release c revision 3: history Secret corrupt/opm.release.v1.c.v3 is corrupt'))).toBe(true);
    expect(lines).toContain('configmap/only-in-3 pruned');
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'only-in-3')).toBeUndefined();
  });

  it('rollback skips a corrupt target for the intact one before it; an explicit corrupt target fails naming it', async () => {
    take();
    const res = await rollbackRelease(env.ctx, ns, 'c', undefined, {});
    expect(res.target).toBe(2);
    expect(take().some((l) => l.includes('revision 3') && l.includes('skipping it'))).toBe(true);
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'b').data.v).toBe('2');
    await expect(rollbackRelease(env.ctx, ns, 'c', 3, {})).rejects.toThrow(/revision 3: history Secret corrupt\/opm.release.v1.c.v3 is corrupt/);
  });

  it('verify names it; repair removes it once a later revision is deployed', async () => {
    const checks = await verifyHistory(env.client, ns, 'c');
    expect(checks.map((c) => [c.revision, c.ok])).toEqual([
      [1, true],
      [2, true],
      [3, false],
      [4, true],
      [5, true],
    ]);
    expect(checks[2]!.problem).toContain('opm.release.v1.c.v3');
    take();
    const done = await repairRelease(env.ctx, ns, 'c');
    expect(done.map((d) => [d.revision, d.action])).toEqual([[3, 'removed']]);
    expect((await verifyHistory(env.client, ns, 'c')).every((c) => c.ok)).toBe(true);
    expect((await releaseHistory(env.client, ns, 'c')).map((h) => h.revision)).toEqual([1, 2, 4, 5]);
  });
});

describe('repair of a revision that still decides ownership', () => {
  it('rebuilds it as failed with its objects found by label; the next apply prunes them; rollback refuses it', async () => {
    const ns2 = 'corrupt-2';
    await applyRelease(env.ctx, release('e', ns2, [namespace(ns2), configMap('p', { v: '1' })]), {});
    await applyRelease(env.ctx, release('e', ns2, [namespace(ns2), configMap('p', { v: '2' }), configMap('q', { v: '2' })]), {});
    const s = env.api.store.get('v1', 'Secret', ns2, 'opm.release.v1.e.v2');
    s.data.release = Buffer.from('not gzip at all').toString('base64');
    env.api.store.write(s);
    const done = await repairRelease(env.ctx, ns2, 'e');
    expect(done.map((d) => [d.revision, d.action])).toEqual([[2, 'rebuilt']]);
    const rev = await new HistoryStore(env.client, ns2, 'e').read(2);
    expect(rev.status).toBe('failed');
    expect(rev.repaired).toBe(true);
    expect(rev.inventory.map((r) => `${r.kind}/${r.name}`).sort()).toEqual(['ConfigMap/p', 'ConfigMap/q', 'Namespace/corrupt-2']);
    await expect(rollbackRelease(env.ctx, ns2, 'e', 2, {})).rejects.toThrow(/rebuilt by repair from a corrupt payload/);
    take();
    await applyRelease(env.ctx, release('e', ns2, [namespace(ns2), configMap('p', { v: '3' })]), {});
    expect(take()).toContain('configmap/q pruned');
  });
});

describe('delete without any readable history', () => {
  it('removes every object labelled for the release, of every kind the heads record, and says deleted only then', async () => {
    const ns3 = 'corrupt-3';
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'runner' } };
    await applyRelease(env.ctx, release('d', ns3, [namespace(ns3), configMap('x', { v: '1' })]), {});
    await applyRelease(env.ctx, release('d', ns3, [namespace(ns3), configMap('x', { v: '2' }), sa]), {});
    corrupt2(ns3, 'opm.release.v1.d.v1');
    corrupt2(ns3, 'opm.release.v1.d.v2');
    take();
    await deleteRelease(env.ctx, ns3, 'd', { timeoutMs: 20_000 });
    const lines = take();
    expect(lines.filter((l) => l.startsWith('warning: release d revision'))).toHaveLength(2);
    // Without a readable record of creating it, the Namespace is kept (it may hold others' objects), and says so.
    expect(lines).toEqual(
      expect.arrayContaining([
        'configmap/x pruned',
        'serviceaccount/runner pruned',
        'namespace/corrupt-3 kept (namespace not known to be created by this release)',
        'release d deleted; kept 1 object(s) it did not create or that hold data',
      ]),
    );
    await env.api.settle();
    expect(env.api.store.get('v1', 'ConfigMap', ns3, 'x')).toBeUndefined();
    expect(env.api.store.get('v1', 'ServiceAccount', ns3, 'runner')).toBeUndefined();
    expect(await new HistoryStore(env.client, ns3, 'd').summaries()).toEqual([]);
  });

  it('fails, keeping the history, when an object labelled for the release is still there afterwards', async () => {
    const ns4 = 'corrupt-4';
    await applyRelease(env.ctx, release('f', ns4, [namespace(ns4), configMap('stuck', { v: '1' })]), {});
    // A finalizer nobody removes: the delete is accepted but the object stays.
    const cm = env.api.store.get('v1', 'ConfigMap', ns4, 'stuck');
    env.api.store.write({ ...cm, metadata: { ...cm.metadata, finalizers: ['example.com/never'] } });
    const err = await deleteRelease(env.ctx, ns4, 'f', { timeoutMs: 1_000 }).catch((e) => e);
    expect(err.message).toMatch(/configmap\/stuck/);
    expect(env.lines).not.toContain('release f deleted');
    expect((await releaseHistory(env.client, ns4, 'f')).map((h) => h.status)).toEqual(['uninstalling']);
    env.api.store.clearFinalizers('v1', 'ConfigMap', ns4, 'stuck');
  });
});

function corrupt2(namespace_: string, secretName: string): void {
  const s = env.api.store.get('v1', 'Secret', namespace_, secretName);
  s.data.release = Buffer.from('garbage').toString('base64');
  env.api.store.write(s);
}
