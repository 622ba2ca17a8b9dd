// The public Context (api.ts): parsing, building packages (with imports) and
// encoding plain data.
import type { File, ImportSpec } from './ast.js';
import type { BuildOptions, Context, EmbedFiles, ResolvedPackage, Source, Value } from './api.js';
import { CueError, CueErrorList } from './errors.js';
import { builtinPackages } from './builtins/index.js';
import { builtinPackageVertex } from './eval/builtin-calls.js';
import { fromJS } from './eval/data.js';
import { resetWork } from './eval/evaluator.js';
import { packageFileLits } from './eval/package.js';
import { checkReferences } from './eval/references.js';
import { bottom, type Val } from './eval/values.js';
import { type Binding, type Env, Vertex, newEnv } from './eval/vertex.js';
import { type ParseOptions, parseFile } from './parser.js';
import { markRoot, ValueImpl } from './value.js';
import { embedErrors, injectEmbeds } from './embed.js';
import { declaredTags, fileIncluded, injectTags, unknownTags } from './tags.js';

function isFile(x: Source | File): x is File {
  return (x as File).type === 'File';
}

/** The local name of an import: explicit, else the `:pkg` qualifier, else the last path element without version. */
export function importName(spec: ImportSpec): string {
  if (spec.name) return spec.name.name;
  const p = spec.path;
  const colon = p.lastIndexOf(':');
  if (colon >= 0 && !p.slice(colon).includes('/')) return p.slice(colon + 1);
  let last = p.split('/').pop()!;
  last = last.replace(/@.*$/, '');
  return last;
}

function importKey(path: string): string {
  return path;
}

export class ContextImpl implements Context {
  private pkgCache = new Map<string, Value>();
  /** What each parsed file may embed (Source.embed), for `@embed`. */
  private readonly embedOf = new WeakMap<File, EmbedFiles>();

  parse(source: Source): File {
    const opts: ParseOptions = {};
    if (source.experiments) opts.experiments = source.experiments;
    if (source.languageVersion) opts.languageVersion = source.languageVersion;
    const f = source.parsed ? source.parsed() : parseFile(source.filename, source.text, opts);
    if (source.embed) this.embedOf.set(f, source.embed);
    return f;
  }

  /** Reads the files `@embed` fields name into them before evaluation (reading is asynchronous, evaluation is not). */
  private async embed(files: File[]): Promise<void> {
    const errs = await injectEmbeds(files, (f) => this.embedOf.get(f));
    if (errs.length) throw new CueErrorList(errs);
  }

  compile(source: string | Source | Source[], opts: Omit<BuildOptions, 'resolver'> = {}): Value {
    const srcs: Source[] = typeof source === 'string' ? [{ filename: '-', text: source }] : Array.isArray(source) ? source : [source];
    const files = this.parseAll(srcs);
    this.checkTags(files, opts, new Map());
    return this.evaluate(files, opts, new Map());
  }

  async build(input: Source[] | File[], opts: BuildOptions = {}): Promise<Value> {
    const files = input.length && isFile(input[0] as Source | File) ? (input as File[]) : this.parseAll(input as Source[]);
    await this.embed(files);
    const resolved = new Map<string, Value>();
    await this.resolveImports(files, opts, resolved, new Set());
    this.checkTags(files, opts, resolved);
    return this.evaluate(files, opts, resolved);
  }

  /** The files of each loaded package, for the tag names they declare (a -t tag may be meant for an imported package). */
  private readonly pkgFiles = new WeakMap<Value, File[]>();

  private checkTags(files: File[], opts: Omit<BuildOptions, 'resolver'>, resolved: Map<string, Value>): void {
    if (!opts.tags || Object.keys(opts.tags).length === 0) return;
    const known = declaredTags(files);
    // Walked only here, when tags are given: most builds have none.
    for (const v of resolved.values()) for (const t of declaredTags(this.pkgFiles.get(v) ?? [])) known.add(t);
    const errs = unknownTags(opts.tags, known);
    if (errs.length) throw new CueErrorList(errs);
  }

  encode(x: unknown): Value {
    resetWork();
    return new ValueImpl(fromJS(x));
  }

  private parseAll(srcs: Source[]): File[] {
    const errs: CueError[] = [];
    const files: File[] = [];
    for (let i = 0; i < srcs.length; i++) {
      const s = srcs[i];
      try {
        files.push(this.parse(s));
      } catch (e) {
        if (e instanceof CueErrorList) errs.push(...e.errors);
        else if (e instanceof CueError) errs.push(e);
        else throw e;
      }
    }
    if (errs.length) throw new CueErrorList(errs);
    return files;
  }

  private async resolveImports(files: File[], opts: BuildOptions, out: Map<string, Value>, visiting: Set<string>): Promise<void> {
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      for (let j = 0, xs = f.imports; j < xs.length; j++) {
        const imp = xs[j];
        const path = imp.path;
        if (builtinPackages.has(path) || out.has(path) || opts.imports?.[path]) continue;
        if (!opts.resolver) continue;
        const pkg: ResolvedPackage | undefined = await opts.resolver.resolve(path, f.filename);
        if (!pkg) continue;
        const cached = this.pkgCache.get(pkg.id);
        if (cached) {
          out.set(path, cached);
          continue;
        }
        if (visiting.has(pkg.id)) {
          throw new CueErrorList([new CueError('import', `import cycle: ${path}`, { positions: [imp.pathPos] })]);
        }
        out.set(path, await this.loadPackage(pkg, opts, visiting, path));
      }
    }
  }

  async buildPackage(pkg: ResolvedPackage, opts: BuildOptions = {}): Promise<Value> {
    return this.pkgCache.get(pkg.id) ?? this.loadPackage(pkg, opts, new Set());
  }

  private async loadPackage(pkg: ResolvedPackage, opts: BuildOptions, visiting: Set<string>, importPath = pkg.id): Promise<Value> {
    visiting.add(pkg.id);
    const pfiles = this.parseAll(pkg.files);
    qualifyHidden(pfiles, importPath);
    await this.embed(pfiles);
    const sub = new Map<string, Value>();
    await this.resolveImports(pfiles, { ...opts, scope: undefined }, sub, visiting);
    visiting.delete(pkg.id);
    const v = this.evaluate(pfiles, { imports: opts.imports, tags: opts.tags }, sub);
    this.pkgFiles.set(v, pfiles);
    this.pkgCache.set(pkg.id, v);
    return v;
  }

  private evaluate(allFiles: File[], opts: Omit<BuildOptions, 'resolver'>, resolved: Map<string, Value>): Value {
    resetWork();
    const files = allFiles.filter((f) => fileIncluded(f, opts.tags));
    const pkgs = new Set(files.map((f) => f.package?.name).filter((n): n is string => !!n));
    if (pkgs.size > 1) {
      throw new CueErrorList([new CueError('eval', `found packages ${[...pkgs].join(' and ')} in the same build`, { positions: files.map((f) => f.pos) })]);
    }
    const root = new Vertex(undefined, '');
    let outer: Env | undefined;
    if (opts.scope) {
      const sv = (opts.scope as ValueImpl).__val;
      if (sv.t === 'vertex') {
        const binds = new Map<string, Binding>();
        for (let i = 0, xs = opts.scope.fields({ definitions: true, hidden: true, optional: true }); i < xs.length; i++) {
          const fi = xs[i];
          binds.set(fi.label, { vertex: (fi.value as ValueImpl).__val as Vertex });
        }
        outer = newEnv(sv);
        outer.binds = binds;
      }
    }
    const unresolved = [...embedErrors(files), ...checkReferences(files, outer?.binds ? new Set(outer.binds.keys()) : new Set())];
    if (unresolved.length) throw new CueErrorList(unresolved);
    const lits = packageFileLits(files);
    for (const [i, f] of files.entries()) {
      const imports = new Map<string, Binding | (() => Binding)>();
      for (let j = 0, xs = f.imports; j < xs.length; j++) {
        const imp = xs[j];
        const name = importName(imp);
        imports.set(name, () => this.importBinding(imp, opts, resolved));
      }
      const env = newEnv(root, outer);
      env.imports = imports;
      const lit = lits[i]!;
      root.addConjunct({ expr: lit, env, def: false, pos: f.pos });
      root.addPosition(f.pos);
    }
    injectTags(files, opts.tags);
    markRoot(root);
    return new ValueImpl(root);
  }

  private importBinding(imp: ImportSpec, opts: Omit<BuildOptions, 'resolver'>, resolved: Map<string, Value>): Binding {
    const path = imp.path;
    const given = opts.imports?.[path] ?? resolved.get(path);
    if (given) return { val: (given as ValueImpl).__val };
    const b = builtinPackageVertex(path);
    if (b) return { vertex: b };
    const err: Val = bottom('import', `import "${path}" not found`, [imp.pathPos]);
    return { val: err };
  }
}

/**
 * Hidden identifiers (`_x`, `_#X`) belong to their package: `_x` of an
 * imported package is another field than the importer's `_x`. The imported
 * package's files are freshly parsed, so each of their hidden identifiers
 * (labels, references, selectors alike) is renamed `_x$(import/path)`, which
 * no identifier can spell. Predeclared `__names` stay as they are.
 */
function qualifyHidden(files: File[], importPath: string): void {
  const suffix = `$(${importPath})`;
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) {
        const y = x[i];
        visit(y);
      }
      return;
    }
    if (typeof x !== 'object' || x === null) return;
    const node = x as { type?: string; name?: string };
    if (node.type === 'Ident' && node.name && node.name.length > 1 && node.name[0] === '_' && node.name[1] !== '_') {
      node.name += suffix;
      return;
    }
    // for-in, not Object.entries (see tags.ts eachField).
    const o = x as Record<string, unknown>;
    for (const k in o) {
      if (k === 'pos' || k === 'end') continue;
      const v = o[k];
      if (typeof v === 'object' && v !== null) visit(v);
    }
  };
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    visit(f.decls);
  }
}

export { importKey };
