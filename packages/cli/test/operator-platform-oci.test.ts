// `opm operator run --platform oci://REGISTRY/PREFIX`: the operator enforces the platform rules published
// in an OCI catalog (`opm catalog publish`, PREFIX/opm-platform), not the ones next to its modules; a
// registry without published rules stops it from starting. Real docker-registry on 127.0.0.1.
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryCatalog } from '@opm/core';
import { startTestApiServer } from '@opm/test-apiserver';
import { startRegistry, type TestRegistry } from '../../oci/test/registry.js';
import { withPlatform } from '../src/commands/operator/platform.js';
import { exampleCatalog, isolateRegistryEnv } from './oci-helpers.js';
import { runWebReleases } from './operator-platform-run.js';
import { run } from './run-opm.js';

describe('opm operator run --platform oci://', () => {
  let reg: TestRegistry;
  let restoreEnv: () => void;
  beforeAll(async () => {
    restoreEnv = await isolateRegistryEnv();
    reg = await startRegistry();
    // The published rules are stricter than the catalog directory's own: `development` is no longer covered.
    const strict = await mkdtemp(join(tmpdir(), 'opm-op-platform-'));
    await cp(exampleCatalog, strict, { recursive: true });
    const text = await readFile(join(strict, 'platform.cue'), 'utf8');
    const changed = text.replace('namespaces: ["development", "dev-*"]', 'namespaces: ["dev-*"]');
    expect(changed).not.toBe(text);
    await writeFile(join(strict, 'platform.cue'), changed);
    const pub = await run(['catalog', 'publish', strict, `oci://${reg.host}/governed`, '--version', '1.0.0']);
    expect(pub.stderr).toBe('');
    expect(pub.code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await reg?.stop();
    restoreEnv?.();
  });

  it('enforces the rules published in the registry, pinned by digest', async () => {
    const choice = await withPlatform(new DirectoryCatalog(exampleCatalog), `oci://${reg.host}/governed`, {});
    expect(choice.describe).toMatch(new RegExp(`^oci://${reg.host.replace(/\./g, '\\.')}/governed/opm-platform:1\\.0\\.0@sha256:[0-9a-f]{64} \\(version 1\\.0\\.0\\)$`));
    await runWebReleases({ catalog: choice.catalog }, ({ api, cond }) => {
      // The directory's own platform.cue covers `development`; the published rules do not.
      expect(cond('development', 'Stalled')).toMatchObject({ status: 'True' });
      expect(cond('development', 'Stalled').message).toMatch(/namespace development/);
      expect(api.store.get('apps/v1', 'Deployment', 'development', 'web-web')).toBeUndefined();
      expect(cond('dev-a', 'Ready')).toMatchObject({ status: 'True' });
    });
  }, 120_000);

  it('refuses to start when the registry has no platform rules', async () => {
    await expect(withPlatform(new DirectoryCatalog(exampleCatalog), `oci://${reg.host}/nothing-here`, {})).rejects.toThrow(/no platform rules are published there \(repository opm-platform\)/);
    const api = await startTestApiServer();
    try {
      const r = await run(['operator', 'run', '--kubeconfig', api.kubeconfigPath, '--no-leader-elect', '--catalog', exampleCatalog, '--platform', `oci://${reg.host}/nothing-here`]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/--platform oci:\/\/.*\/nothing-here: no platform rules are published there/);
      expect(api.requests).toEqual([]);
    } finally {
      await api.close();
    }
  });
});
