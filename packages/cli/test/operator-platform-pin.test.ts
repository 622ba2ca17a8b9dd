// `opm operator run --platform oci://REGISTRY/PREFIX:VERSION` and `…@sha256:DIGEST`: the operator enforces that
// published version (not the newest), or exactly that artifact, and records the rules' reference, version and
// digest in each ModuleRelease's status. Real docker-registry on 127.0.0.1.
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryCatalog } from '@opm/core';
import { OciCatalog } from '@opm/oci';
import { startRegistry, type TestRegistry } from '../../oci/test/registry.js';
import { withPlatform } from '../src/commands/operator/platform.js';
import { exampleCatalog, isolateRegistryEnv } from './oci-helpers.js';
import { runWebReleases } from './operator-platform-run.js';
import { run } from './run-opm.js';

async function publish(dir: string, target: string, version: string): Promise<string> {
  const r = await run(['catalog', 'publish', dir, target, '--version', version, '-o', 'json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const row = (JSON.parse(r.stdout) as { artifact: string; digest?: string }[]).find((x) => x.artifact === 'opm-platform')!;
  expect(row.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  return row.digest!;
}

describe('opm operator run --platform oci://…:VERSION / @sha256:…', () => {
  let reg: TestRegistry;
  let restoreEnv: () => void;
  let strictDigest: string;
  let lenientDigest: string;
  let target: string;
  beforeAll(async () => {
    restoreEnv = await isolateRegistryEnv();
    reg = await startRegistry();
    target = `oci://${reg.host}/pinned`;
    // 1.0.0: stricter rules (`development` not covered); 2.0.0, the newest: the example's own (it is covered).
    const strict = await mkdtemp(join(tmpdir(), 'opm-op-pin-'));
    await cp(exampleCatalog, strict, { recursive: true });
    const text = await readFile(join(strict, 'platform.cue'), 'utf8');
    const changed = text.replace('namespaces: ["development", "dev-*"]', 'namespaces: ["dev-*"]');
    expect(changed).not.toBe(text);
    await writeFile(join(strict, 'platform.cue'), changed);
    strictDigest = await publish(strict, target, '1.0.0');
    lenientDigest = await publish(exampleCatalog, target, '2.0.0');
    expect(strictDigest).not.toBe(lenientDigest);
  }, 180_000);
  afterAll(async () => {
    await reg?.stop();
    restoreEnv?.();
  });

  const host = () => reg.host.replace(/\./g, '\\.');

  it('takes the newest without a version, that version with one, and exactly that artifact with a digest', async () => {
    const catalog = new DirectoryCatalog(exampleCatalog);
    const newest = await withPlatform(catalog, target, {});
    expect(newest.pin).toEqual({ ref: `${target}/opm-platform:2.0.0@${lenientDigest}`, version: '2.0.0', digest: lenientDigest });

    const byVersion = await withPlatform(catalog, `${target}:1.0.0`, {});
    expect(byVersion.pin).toEqual({ ref: `${target}/opm-platform:1.0.0@${strictDigest}`, version: '1.0.0', digest: strictDigest });
    expect(byVersion.describe).toMatch(new RegExp(`^oci://${host()}/pinned/opm-platform:1\\.0\\.0@${strictDigest} \\(version 1\\.0\\.0\\)$`));

    // By digest alone, on the catalog prefix or on the artifact's own repository (as the log prints it).
    for (const flag of [`${target}@${strictDigest}`, `${target}/opm-platform@${strictDigest}`, `${target}/opm-platform:1.0.0@${strictDigest}`]) {
      expect((await withPlatform(catalog, flag, {})).pin, flag).toEqual({ ref: `${target}/opm-platform:1.0.0@${strictDigest}`, version: '1.0.0', digest: strictDigest });
    }
  }, 60_000);

  it('refuses a version that is not published, a digest that is not there, and a version that is not the digest\'s', async () => {
    const catalog = new DirectoryCatalog(exampleCatalog);
    await expect(withPlatform(catalog, `${target}:3.0.0`, {})).rejects.toThrow(/--platform .*:3\.0\.0: opm-platform@3\.0\.0 is not in .* \(available: 1\.0\.0, 2\.0\.0\)/);
    const missing = `sha256:${'0'.repeat(64)}`;
    await expect(withPlatform(catalog, `${target}@${missing}`, {})).rejects.toThrow(/--platform .*@sha256:0{64}: /);
    await expect(withPlatform(catalog, `${target}:2.0.0@${strictDigest}`, {})).rejects.toThrow(new RegExp(`${strictDigest} is version 1\\.0\\.0 of .*opm-platform, not 2\\.0\\.0`));
    await expect(withPlatform(catalog, `${target}@sha256:abc`, {})).rejects.toThrow(/invalid digest/);
    // A catalog is many modules, each pinned by its own version and digest: a tag on the catalog is refused.
    expect(() => new OciCatalog(`${target}:1.0.0`)).toThrow(/give oci:\/\/REGISTRY\/PREFIX without a tag or digest/);
  }, 60_000);

  it('enforces the pinned version (not the newest) and records its digest in each release status', async () => {
    const choice = await withPlatform(new DirectoryCatalog(exampleCatalog), `${target}:1.0.0`, {});
    await runWebReleases({ catalog: choice.catalog, platform: choice.pin! }, ({ mr, cond }) => {
      // 1.0.0 does not cover `development` (2.0.0, the newest, would).
      expect(cond('development', 'Stalled')).toMatchObject({ status: 'True' });
      expect(cond('development', 'Stalled').message).toMatch(/namespace development/);
      expect(cond('dev-a', 'Ready')).toMatchObject({ status: 'True' });
      expect(mr('dev-a').status.platform).toEqual({ ref: `${target}/opm-platform:1.0.0@${strictDigest}`, version: '1.0.0', digest: strictDigest });
    });
  }, 120_000);
});
