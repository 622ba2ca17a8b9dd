// Ownership: no adoption without consent, no deletion of what the release did
// not create (adopted objects, pre-existing Namespaces, volume claims), and a
// failed or interrupted revision changes nothing later.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRelease, currentValueOverrides } from '../src/apply-release.js';
import { deleteRelease, DeleteCancelledError, type DeletePlan } from '../src/delete-release.js';
import { HistoryStore } from '../src/history/store.js';
import { diffRelease } from '../src/diff.js';
import { revisionSecrets } from '../src/history/codec.js';
import { AdoptionError } from '../src/ownership.js';
import { scaleRelease } from '../src/scale.js';
import { releaseHistory } from '../src/status.js';
import { WaitError } from '../src/wait.js';
import type { KubeObject, RerenderRelease } from '../src/types.js';
import { configMap, deployment, namespace, release, startEnv, type Env } from './lifecycle-helpers.js';

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await env?.api.close();
});
const take = () => env.lines.splice(0, env.lines.length);
const labels = (o: { metadata: { labels?: Record<string, string> } } | undefined) => o?.metadata.labels ?? {};
const historySecrets = (ns: string) => env.api.store.list('v1', 'Secret', ns).filter((s: { type?: string }) => s.type === 'opm.dev/release.v1');
const pvc = (name: string, extraLabels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, ...(Object.keys(extraLabels).length ? { labels: extraLabels } : {}) },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
});

describe('adoption needs consent', () => {
  const ns = 'tenant';
  const objs = () => [namespace(ns), configMap('ecommerce-staging-alerting', { rule: 'ours' }), configMap('app', { v: '1' })];

  it('refuses to take over existing unlabelled objects, naming each, and records nothing', async () => {
    // Another team's namespace, with their objects in it, and a pre-existing object with a name the release renders.
    env.api.store.write(namespace(ns));
    env.api.store.write({ ...configMap('other-team', { keep: 'me' }), metadata: { name: 'other-team', namespace: ns } });
    env.api.store.write({ ...configMap('ecommerce-staging-alerting', { rule: 'theirs' }), metadata: { name: 'ecommerce-staging-alerting', namespace: ns } });
    await env.api.settle();
    take();
    const err = await applyRelease(env.ctx, release('shop', ns, objs()), {}).catch((e) => e);
    expect(err).toBeInstanceOf(AdoptionError);
    expect(err.message).toContain('namespace/tenant');
    expect(err.message).toContain('configmap/ecommerce-staging-alerting');
    expect(err.message).not.toContain('configmap/app');
    expect(err.message).toContain('--adopt');
    // Nothing applied, nothing recorded.
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'app')).toBeUndefined();
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'ecommerce-staging-alerting').data.rule).toBe('theirs');
    expect(labels(env.api.store.get('v1', 'Namespace', '', ns))['opm.dev/release']).toBeUndefined();
    expect(historySecrets(ns)).toEqual([]);
    // A dry run reports the same refusal.
    await expect(applyRelease(env.ctx, release('shop', ns, objs()), { dryRun: 'client' })).rejects.toBeInstanceOf(AdoptionError);
    // diff shows them as apply --adopt would change them, and says that apply refuses them without it (the same rule).
    const d = await diffRelease(env.client, release('shop', ns, objs()), { force: true });
    expect(d.adoption).toBeInstanceOf(AdoptionError);
    expect(d.adoption!.objects.map((r) => `${r.kind}/${r.name}`)).toEqual(['ConfigMap/ecommerce-staging-alerting', 'Namespace/tenant']);
    expect(d.adoption!.message).toContain('--adopt');
    expect(d.objects).toEqual(expect.arrayContaining([{ ref: 'configmap/ecommerce-staging-alerting', change: 'update' }, { ref: 'configmap/app', change: 'create' }]));
    expect(d.text).toMatch(/\+ {4}opm\.dev\/adopted: "true"/);
    const withAdopt = await diffRelease(env.client, release('shop', ns, objs()), { force: true, adopt: true });
    expect(withAdopt.adoption).toBeUndefined();
    expect(withAdopt.text).toBe(d.text);
    // Still nothing changed by either.
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'app')).toBeUndefined();
    expect(historySecrets(ns)).toEqual([]);
  });

  it('with adopt, takes them over but records that it did not create them; delete keeps them and hands them back', async () => {
    take();
    // The pre-existing object's fields were set by another manager: taking over a different value needs --force-conflicts too.
    await applyRelease(env.ctx, release('shop', ns, objs()), { adopt: true, force: true });
    expect(take()).toEqual(expect.arrayContaining(['namespace/tenant configured', 'configmap/ecommerce-staging-alerting configured', 'configmap/app created']));
    const rev = await new HistoryStore(env.client, ns, 'shop').read(1);
    const created = Object.fromEntries(rev.inventory.map((r) => [`${r.kind}/${r.name}`, r.created]));
    expect(created).toEqual({ 'Namespace/tenant': false, 'ConfigMap/ecommerce-staging-alerting': false, 'ConfigMap/app': true });
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'ecommerce-staging-alerting').metadata.annotations['opm.dev/adopted']).toBe('true');
    // A second apply needs no --adopt: they are the release's now.
    await applyRelease(env.ctx, release('shop', ns, objs()), {});

    take();
    await deleteRelease(env.ctx, ns, 'shop', { timeoutMs: 20_000 });
    const lines = take();
    expect(lines).toContain('configmap/app pruned');
    expect(lines).toContain('namespace/tenant kept (adopted, not created by this release)');
    expect(lines).toContain('configmap/ecommerce-staging-alerting kept (adopted, not created by this release)');
    await env.api.settle();
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'app')).toBeUndefined();
    const nsLive = env.api.store.get('v1', 'Namespace', '', ns);
    expect(nsLive).toBeDefined();
    expect(nsLive.metadata.deletionTimestamp).toBeUndefined();
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'other-team').data.keep).toBe('me');
    // Handed back: no opm ownership left on what was kept.
    const alerting = env.api.store.get('v1', 'ConfigMap', ns, 'ecommerce-staging-alerting');
    expect(labels(alerting)['opm.dev/release']).toBeUndefined();
    expect(alerting.metadata.annotations?.['opm.dev/adopted']).toBeUndefined();
    expect(labels(nsLive)['opm.dev/release']).toBeUndefined();
    expect(historySecrets(ns)).toEqual([]);
  });

  it('prune keeps an adopted object the release stops rendering', async () => {
    const ns2 = 'adopt-prune';
    await applyRelease(env.ctx, release('p', ns2, [namespace(ns2), configMap('mine', { v: '1' })]), {});
    env.api.store.write({ ...configMap('found', { v: 'theirs' }), metadata: { name: 'found', namespace: ns2 } });
    await applyRelease(env.ctx, release('p', ns2, [namespace(ns2), configMap('mine', { v: '1' }), configMap('found', { v: 'ours' })]), { adopt: true, force: true });
    // diff shows the prune of what the release created, not of what it adopted (apply keeps that).
    const d = await diffRelease(env.client, release('p', ns2, [namespace(ns2)]));
    expect(d.objects).toEqual([{ ref: 'configmap/mine', change: 'delete' }]);
    take();
    await applyRelease(env.ctx, release('p', ns2, [namespace(ns2)]), {});
    const lines = take();
    expect(lines).toContain('configmap/mine pruned');
    expect(lines).toContain('configmap/found kept (adopted, not created by this release)');
    const found = env.api.store.get('v1', 'ConfigMap', ns2, 'found');
    expect(found).toBeDefined();
    expect(labels(found)['opm.dev/release']).toBeUndefined();
    // Taking it back needs consent again.
    await expect(applyRelease(env.ctx, release('p', ns2, [namespace(ns2), configMap('found', { v: 'ours' })]), {})).rejects.toBeInstanceOf(AdoptionError);
  });

  it('a refused install into a namespace it rendered and created removes that namespace again', async () => {
    const ns3 = 'fresh-ns';
    env.api.store.write({ ...configMap('x', { v: 'theirs' }), metadata: { name: 'x', namespace: 'default' } });
    const err = await applyRelease(env.ctx, release('f', ns3, [namespace(ns3), { ...configMap('x', { v: 'mine' }), metadata: { name: 'x', namespace: 'default' } }]), {}).catch((e) => e);
    expect(err).toBeInstanceOf(AdoptionError);
    expect(err.message).toContain('configmap/x -n default');
    await env.api.settle();
    const left = env.api.store.get('v1', 'Namespace', '', ns3);
    expect(left === undefined || !!left.metadata.deletionTimestamp).toBe(true);
  });
});

describe('delete only removes what the release created', () => {
  it('history written before opm recorded "created": its Namespace is never deleted', async () => {
    const ns = 'legacy';
    await applyRelease(env.ctx, release('old', ns, [namespace(ns), configMap('c', { v: '1' })]), {});
    // Rewrite revision 1 as an older opm stored it: no `created`, no kinds on the head.
    const store = new HistoryStore(env.client, ns, 'old');
    const rev = await store.read(1);
    rev.inventory = rev.inventory.map(({ created: _c, ...r }) => r);
    for (const s of revisionSecrets(rev)) {
      delete s.metadata.annotations?.['opm.dev/kinds'];
      delete s.metadata.annotations?.['opm.dev/namespaces'];
      env.api.store.write(s);
    }
    expect((await store.read(1)).inventory.every((r) => r.created === undefined)).toBe(true);
    take();
    await deleteRelease(env.ctx, ns, 'old', { timeoutMs: 20_000 });
    const lines = take();
    expect(lines).toContain('configmap/c pruned');
    expect(lines).toContain('namespace/legacy kept (namespace not known to be created by this release)');
    await env.api.settle();
    expect(env.api.store.get('v1', 'Namespace', '', ns)?.metadata.deletionTimestamp).toBeUndefined();
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'c')).toBeUndefined();
  });

  it('a Namespace the release created is deleted with it', async () => {
    const ns = 'owned-ns';
    await applyRelease(env.ctx, release('o', ns, [namespace(ns), configMap('c', { v: '1' })]), {});
    expect((await new HistoryStore(env.client, ns, 'o').read(1)).inventory.find((r) => r.kind === 'Namespace')?.created).toBe(true);
    take();
    await deleteRelease(env.ctx, ns, 'o', { timeoutMs: 20_000 });
    expect(take()).toEqual(expect.arrayContaining(['configmap/c pruned', 'namespace/owned-ns pruned', 'release o deleted']));
  });

  it('keeps PersistentVolumeClaims (also StatefulSet claims labelled for the release) unless deleteVolumes', async () => {
    const ns = 'volumes';
    const objs = () => [namespace(ns), pvc('data'), configMap('c', { v: '1' })];
    await applyRelease(env.ctx, release('db', ns, objs()), {});
    // A claim a StatefulSet made from a volumeClaimTemplate that carries the release's labels: in no inventory.
    const stsLabels = { 'opm.dev/release': 'db', 'opm.dev/release-namespace': ns, 'app.kubernetes.io/managed-by': 'opm' };
    env.api.store.write({ ...pvc('www-db-0', stsLabels), metadata: { name: 'www-db-0', namespace: ns, labels: stsLabels } });
    take();
    await deleteRelease(env.ctx, ns, 'db', { timeoutMs: 20_000 });
    const lines = take();
    expect(lines).toContain('configmap/c pruned');
    expect(lines).toContain('persistentvolumeclaim/data kept (volume claim, kept with its data (--delete-volumes deletes it))');
    expect(lines).toContain('persistentvolumeclaim/www-db-0 kept (volume claim, kept with its data (--delete-volumes deletes it))');
    // The namespace holds them, so it stays too.
    expect(lines).toContain('namespace/volumes kept (holds objects that are kept)');
    await env.api.settle();
    expect(env.api.store.get('v1', 'PersistentVolumeClaim', ns, 'data')).toBeDefined();
    expect(env.api.store.get('v1', 'PersistentVolumeClaim', ns, 'www-db-0')).toBeDefined();
    expect(env.api.store.get('v1', 'Namespace', '', ns)?.metadata.deletionTimestamp).toBeUndefined();

    // A re-install finds its claim and namespace again (they kept the labels), and --delete-volumes removes the claims.
    await applyRelease(env.ctx, release('db', ns, objs()), {});
    take();
    await deleteRelease(env.ctx, ns, 'db', { timeoutMs: 20_000, deleteVolumes: true });
    const again = take();
    expect(again).toEqual(expect.arrayContaining(['persistentvolumeclaim/data pruned', 'persistentvolumeclaim/www-db-0 pruned']));
    // The history that knew the release created the namespace is gone: it is now kept as one it may not have created.
    expect(again).toContain('namespace/volumes kept (namespace not known to be created by this release)');
    await env.api.settle();
    expect(env.api.store.get('v1', 'PersistentVolumeClaim', ns, 'data')).toBeUndefined();
    expect(env.api.store.get('v1', 'PersistentVolumeClaim', ns, 'www-db-0')).toBeUndefined();
  });

  it('asks for confirmation with the plan; declining changes nothing', async () => {
    const ns = 'confirm';
    await applyRelease(env.ctx, release('c', ns, [namespace(ns), configMap('c', { v: '1' }), deployment('web', 1)]), {});
    let seen: DeletePlan | undefined;
    const rv = env.api.store.resourceVersion();
    const err = await deleteRelease(env.ctx, ns, 'c', {
      confirm: async (p) => {
        seen = p;
        return false;
      },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(DeleteCancelledError);
    expect(seen!.remove.map((r) => `${r.kind}/${r.name}`)).toEqual(['Deployment/web', 'ConfigMap/c', 'Namespace/confirm']);
    expect(seen!.revisions).toBe(1);
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'c')).toBeDefined();
    expect((await releaseHistory(env.client, ns, 'c')).map((h) => h.status)).toEqual(['deployed']);
    // Only the Lease was taken and given back.
    const writes = Number(env.api.store.resourceVersion()) - Number(rv);
    expect(writes).toBeLessThanOrEqual(2);
  });
});

describe('a failed or interrupted revision changes nothing later', () => {
  const ns = 'leak';
  const rerender: RerenderRelease = async (input) =>
    release(input.name, input.namespace, [namespace(ns), deployment('web', Number((input.userValues as { replicas?: number }).replicas ?? 1))], input.userValues);

  it('a scale that times out does not carry its replica count into the next apply', async () => {
    await applyRelease(env.ctx, await rerender({ name: 'web', namespace: ns, module: { name: 'm', version: '1' }, userValues: { replicas: 1 } }), {});
    env.api.controllers.hold({ kind: 'Deployment', namespace: ns, name: 'web' });
    const err = await scaleRelease(env.ctx, ns, 'web', { replicas: 4, rerender, wait: true, timeoutMs: 1_000 }).catch((e) => e);
    env.api.controllers.clearFailures();
    expect(err).toBeInstanceOf(WaitError);
    expect((await releaseHistory(env.client, ns, 'web')).map((h) => h.status)).toEqual(['deployed', 'failed']);
    // What the CLI merges into the next render, and what the next apply records.
    expect(await currentValueOverrides(env.client, ns, 'web')).toEqual({});
    const res = await applyRelease(env.ctx, await rerender({ name: 'web', namespace: ns, module: { name: 'm', version: '1' }, userValues: { replicas: 1 } }), {});
    expect((await new HistoryStore(env.client, ns, 'web').read(res.revision)).valueOverrides).toEqual({});
    expect(env.api.store.get('apps/v1', 'Deployment', ns, 'web').spec.replicas).toBe(1);
  });

  it('nor does a scale killed after recording its pending revision', async () => {
    await scaleRelease(env.ctx, ns, 'web', { replicas: 2, rerender });
    expect(await currentValueOverrides(env.client, ns, 'web')).toEqual({ replicas: 2 });
    // A scale to 5 recorded as pending by a process that then died.
    const store = new HistoryStore(env.client, ns, 'web');
    const last = (await store.summaries()).at(-1)!;
    const rev = await store.read(last.revision);
    await store.write({ ...rev, revision: last.revision + 1, status: 'pending', valueOverrides: { replicas: 5 }, description: 'scale to 5' });
    expect(await currentValueOverrides(env.client, ns, 'web')).toEqual({ replicas: 2 });
    const res = await applyRelease(env.ctx, await rerender({ name: 'web', namespace: ns, module: { name: 'm', version: '1' }, userValues: { replicas: 2 } }), {});
    expect((await store.read(res.revision)).valueOverrides).toEqual({ replicas: 2 });
    expect((await store.summaries()).find((s) => s.revision === last.revision + 1)?.status).toBe('failed');
  });

  it('an interrupted delete followed by an apply leaves no revision uninstalling', async () => {
    const store = new HistoryStore(env.client, ns, 'web');
    const last = (await store.summaries()).at(-1)!;
    await store.setStatus(last.revision, 'uninstalling', `uninstalling (was: ${last.description})`);
    take();
    await applyRelease(env.ctx, await rerender({ name: 'web', namespace: ns, module: { name: 'm', version: '1' }, userValues: { replicas: 1 } }), {});
    expect(take()).toContain(`revision ${last.revision} was left uninstalling by an interrupted delete; marked failed`);
    const hist = await releaseHistory(env.client, ns, 'web');
    expect(hist.some((h) => h.status === 'uninstalling')).toBe(false);
    expect(hist.find((h) => h.revision === last.revision)?.status).toBe('failed');
    expect(hist.at(-1)!.status).toBe('deployed');
  });
});
