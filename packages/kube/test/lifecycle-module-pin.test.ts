// The module digest a release records, and the refusal to deploy a module
// version whose artifact changed since (unless re-pinned).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRelease } from '../src/apply-release.js';
import { HistoryStore } from '../src/history/store.js';
import { ModuleDigestChangedError } from '../src/module-pin.js';
import { rollbackRelease } from '../src/rollback.js';
import { scaleRelease } from '../src/scale.js';
import type { DesiredRelease } from '../src/types.js';
import { configMap, deployment, namespace, release, startEnv, type Env } from './lifecycle-helpers.js';

let env: Env;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(async () => {
  await env?.api.close();
});

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const withDigest = (r: DesiredRelease, digest: string | undefined, version = r.module.version): DesiredRelease => ({
  ...r,
  module: { name: r.module.name, version, ...(digest ? { digest, ref: `oci://127.0.0.1:5000/catalog/${r.module.name}:${version}@${digest}` } : {}) },
});

describe('module digest pinning', () => {
  it('records the digest in the revision and its head Secret', async () => {
    const ns = 'pin-record';
    await applyRelease(env.ctx, withDigest(release('p', ns, [namespace(ns), configMap('c', { a: '1' })]), D1));
    const store = new HistoryStore(env.client, ns, 'p');
    expect((await store.read(1)).module).toEqual({ name: 'simple-web-app', version: '1.0.0', digest: D1, ref: `oci://127.0.0.1:5000/catalog/simple-web-app:1.0.0@${D1}` });
    expect((await store.summaries())[0]!.moduleDigest).toBe(D1);
    expect(env.api.store.get('v1', 'Secret', ns, 'opm.release.v1.p.v1').metadata.annotations['opm.dev/module-digest']).toBe(D1);
  });

  it('refuses a changed artifact for the same version, naming both digests, unless re-pinned', async () => {
    const ns = 'pin-refuse';
    const objs = [namespace(ns), configMap('c', { a: '1' })];
    await applyRelease(env.ctx, withDigest(release('p', ns, objs), D1));
    const changed = withDigest(release('p', ns, [namespace(ns), configMap('c', { a: 'tampered' })]), D2);
    const err = await applyRelease(env.ctx, changed).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModuleDigestChangedError);
    expect((err as Error).message).toMatch(
      new RegExp(`module simple-web-app 1\\.0\\.0 changed in the catalog: release p revision 1 was deployed from ${D1}, but simple-web-app:1\\.0\\.0 now resolves to ${D2}`),
    );
    expect((err as Error).message).toContain('--repin');
    // Nothing was applied or recorded.
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'c').data).toEqual({ a: '1' });
    expect((await new HistoryStore(env.client, ns, 'p').summaries()).map((s) => s.revision)).toEqual([1]);
    // A dry run says the same.
    await expect(applyRelease(env.ctx, changed, { dryRun: 'client' })).rejects.toBeInstanceOf(ModuleDigestChangedError);

    const res = await applyRelease(env.ctx, changed, { repin: true });
    expect(res.revision).toBe(2);
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'c').data).toEqual({ a: 'tampered' });
    // The new digest is now the pin: applying it again needs no flag (and, unchanged, records no revision).
    expect(await applyRelease(env.ctx, changed)).toMatchObject({ revision: 2, unchanged: true });
  });

  it('pins per version: another version, or a module without a digest, is not refused', async () => {
    const ns = 'pin-versions';
    await applyRelease(env.ctx, withDigest(release('p', ns, [namespace(ns), configMap('c', { a: '1' })]), D1));
    await applyRelease(env.ctx, withDigest(release('p', ns, [namespace(ns), configMap('c', { a: '2' })]), D2, '1.1.0'));
    await applyRelease(env.ctx, withDigest(release('p', ns, [namespace(ns), configMap('c', { a: '3' })]), undefined));
    // Back to 1.0.0 from a directory catalog (no digest) at revision 3: the latest 1.0.0 record has no pin.
    expect((await applyRelease(env.ctx, withDigest(release('p', ns, [namespace(ns), configMap('c', { a: '4' })]), D2))).revision).toBe(4);
  });

  it('lets the caller verify the target module before a rollback applies anything', async () => {
    const ns = 'pin-rollback';
    await applyRelease(env.ctx, withDigest(release('p', ns, [namespace(ns), configMap('c', { a: '1' })]), D1));
    await applyRelease(env.ctx, withDigest(release('p', ns, [namespace(ns), configMap('c', { a: '2' })]), D2, '1.1.0'));
    const seen: unknown[] = [];
    const refuse = async (m: unknown, rev: number) => {
      seen.push({ m, rev });
      throw new Error('artifact changed');
    };
    await expect(rollbackRelease(env.ctx, ns, 'p', undefined, { verifyModule: refuse })).rejects.toThrow('artifact changed');
    expect(seen).toEqual([{ m: { name: 'simple-web-app', version: '1.0.0', digest: D1, ref: `oci://127.0.0.1:5000/catalog/simple-web-app:1.0.0@${D1}` }, rev: 1 }]);
    expect(env.api.store.get('v1', 'ConfigMap', ns, 'c').data).toEqual({ a: '2' });
    const ok = await rollbackRelease(env.ctx, ns, 'p', undefined, { verifyModule: async () => undefined });
    expect(ok).toMatchObject({ target: 1, revision: 3 });
    expect((await new HistoryStore(env.client, ns, 'p').read(3)).module.digest).toBe(D1);
  });

  it('scale, which re-renders the module, refuses a changed artifact too', async () => {
    const ns = 'pin-scale';
    await applyRelease(env.ctx, withDigest(release('p', ns, [namespace(ns), deployment('web', 1)]), D1));
    const rerender = async () => withDigest(release('p', ns, [namespace(ns), deployment('web', 3)]), D2);
    await expect(scaleRelease(env.ctx, ns, 'p', { replicas: 3, rerender })).rejects.toThrow(`was deployed from ${D1}, but simple-web-app:1.0.0 now resolves to ${D2}`);
    expect(env.api.store.get('apps/v1', 'Deployment', ns, 'web').spec.replicas).toBe(1);
  });
});
