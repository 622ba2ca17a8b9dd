// Evaluates a CUE program (a set of files: one txtar archive, or a directory
// of a repository) as written and after each meaning-preserving rewrite, and
// reports every rewrite whose value differs.
import type { Context, Value } from '../../api.js';
import { newContext } from '../../engine-index.js';
import { formatNode } from '../../format.js';
import { MemoryFileSystem } from '../../loader/fs.js';
import { loadFiles } from '../../loader/loader.js';
import { canonical, type CanonOptions } from './canon.js';
import { REWRITES, rng, type Rewrite, type SourceFile } from './transforms.js';

/** A program: file paths (absolute, `/`-rooted) to text, and the directory of the instance to evaluate. */
export interface Program {
  name: string;
  files: Map<string, string>;
  dir: string;
}

export interface Difference {
  program: string;
  rewrite: string;
  seed: number;
  /** The first line where the canonical values differ, both sides. */
  written: string;
  rewritten: string;
  /** The rewritten files (only those the rewrite touched: every file of the instance's tree outside cue.mod). */
  files: Map<string, string>;
}

export interface CheckOptions extends CanonOptions {
  /** Rewrites to apply (default all). */
  rewrites?: readonly Rewrite[];
  /** Seeds per rewrite (default [1]); `print` runs once. */
  seeds?: readonly number[];
  /**
   * Also evaluates the value exported as CUE (default true): an exported
   * value is a fixed point, the same value again (closedness aside, which the
   * export does not write for regular fields).
   */
  reexport?: boolean;
}

/** The canonical value of a program, or `load error`/`build error` when it does not get that far. */
export async function evaluate(p: Program, opts: CanonOptions = {}, ctx: Context = newContext()): Promise<string> {
  const root = await build(p, ctx);
  if (typeof root === 'string') return root;
  try {
    return canonical(ctx, root, opts);
  } catch {
    return 'build error';
  }
}

async function build(p: Program, ctx: Context): Promise<Value | 'load error' | 'build error'> {
  const fs = new MemoryFileSystem();
  for (const [path, text] of p.files) fs.write(path, text);
  let inst;
  try {
    inst = await loadFiles(p.dir, { fs, context: ctx, cwd: '/' });
  } catch {
    return 'load error';
  }
  try {
    return await ctx.build(inst.files, { resolver: inst.resolver });
  } catch {
    return 'build error';
  }
}

/**
 * The program's value exported as CUE (definitions, optional and hidden
 * fields included), as a program of one file in the instance's directory;
 * undefined when the value holds an error, which has no source form.
 */
export async function reexported(p: Program, ctx: Context = newContext(), canon?: (root: Value) => void): Promise<Program | undefined> {
  const root = await build(p, ctx);
  if (typeof root === 'string' || root.validate().length) return undefined;
  canon?.(root);
  const text = root.toCUE({ definitions: true, optional: true, hidden: true });
  if (text.includes('_|_')) return undefined;
  let pkg: string | undefined;
  const files = new Map<string, string>();
  for (const [path, src] of p.files) {
    if (!rewritable(path)) files.set(path, src);
    else if (pkg === undefined && path.slice(0, path.lastIndexOf('/') || 1) === p.dir) {
      try {
        pkg = ctx.parse({ filename: path, text: src }).package?.name;
      } catch {
        return undefined;
      }
    }
  }
  files.set(`${p.dir === '/' ? '' : p.dir}/reexport.cue`, `${pkg ? `package ${pkg}\n\n` : ''}${text}\n`);
  return { name: p.name, files, dir: p.dir };
}

/** The files a rewrite may change: CUE files outside cue.mod. */
function rewritable(path: string): boolean {
  return path.endsWith('.cue') && !path.split('/').includes('cue.mod');
}

/** Parses, rewrites and prints the program's files; undefined when a file does not parse. */
export function rewrite(p: Program, w: Rewrite, seed: number, ctx: Context = newContext()): Program | undefined {
  const r = rng(seed);
  const sources: SourceFile[] = [];
  const files = new Map<string, string>();
  for (const [path, text] of p.files) {
    if (!rewritable(path)) {
      files.set(path, text);
      continue;
    }
    try {
      sources.push({ path, file: ctx.parse({ filename: path, text }) });
    } catch {
      return undefined;
    }
  }
  for (const s of w.apply(sources, r)) files.set(s.path, formatNode(s.file));
  return { name: p.name, files, dir: p.dir };
}

export async function checkProgram(p: Program, opts: CheckOptions = {}): Promise<{ base: string; differences: Difference[] }> {
  const base = await evaluate(p, opts);
  let sortedBase: string | undefined;
  const differences: Difference[] = [];
  if (base === 'load error') return { base, differences };
  // The printed program, and the texts of rewrites evaluated already: a rewrite that changes nothing here
  // (join-files of a one-file package, shorthand without `a: b: c`) needs no evaluation.
  const done = new Set<string>();
  for (const w of opts.rewrites ?? REWRITES) {
    for (const seed of w.name === 'print' ? [1] : (opts.seeds ?? [1])) {
      const q = rewrite(p, w, seed);
      if (!q) return { base, differences };
      const key = [...q.files].filter(([path]) => rewritable(path)).map(([path, text]) => `${path}\0${text}`).sort().join('\0');
      if (done.has(key)) continue;
      done.add(key);
      const got = await evaluate(q, opts);
      if (got === base) continue;
      // Lists that follow a struct's field order may differ in order only (canon.ts sortLists).
      if (w.reorders) {
        sortedBase ??= await evaluate(p, { ...opts, sortLists: true });
        if ((await evaluate(q, { ...opts, sortLists: true })) === sortedBase) continue;
      }
      const [a, b] = firstDifference(base, got);
      const changed = new Map([...q.files].filter(([path, text]) => rewritable(path) && p.files.get(path) !== text));
      differences.push({ program: p.name, rewrite: w.name, seed, written: a, rewritten: b, files: changed });
      // A printer fault shows in every rewrite: the others say nothing more.
      if (w.name === 'print') return { base, differences };
    }
  }
  if (opts.reexport !== false && !base.includes('_|_') && !base.includes('…') && base !== 'build error') {
    const open = { ...opts, ignoreClosed: true };
    const ctx = newContext();
    let a = '';
    const q = await reexported(p, ctx, (root) => (a = canonical(ctx, root, open)));
    if (q) {
      const b = await evaluate(q, open);
      // (Where the export is no valid CUE, it is the exporter's fault, not the value's: not this check's finding.
      // Today: a pattern's label alias, `[Name=string]: {name: Name}`, and builtin validators without their import.)
      if (a !== b && b !== 'build error') {
        const [x, y] = firstDifference(a, b);
        const changed = new Map([...q.files].filter(([path]) => rewritable(path)));
        differences.push({ program: p.name, rewrite: 'reexport', seed: 1, written: x, rewritten: y, files: changed });
      }
    }
  }
  return { base, differences };
}

/** The first differing line of two canonical texts, with the field path above it. */
export function firstDifference(a: string, b: string): [string, string] {
  const xs = a.split('\n');
  const ys = b.split('\n');
  let i = 0;
  while (i < xs.length && i < ys.length && xs[i] === ys[i]) i++;
  const path: string[] = [];
  for (let j = i - 1, depth = Infinity; j >= 0; j--) {
    const line = xs[j]!;
    const d = line.length - line.trimStart().length;
    if (d < depth && /:$/.test(line.trim())) {
      path.unshift(line.trim().slice(0, -1));
      depth = d;
    }
  }
  const where = path.join('.');
  return [`${where}: ${xs[i] ?? '<end>'}`.trim(), `${where}: ${ys[i] ?? '<end>'}`.trim()];
}

/** A txtar archive as a program: its files except the expected outputs (`out/`), evaluated at the root. */
export function archiveProgram(name: string, files: { name: string; data: string }[]): Program {
  const m = new Map<string, string>();
  for (const f of files) if (!f.name.startsWith('out/')) m.set(`/${f.name}`, f.data);
  return { name, files: m, dir: '/' };
}
