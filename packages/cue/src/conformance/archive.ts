// Runs the inline assertions of one txtar archive in this thread.
import type { Context, Selector, Source, Value } from '../api.js';
import type { Decl, File, StructLit } from '../ast.js';
import { MemoryFileSystem } from '../loader/fs.js';
import { loadFiles } from '../loader/loader.js';
import { compare, type CompareEnv } from './compare.js';
import { checkAllows, checkClosed, checkKind } from './checks.js';
import { arg, CONTROL, ENGINE_VERSION, isInternal, positional, SEMANTIC, type TestDirective } from './directive.js';
import { checkErr, lookupAt, oneLine, parseErrSpec } from './errcheck.js';
import { estimateAssertions } from './estimate.js';
import { extractTests, formatPath, type TestRecord } from './extract.js';
import { EXPECT_LABEL } from './leaf.js';
import { parseTxtar } from './txtar.js';
import type { AssertionResult, Engine, FileResult } from './types.js';

/** Called once the assertions are known, before any evaluation (lets a supervisor count them if the run hangs). */
export type PlanHook = (planned: AssertionResult[]) => void;

export async function runArchive(engine: Engine, name: string, text: string, onPlan?: PlanHook): Promise<FileResult> {
  const start = Date.now();
  const result = (assertions: AssertionResult[], error?: string): FileResult => {
    const r: FileResult = { file: name, assertions, ms: Date.now() - start };
    if (error !== undefined) r.error = error;
    return r;
  };
  const ctx = engine.newContext();
  const archive = parseTxtar(text);
  const fs = new MemoryFileSystem();
  for (const f of archive.files) if (!f.name.startsWith('out/')) fs.write(`/${f.name}`, f.data);

  // Load and parse the root package (the archive's top-level .cue files).
  let files: File[];
  let sources: Source[];
  let resolver;
  try {
    const inst = await loadFiles('/', { fs, context: ctx, cwd: '/' });
    resolver = inst.resolver;
    sources = inst.files;
    files = sources.map((s) => ctx.parse(s));
  } catch (err) {
    const msg = `cannot load: ${oneLine(errMessage(err))}`;
    return result(estimateAssertions(text, msg), msg);
  }
  const records = files.flatMap(extractTests);
  const plan = planAssertions(records);
  onPlan?.(plan.map((p) => p.result));

  const build = async (fs: File[] = files): Promise<Value> => ctx.build(fs, { resolver });
  // Permutations reorder declarations of a fresh parse: engines may cache per AST node.
  const reparse = () => sources.map((s) => ctx.parse(s));
  let root: Value;
  try {
    root = await build();
  } catch (err) {
    const msg = `build failed: ${oneLine(errMessage(err))}`;
    return result(
      plan.map((p) => (p.result.status === 'pass' ? { ...p.result, status: 'fail', message: msg } : p.result)),
      msg,
    );
  }

  const out: AssertionResult[] = [];
  for (const p of plan) {
    if (p.result.status !== 'pass') {
      out.push(p.result);
      continue;
    }
    if (p.directive.name === 'permute') {
      out.push(await runPermute(ctx, p, plan, build, reparse));
      continue;
    }
    const r = await runOne(ctx, root, p, files);
    out.push(...r);
  }
  return result(out);
}

interface Planned {
  record: TestRecord;
  directive: TestDirective;
  /** Prefilled: status 'pass' means "to run"; others are final. */
  result: AssertionResult;
}

/** Chooses the active directives (version qualifiers, skip, todo) and the status of those not run. */
function planAssertions(records: TestRecord[]): Planned[] {
  const byPath = new Map<string, TestRecord[]>();
  for (const r of records) {
    const k = JSON.stringify(r.path);
    const list = byPath.get(k);
    if (list) list.push(r);
    else byPath.set(k, [r]);
  }
  const out: Planned[] = [];
  for (const group of byPath.values()) {
    const dirs = group.filter((r) => r.directive).map((r) => r.directive!);
    const skip = dirs.find((d) => d.name === 'skip');
    const todo = dirs.find((d) => d.name === 'todo');
    const keyOf = (d: TestDirective) => `${d.name}\u0000${arg(d, 'at')?.value ?? ''}`;
    const overridden = new Set(dirs.filter((d) => d.version === ENGINE_VERSION).map(keyOf));
    for (const rec of group) {
      const base: AssertionResult = {
        path: formatPath(rec.path),
        directive: rec.directive?.name ?? 'test',
        status: 'pass',
        at: `${rec.attr.pos.file}:${rec.attr.pos.line}:${rec.attr.pos.col}`,
        text: oneLine(rec.attr.text).slice(0, 160),
      };
      if (rec.parseError !== undefined) {
        out.push({ record: rec, directive: { name: 'test', version: '', args: [], text: rec.attr.text }, result: { ...base, status: 'fail', message: `invalid @test attribute: ${rec.parseError}` } });
        continue;
      }
      const d = rec.directive!;
      const counted = SEMANTIC.has(d.name) || isInternal(d.name) || !CONTROL.has(d.name);
      if (!counted || d.name === '') continue;
      if (d.name === 'eq' && positional(d).length === 0) continue; // `@test(eq)` placeholder: asserts nothing
      const p: Planned = { record: rec, directive: d, result: base };
      if (d.version !== '' && d.version !== ENGINE_VERSION) {
        if (d.version !== 'todo') continue; // another evaluator version: not ours
        p.result = { ...base, status: 'skipped', message: 'marked :todo (known to fail in Go CUE)' };
      } else if (d.version === '' && overridden.has(keyOf(d))) continue;
      else if (skip) p.result = { ...base, status: 'skipped', message: `skipped: ${skip.args.find((a) => a.key === 'why')?.value ?? 'skip'}` };
      else if (todo) p.result = { ...base, status: 'skipped', message: 'under @test(todo)' };
      else if (isInternal(d.name)) p.result = { ...base, status: 'unsupported', message: 'checks Go evaluator internals' };
      else if (!SEMANTIC.has(d.name)) p.result = { ...base, status: 'fail', message: `unknown @test directive "${d.name}"` };
      out.push(p);
    }
  }
  return out;
}

/** The experiments a file enables with `@experiment(a, b)` attributes. */
function experimentsOf(files: File[], filename: string): string[] {
  const f = files.find((x) => x.filename === filename);
  const attrs = [...(f?.attrs ?? []), ...(f?.decls ?? []).filter((d) => d.type === 'Attribute')];
  return attrs.filter((a) => a.name === 'experiment').flatMap((a) => a.body.split(',').map((x) => x.trim()).filter(Boolean));
}

async function runOne(ctx: Context, root: Value, p: Planned, files: File[]): Promise<AssertionResult[]> {
  const d = p.directive;
  const res = p.result;
  try {
    const val = p.record.path.length ? root.lookup(...p.record.path) : root;
    let failure: string | undefined;
    const notes: string[] = [];
    const extra: AssertionResult[] = [];
    const hidden = constraintOnPath(root, p.record.path);
    if (hidden !== undefined) {
      // Go's runner looks the field up with LookupPath, which does not find an optional or required field by a regular selector: it sees an incomplete "field not found" error there.
      const spec = d.name === 'err' ? parseErrSpec(d.args) : undefined;
      const ok = spec !== undefined && !spec.any && (spec.codes.length === 0 || spec.codes.includes('incomplete'));
      return [ok ? { ...res, status: 'pass' } : { ...res, status: 'fail', message: `field not found: ${hidden} (an optional or required field is not looked up)` }];
    }
    switch (d.name) {
      case 'eq': {
        const atPath = arg(d, 'at')?.value;
        const target = atPath ? lookupAt(val, atPath) : val;
        if (atPath && !target.exists()) throw new Error(`at=${atPath}: sub-path not found`);
        const exprText = positional(d)[0]!.raw;
        const wrapper = `${EXPECT_LABEL}: ${exprText}\n`;
        // The expected expression is written in the file, under that file's experiments (`==x` needs structcmp).
        const experiments = experimentsOf(files, p.record.attr.pos.file);
        const file = ctx.parse({ filename: `${res.at} @test(eq)`, text: wrapper, experiments });
        const field = file.decls[0];
        if (!field || field.type !== 'Field') throw new Error('cannot parse the expected expression');
        const env: CompareEnv = { ctx, baseLine: p.record.baseLine, text: wrapper, notes, unsupported: [] };
        failure = await compare(env, field.value, target, '');
        for (const u of env.unsupported) extra.push({ ...res, directive: 'final/shareID', status: 'unsupported', message: u });
        break;
      }
      case 'err': {
        const o = checkErr(val, parseErrSpec(d.args), p.record.baseLine, root);
        failure = o.failure;
        notes.push(...o.notes);
        break;
      }
      case 'closed':
        failure = checkClosed(val, d);
        break;
      case 'allows':
        failure = checkAllows(val, d);
        break;
      case 'kind':
        failure = checkKind(val, d);
        break;
    }
    const r: AssertionResult = failure === undefined ? { ...res, status: 'pass' } : { ...res, status: 'fail', message: failure };
    if (notes.length) r.notes = notes;
    return [r, ...extra];
  } catch (err) {
    return [{ ...res, status: 'fail', message: `engine error: ${oneLine(errMessage(err))}` }];
  }
}

/** The label of the first optional or required field on `path` below `root`, if any. */
function constraintOnPath(root: Value, path: Selector[]): string | undefined {
  let cur = root;
  for (const s of path) {
    const label = String(s);
    const f = cur.fields({ optional: true, definitions: true, hidden: true }).find((x) => x.label === label);
    if (f && (f.optional || f.required)) return label;
    cur = cur.lookup(s);
  }
  return undefined;
}

const MAX_PERMUTATIONS = 12;

/**
 * `@test(permute)`: as a declaration attribute it reorders all declarations of
 * its struct; on fields it reorders the marked fields of their struct. The
 * assertion passes when every assertion under that struct holds in every order
 * tried (at most MAX_PERMUTATIONS besides the original).
 */
async function runPermute(ctx: Context, p: Planned, plan: Planned[], build: (files: File[]) => Promise<Value>, reparse: () => File[]): Promise<AssertionResult> {
  const rec = p.record;
  if (!rec.struct) return { ...p.result, status: 'fail', message: 'permute: no enclosing struct' };
  const prefix = rec.isDeclAttr ? rec.path : rec.path.slice(0, -1);
  const marked = (d: Decl) => plan.some((q) => q.directive.name === 'permute' && q.record.decl === d);
  const movable: number[] = [];
  rec.struct.decls.forEach((d, i) => {
    if (d.type !== 'Attribute' && (rec.isDeclAttr || (d.type === 'Field' && marked(d)))) movable.push(i);
  });
  const checks = plan.filter((q) => q.result.status === 'pass' && q.directive.name !== 'permute' && hasPrefix(q.record.path, prefix));
  let tried = 0;
  try {
    for (const order of orders(movable.length, MAX_PERMUTATIONS)) {
      tried++;
      const files = reparse();
      const struct = findStruct(files, rec);
      if (!struct) throw new Error('cannot find the permuted struct again');
      const original = struct.decls;
      const decls: Decl[] = [...original];
      movable.forEach((slot, k) => (decls[slot] = original[movable[order[k]!]!]!));
      struct.decls = decls;
      const root = await build(files);
      for (const q of checks) {
        const [r] = await runOne(ctx, root, q, files);
        if (r && r.status === 'fail') return { ...p.result, status: 'fail', message: `order [${order.join(',')}]: ${q.result.path} ${q.directive.name}: ${r.message}` };
      }
    }
  } catch (err) {
    return { ...p.result, status: 'fail', message: `permute: ${oneLine(errMessage(err))}` };
  }
  return { ...p.result, status: 'pass', message: `${tried} orders tried` };
}

/** The struct of `rec` in a fresh parse, found through the attribute's position. */
function findStruct(files: File[], rec: TestRecord): StructLit | File | undefined {
  for (const f of files) {
    if (f.filename !== rec.file) continue;
    const again = extractTests(f).find((r) => r.attr.pos.offset === rec.attr.pos.offset);
    if (again?.struct) return again.struct;
  }
  return undefined;
}

function hasPrefix(path: Selector[], prefix: Selector[]): boolean {
  return prefix.every((s, i) => path[i] === s);
}

/**
 * Up to `max` orders of 0..n-1 other than the identity: the reverse and the
 * rotations first (they move every element), then lexicographic ones.
 */
function orders(n: number, max: number): number[][] {
  const seen = new Set<string>([Array.from({ length: n }, (_, i) => i).join(',')]);
  const out: number[][] = [];
  const add = (o: number[]) => {
    const k = o.join(',');
    if (out.length < max && !seen.has(k)) {
      seen.add(k);
      out.push(o);
    }
  };
  add(Array.from({ length: n }, (_, i) => n - 1 - i));
  for (let r = 1; r < n; r++) add(Array.from({ length: n }, (_, i) => (i + r) % n));
  for (const o of permutations(n)) {
    if (out.length >= max) break;
    add(o);
  }
  return out;
}

/** Permutations of 0..n-1 in lexicographic order. */
function* permutations(n: number): Generator<number[]> {
  const a = Array.from({ length: n }, (_, i) => i);
  for (;;) {
    yield [...a];
    let i = n - 2;
    while (i >= 0 && a[i]! >= a[i + 1]!) i--;
    if (i < 0) return;
    let j = n - 1;
    while (a[j]! <= a[i]!) j--;
    [a[i], a[j]] = [a[j]!, a[i]!];
    a.splice(i + 1, n - i - 1, ...a.slice(i + 1).reverse());
  }
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
