// `opm release build FILE...`: render releases to a YAML stream (or JSON
// List, or one file per object). Nothing is printed unless every file renders.
import type { Command } from 'commander';
import { renderReleaseFile, type RenderedRelease, type Session } from '@opm/core';
import { UsageError, UserFacingError } from '../../errors.js';
import { writeErr, writeOut } from '../../stdio.js';
import { addRegistryOptions, registryAccess, type RegistryFlags } from '../registry-flags.js';
import { addPlatformRulesFlag, collect, json, maskObjects, outputFormat, secretsFrom, sessionFor, warn, writeOutDir, yamlStream, type PlatformRulesFlags } from './common.js';
import { addReleaseInputOptions, releaseInputOptions, STDIN_LABEL, type ReleaseInputFlags } from './inputs.js';

interface BuildFlags extends RegistryFlags, ReleaseInputFlags, PlatformRulesFlags {
  output?: string;
  outDir?: string;
  catalog?: string;
  secret?: string[];
  revealSecrets?: boolean;
  force?: boolean;
}

/**
 * Renders every file, collecting failures so all of them are reported.
 * `moduleCheck`: see core's RenderOptions (build checks each catalog module
 * whole only once a render failed, vet always).
 */
export async function renderAll(files: string[], flags: BuildFlags, moduleCheck: 'always' | 'on-failure' = 'always'): Promise<{ ok: { file: string; r: RenderedRelease }[]; failed: { file: string; err: unknown }[] }> {
  const { opts, stdinText } = await releaseInputOptions(files, flags);
  const session: Session = await sessionFor(flags.catalog, await registryAccess(flags), flags);
  const secrets = await secretsFrom(flags.secret);
  const ok: { file: string; r: RenderedRelease }[] = [];
  const failed: { file: string; err: unknown }[] = [];
  for (const given of files) {
    const file = given === '-' ? STDIN_LABEL : given;
    try {
      const r = await renderReleaseFile(file, { session, ...opts, moduleCheck, ...(secrets ? { secrets } : {}), ...(given === '-' ? { text: stdinText! } : {}) });
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
    .argument('<file...>', 'ModuleRelease files (- reads one from stdin)')
    .option('-o, --output <format>', 'yaml (a stream), json (a v1 List), or resource (the ModuleRelease object for the opm operator, YAML)', 'yaml')
    .option('--out-dir <dir>', 'write one file per object under DIR/<release>/')
    .option('--catalog <dir>', 'catalog directory or oci:// URL (default: OPM_CATALOG, opm.yaml, bundled examples)')
    .option('--secret <path=env:VAR|file:FILE>', 'supply a secret value at build time (repeatable)', collect, []);
  addPlatformRulesFlag(cmd);
  addReleaseInputOptions(cmd)
    .option('--reveal-secrets', 'print Secret data as rendered, for `| kubectl apply -f -` (refused on a terminal unless --force)')
    .option('--force', 'with --reveal-secrets: print secrets even to a terminal')
    .addHelpText(
      'after',
      '\nSecret data is printed as <secret>: that output shows what would be applied but is not for applying\n' +
        '(kubectl would store the mask as the value). Use `opm release apply`, or --reveal-secrets into a pipe or --out-dir.',
    );
  addRegistryOptions(cmd).action(async (files: string[], flags: BuildFlags) => {
    const format = outputFormat(flags.output, ['yaml', 'json', 'resource']);
    if (flags.force && !flags.revealSecrets) throw new UsageError('--force only applies to --reveal-secrets');
    if (flags.revealSecrets && !flags.outDir && process.stdout.isTTY && !flags.force) {
      throw new UsageError('--reveal-secrets prints secret values: refused on a terminal (pipe the output, use --out-dir, or add --force)');
    }
    const shown = (objs: RenderedRelease['objects']) => (flags.revealSecrets ? objs : maskObjects(objs));
    const { ok, failed } = await renderAll(files, flags, 'on-failure');
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
      writeOut(yamlStream(out));
      return;
    }
    if (flags.outDir) {
      for (const { r } of ok) {
        const written = await writeOutDir(flags.outDir, r.name, shown(r.objects), format, flags.revealSecrets);
        writeErr(`opm: release ${r.name}: ${written.length} objects written to ${flags.outDir}/${r.name}\n`);
      }
      return;
    }
    const objects = ok.flatMap(({ r }) => shown(r.objects));
    writeOut(format === 'json' ? json({ apiVersion: 'v1', kind: 'List', items: objects }) : yamlStream(objects));
  });
}
