// Meaning-preserving rewrites of CUE source. Unification is commutative,
// associative and idempotent (cue-spec.md, "Unification"), `a: b: c` is
// `a: {b: c}`, a field declared twice is one field with both values, and a
// package is the same whether written in one file or several. So each
// rewrite below must leave the evaluated value unchanged: a difference is a
// bug of the evaluator (or of the printer, which the `print` rewrite checks
// on its own). Rewrites work on a fresh parse and mutate it.
import type { BinaryExpr, Decl, Expr, Field, File, ImportSpec, Node } from '../../ast.js';
import { andOperands } from '../../eval/conjuncts.js';
import { checkReferences } from '../../eval/references.js';

/** A seeded random source in [0, 1) (xorshift32): the same seed gives the same rewrite. */
export type Rng = () => number;

export function rng(seed: number): Rng {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

function shuffle<T>(xs: readonly T[], r: Rng): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A source file of the package being rewritten: its path in the archive and its parse. */
export interface SourceFile {
  path: string;
  file: File;
}

export interface Rewrite {
  name: string;
  /** What it checks, for reports. */
  law: string;
  /** Changes the order of fields, which lists made from structs follow. */
  reorders?: boolean;
  apply(files: SourceFile[], r: Rng): SourceFile[];
}

const SKIP = new Set(['pos', 'end', 'comments', 'pathPos']);

/** Calls `f` on every AST node below `n` (children before parents, so `f` may replace a node's own lists). */
function walk(n: unknown, f: (n: Node) => void): void {
  if (Array.isArray(n)) {
    for (const x of n) walk(x, f);
    return;
  }
  if (!n || typeof n !== 'object') return;
  for (const [k, v] of Object.entries(n)) if (!SKIP.has(k) && v && typeof v === 'object') walk(v, f);
  if (typeof (n as { type?: unknown }).type === 'string') f(n as Node);
}

/** Each declaration list: the files' top levels and every struct literal (comprehension bodies included). */
function eachDecls(files: SourceFile[], f: (owner: { decls: Decl[] }) => void): void {
  for (const s of files) walk(s.file, (n) => (n.type === 'StructLit' || n.type === 'File' ? f(n) : undefined));
}

/** Reorders the declarations of every struct (an ellipsis stays last, where the grammar puts it). */
const permute: Rewrite = {
  name: 'permute',
  law: 'declaration order does not matter',
  reorders: true,
  apply(files, r) {
    eachDecls(files, (s) => {
      const rest = s.decls.filter((d) => d.type === 'Ellipsis');
      s.decls = [...shuffle(s.decls.filter((d) => d.type !== 'Ellipsis'), r), ...rest];
    });
    return files;
  },
};

/** Swaps operands of `&` and `|` (a default keeps its mark). */
const commute: Rewrite = {
  name: 'commute',
  law: '& and | are commutative',
  reorders: true,
  apply(files, r) {
    for (const s of files)
      walk(s.file, (n) => {
        if (n.type === 'BinaryExpr' && (n.op === '&' || n.op === '|') && r() < 0.5) [n.x, n.y] = [n.y, n.x];
      });
    return files;
  },
};

/** Writes `a: b: c` as `a: {b: c}` and back (the printer uses the shorthand for a brace-less struct of one field). */
const shorthand: Rewrite = {
  name: 'shorthand',
  law: 'a: b: c is a: {b: c}',
  apply(files, r) {
    for (const s of files)
      walk(s.file, (n) => {
        if (n.type !== 'Field' || n.value.type !== 'StructLit' || n.attrs.length) return;
        const v = n.value;
        if (v.decls.length !== 1 || v.decls[0]!.type !== 'Field' || v.comments || v.decls[0]!.comments) return;
        if (r() < 0.5) return;
        if (v.end) delete v.end;
        else v.end = v.pos;
      });
    return files;
  },
};

/** A field label that can be written twice in one struct (an alias would be declared twice). */
function repeatable(f: Field): boolean {
  return f.label.type !== 'AliasLabel' && !f.postfixAlias && !(f.label.type === 'PatternLabel' && f.label.alias);
}

/** `x: A & B` as `x: A, x: B`. */
const splitConjunction: Rewrite = {
  name: 'split-conjunction',
  law: 'x: A & B is x: A; x: B',
  reorders: true,
  apply(files, r) {
    eachDecls(files, (s) => {
      s.decls = s.decls.flatMap((d) => {
        if (d.type !== 'Field' || !repeatable(d) || r() < 0.3) return [d];
        const xs = andOperands(d.value);
        if (xs.length < 2) return [d];
        return xs.map((value, i): Field => ({ ...d, value, attrs: i === 0 ? d.attrs : [] }));
      });
    });
    return files;
  },
};

function labelKey(f: Field): string | undefined {
  const l = f.label;
  // (`x: X={...}` binds X to the field's value: it cannot be an operand of `&`.)
  if (!repeatable(f) || f.attrs.length || f.value.type === 'Alias') return undefined;
  if (l.type === 'Ident') return `${f.constraint}${l.name}`;
  if (l.type === 'BasicLit' && l.kind === 'string' && l.value !== undefined) return `${f.constraint}${l.value}`;
  return undefined;
}

function and(x: Expr, y: Expr): BinaryExpr {
  return { type: 'BinaryExpr', op: '&', x, y, pos: x.pos };
}

/** `x: A, x: B` as `x: A & B` (the first declaration's place). */
const mergeFields: Rewrite = {
  name: 'merge-fields',
  law: 'x: A; x: B is x: A & B',
  reorders: true,
  apply(files, r) {
    eachDecls(files, (s) => {
      const first = new Map<string, Field>();
      const out: Decl[] = [];
      for (const d of s.decls) {
        const k = d.type === 'Field' ? labelKey(d) : undefined;
        const f = k === undefined ? undefined : first.get(k);
        if (d.type === 'Field' && k !== undefined && f && r() < 0.7) {
          f.value = and(f.value, d.value);
          continue;
        }
        if (d.type === 'Field' && k !== undefined && !f) {
          const copy: Field = { ...d };
          first.set(k, copy);
          out.push(copy);
          continue;
        }
        out.push(d);
      }
      s.decls = out;
    });
    return files;
  },
};

const SCALAR_TYPES = new Set(['_', 'null', 'bool', 'int', 'float', 'number', 'string', 'bytes']);

/** A disjunct that is a scalar, a scalar type or a bound (`*1`, `<5`, `int`), or `&`/`|` of such. */
function scalarTerm(e: Expr): boolean {
  switch (e.type) {
    case 'BasicLit':
      return true;
    case 'Ident':
      return SCALAR_TYPES.has(e.name);
    case 'ParenExpr':
      return scalarTerm(e.expr);
    case 'UnaryExpr':
      return scalarTerm(e.x);
    case 'BinaryExpr':
      return (e.op === '&' || e.op === '|') && scalarTerm(e.x) && scalarTerm(e.y);
    default:
      return false;
  }
}

/**
 * Whether `A & A` is A for a value written in a definition: not when A
 * writes a disjunction of structs. `(X | Y) & (X | Y)` is `X | X & Y | Y`;
 * elsewhere X & Y is an instance of X, but where X and Y are literals of a
 * definition, X & Y allows the fields of both (`#D: {{a: int} | {b: int}} &
 * {{a: int} | {b: int}}` admits `{a: 1, b: 1}`, which `#D: {{a: int} | {b:
 * int}}` does not): a third disjunct, not the same value.
 */
function idempotentInDefinition(e: Expr): boolean {
  let ok = true;
  walk(e, (n) => {
    if (n.type === 'BinaryExpr' && n.op === '|' && !(scalarTerm(n.x) && scalarTerm(n.y))) ok = false;
  });
  return ok;
}

function isDefinitionLabel(f: Field): boolean {
  const l = f.label.type === 'AliasLabel' ? f.label.label : f.label;
  return l.type === 'Ident' && (l.name.startsWith('#') || l.name.startsWith('_#'));
}

/** The values of fields written within a definition (the definition's own value included). */
function definitionValues(files: SourceFile[]): Set<Node> {
  const out = new Set<Node>();
  const visit = (n: unknown, inDef: boolean): void => {
    if (Array.isArray(n)) {
      for (const x of n) visit(x, inDef);
      return;
    }
    if (!n || typeof n !== 'object') return;
    const node = n as Node;
    const def = inDef || (node.type === 'Field' && isDefinitionLabel(node));
    if (def && node.type === 'Field') out.add(node.value);
    for (const [k, v] of Object.entries(n)) if (!SKIP.has(k) && v && typeof v === 'object') visit(v, def);
  };
  for (const s of files) visit(s.file, false);
  return out;
}

/** `x: A` as `x: A & A` for some fields; not again inside a doubled value, so the program grows linearly. */
const duplicate: Rewrite = {
  name: 'duplicate',
  law: 'A & A is A (in a definition: A without a disjunction of structs)',
  apply(files, r) {
    const dup = (e: Expr) => {
      const inner = new Set<Node>();
      walk(e, (n) => inner.add(n));
      return inner;
    };
    const done = new Set<Node>();
    const inDefinition = definitionValues(files);
    for (const s of files)
      walk(s.file, (n) => {
        // Children come first: a field whose value holds a doubled field is not doubled again.
        if (n.type !== 'Field' || n.value.type === 'Alias' || r() < 0.7) return;
        if (inDefinition.has(n.value) && !idempotentInDefinition(n.value)) return;
        const inner = dup(n.value);
        if ([...inner].some((x) => done.has(x))) return;
        for (const x of inner) done.add(x);
        n.value = and(n.value, n.value);
      });
    return files;
  },
};

/** The name a file refers to an import by. */
function importName(i: ImportSpec): string {
  if (i.name) return i.name.name;
  const p = i.path.split(':')[1] ?? i.path.split('@')[0]!.split('/').pop()!;
  return p.split('@')[0]!;
}

/**
 * The imports of `files` (parts of one package) that their file does not use: the compiler's own
 * check (a field of the same name in an enclosing struct shadows an import, `list: {tail: list}`).
 */
function unusedImports(files: File[]): Map<File, Set<string>> {
  const top = new Set<string>();
  for (const f of files) for (const d of f.decls) if (d.type === 'Field' && d.label.type === 'Ident') top.add(d.label.name);
  const out = new Map<File, Set<string>>();
  for (const f of files) {
    const unused = new Set<string>();
    for (const e of checkReferences([f], top)) {
      const m = /^imported and not used: "(.*)"$/.exec(e.detail);
      if (m) unused.add(m[1]!);
    }
    out.set(f, unused);
  }
  return out;
}

/**
 * Spreads each file's declarations over several files of the same package
 * (file-scoped `let`s go to every part; a file with top-level aliases, whose
 * scope is the file, stays whole).
 */
const splitFiles: Rewrite = {
  name: 'split-files',
  law: 'a package may be split across files',
  reorders: true,
  apply(files, r) {
    return files.flatMap((s) => {
      const f = s.file;
      const hasAlias = f.decls.some((d) => (d.type === 'Field' && !repeatable(d)) || (d.type === 'Embed' && d.expr.type === 'Alias'));
      const lets = f.decls.filter((d) => d.type === 'LetClause');
      const movable = f.decls.filter((d) => d.type !== 'LetClause');
      if (hasAlias || movable.length < 2) return [s];
      const n = movable.length > 3 && r() < 0.5 ? 3 : 2;
      const parts: Decl[][] = Array.from({ length: n }, () => []);
      shuffle(movable, r).forEach((d, i) => parts[i < n ? i : Math.floor(r() * n)]!.push(d));
      const out = parts.map((decls, i): SourceFile => {
        const file: File = { ...f, decls: [...lets, ...decls] };
        if (i > 0) delete file.comments;
        return { path: s.path.replace(/\.cue$/, `.part${i}.cue`), file };
      });
      // An unused import is an error in CUE: each part imports what it uses.
      const unused = unusedImports(out.map((p) => p.file));
      for (const p of out) p.file.imports = f.imports.filter((imp) => !unused.get(p.file)!.has(imp.path));
      return out;
    });
  },
};

/** Whether a file's declarations may move to another file of its package: nothing file-scoped (lets, aliases, attributes). */
function movable(f: File): boolean {
  if (f.attrs.length) return false;
  return f.decls.every((d) => d.type !== 'LetClause' && d.type !== 'Attribute' && (d.type !== 'Field' || repeatable(d)) && (d.type !== 'Embed' || d.expr.type !== 'Alias'));
}

/**
 * Writes the files of each package directory in one file (the opposite of
 * split-files: a package spread over files must mean what it means in one).
 * Imports are merged; a package with file-scoped declarations, or with one
 * local import name bound to two paths, stays as it is.
 */
const joinFiles: Rewrite = {
  name: 'join-files',
  law: 'a package written in one file is the package of several',
  reorders: true,
  apply(files) {
    const groups = new Map<string, SourceFile[]>();
    for (const s of files) {
      const key = `${s.path.slice(0, s.path.lastIndexOf('/'))} ${s.file.package?.name ?? ''}`;
      const g = groups.get(key);
      if (g) g.push(s);
      else groups.set(key, [s]);
    }
    return [...groups.values()].flatMap((g) => {
      if (g.length < 2 || !g.every((s) => movable(s.file))) return g;
      const imports = new Map<string, ImportSpec>();
      for (const s of g) {
        for (const i of s.file.imports) {
          const prev = imports.get(importName(i));
          if (prev && prev.path !== i.path) return g;
          imports.set(importName(i), i);
        }
      }
      const first = g[0]!;
      const file: File = { ...first.file, imports: [...imports.values()], decls: g.flatMap((s) => s.file.decls) };
      return [{ path: first.path, file }];
    });
  },
};

/** No rewrite: the printer's round trip alone (its faults would otherwise be blamed on the rewrites). */
const print: Rewrite = {
  name: 'print',
  law: 'printing and re-parsing keeps the program',
  apply: (files) => files,
};

export const REWRITES: readonly Rewrite[] = [print, permute, commute, shorthand, splitConjunction, mergeFields, duplicate, splitFiles, joinFiles];
