// `opm mod vet DIR` and `opm mod build DIR [-f values]`: work on a module
// directory before it is published (the catalog's platform rules and
// providers still apply). `mod publish` lives in mod-publish.ts.
import { promises as fsp } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { buildModuleDir, mergeValues, vetModuleDir, type PlainObject } from '@opm/core';
import { UsageError } from '../errors.js';
import { group } from './index.js';
import { failureError } from './release-build/build.js';
import { catalogFor, collect, json, maskObjects, outputFormat, secretsFrom, warn, yamlStream } from './release-build/common.js';
import { safeText } from '../terminal.js';

async function readValuesFiles(files: string[]): Promise<PlainObject> {
  let values: PlainObject = {};
  for (const f of files) {
    if (f.endsWith('.cue')) throw new UsageError(`-f ${f}: not supported yet: values in CUE files (use YAML or JSON)`);
    let doc: unknown;
    try {
      doc = parseYaml(await fsp.readFile(f, 'utf8'));
    } catch (err) {
      throw new UsageError(`-f ${f}: ${(err as Error).message}`);
    }
    if (doc === null || doc === undefined) continue;
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`-f ${f}: values must be a mapping`);
    values = mergeValues(values, doc as PlainObject);
  }
  return values;
}

export function registerModCommands(program: Command): void {
  const mod = group(program, 'mod', 'develop and publish modules');

  mod
    .command('vet')
    .description('validate a module directory (a #Module, or a ModuleDefinition alone): schema, platform layer, catalog place, mounts, and renders with its defaults and debugValues through the platform rules')
    .argument('<dir>', 'module directory (a catalog version directory)')
    .option('--catalog <dir>', 'catalog whose schema, platform rules and providers apply')
    .option('--no-platform-rules', 'vet without the catalog platform rules (refused otherwise when the catalog has none; warns)')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (dir: string, flags: { catalog?: string; output?: string; platformRules?: boolean }) => {
      const format = outputFormat(flags.output, ['text', 'json']);
      let v;
      try {
        v = await vetModuleDir(dir, { catalog: await catalogFor(flags.catalog), noPlatformRules: flags.platformRules === false });
      } catch (err) {
        throw failureError([{ file: dir, err }]);
      }
      const m = v.module;
      const row = { dir, ok: true, module: m.name, version: m.version, definition: m.definition, definitionOnly: v.definitionOnly, renders: v.renders, secretPaths: m.secretPaths };
      const what = v.definitionOnly ? `definition ${m.definition.name} ${m.definition.version}` : `module ${m.name} ${m.version} (definition ${m.definition.name} ${m.definition.version})`;
      const rendered = v.renders.map((r) => `${r.values}: ${r.objects} objects`).join(', ');
      warn(v.notes);
      process.stdout.write(format === 'json' ? json({ ...row, notes: v.notes }) : safeText(`ok   ${dir}: ${what}${rendered ? `; rendered with ${rendered}` : ''}\n`));
    });

  mod
    .command('build')
    .description('render a module directory (a #Module, or a ModuleDefinition alone) with values files, as a release named after the module')
    .argument('<dir>', 'module directory')
    .option('-f, --values <file>', 'values file, YAML or JSON (repeatable, later files win)', collect, [])
    .option('-n, --namespace <ns>', 'namespace of the rendered objects', 'default')
    .option('--name <name>', 'release name (default: the module name)')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .option('--catalog <dir>', 'catalog whose schema, platform rules and providers apply')
    .option('--secret <path=env:VAR|file:FILE>', 'supply a secret value (repeatable)', collect, [])
    .option('--no-platform-rules', 'build without the catalog platform rules (refused otherwise when the catalog has none; warns)')
    .action(async (dir: string, flags: { values: string[]; namespace: string; name?: string; output?: string; catalog?: string; secret?: string[]; platformRules?: boolean }) => {
      const format = outputFormat(flags.output);
      const values = await readValuesFiles(flags.values);
      const secrets = await secretsFrom(flags.secret);
      let r;
      try {
        r = await buildModuleDir(dir, values, {
          catalog: await catalogFor(flags.catalog),
          noPlatformRules: flags.platformRules === false,
          namespace: flags.namespace,
          ...(flags.name ? { name: flags.name } : {}),
          ...(secrets ? { secrets } : {}),
        });
      } catch (err) {
        throw failureError([{ file: dir, err }]);
      }
      warn(r.warnings);
      const objects = maskObjects(r.objects);
      process.stdout.write(format === 'json' ? json({ apiVersion: 'v1', kind: 'List', items: objects }) : yamlStream(objects));
    });
}
