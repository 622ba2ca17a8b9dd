import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throwaway catalog module directory `<tmp>/catalog/<name>/<version>/` with the given files. */
export async function makeModuleDir(name: string, version: string, files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'opm-oci-mod-'));
  const dir = join(root, 'catalog', name, version);
  for (const [rel, text] of Object.entries(files)) {
    const p = join(dir, rel);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, text);
  }
  return dir;
}

export function moduleFiles(name: string, version: string, extra = ''): Record<string, string> {
  return {
    'module.cue': `package ${name}\n\n// Module ${name} ${version}\nmodule: {\n\tname: "${name}"\n\tversion: "${version}"\n${extra}}\n`,
    'definition.cue': `package ${name}\n\ndefinition: {\n\tname: "${name}"\n\tvalues: replicas: int | *1\n}\n`,
    'templates/deployment.cue': `package templates\n\nkind: "Deployment"\n`,
  };
}

/** A fetch that counts requests, for "served from cache, no network" checks. */
export function countingFetch(): { fetch: typeof fetch; count: () => number; reset: () => void; log: string[] } {
  let n = 0;
  const log: string[] = [];
  const f: typeof fetch = (input, init) => {
    n++;
    log.push(`${init?.method ?? 'GET'} ${typeof input === 'string' ? input : input instanceof URL ? input.href : input.url}`);
    return fetch(input, init);
  };
  return { fetch: f, count: () => n, reset: () => { n = 0; log.length = 0; }, log };
}
