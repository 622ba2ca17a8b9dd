// Shared by the `opm cue` commands: splitting arguments into CUE package
// arguments and data files, loading the instance, `-e` expressions and tags.
import { extname, resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import YAML from 'yaml';
import { loadFiles, newContext, type Context, type Value } from '@opm/cue';
import { builtinPackage } from '@opm/core';
import { UsageError } from '../../errors.js';
import { defaultCacheDir, nodeFileSystem } from './node-fs.js';

export interface LoadFlags {
  package?: string;
  tag?: string[];
}

export interface Loaded {
  ctx: Context;
  value: Value;
}

const DATA_EXT = new Set(['.json', '.yaml', '.yml', '.jsonl', '.ndjson']);

export function isDataFile(p: string): boolean {
  return DATA_EXT.has(extname(p).toLowerCase());
}

/** `-t key=value` / `-t flag` → tags for `@tag()` and `@if()`. */
export function parseTags(tags: string[] = []): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const t of tags) {
    const eq = t.indexOf('=');
    if (eq === 0) throw new UsageError(`invalid tag ${JSON.stringify(t)}`);
    if (eq < 0) out[t] = true;
    else out[t.slice(0, eq)] = t.slice(eq + 1);
  }
  return out;
}

/** Loads the CUE instance named by `args` (a directory, or .cue files; default `.`). */
export async function loadCue(args: string[], flags: LoadFlags, ctx: Context = newContext()): Promise<Loaded> {
  const cueArgs = args.length ? args : ['.'];
  for (const a of cueArgs) if (isDataFile(a)) throw new UsageError(`unexpected data file ${a} here`);
  const inst = await loadFiles(cueArgs.length === 1 ? cueArgs[0]! : cueArgs, {
    fs: nodeFileSystem,
    context: ctx,
    cwd: process.cwd(),
    cacheDir: defaultCacheDir(),
    // The core schema (core.opm.dev/v1) and the built-in provider's helpers resolve
    // without a hand-made cue.mod, inside a module, catalog or provider directory.
    resolver: { resolve: (p) => builtinPackage(p) },
    ...(flags.package !== undefined ? { package: flags.package } : {}),
  });
  const tags = parseTags(flags.tag);
  const value = await ctx.build(inst.files, { resolver: inst.resolver, ...(Object.keys(tags).length ? { tags } : {}) });
  return { ctx, value };
}

const SIMPLE_PATH = /^(?:[#_]*[\p{L}_$][\p{L}\p{N}_$]*|"(?:[^"\\]|\\.)*"|\[\d+\])(?:\.(?:[#_]*[\p{L}_$][\p{L}\p{N}_$]*|"(?:[^"\\]|\\.)*")|\[\d+\])*$/u;

/**
 * `-e EXPR`: a path is looked up; any other expression is evaluated with the
 * package's declarations in scope.
 */
export async function evalExpression(ctx: Context, root: Value, expr: string): Promise<Value> {
  if (SIMPLE_PATH.test(expr.trim())) {
    const v = root.lookupPath(expr.trim());
    if (!v.exists()) throw new UsageError(`-e ${expr}: reference not found`);
    return v;
  }
  const label = 'opm_cli_expression'; // `__` identifiers are reserved
  const v = await ctx.build([{ filename: '-e', text: `${label}: ${expr}\n` }], { scope: root });
  return v.lookup(label);
}

/** Reads a JSON or YAML data file; JSON is compiled as CUE so errors carry file:line:col. Returns one value per document. */
export async function readData(ctx: Context, file: string): Promise<{ name: string; value: Value }[]> {
  const text = await readFile(resolve(file), 'utf8');
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return [{ name: file, value: ctx.compile({ filename: file, text }) }];
  if (ext === '.jsonl' || ext === '.ndjson') {
    return text
      .split('\n')
      .map((l, i) => ({ l, i }))
      .filter(({ l }) => l.trim() !== '')
      .map(({ l, i }) => ({ name: `${file}:${i + 1}`, value: ctx.compile({ filename: `${file}:${i + 1}`, text: l }) }));
  }
  const docs = YAML.parseAllDocuments(text);
  return docs.map((d, i) => {
    if (d.errors.length) throw new UsageError(`${file}: ${d.errors[0]!.message}`);
    return { name: docs.length > 1 ? `${file} (document ${i + 1})` : file, value: ctx.encode(d.toJS({ maxAliasCount: -1 })) };
  });
}
