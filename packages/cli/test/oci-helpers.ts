// Shared by the CLI tests that use a real registry: example catalog modules
// copied under other versions, and a registry environment of their own.
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(__dirname, '../../..');
export const exampleCatalog = resolve(root, 'examples/catalog');


/**
 * A copy of an example catalog module directory declaring another version (and
 * optionally other text appended to module.cue), for publishing under that version.
 */
export async function exampleModuleAs(name: string, from: string, version: string, append = ''): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'opm-cli-mod-')), name, version);
  await cp(join(exampleCatalog, name, from), dir, { recursive: true });
  const file = join(dir, 'module.cue');
  const text = (await readFile(file, 'utf8')).replace(`version:     "${from}"`, `version:     "${version}"`);
  if (version !== from && !text.includes(`"${version}"`)) throw new Error(`${file}: could not set the version to ${version}`);
  await writeFile(file, text + append);
  return dir;
}

/** Environment for registry tests: no user docker config, a private module cache. Returns a restore function. */
export async function isolateRegistryEnv(): Promise<() => void> {
  const saved = { HOME: process.env.HOME, OPM_CACHE_DIR: process.env.OPM_CACHE_DIR, OPM_CATALOG: process.env.OPM_CATALOG, OPM_PLATFORM: process.env.OPM_PLATFORM };
  process.env.HOME = '/nonexistent-home';
  process.env.OPM_CACHE_DIR = await mkdtemp(join(tmpdir(), 'opm-cli-cache-'));
  delete process.env.OPM_CATALOG;
  delete process.env.OPM_PLATFORM;
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
