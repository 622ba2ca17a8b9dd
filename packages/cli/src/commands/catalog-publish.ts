// `opm catalog publish DIR oci://REGISTRY/PREFIX --version V`: a directory
// catalog to a registry with its governance. The platform rules and the
// providers are published as artifacts of their own (catalog-governance.ts),
// pinned by digest like modules, and every module version not yet in the
// registry is published too. A catalog whose platform rules do not load (or
// that has none) is refused: publishing it would hand out modules without rules.
// So is one with a module that fails its whole-module check: `opm release
// build` runs that check only once a render failed (core's moduleCheck), so
// the catalog version is where it is run for every module.
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { loadModule, loadPlatform, loadTransformers, openSession } from '@opm/core';
import { UsageError } from '../errors.js';
import { PLATFORM_REPOSITORY, PROVIDERS_REPOSITORY } from './catalog-governance.js';
import { addRegistryOptions, credentialsFromFlags, toCliError, type RegistryFlags } from './registry-flags.js';
import { failureError } from './release-build/build.js';
import { json } from './release-build/common.js';

interface Flags extends RegistryFlags {
  version: string;
  force?: boolean;
  output?: string;
}

export function registerCatalogPublish(catalog: Command): void {
  const cmd = catalog
    .command('publish')
    .description('publish a directory catalog to an OCI registry: its platform rules and providers (artifacts of their own) and its modules')
    .argument('<dir>', 'catalog directory (platform.cue, providers/, <module>/<version>/)')
    .argument('<ref>', 'oci://REGISTRY/PREFIX')
    .requiredOption('--version <version>', 'version of the platform rules and providers artifacts, e.g. 2024.6.0')
    .option('--force', 'replace existing tags (governance and modules)')
    .option('-o, --output <format>', 'text or json', 'text');
  addRegistryOptions(cmd).action(async (dir: string, ref: string, flags: Flags) => {
    if (!ref.startsWith('oci://')) throw new UsageError(`target must be oci://REGISTRY/PREFIX, got ${JSON.stringify(ref)}`);
    const root = path.resolve(dir);
    // The rules must load (and declare environments) and the providers must build before anything is pushed.
    const session = await openSession({ catalog: root });
    await loadPlatform(session);
    await loadTransformers(session);
    // Every module version, checked whole, before anything is pushed; all failures reported together.
    const modules: { name: string; version: string }[] = [];
    for (const name of await session.catalog.listModules()) for (const version of await session.catalog.listVersions(name)) modules.push({ name, version });
    const failed: { file: string; err: unknown }[] = [];
    for (const m of modules) await loadModule(session, m.name, m.version).catch((err: unknown) => failed.push({ file: path.join(root, m.name, m.version), err }));
    if (failed.length) throw failureError(failed);
    const credentials = await credentialsFromFlags(flags);
    const prefix = ref.replace(/\/+$/, '');
    const rows: { artifact: string; version: string; digest?: string; ref?: string; note?: string }[] = [];
    try {
      const { publish, OciError } = await import('@opm/oci');
      const push = async (from: string, repository: string, version: string, name: string) => {
        try {
          const res = await publish(from, `${prefix}/${repository}`, {
            version,
            name,
            ...(flags.force ? { force: true } : {}),
            ...(flags.insecure ? { insecure: true } : {}),
            ...(credentials ? { credentials } : {}),
          });
          rows.push({ artifact: repository, version, digest: res.digest, ref: res.ref });
        } catch (e) {
          // A module version already in the registry is kept (tags are immutable unless --force).
          if (e instanceof OciError && e.code === 'EXISTS' && !GOVERNANCE.has(repository)) rows.push({ artifact: repository, version, note: 'exists, kept (--force replaces it)' });
          else throw e;
        }
      };
      const tmp = await mkdtemp(path.join(tmpdir(), 'opm-platform-'));
      try {
        await cp(path.join(root, 'platform.cue'), path.join(tmp, 'platform.cue'));
        await push(tmp, PLATFORM_REPOSITORY, flags.version, PLATFORM_REPOSITORY);
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
      if (await isDir(path.join(root, 'providers'))) await push(path.join(root, 'providers'), PROVIDERS_REPOSITORY, flags.version, PROVIDERS_REPOSITORY);
      for (const { name, version } of modules) await push(path.join(root, name, version), name, version, name);
    } catch (e) {
      throw toCliError(e);
    }
    if (flags.output === 'json') process.stdout.write(json(rows));
    else for (const r of rows) process.stdout.write(`${r.artifact}:${r.version}  ${r.digest ?? r.note}\n`);
  });
}

const GOVERNANCE = new Set([PLATFORM_REPOSITORY, PROVIDERS_REPOSITORY]);

async function isDir(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
}
