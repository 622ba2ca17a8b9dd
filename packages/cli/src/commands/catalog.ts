// `opm catalog list` and `opm catalog show NAME[:VERSION|RANGE]`: what the
// configured catalog (a directory or oci://REGISTRY/PREFIX) offers, and for
// one module version its values schema with defaults, platform overrides, and
// which values are immutable or secret.
import type { Command } from 'commander';
import { Redactor, SECRET_MASK, formatPath, getValuesPath, hasPath, leaves, loadModule, matchVersions, resolveVersion, schemaLeaves, splitPath } from '@opm/core';
import { UsageError } from '../errors.js';
import { addRegistryOptions, registryAccess, toCliError, type RegistryFlags } from './registry-flags.js';
import { json, outputFormat, sessionFor } from './release-build/common.js';
import { safeText } from '../terminal.js';
import { registerCatalogPublish } from './catalog-publish.js';

interface CatalogFlags extends RegistryFlags {
  output?: string;
  catalog?: string;
  version?: string;
}

/** `NAME`, `NAME:1.2.3` or `NAME:>=1.0.0 <2.0.0` (quote ranges in the shell). */
function parseModuleRef(ref: string): { name: string; spec?: string } {
  const m = /^([a-z0-9][-a-z0-9]*)(?::(.+))?$/.exec(ref);
  if (!m) throw new UsageError(`${ref}: expected NAME, NAME:VERSION or NAME:RANGE (e.g. 'web:>=1.0.0 <2.0.0')`);
  return { name: m[1]!, ...(m[2] !== undefined ? { spec: m[2].trim() } : {}) };
}

async function withRegistryErrors<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw toCliError(e);
  }
}

export function registerCatalogCommands(program: Command): void {
  const catalog = program.commands.find((c) => c.name() === 'catalog') ?? program.command('catalog').description('browse the module catalog');
  registerCatalogPublish(catalog);

  const list = catalog
    .command('list')
    .description('list the modules and versions of the catalog (a directory or oci://REGISTRY/PREFIX)')
    .argument('[module]', 'only this module, or MODULE:RANGE')
    .option('--version <range>', "only versions matching a semver range, e.g. '>=1.0.0 <2.0.0'")
    .option('-o, --output <format>', 'text or json', 'text')
    .option('--catalog <dir>', 'catalog directory or oci:// URL (default: OPM_CATALOG, opm.yaml, bundled examples)');
  addRegistryOptions(list).action(async (only: string | undefined, flags: CatalogFlags) => {
    const format = outputFormat(flags.output, ['text', 'json']);
    const sel = only !== undefined ? parseModuleRef(only) : undefined;
    if (sel?.spec !== undefined && flags.version !== undefined) throw new UsageError('give the range either as MODULE:RANGE or with --version, not both');
    const range = sel?.spec ?? flags.version;
    const session = await sessionFor(flags.catalog, await registryAccess(flags));
    const rows = await withRegistryErrors(async () => {
      const out: { name: string; versions: string[] }[] = [];
      for (const name of sel ? [sel.name] : await session.catalog.listModules()) {
        const all = await session.catalog.listVersions(name);
        const versions = range !== undefined ? matchVersions(all, range) : all;
        // Filtering by a range hides modules without a match; naming one module always shows it.
        if (versions.length || range === undefined || sel) out.push({ name, versions });
      }
      return out;
    });
    if (format === 'json') {
      process.stdout.write(json({ catalog: session.catalog.location, ...(range !== undefined ? { range } : {}), modules: rows }));
      return;
    }
    process.stdout.write(safeText(`# catalog ${session.catalog.location}${range !== undefined ? ` (versions ${range})` : ''}\n`));
    const w = Math.max(4, ...rows.map((r) => r.name.length));
    process.stdout.write(`${'NAME'.padEnd(w)}  VERSIONS\n`);
    for (const r of rows) process.stdout.write(safeText(`${r.name.padEnd(w)}  ${r.versions.join(', ') || '-'}\n`));
  });

  const show = catalog
    .command('show')
    .description('show a module: versions, digest (OCI), values schema with defaults, immutable and secret values')
    .argument('<module>', "NAME, NAME:VERSION or NAME:RANGE, e.g. 'web:>=1.0.0 <2.0.0' (default: the newest version)")
    .option('-o, --output <format>', 'text or json', 'text')
    .option('--catalog <dir>', 'catalog directory or oci:// URL (default: OPM_CATALOG, opm.yaml, bundled examples)');
  addRegistryOptions(show).action(async (ref: string, flags: CatalogFlags) => {
    const format = outputFormat(flags.output, ['text', 'json']);
    const { name, spec } = parseModuleRef(ref);
    const session = await sessionFor(flags.catalog, await registryAccess(flags));
    const { versions, mod } = await withRegistryErrors(async () => {
      const versions = await session.catalog.listVersions(name);
      return { versions, mod: await loadModule(session, name, resolveVersion(name, versions, spec)) };
    });
    const description = mod.value.lookup('#metadata', 'description');
    const locked = new Map(leaves(mod.immutable).map((l) => [formatPath(l.path), l.value]));
    const overrides = new Map(leaves(mod.overrides).map((l) => [formatPath(l.path), l.value]));
    const redactor = new Redactor(mod.secretPaths);
    const byEnv = (key: string, secret: boolean) => {
      const out: Record<string, { default?: unknown; immutable?: unknown }> = {};
      for (const [env, e] of Object.entries(mod.environments)) {
        const p = splitPath(key);
        const x = { ...(hasPath(e.overrides, p) ? { default: secret ? SECRET_MASK : getValuesPath(e.overrides, p) } : {}), ...(hasPath(e.immutable, p) ? { immutable: secret ? SECRET_MASK : getValuesPath(e.immutable, p) } : {}) };
        if (Object.keys(x).length) out[env] = x;
      }
      return Object.keys(out).length ? { environments: out } : {};
    };
    const values = schemaLeaves(mod.schema).map((l) => {
      const key = formatPath(l.path);
      // Values at or below a secret path are never shown, defaults and locks included.
      const secret = l.secret || redactor.isSecretPath(l.path);
      return {
        path: key,
        constraint: l.constraint,
        ...(l.default !== undefined ? { default: secret ? SECRET_MASK : l.default } : {}),
        ...(overrides.has(key) ? { platformDefault: secret ? SECRET_MASK : overrides.get(key) } : {}),
        ...(locked.has(key) ? { immutable: secret ? SECRET_MASK : locked.get(key) } : {}),
        ...byEnv(key, secret),
        ...(mod.platformValuePaths.some((q) => q.every((s, i) => s === l.path[i])) ? { platformOwned: true } : {}),
        optional: l.optional,
        secret,
      };
    });
    const info = {
      name: mod.name,
      version: mod.version,
      ...(mod.digest ? { digest: mod.digest } : {}),
      ...(mod.ref ? { ref: mod.ref } : {}),
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
      ...(mod.digest ? [`digest     ${mod.digest}`] : []),
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
        ...Object.entries(v.environments ?? {}).map(([env, e]) => [e.default !== undefined ? `${env} default ${JSON.stringify(e.default)}` : '', e.immutable !== undefined ? `${env} IMMUTABLE ${JSON.stringify(e.immutable)}` : ''].filter(Boolean).join(', ')),
        v.platformOwned ? 'owned by the platform (#values)' : '',
      ].filter(Boolean);
      out.push(`  ${v.path}: ${v.constraint}${notes.length ? `    # ${notes.join(', ')}` : ''}`);
    }
    process.stdout.write(safeText(`${out.join('\n')}\n`));
  });
}
