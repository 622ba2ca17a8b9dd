// `opm mod vet DIR` and `opm mod build DIR [-f values]`: work on a module
// directory before it is published. Platform rules apply only when given
// (--platform FILE, a named catalog, or the catalog the directory lies in:
// core's moddir.ts). `mod publish` lives in mod-publish.ts.
import { promises as fsp } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { buildModuleDir, mergeValues, vetModuleDir, type ModuleDirOptions, type PlainObject } from '@opm/core';
import { UsageError } from '../errors.js';
import { group } from './index.js';
import { failureError } from './release-build/build.js';
import { catalogWithOrigin, collect, json, maskObjects, outputFormat, secretsFrom, warn, yamlStream } from './release-build/common.js';
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

/** Which catalog and platform rules an author build uses (decided by core's moddir.ts). */
async function authorOptions(flags: { catalog?: string; platform?: string; platformRules?: boolean }): Promise<ModuleDirOptions> {
  const { catalog, given } = await catalogWithOrigin(flags.catalog);
  return { catalog, catalogGiven: given, noPlatformRules: flags.platformRules === false, ...(flags.platform ? { platformFile: flags.platform } : {}) };
}

export function registerModCommands(program: Command): void {
  const mod = group(program, 'mod', 'develop and publish modules');

  mod
    .command('vet')
    .description('validate a module directory (a #Module, or a ModuleDefinition alone): schema, platform layer, catalog place, mounts, and renders with its defaults and debugValues through the platform rules')
    .argument('<dir>', 'module directory (a catalog version directory)')
    .option('--catalog <dir>', 'catalog whose platform rules and providers apply (default: the catalog DIR lies in; else no platform rules)')
    .option('--platform <file>', 'check against the platform rules of this platform.cue')
    .option('--no-platform-rules', 'vet without the catalog platform rules (refused otherwise when the catalog has none; warns)')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (dir: string, flags: { catalog?: string; platform?: string; output?: string; platformRules?: boolean }) => {
      const format = outputFormat(flags.output, ['text', 'json']);
      let v;
      try {
        v = await vetModuleDir(dir, await authorOptions(flags));
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
    .option('--catalog <dir>', 'catalog whose platform rules and providers apply (default: the catalog DIR lies in; else no platform rules)')
    .option('--platform <file>', 'check against the platform rules of this platform.cue')
    .option('--secret <path=env:VAR|file:FILE>', 'supply a secret value (repeatable)', collect, [])
    .option('--no-platform-rules', 'build without the catalog platform rules (refused otherwise when the catalog has none; warns)')
    .action(async (dir: string, flags: { values: string[]; namespace: string; name?: string; output?: string; catalog?: string; platform?: string; secret?: string[]; platformRules?: boolean }) => {
      const format = outputFormat(flags.output);
      const values = await readValuesFiles(flags.values);
      const secrets = await secretsFrom(flags.secret);
      let r;
      try {
        r = await buildModuleDir(dir, values, {
          ...(await authorOptions(flags)),
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
