// What a release command renders besides the file itself, as Helm users expect:
// `-f values.yaml` and `--set path=value` (the release layer, validated like it),
// `-n` for the namespace, and `-` to read the release from stdin.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { RenderOptions } from '@opm/core';
import { UsageError, UserFacingError } from '../../errors.js';

export interface ReleaseInputFlags {
  values?: string[];
  set?: string[];
  setString?: string[];
  namespace?: string;
}

// Not common.ts's `collect`: that module loads @opm/core, which the cluster commands
// importing this file must not pay for at start-up.
const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Largest release file read from stdin: anything larger is a mistake (a binary piped by accident). */
const MAX_STDIN_BYTES = 16 * 1024 * 1024;

/** -f, --set and --set-string (the cluster commands, which have their own -n). */
export function addValueOptions(cmd: Command): Command {
  return cmd
    .option('-f, --values <file>', 'YAML or JSON values overlaid on the release values (repeatable, later files win)', collect, [])
    .option('--set <path=value>', 'set one value (YAML scalar or flow value: 3, true, null, [a, b]); repeatable, wins over -f', collect, [])
    .option('--set-string <path=value>', 'set one value as a string; repeatable', collect, []);
}

export function addReleaseInputOptions(cmd: Command): Command {
  return addValueOptions(cmd).option('-n, --namespace <ns>', 'namespace overriding the release file');
}

/** The values layers of -f, --set and --set-string, in the order they apply. */
export async function valueLayers(flags: ReleaseInputFlags): Promise<{ source: string; values: Record<string, unknown> }[]> {
  const layers: { source: string; values: Record<string, unknown> }[] = [];
  for (const f of flags.values ?? []) layers.push({ source: f, values: await valuesFile(f) });
  if (flags.set?.length) layers.push({ source: '--set', values: parseSets(flags.set, false) });
  if (flags.setString?.length) layers.push({ source: '--set-string', values: parseSets(flags.setString, true) });
  return layers;
}

/** Splits `a.b\.c` into ['a', 'b.c']. */
function splitSetPath(p: string, arg: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\' && p[i + 1] === '.') {
      cur += '.';
      i++;
    } else if (c === '.') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  if (out.some((s) => s === '')) throw new UsageError(`${arg}: empty path segment in "${p}"`);
  if (out.some((s) => /\[\d*\]$/.test(s))) throw new UsageError(`${arg}: not supported yet: list indexes in --set paths ("${p}"); give the whole list (--set 'key=[a, b]') or use -f`);
  return out;
}

function assign(into: Record<string, unknown>, path: string[], value: unknown): void {
  let o = into;
  for (const k of path.slice(0, -1)) {
    const next = o[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[path[path.length - 1]!] = value;
}

export function parseSets(specs: string[], asString: boolean): Record<string, unknown> {
  const flag = asString ? '--set-string' : '--set';
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} ${spec}: expected path=value`);
    const path = splitSetPath(spec.slice(0, eq), `${flag} ${spec}`);
    const raw = spec.slice(eq + 1);
    let value: unknown = raw;
    if (!asString && raw !== '') {
      try {
        value = parseYaml(raw);
      } catch (e) {
        throw new UsageError(`${flag} ${spec}: not a YAML value: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    assign(out, path, value);
  }
  return out;
}

async function valuesFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    // Synchronous, as the loader reads CUE files (@opm/cue's node-fs): a values file is
    // small, and node:fs/promises would be loaded (with readline and fs watchers) for it.
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`-f ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    const line = e instanceof YAMLParseError && e.linePos ? `:${e.linePos[0].line}` : '';
    throw new UserFacingError(`${file}${line}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new UserFacingError(`${file}: values must be a mapping (key: value), not ${Array.isArray(data) ? 'a list' : typeof data}`);
  return data as Record<string, unknown>;
}

export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of stream) {
    const b = Buffer.isBuffer(c) ? c : Buffer.from(c as string);
    total += b.length;
    if (total > MAX_STDIN_BYTES) throw new UsageError(`-: more than ${MAX_STDIN_BYTES} bytes on stdin`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The label a release read from stdin goes by in messages. */
export const STDIN_LABEL = '<stdin>';

/** Render options for the files' shared inputs; `text` is set for `-` (stdin). */
export async function releaseInputOptions(files: string[], flags: ReleaseInputFlags): Promise<{ opts: Partial<RenderOptions>; stdinText?: string }> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('- (stdin) can be given once');
  const extraValues = await valueLayers(flags);
  const opts: Partial<RenderOptions> = {
    ...(extraValues.length ? { extraValues } : {}),
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
  };
  return files.includes('-') ? { opts, stdinText: await readStdin() } : { opts };
}
