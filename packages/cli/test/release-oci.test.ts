// Issue 5's "done means", end to end against a real registry (docker-registry
// on 127.0.0.1) and the in-process test API server: publish → list → show →
// build a release from the OCI catalog → apply → tamper (re-push the tag) →
// apply and rollback refuse, naming both digests → --repin accepts.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { startRegistry, type TestRegistry } from '../../oci/test/registry.js';
import { renderAll } from '../src/commands/release-build/build.js';
import { exampleCatalog, exampleModuleAs, isolateRegistryEnv, root } from './oci-helpers.js';
import { run } from './run-opm.js';

const release = join(root, 'examples/releases/web-app-dev.cue');
const MODULE = 'simple-web-app';
const VERSION = '1.0.0-platform.1';

describe('a release from an OCI catalog', () => {
  let reg: TestRegistry;
  let api: TestApiServer;
  let catalog: string;
  let restoreEnv: () => void;
  const kube = () => ['--kubeconfig', api.kubeconfigPath];
  const historyHead = (rev: number) => api.store.get('v1', 'Secret', 'development', `opm.release.v1.web-app-dev.v${rev}`);

  beforeAll(async () => {
    restoreEnv = await isolateRegistryEnv();
    // A registry holds modules only; the platform rules come from OPM_PLATFORM.
    process.env.OPM_PLATFORM = join(exampleCatalog, 'platform.cue');
    [reg, api] = await Promise.all([startRegistry(), startTestApiServer({ controllers: true })]);
    catalog = `oci://${reg.host}/platform/catalog`;
  });
  afterAll(async () => {
    await Promise.all([reg?.stop(), api?.close()]);
    restoreEnv?.();
  });

  it('publish, list, show, build, apply; a re-pushed tag is refused until re-pinned', async () => {
    const pub = await run(['mod', 'publish', join(exampleCatalog, MODULE, VERSION), `${catalog}/${MODULE}`, '--version', VERSION]);
    expect(pub.code).toBe(0);
    const d1 = pub.stdout.trim();
    expect(d1).toMatch(/^sha256:[0-9a-f]{64}$/);

    const list = await run(['catalog', 'list', '--catalog', catalog]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${MODULE}  ${VERSION}\n`);
    const show = await run(['catalog', 'show', `${MODULE}:>=1.0.0 <2.0.0`, '--catalog', catalog]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`module     ${MODULE} ${VERSION}\ndigest     ${d1}\n`);

    // The build from the registry renders exactly what the directory catalog renders...
    const fromOci = await run(['release', 'build', release, '--catalog', catalog]);
    expect(fromOci.code).toBe(0);
    const fromDir = await run(['release', 'build', release, '--catalog', exampleCatalog]);
    expect(fromOci.stdout).toBe(fromDir.stdout);
    // The same warnings (a label value rendered as an annotation), and the rules OPM_PLATFORM put in place of published ones, said.
    const replaced = `opm: warning: OPM_PLATFORM=${process.env.OPM_PLATFORM}: these platform rules replace the ones published in ${catalog}\n`;
    expect(fromOci.stderr).toBe(replaced + fromDir.stderr);
    expect(fromOci.stdout).toContain('kind: Deployment');
    // ...and its result records the exact version and the manifest digest.
    const { ok } = await renderAll([release], { catalog });
    expect(ok[0]!.r.module).toEqual({ name: MODULE, version: VERSION, digest: d1, ref: `${catalog}/${MODULE}:${VERSION}@${d1}` });
    const vet = await run(['release', 'vet', release, '--catalog', catalog, '-o', 'json']);
    expect(JSON.parse(vet.stdout)[0].module).toEqual(ok[0]!.r.module);

    const apply = await run(['release', 'apply', release, '--catalog', catalog, '--create-namespace', ...kube()]);
    // apply says what build says (OPM_PLATFORM's rules in place of the published ones), and the history records it (below).
    expect(apply.stderr).toBe(fromOci.stderr);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('release web-app-dev revision 1 deployed in namespace development');
    expect(historyHead(1).metadata.annotations['opm.dev/module-digest']).toBe(d1);
    // The history says which rules were applied: OPM_PLATFORM's, with the digest a directory catalog with them records.
    expect(historyHead(1).metadata.annotations['opm.dev/platform-source']).toBe(`OPM_PLATFORM=${process.env.OPM_PLATFORM}`);
    expect(historyHead(1).metadata.annotations['opm.dev/platform-digest']).toBe(ok[0]!.r.platform.digest);
    expect((await renderAll([release], { catalog: exampleCatalog })).ok[0]!.r.platform).toEqual({ source: process.env.OPM_PLATFORM, digest: ok[0]!.r.platform.digest });

    // Tamper: another artifact pushed under the same tag.
    const tampered = await exampleModuleAs(MODULE, VERSION, VERSION, '\n// re-pushed with other content\n');
    const push = await run(['mod', 'publish', tampered, `${catalog}/${MODULE}`, '--version', VERSION, '--force']);
    expect(push.code).toBe(0);
    const d2 = push.stdout.trim();
    expect(d2).not.toBe(d1);
    expect(push.stderr).toContain(`(replaced ${d1})`);

    // diff previews the refusal (the objects themselves did not change: the re-push only added a comment).
    const diff = await run(['release', 'diff', release, '--catalog', catalog, ...kube()]);
    expect(diff.code).toBe(0);
    expect(diff.stderr).toContain(`opm: warning: module ${MODULE} ${VERSION} changed in the catalog: release web-app-dev revision 1 was deployed from ${d1}`);
    expect(diff.stderr).toContain('`opm release apply` refuses it without --repin.');

    const refused = await run(['release', 'apply', release, '--catalog', catalog, ...kube()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`release web-app-dev revision 1 was deployed from ${d1}, but ${MODULE}:${VERSION} now resolves to ${d2}`);
    expect(refused.stderr).toContain('--repin');
    expect(historyHead(2)).toBeUndefined();

    const repinned = await run(['release', 'apply', release, '--catalog', catalog, '--repin', ...kube()]);
    expect(repinned.stderr).toBe(fromOci.stderr);
    expect(repinned.code).toBe(0);
    expect(repinned.stdout).toContain('revision 2 deployed');
    expect(historyHead(2).metadata.annotations['opm.dev/module-digest']).toBe(d2);

    // Rollback to revision 1 checks, in the registry recorded with it, that its artifact is still behind the tag.
    const back = await run(['release', 'rollback', 'web-app-dev', '1', '-n', 'development', ...kube()]);
    expect(back.code).toBe(1);
    expect(back.stderr).toContain(`rollback to revision 1: oci://${reg.host}/platform/catalog/${MODULE}:${VERSION} changed since it was pinned: it now points to ${d2}, but ${d1} was pinned.`);
    expect(back.stderr).toContain('--repin');
    expect(historyHead(3)).toBeUndefined();

    const forced = await run(['release', 'rollback', 'web-app-dev', '1', '-n', 'development', '--repin', ...kube()]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('rolled back to revision 1 (now revision 3)');
    expect(forced.stderr).toContain(`now points to ${d2}; rolling back to revision 1, rendered from ${d1} (--repin)`);
    expect(historyHead(3).metadata.annotations['opm.dev/module-digest']).toBe(d1);
  });

  it('rollback refuses a recorded artifact that is gone from the registry', async () => {
    // Revision 3 (above) is pinned to d1; the tag moved to d2. Deleting d1's manifest leaves nothing to verify against.
    const { OciCatalog } = await import('@opm/oci');
    const cat = new OciCatalog(catalog);
    const pinned = historyHead(3).metadata.annotations['opm.dev/module-digest'] as string;
    const res = await fetch(`http://${reg.host}/v2/platform/catalog/${MODULE}/manifests/${pinned}`, { method: 'DELETE' });
    expect(res.status).toBe(202);
    // Revision 3 is pinned to d1 again: going forward to d2 needs --repin once more.
    expect((await run(['release', 'apply', release, '--catalog', catalog, ...kube()])).code).toBe(1);
    expect((await run(['release', 'apply', release, '--catalog', catalog, '--repin', ...kube()])).stdout).toContain('revision 4 deployed');
    // The cache of this test run holds d1: a fresh cache must go to the registry.
    process.env.OPM_CACHE_DIR = join(process.env.OPM_CACHE_DIR!, 'fresh');
    const back = await run(['release', 'rollback', 'web-app-dev', '3', '-n', 'development', '--repin', ...kube()]);
    expect(back.code).toBe(1);
    expect(back.stderr).toMatch(/rollback to revision 3: module artifact .* is no longer in the registry/);
    expect((await cat.resolve(MODULE, VERSION)).digest).not.toBe(pinned);
  });
});
