// `opm mod publish` against a real registry (docker-registry), in-process. The
// module is vetted first (an example catalog module), and published only under
// the name and version it declares.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { OciCatalog } from '@opm/oci';
import { run } from './run-opm.js';
import { join } from 'node:path';
import { exampleCatalog, exampleModuleAs } from './oci-helpers.js';
import { startRegistry, TEST_PASSWORD, TEST_USER, type TestRegistry } from '../../oci/test/registry.js';

describe('opm mod publish', () => {
  let reg: TestRegistry;
  let secure: TestRegistry;
  let dir: string;
  const savedHome = process.env.HOME;
  beforeAll(async () => {
    [reg, secure] = await Promise.all([startRegistry(), startRegistry({ htpasswd: true })]);
    dir = join(exampleCatalog, 'simple-web-app', '1.0.0-platform.1');
    // No user docker config may leak into the test.
    process.env.HOME = '/nonexistent-home';
  });
  afterAll(async () => {
    process.env.HOME = savedHome;
    await Promise.all([reg?.stop(), secure?.stop()]);
  });
  afterEach(() => vi.restoreAllMocks());

  it('publishes, prints the digest, and refuses an existing version unless --force', async () => {
    const first = await run(['mod', 'publish', dir, `oci://${reg.host}/catalog/simple-web-app`, '--version', '1.0.0-platform.1']);
    expect(first.stderr).toMatch(/published oci:\/\/127\.0\.0\.1:\d+\/catalog\/simple-web-app:1\.0\.0-platform\.1@sha256:/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^sha256:[a-f0-9]{64}\n$/);
    const digest = first.stdout.trim();
    const cat = new OciCatalog(`oci://${reg.host}/catalog`, { env: { HOME: '/nonexistent-home' } });
    expect((await cat.resolve('simple-web-app', '1.0.0-platform.1')).digest).toBe(digest);

    const again = await run(['mod', 'publish', dir, `oci://${reg.host}/catalog/simple-web-app`, '--version', '1.0.0-platform.1']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists \(sha256:[a-f0-9]{64}\); publish with --force/);

    const changed = await exampleModuleAs('simple-web-app', '1.0.0-platform.1', '1.0.0-platform.1', '\n// changed\n');
    const forced = await run(['mod', 'publish', changed, `oci://${reg.host}/catalog/simple-web-app`, '--version', '1.0.0-platform.1', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain(`(replaced ${digest})`);
    await expect(cat.verify('simple-web-app', '1.0.0-platform.1', digest)).rejects.toThrow(new RegExp(`now points to ${forced.stdout.trim()}, but ${digest} was pinned`));
  });

  it('authenticates with --registry-username and --password-stdin', async () => {
    const ok = await run(['mod', 'publish', dir, `oci://${secure.host}/catalog/simple-web-app`, '--version', '1.0.0-platform.1', '--registry-username', TEST_USER, '--password-stdin'], `${TEST_PASSWORD}\n`);
    expect(ok.stderr).toMatch(/published/);
    expect(ok.code).toBe(0);
    const anon = await run(['mod', 'publish', dir, `oci://${secure.host}/catalog/simple-web-app`, '--version', '1.0.0-platform.1']);
    expect(anon.code).toBe(3);
    expect(anon.stderr).toMatch(/requires authentication/);
    const wrong = await run(['mod', 'publish', dir, `oci://${secure.host}/catalog/simple-web-app`, '--version', '1.0.0-platform.1', '--registry-username', TEST_USER, '--password-stdin'], 'bad-secret\n');
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/authentication to .* failed/);
    expect(wrong.stderr + wrong.stdout).not.toContain('bad-secret');
  });

  it('reports usage errors', async () => {
    const noVersion = await run(['mod', 'publish', dir, `oci://${reg.host}/catalog/simple-web-app`]);
    expect(noVersion.code).toBe(2);
    const badRef = await run(['mod', 'publish', dir, `${reg.host}/catalog/simple-web-app`, '--version', '1.0.0-platform.1']);
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toMatch(/target must be oci:\/\/REGISTRY\/REPO/);
    const userOnly = await run(['mod', 'publish', dir, `oci://${reg.host}/catalog/simple-web-app`, '--version', '1.0.0-platform.1', '--registry-username', 'u']);
    expect(userOnly.code).toBe(2);
    expect(userOnly.stderr).toMatch(/--registry-username needs --password-stdin/);
    const badVersion = await run(['mod', 'publish', dir, `oci://${reg.host}/catalog/simple-web-app`, '--version', 'v-one']);
    expect(badVersion.code).toBe(1);
    expect(badVersion.stderr).toMatch(/refusing to publish: --version v-one does not match the module's #metadata\.version 1\.0\.0-platform\.1/);
  });

  it('vets first and refuses a version or repository that does not match #metadata', async () => {
    const otherVersion = await run(['mod', 'publish', dir, `oci://${reg.host}/catalog/simple-web-app`, '--version', '2.0.0']);
    expect(otherVersion.code).toBe(1);
    expect(otherVersion.stderr).toMatch(/--version 2\.0\.0 does not match the module's #metadata\.version 1\.0\.0-platform\.1/);
    const otherRepo = await run(['mod', 'publish', dir, `oci://${reg.host}/catalog/web`, '--version', '1.0.0-platform.1']);
    expect(otherRepo.code).toBe(1);
    expect(otherRepo.stderr).toMatch(/repository web does not match the module's #metadata\.name simple-web-app/);
    // A module that fails vetting is not published at all.
    const broken = await exampleModuleAs('simple-web-app', '1.0.0-platform.1', '1.0.0-platform.1', '\n#Module: components: web: workload: containers: web: securityContext: privileged: true\n');
    const refused = await run(['mod', 'publish', broken, `oci://${reg.host}/catalog/simple-web-app`, '--version', '1.0.0-platform.1', '--force']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/must not be privileged/);
    expect(refused.stdout).toBe('');
  });
});
