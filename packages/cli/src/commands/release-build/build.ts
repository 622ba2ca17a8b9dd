// `opm release build FILE...`: render releases to a YAML stream (or JSON
// List, or one file per object). Nothing is printed unless every file renders.
import type { Command } from 'commander';
import { renderReleaseFile, type RenderedRelease, type Session } from '@opm/core';
import { UsageError, UserFacingError } from '../../errors.js';
import { addRegistryOptions, registryAccess, type RegistryFlags } from '../registry-flags.js';
import { collect, json, maskObjects, outputFormat, secretsFrom, sessionFor, warn, writeOutDir, yamlStream } from './common.js';

interface BuildFlags extends RegistryFlags {
  output?: string;
  outDir?: string;
  catalog?: string;
  secret?: string[];
  namespace?: string;
}

/** Renders every file, collecting failures so all of them are reported. */
export async function renderAll(files: string[], flags: BuildFlags): Promise<{ ok: { file: string; r: RenderedRelease }[]; failed: { file: string; err: unknown }[] }> {
  const session: Session = await sessionFor(flags.catalog, await registryAccess(flags));
  const secrets = await secretsFrom(flags.secret);
  const ok: { file: string; r: RenderedRelease }[] = [];
  const failed: { file: string; err: unknown }[] = [];
  for (const file of files) {
    try {
      const r = await renderReleaseFile(file, { session, ...(secrets ? { secrets } : {}), ...(flags.namespace ? { namespace: flags.namespace } : {}) });
      ok.push({ file, r });
    } catch (err) {
      const code = (err as { code?: string }).code;
      failed.push({ file, err: code === 'ENOENT' || code === 'EISDIR' ? new UsageError(`${file}: no such release file`) : err });
    }
  }
  return { ok, failed };
}

/** One error for all failed files, every message kept. */
export function failureError(failed: { file: string; err: unknown }[]): Error {
  if (failed.some((f) => f.err instanceof UsageError)) return failed.find((f) => f.err instanceof UsageError)!.err as Error;
  const msg = failed.map((f) => `${f.file}: ${(f.err as Error)?.message ?? String(f.err)}`).join('\n');
  return new UserFacingError(msg, exitCodeOf(failed));
}

function exitCodeOf(failed: { err: unknown }[]): number {
  // Model errors (validation, policy, CUE) exit 1; anything else (I/O, engine crash) 3.
  const modelNames = new Set(['ValidationError', 'PolicyError', 'CueError', 'CueErrorList', 'NotSupportedError']);
  return failed.every((f) => modelNames.has((f.err as Error)?.name)) ? 1 : 3;
}

export function registerBuild(release: Command): void {
  const cmd = release
    .command('build')
    .description('render ModuleRelease files to Kubernetes manifests (secrets masked)')
    .argument('<file...>', 'ModuleRelease files')
    .option('-o, --output <format>', 'yaml (a stream), json (a v1 List), or resource (the ModuleRelease object for the opm operator, YAML)', 'yaml')
    .option('--out-dir <dir>', 'write one file per object under DIR/<release>/')
    .option('--catalog <dir>', 'catalog directory or oci:// URL (default: OPM_CATALOG, opm.yaml, bundled examples)')
    .option('--secret <path=env:VAR|file:FILE>', 'supply a secret value at build time (repeatable)', collect, [])
    .option('-n, --namespace <ns>', 'namespace overriding the release file');
  addRegistryOptions(cmd).action(async (files: string[], flags: BuildFlags) => {
    const format = outputFormat(flags.output, ['yaml', 'json', 'resource']);
    const { ok, failed } = await renderAll(files, flags);
    for (const { r } of ok) warn(r.warnings);
    if (failed.length) throw failureError(failed);
    if (format === 'resource') {
      // Loaded only here: the operator package brings the cluster client.
      const { releaseToResource } = await import('@opm/operator');
      const out = ok.map(({ r }) => {
        const { resource, secretsToCreate } = releaseToResource(r, r.secretPaths);
        if (secretsToCreate.length) {
          warn([`release ${r.name}: secret values are not copied into the ModuleRelease; create Secret ${r.name}-values in namespace ${r.namespace} with key(s) ${secretsToCreate.join(', ')}`]);
        }
        return resource;
      });
      process.stdout.write(yamlStream(out));
      return;
    }
    if (flags.outDir) {
      for (const { r } of ok) {
        const written = await writeOutDir(flags.outDir, r.name, maskObjects(r.objects), format);
        process.stderr.write(`opm: release ${r.name}: ${written.length} objects written to ${flags.outDir}/${r.name}\n`);
      }
      return;
    }
    const objects = ok.flatMap(({ r }) => maskObjects(r.objects));
    process.stdout.write(format === 'json' ? json({ apiVersion: 'v1', kind: 'List', items: objects }) : yamlStream(objects));
  });
}
