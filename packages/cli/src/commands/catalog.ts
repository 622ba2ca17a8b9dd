// `opm catalog list` and `opm catalog show NAME[:VERSION]`: what the
// configured catalog offers, and for one module version its values schema
// with defaults, platform overrides, and which values are immutable or secret.
import type { Command } from 'commander';
import { formatPath, leaves, loadModule, schemaLeaves } from '@opm/core';
import { UsageError } from '../errors.js';
import { json, outputFormat, sessionFor } from './release-build/common.js';

export function registerCatalogCommands(program: Command): void {
  const catalog = program.commands.find((c) => c.name() === 'catalog') ?? program.command('catalog').description('browse the module catalog');

  catalog
    .command('list')
    .description('list the modules and versions of the catalog')
    .option('-o, --output <format>', 'text or json', 'text')
    .option('--catalog <dir>', 'catalog directory or oci:// URL')
    .action(async (flags: { output?: string; catalog?: string }) => {
      const format = outputFormat(flags.output, ['text', 'json']);
      const session = await sessionFor(flags.catalog);
      const rows = [];
      for (const name of await session.catalog.listModules()) rows.push({ name, versions: await session.catalog.listVersions(name) });
      if (format === 'json') {
        process.stdout.write(json({ catalog: session.catalog.location, modules: rows }));
        return;
      }
      process.stdout.write(`# catalog ${session.catalog.location}\n`);
      const w = Math.max(4, ...rows.map((r) => r.name.length));
      process.stdout.write(`${'NAME'.padEnd(w)}  VERSIONS\n`);
      for (const r of rows) process.stdout.write(`${r.name.padEnd(w)}  ${r.versions.join(', ')}\n`);
    });

  catalog
    .command('show')
    .description('show a module: versions, values schema with defaults, immutable and secret values')
    .argument('<module>', 'NAME or NAME:VERSION (default: the newest version)')
    .option('-o, --output <format>', 'text or json', 'text')
    .option('--catalog <dir>', 'catalog directory or oci:// URL')
    .action(async (ref: string, flags: { output?: string; catalog?: string }) => {
      const format = outputFormat(flags.output, ['text', 'json']);
      const m = /^([a-z0-9][-a-z0-9]*)(?::(.+))?$/.exec(ref);
      if (!m) throw new UsageError(`${ref}: expected NAME or NAME:VERSION`);
      const session = await sessionFor(flags.catalog);
      const versions = await session.catalog.listVersions(m[1]!);
      const version = m[2] ?? versions[versions.length - 1];
      if (!version) throw new UsageError(`module ${m[1]} has no versions`);
      const mod = await loadModule(session, m[1]!, version);
      const description = mod.value.lookup('#metadata', 'description');
      const locked = new Map(leaves(mod.immutable).map((l) => [formatPath(l.path), l.value]));
      const overrides = new Map(leaves(mod.overrides).map((l) => [formatPath(l.path), l.value]));
      const values = schemaLeaves(mod.schema).map((l) => {
        const key = formatPath(l.path);
        return {
          path: key,
          constraint: l.constraint,
          ...(l.default !== undefined ? { default: l.secret ? '<secret>' : l.default } : {}),
          ...(overrides.has(key) ? { platformDefault: overrides.get(key) } : {}),
          ...(locked.has(key) ? { immutable: locked.get(key) } : {}),
          optional: l.optional,
          secret: l.secret || mod.secretPaths.includes(key),
        };
      });
      const info = {
        name: mod.name,
        version: mod.version,
        versions,
        description: description.exists() ? description.toJS() : undefined,
        definition: mod.definition,
        components: mod.value.lookup('components').fields().map((f) => f.label),
        scopes: mod.value.lookup('scopes').exists() ? mod.value.lookup('scopes').fields().map((f) => f.label) : [],
        values,
      };
      if (format === 'json') {
        process.stdout.write(json(info));
        return;
      }
      const out = [
        `module     ${info.name} ${info.version}`,
        ...(info.description ? [`           ${String(info.description)}`] : []),
        `definition ${info.definition.name} ${info.definition.version}`,
        `versions   ${versions.join(', ')}`,
        `components ${info.components.join(', ')}`,
        `scopes     ${info.scopes.join(', ') || '-'}`,
        '',
        'values:',
      ];
      for (const v of values) {
        const notes = [
          v.optional ? 'optional' : '',
          v.secret ? 'secret' : '',
          'platformDefault' in v ? `platform default ${JSON.stringify(v.platformDefault)}` : '',
          'immutable' in v ? `IMMUTABLE ${JSON.stringify(v.immutable)}` : '',
        ].filter(Boolean);
        out.push(`  ${v.path}: ${v.constraint}${notes.length ? `    # ${notes.join(', ')}` : ''}`);
      }
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
