// Governance travels with the catalog: `opm catalog publish` pushes the
// platform rules and the catalog's providers as artifacts of their own next
// to the modules (real docker-registry on 127.0.0.1); a build from the oci://
// catalog applies those rules and providers, and a registry catalog whose
// rules cannot be found is refused.
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../../oci/test/registry.js';
import { exampleCatalog, isolateRegistryEnv, root } from './oci-helpers.js';
import { run } from './run-opm.js';

const PROVIDER = `package extra

// A catalog transformer: a ServiceAccount per workload component.
transformers: "service-account": {
	kind: "component"
	#in:  _
	let IN = #in
	out: [if IN.component.workload != _|_ {
		apiVersion: "v1"
		kind:       "ServiceAccount"
		metadata: name: "\\(IN.context.release)-\\(IN.name)"
	}]
}
`;

describe('opm catalog publish', () => {
  let reg: TestRegistry;
  let restoreEnv: () => void;
  let dir: string;
  beforeAll(async () => {
    restoreEnv = await isolateRegistryEnv();
    reg = await startRegistry();
    dir = await mkdtemp(join(tmpdir(), 'opm-cat-pub-'));
    await cp(exampleCatalog, dir, { recursive: true });
    await mkdir(join(dir, 'providers/extra'), { recursive: true });
    await writeFile(join(dir, 'providers/extra/sa.cue'), PROVIDER);
  });
  afterAll(async () => {
    await reg?.stop();
    restoreEnv?.();
  });

  it('publishes rules, providers and modules; an oci:// build applies the rules and the providers', async () => {
    const catalog = `oci://${reg.host}/governed`;
    const pub = await run(['catalog', 'publish', dir, catalog, '--version', '1.0.0']);
    expect(pub.stderr).toBe('');
    expect(pub.code).toBe(0);
    expect(pub.stdout).toMatch(/^opm-platform:1\.0\.0 {2}sha256:[0-9a-f]{64}$/m);
    expect(pub.stdout).toMatch(/^opm-providers:1\.0\.0 {2}sha256:[0-9a-f]{64}$/m);
    expect(pub.stdout).toMatch(/^simple-web-app:1\.0\.0-platform\.1 {2}sha256:[0-9a-f]{64}$/m);
    const list = await run(['catalog', 'list', '--catalog', catalog]);
    expect(list.stdout).not.toContain('opm-platform');

    // The published provider runs...
    const build = await run(['release', 'build', join(root, 'examples/releases/web-app-dev.cue'), '--catalog', catalog]);
    expect(build.code).toBe(0);
    expect(build.stdout).toContain('kind: ServiceAccount');
    expect(build.stdout).toContain('name: web-app-dev-web');
    // The release records the published rules it was checked against: the artifact, pinned by digest.
    const platformDigest = /^opm-platform:1\.0\.0 {2}(sha256:[0-9a-f]{64})$/m.exec(pub.stdout)![1]!;
    const vet = JSON.parse((await run(['release', 'vet', join(root, 'examples/releases/web-app-dev.cue'), '--catalog', catalog, '-o', 'json'])).stdout);
    expect(vet[0].platform.source).toBe(`${catalog}/opm-platform:1.0.0@${platformDigest}`);
    expect(vet[0].platform.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // ... and the published environment rules apply: production requires its annotations.
    const rel = join(dir, 'prod-without-cr.cue');
    const { readFile } = await import('node:fs/promises');
    await writeFile(rel, (await readFile(join(root, 'examples/releases/web-app-prod.cue'), 'utf8')).replace(/"deployment\.company\.com\/change-request": "CR-2024-0156"\n/, ''));
    const refused = await run(['release', 'build', rel, '--catalog', catalog]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('environment production requires annotation deployment.company.com/change-request');

    // A second publish keeps the module versions already there and adds a new rules version.
    const again = await run(['catalog', 'publish', dir, catalog, '--version', '1.1.0']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^simple-web-app:1\.0\.0-platform\.1 {2}exists, kept/m);
    expect(again.stdout).toMatch(/^opm-platform:1\.1\.0 {2}sha256:/m);
  });

  // `opm release build` checks a catalog module whole only once a render failed: the catalog
  // version is where every module is checked whole, so a broken one is never handed out.
  it('refuses a catalog with a module that fails its whole-module check, and pushes nothing', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'opm-cat-broken-'));
    await cp(exampleCatalog, broken, { recursive: true });
    const { readFile } = await import('node:fs/promises');
    const mod = join(broken, 'simple-web-app/1.0.0-platform.1/module.cue');
    await writeFile(mod, (await readFile(mod, 'utf8')).replace('#immutable: {', '_unused: 1 & 2\n\t#immutable: {'));
    const catalog = `oci://${reg.host}/broken`;
    const pub = await run(['catalog', 'publish', broken, catalog, '--version', '1.0.0']);
    expect(pub.code).toBe(1);
    expect(pub.stderr).toMatch(/simple-web-app\/1\.0\.0-platform\.1: .*module simple-web-app 1\.0\.0-platform\.1: module\._unused\S*: conflicting values 1 and 2/);
    expect(pub.stdout).toBe('');
    // Nothing was pushed: not even the rules, which come first.
    const list = await run(['catalog', 'list', '--catalog', catalog]);
    expect(list.stdout).not.toContain('simple-web-app');
    const build = await run(['release', 'build', join(root, 'examples/releases/web-app-dev.cue'), '--catalog', catalog]);
    // A module that is not in the catalog is the user's to fix (exit 1), as for a directory catalog.
    expect(build.stderr).toContain('simple-web-app@1.0.0-platform.1 is not in');
    expect(build.code).toBe(1);
  });

  it('refuses a catalog without platform rules, to publish and to build from', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'opm-cat-bare-'));
    await cp(join(exampleCatalog, 'simple-web-app'), join(bare, 'simple-web-app'), { recursive: true });
    const pub = await run(['catalog', 'publish', bare, `oci://${reg.host}/bare`, '--version', '1.0.0']);
    expect(pub.code).toBe(1);
    expect(pub.stderr).toMatch(/has no platform rules/);
    // Modules pushed one by one, without the rules: a build cannot find them and refuses.
    const catalog = `oci://${reg.host}/ungoverned`;
    expect((await run(['mod', 'publish', join(exampleCatalog, 'simple-web-app/1.0.0-platform.1'), `${catalog}/simple-web-app`, '--version', '1.0.0-platform.1'])).code).toBe(0);
    const build = await run(['release', 'build', join(root, 'examples/releases/web-app-dev.cue'), '--catalog', catalog]);
    expect(build.code).toBe(1);
    expect(build.stderr).toMatch(/has no platform rules \(platform\.cue\): refusing to build without them; add them \(publish them with `opm catalog publish`\)/);
  });
});
