// `opm catalog list` / `opm catalog show` on an oci:// catalog, against a real
// registry (docker-registry) started on 127.0.0.1, in-process.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, TEST_PASSWORD, TEST_USER, type TestRegistry } from '../../oci/test/registry.js';
import { exampleCatalog, exampleModuleAs, isolateRegistryEnv } from './oci-helpers.js';
import { run } from './run-opm.js';

describe('opm catalog on an OCI registry', () => {
  let reg: TestRegistry;
  let catalog: string;
  let restoreEnv: () => void;
  const digests: Record<string, string> = {};

  beforeAll(async () => {
    restoreEnv = await isolateRegistryEnv();
    reg = await startRegistry();
    catalog = `oci://${reg.host}/platform/catalog`;
    const web = 'simple-web-app';
    const sources: [string, string, string][] = [
      [web, '1.0.0-platform.1', join(exampleCatalog, web, '1.0.0-platform.1')],
      [web, '1.2.0-platform.1', await exampleModuleAs(web, '1.0.0-platform.1', '1.2.0-platform.1')],
      [web, '2.0.0-platform.1', await exampleModuleAs(web, '1.0.0-platform.1', '2.0.0-platform.1')],
      ['ecommerce-platform', '2.1.0-enterprise.3', join(exampleCatalog, 'ecommerce-platform', '2.1.0-enterprise.3')],
    ];
    for (const [name, version, dir] of sources) {
      const r = await run(['mod', 'publish', dir, `${catalog}/${name}`, '--version', version]);
      if (r.code !== 0) throw new Error(`publish ${name} ${version}: ${r.stderr}`);
      digests[`${name}:${version}`] = r.stdout.trim();
    }
  });
  afterAll(async () => {
    await reg?.stop();
    restoreEnv?.();
  });

  it('lists modules and versions, from --catalog and from OPM_CATALOG', async () => {
    const r = await run(['catalog', 'list', '--catalog', catalog]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `# catalog ${catalog}\n` +
        'NAME                VERSIONS\n' +
        'ecommerce-platform  2.1.0-enterprise.3\n' +
        'simple-web-app      1.0.0-platform.1, 1.2.0-platform.1, 2.0.0-platform.1\n',
    );
    process.env.OPM_CATALOG = catalog;
    try {
      const j = await run(['catalog', 'list', '-o', 'json']);
      expect(j.code).toBe(0);
      expect(JSON.parse(j.stdout)).toEqual({
        catalog,
        modules: [
          { name: 'ecommerce-platform', versions: ['2.1.0-enterprise.3'] },
          { name: 'simple-web-app', versions: ['1.0.0-platform.1', '1.2.0-platform.1', '2.0.0-platform.1'] },
        ],
      });
    } finally {
      delete process.env.OPM_CATALOG;
    }
  });

  it('filters versions with a semver range (prereleases included)', async () => {
    const r = await run(['catalog', 'list', '--catalog', catalog, '--version', '>=1.0.0 <2.0.0', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).modules).toEqual([{ name: 'simple-web-app', versions: ['1.0.0-platform.1', '1.2.0-platform.1'] }]);
    const one = await run(['catalog', 'list', 'simple-web-app:^2.0.0-0', '--catalog', catalog]);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('simple-web-app  2.0.0-platform.1\n');
    const bad = await run(['catalog', 'list', '--catalog', catalog, '--version', 'one-ish']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/"one-ish" is neither a version nor a semver range/);
  });

  it('shows the highest version in a range, with its digest', async () => {
    const r = await run(['catalog', 'show', 'simple-web-app:>=1.0.0 <2.0.0', '--catalog', catalog]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('module     simple-web-app 1.2.0-platform.1\n');
    expect(r.stdout).toContain(`digest     ${digests['simple-web-app:1.2.0-platform.1']}\n`);
    expect(r.stdout).toContain('versions   1.0.0-platform.1, 1.2.0-platform.1, 2.0.0-platform.1\n');
    expect(r.stdout).toMatch(/replicas: /);

    const exact = await run(['catalog', 'show', 'simple-web-app:1.0.0-platform.1', '--catalog', catalog, '-o', 'json']);
    expect(exact.code).toBe(0);
    const info = JSON.parse(exact.stdout);
    expect(info.version).toBe('1.0.0-platform.1');
    expect(info.digest).toBe(digests['simple-web-app:1.0.0-platform.1']);
    expect(info.ref).toBe(`${catalog}/simple-web-app:1.0.0-platform.1@${info.digest}`);

    const newest = await run(['catalog', 'show', 'simple-web-app', '--catalog', catalog]);
    expect(newest.stdout).toContain('module     simple-web-app 2.0.0-platform.1\n');
  });

  it('names what is missing', async () => {
    const none = await run(['catalog', 'show', 'simple-web-app:>=3.0.0', '--catalog', catalog]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/no version of module simple-web-app matches >=3\.0\.0; available: 1\.0\.0-platform\.1, 1\.2\.0-platform\.1, 2\.0\.0-platform\.1/);
    const unknown = await run(['catalog', 'show', 'no-such-module', '--catalog', catalog]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/has no module no-such-module/);
  });

  it('authenticates with --registry-username and --password-stdin', async () => {
    const secure = await startRegistry({ htpasswd: true });
    try {
      const url = `oci://${secure.host}/catalog`;
      const dir = join(exampleCatalog, 'simple-web-app', '1.0.0-platform.1');
      const login = ['--registry-username', TEST_USER, '--password-stdin'];
      const pub = await run(['mod', 'publish', dir, `${url}/simple-web-app`, '--version', '1.0.0-platform.1', ...login], `${TEST_PASSWORD}\n`);
      expect(pub.code).toBe(0);
      const anon = await run(['catalog', 'list', '--catalog', url]);
      expect(anon.code).toBe(3);
      expect(anon.stderr).toMatch(/requires authentication/);
      const list = await run(['catalog', 'list', '--catalog', url, ...login], `${TEST_PASSWORD}\n`);
      expect(list.stderr).toBe('');
      expect(list.stdout).toContain('simple-web-app  1.0.0-platform.1\n');
      const show = await run(['catalog', 'show', 'simple-web-app', '--catalog', url, ...login], `${TEST_PASSWORD}\n`);
      expect(show.stdout).toContain(`digest     ${pub.stdout.trim()}\n`);
      // The registry holds no platform rules for this catalog: refused, unless skipped on purpose (and said so).
      const refused = await run(['release', 'build', join(exampleCatalog, '../releases/web-app-dev.cue'), '--catalog', url, ...login], `${TEST_PASSWORD}\n`);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/has no platform rules \(platform\.cue\): refusing to build without them/);
      const build = await run(['release', 'build', join(exampleCatalog, '../releases/web-app-dev.cue'), '--catalog', url, '--no-platform-rules', ...login], `${TEST_PASSWORD}\n`);
      expect(build.code).toBe(0);
      expect(build.stdout).toContain('kind: Deployment');
      expect(build.stderr).toMatch(/warning: --no-platform-rules: the platform rules of catalog oci:\/\/.* are NOT applied/);
    } finally {
      await secure.stop();
    }
  });
});
