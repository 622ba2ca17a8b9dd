// `opm release values FILE [--explain]`: the final values after the cascade,
// secrets masked; with --explain, the layer and file:line behind each value.
import path from 'node:path';
import type { Command } from 'commander';
import { formatPath, leaves, maskValues, renderReleaseFile } from '@opm/core';
import { failureError } from './build.js';
import { addPlatformRulesFlag, collect, json, outputFormat, secretsFrom, sessionFor, warn, type PlatformRulesFlags } from './common.js';
import { addReleaseInputOptions, releaseInputOptions, STDIN_LABEL, type ReleaseInputFlags } from './inputs.js';
import { addRegistryOptions, registryAccess, type RegistryFlags } from '../registry-flags.js';
import { toYaml } from '../../plain-yaml.js';
import { safeText } from '../../terminal.js';

export function registerValues(release: Command): void {
  const cmd = release
    .command('values')
    .description('print the final values of a release (secrets masked)')
    .argument('<file>', 'ModuleRelease file (- reads it from stdin)')
    .option('--explain', 'show which layer (and file:line) set each value')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .option('--catalog <dir>', 'catalog directory or oci:// URL')
    .option('--secret <path=env:VAR|file:FILE>', 'supply a secret value at build time (repeatable)', collect, []);
  addPlatformRulesFlag(cmd);
  addReleaseInputOptions(cmd);
  addRegistryOptions(cmd).action(async (given: string, flags: { explain?: boolean; output?: string; catalog?: string; secret?: string[] } & RegistryFlags & ReleaseInputFlags & PlatformRulesFlags) => {
    const format = outputFormat(flags.output);
    const { opts, stdinText } = await releaseInputOptions([given], flags);
    const file = given === '-' ? STDIN_LABEL : given;
    const session = await sessionFor(flags.catalog, await registryAccess(flags), flags);
    const secrets = await secretsFrom(flags.secret);
    let r;
    try {
      r = await renderReleaseFile(file, { session, ...opts, ...(secrets ? { secrets } : {}), ...(given === '-' ? { text: stdinText! } : {}) });
    } catch (err) {
      throw failureError([{ file, err }]);
    }
    warn(r.warnings);
    const values = maskValues(r.finalValues, r.secretPaths);
    if (!flags.explain) {
      process.stdout.write(format === 'json' ? json(values) : toYaml(values));
      return;
    }
    const rows = leaves(values).map(({ path: p, value }) => {
      const key = formatPath(p);
      const o = r.origins[key] ?? { layer: 'unknown' };
      return { path: key, value, layer: o.layer, ...(o.file ? { file: path.relative(process.cwd(), o.file) || o.file, line: o.line } : {}) };
    });
    if (format === 'json') {
      process.stdout.write(json(rows));
      return;
    }
    const width = Math.max(...rows.map((x) => x.path.length + JSON.stringify(x.value).length + 3));
    for (const x of rows) {
      const lhs = `${x.path} = ${JSON.stringify(x.value)}`;
      process.stdout.write(safeText(`${lhs.padEnd(width)}  # ${x.layer}${x.file ? ` (${x.file}:${x.line})` : ''}\n`));
    }
  });
}
