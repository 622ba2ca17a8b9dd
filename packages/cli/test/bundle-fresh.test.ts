// bin/opm.js runs the CLI bundle only while it is at least as new as every
// bundled package's compiled output (bin/bundle-fresh.js); the benches ask the
// same function which of the two they measured.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const source = fileURLToPath(new URL('../bin/bundle-fresh.js', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A packages/ layout with the function in cli/bin; `times` sets each file's mtime (seconds), undefined leaves it out. */
function layout(times: Record<string, number | undefined>): () => boolean {
  const root = mkdtempSync(path.join(tmpdir(), 'opm-fresh-'));
  dirs.push(root);
  mkdirSync(path.join(root, 'cli/bin'), { recursive: true });
  writeFileSync(path.join(root, 'cli/bin/package.json'), '{"type":"commonjs"}');
  copyFileSync(source, path.join(root, 'cli/bin/bundle-fresh.js'));
  for (const [rel, t] of Object.entries(times)) {
    if (t === undefined) continue;
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, '');
    utimesSync(p, t, t);
  }
  return createRequire(import.meta.url)(path.join(root, 'cli/bin/bundle-fresh.js')).cliBundleIsFresh;
}

const built = (pkgs: number, bundle: number | undefined, over: Record<string, number | undefined> = {}) => ({
  ...Object.fromEntries(['cli', 'cue', 'core', 'oci', 'kube'].map((p) => [`${p}/dist/.tsbuildinfo`, pkgs])),
  'cli/dist/bundle/opm.js': bundle,
  ...over,
});

describe('cliBundleIsFresh', () => {
  it('is true for a bundle at least as new as every compiled package', () => {
    expect(layout(built(1000, 2000))()).toBe(true);
    expect(layout(built(2000, 2000))()).toBe(true);
  });
  it('is false without a bundle, with a package compiled after it, or with a package never compiled', () => {
    expect(layout(built(1000, undefined))()).toBe(false);
    expect(layout(built(1000, 2000, { 'kube/dist/.tsbuildinfo': 3000 }))()).toBe(false);
    expect(layout(built(1000, 2000, { 'oci/dist/.tsbuildinfo': undefined }))()).toBe(false);
  });
});
