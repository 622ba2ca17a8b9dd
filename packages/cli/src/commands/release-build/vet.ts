// `opm release vet FILE...`: validate and policy-check without printing manifests.
import type { Command } from 'commander';
import { addPlatformRulesFlag, collect, json, outputFormat, warn, type PlatformRulesFlags } from './common.js';
import { failureError, renderAll } from './build.js';
import { addRegistryOptions, type RegistryFlags } from '../registry-flags.js';
import { safeText } from '../../terminal.js';
import { addReleaseInputOptions, type ReleaseInputFlags } from './inputs.js';

export function registerVet(release: Command): void {
  const cmd = release
    .command('vet')
    .description('validate ModuleRelease files: values, locks, structure and platform policy')
    .argument('<file...>', 'ModuleRelease files (- reads one from stdin)')
    .option('-o, --output <format>', 'text or json', 'text')
    .option('--catalog <dir>', 'catalog directory or oci:// URL')
    .option('--secret <path=env:VAR|file:FILE>', 'supply a secret value at build time (repeatable)', collect, []);
  addPlatformRulesFlag(cmd);
  addReleaseInputOptions(cmd);
  addRegistryOptions(cmd).action(async (files: string[], flags: { output?: string; catalog?: string; secret?: string[] } & RegistryFlags & ReleaseInputFlags & PlatformRulesFlags) => {
    const format = outputFormat(flags.output, ['text', 'json']);
    const { ok, failed } = await renderAll(files, flags);
    if (format === 'json') {
      const rows = [
        ...ok.map(({ file, r }) => ({ file, ok: true, release: r.name, namespace: r.namespace, module: r.module, environment: r.environment ?? null, platform: r.platform, objects: r.objects.length, warnings: r.warnings })),
        ...failed.map(({ file, err }) => ({ file, ok: false, errors: String((err as Error)?.message ?? err).split('\n') })),
      ];
      process.stdout.write(json(rows));
      if (failed.length) process.exitCode = 1;
      return;
    }
    for (const { file, r } of ok) {
      warn(r.warnings);
      process.stdout.write(safeText(`ok   ${file}: release ${r.name} (${r.module.name} ${r.module.version}) in ${r.namespace}${r.environment ? ` [${r.environment}]` : ''}: ${r.objects.length} objects\n`));
    }
    if (failed.length) throw failureError(failed);
  });
}
