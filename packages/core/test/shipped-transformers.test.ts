// Build-time declarations of the built-in provider's transformers
// (src/shipped-transformers.ts): used only with the exact sources they were
// worked out from and only while newer than the builds evaluating them; what
// they say is what evaluating the transformers says.
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newContext, type Source } from '@opm/cue';
import { BUNDLED_CATALOG_DIR, KUBERNETES_PROVIDER_DIR, SCHEMA_DIR, shippedFromDisk } from '../src/shipped.js';
import { DirectoryCatalog } from '../src/directory-catalog.js';
import { NodeSession } from '../src/node-session.js';
import { readReleaseFile } from '../src/release-file.js';
import { renderReleaseInput } from '../src/release.js';
import { nodeFileSystem } from '../src/fs.js';
import { readCuePackage, CORE_IMPORT_PATH } from '../src/sources.js';
import { KUBERNETES_PROVIDER_IMPORT_PATH } from '../src/builtin-packages.js';
import { loadTransformers, transformersOf } from '../src/render.js';
import { shippedTransformers, shippedTransformersText } from '../src/shipped-transformers.js';

const RELEASES = path.join(BUNDLED_CATALOG_DIR, '../releases');
const dir = mkdtempSync(path.join(tmpdir(), 'opm-transformers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const schema = await readCuePackage(nodeFileSystem, SCHEMA_DIR);
const provider = await readCuePackage(nodeFileSystem, KUBERNETES_PROVIDER_DIR);

/** What evaluating each transformer of these sources declares (as loadTransformers reads a catalog's). */
async function evaluated(s: Source[], p: Source[]) {
  const core = { id: CORE_IMPORT_PATH, packageName: 'v1', files: s };
  const pkg = await newContext().buildPackage({ id: KUBERNETES_PROVIDER_IMPORT_PATH, packageName: 'kubernetes', files: p }, { resolver: { resolve: async (x) => (x === CORE_IMPORT_PATH ? core : undefined) } });
  return Object.fromEntries(transformersOf(pkg, p[0]!.filename).map((t) => [t.name, { kind: t.kind, requires: t.requires, when: t.when }]));
}

/** An artifact for these sources, `age` seconds newer than a build marker (negative: older). */
function artifact(name: string, sources: Source[], declared: object, age: number): { file: string; build: string } {
  const file = path.join(dir, `${name}.json`);
  const build = path.join(dir, `${name}.tsbuildinfo`);
  writeFileSync(file, shippedTransformersText(sources, declared as never));
  writeFileSync(build, '{}');
  const t = Date.now() / 1000;
  utimesSync(build, t, t);
  utimesSync(file, t + age, t + age);
  return { file, build };
}

describe('shipped transformer declarations', () => {
  it('render the example releases as evaluating the transformers does', async () => {
    const declared = await evaluated(schema, provider);
    expect(Object.keys(declared).length).toBeGreaterThan(10);
    const catalog = new DirectoryCatalog(BUNDLED_CATALOG_DIR);
    const plain = { coreSchema: shippedFromDisk.coreSchema, kubernetesProvider: shippedFromDisk.kubernetesProvider };
    const render = async (s: NodeSession) => {
      const out = [];
      for (const f of readdirSync(RELEASES).sort()) out.push((await renderReleaseInput(s, await readReleaseFile(s, path.join(RELEASES, f)))).objects);
      return out;
    };
    const known = new NodeSession({ catalog, shipped: { ...plain, builtinTransformers: async () => declared } });
    const ts = await loadTransformers(known);
    expect(ts.map((t) => ({ name: t.name, kind: t.kind, requires: t.requires, when: t.when }))).toEqual(Object.entries(declared).map(([name, d]) => ({ name, ...d })));
    expect(await render(known)).toEqual(await render(new NodeSession({ catalog, shipped: plain })));
  });

  it('are used only for the very sources they were made from', async () => {
    const declared = await evaluated(schema, provider);
    const { file, build } = artifact('exact', [...schema, ...provider], declared, 10);
    expect(shippedTransformers([...schema, ...provider], file, [build])).toEqual(declared);
    const [first, ...rest] = provider;
    expect(shippedTransformers([...schema, { ...first!, text: `${first!.text}\n// edited\n` }, ...rest], file, [build])).toBeUndefined();
    expect(shippedTransformers([...schema, ...provider.slice(1)], file, [build])).toBeUndefined();
    expect(shippedTransformers([...schema, { ...first!, languageVersion: 'v0.9.0' }, ...rest], file, [build])).toBeUndefined();
  });

  it('are not used when older than a build that evaluates them, or missing', async () => {
    const { file, build } = artifact('stale', [...schema, ...provider], {}, -10);
    expect(shippedTransformers([...schema, ...provider], file, [build])).toBeUndefined();
    expect(shippedTransformers([...schema, ...provider], path.join(dir, 'missing.json'), [build])).toBeUndefined();
  });
});
