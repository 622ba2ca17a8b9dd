// Compile-time checks of a package's files, as CUE's compiler makes them before
// evaluating: every identifier must resolve lexically (`b: c + 1` with no `c`
// in scope is `reference "c" not found`), and every import must be used
// (`imported and not used`). Identifiers resolve to the fields, lets and
// aliases of enclosing struct literals (a package's top-level fields are in
// scope in all its files), comprehension bindings, imports, names made
// visible by the caller (BuildOptions.scope) and predeclared identifiers.
import type { Clause, Decl, Expr, Field, File, Label, StructLit } from '../ast.js';
import { CueError } from '../errors.js';
import { importName } from '../context.js';
import { addDeclToScope, isPredeclared, scopeOf } from './evaluator.js';
import type { Scope } from './vertex.js';

type Names = { has(name: string): boolean };

/**
 * The names a struct literal declares: its scope, which the evaluator reads
 * from the same cache (scopeOf), and its `~X` field aliases (rare).
 */
function structNames(lit: StructLit): Names {
  const scope = scopeOf(lit);
  let aliases: Set<string> | undefined;
  for (let i = 0, xs = lit.decls; i < xs.length; i++) {
    const d = xs[i];
    if (d.type === 'Field' && d.postfixAlias?.field) (aliases ??= new Set()).add(d.postfixAlias.field.name);
  }
  return aliases ? { has: (n) => scope.has(n) || aliases.has(n) } : scope;
}

function literalNames(decls: Decl[]): Set<string> {
  const s: Scope = new Map();
  for (let i = 0; i < decls.length; i++) {
    const d = decls[i];
    addDeclToScope(s, d);
  }
  const names = new Set(s.keys());
  for (let i = 0; i < decls.length; i++) {
    const d = decls[i];
    if (d.type === 'Field' && d.postfixAlias?.field) names.add(d.postfixAlias.field.name);
  }
  return names;
}

/**
 * Returns the compile errors of a package's files: unresolved references and
 * unused imports. `outer`: names visible around the package (BuildOptions.scope).
 */
export function checkReferences(files: File[], outer: Names = new Set<string>()): CueError[] {
  const errors: CueError[] = [];
  const pkgFields = new Set<string>();
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    const s: Scope = new Map();
    for (let j = 0, xs = f.decls; j < xs.length; j++) {
      const d = xs[j];
      addDeclToScope(s, d);
    }
    for (const [name, e] of s) if (e.kind === 'field') pkgFields.add(name);
  }
  for (let j = 0; j < files.length; j++) {
    const f = files[j];
    const imports = new Map<string, { used: boolean; spec: File['imports'][number] }>();
    for (let k = 0, xs = f.imports; k < xs.length; k++) {
      const spec = xs[k];
      imports.set(importName(spec), { used: false, spec });
    }
    const stack: Names[] = [outer, pkgFields, literalNames(f.decls)];

    const resolve = (name: string): boolean => {
      for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.has(name)) return true;
      const imp = imports.get(name);
      if (imp) {
        imp.used = true;
        return true;
      }
      return isPredeclared(name);
    };
    const within = (names: Names, f: () => void): void => {
      stack.push(names);
      try {
        f();
      } finally {
        stack.pop();
      }
    };

    const expr = (e: Expr | undefined): void => {
      if (!e) return;
      switch (e.type) {
        case 'Ident':
          if (e.self) return;
          if (!resolve(e.name)) errors.push(new CueError('eval', `reference "${e.name}" not found`, { positions: [e.pos] }));
          return;
        case 'BasicLit':
        case 'BottomLit':
          return;
        case 'Interpolation':
          for (let i = 0, xs = e.parts; i < xs.length; i++) {
            const p = xs[i];
            if (typeof p !== 'string') expr(p);
          }
          return;
        case 'StructLit':
          struct(e);
          return;
        case 'ListLit':
          for (let i = 0, list = e.elts; i < list.length; i++) {
            const x = list[i];
            expr(x);
          }
          return;
        case 'ParenExpr':
          expr(e.expr);
          return;
        case 'SelectorExpr':
          expr(e.x);
          return;
        case 'IndexExpr':
          expr(e.x);
          expr(e.index);
          return;
        case 'SliceExpr':
          expr(e.x);
          expr(e.low);
          expr(e.high);
          return;
        case 'CallExpr':
          expr(e.fun);
          for (let i = 0, items = e.args; i < items.length; i++) {
            const a = items[i];
            expr(a);
          }
          return;
        case 'UnaryExpr':
          expr(e.x);
          return;
        case 'BinaryExpr':
          expr(e.x);
          expr(e.y);
          return;
        case 'Comprehension':
          comprehension(e.clauses, 0, e.body);
          if (e.otherwise) struct(e.otherwise.body);
          return;
        case 'Ellipsis':
          expr(e.elem);
          return;
        case 'Alias':
          // `X=expr` as a value: X names that value within it.
          within(new Set([e.ident.name]), () => expr(e.expr));
          return;
      }
    };
    const comprehension = (cs: Clause[], i: number, body: StructLit): void => {
      if (i === cs.length) {
        struct(body);
        return;
      }
      const c = cs[i]!;
      const bound = new Set<string>();
      switch (c.type) {
        case 'ForClause':
          expr(c.source);
          bound.add(c.value.name);
          if (c.key) bound.add(c.key.name);
          break;
        case 'IfClause':
          expr(c.condition);
          break;
        case 'LetClause':
          expr(c.expr);
          bound.add(c.ident.name);
          break;
        case 'TryClause':
          expr(c.expr);
          if (c.ident) bound.add(c.ident.name);
          break;
      }
      within(bound, () => comprehension(cs, i + 1, body));
    };
    const label = (l: Label, bound: Set<string>): void => {
      switch (l.type) {
        case 'ParenLabel':
          expr(l.expr);
          return;
        case 'Interpolation':
          expr(l);
          return;
        case 'PatternLabel':
          expr(l.expr);
          if (l.alias) bound.add(l.alias.name);
          return;
        case 'AliasLabel':
          bound.add(l.alias.name);
          label(l.label, bound);
          return;
        default:
          return;
      }
    };
    const field = (d: Field): void => {
      if (!d.postfixAlias && d.label.type !== 'ParenLabel' && d.label.type !== 'Interpolation' && d.label.type !== 'PatternLabel' && d.label.type !== 'AliasLabel') {
        // Binds no name (most fields): no scope of its own.
        expr(d.value);
        return;
      }
      const bound = new Set<string>();
      label(d.label, bound);
      if (d.postfixAlias?.label) bound.add(d.postfixAlias.label.name);
      if (d.postfixAlias?.field) bound.add(d.postfixAlias.field.name);
      within(bound, () => expr(d.value));
    };
    const decls = (ds: Decl[]): void => {
      for (let i = 0; i < ds.length; i++) {
        const d = ds[i];
        switch (d.type) {
          case 'Field':
            field(d);
            break;
          case 'Embed':
            expr(d.expr);
            break;
          case 'LetClause':
            expr(d.expr);
            break;
          case 'Comprehension':
            expr(d);
            break;
          case 'Ellipsis':
            expr(d.elem);
            break;
          default:
            break;
        }
      }
    };
    const struct = (s: StructLit): void => within(structNames(s), () => decls(s.decls));

    decls(f.decls);
    for (const [name, imp] of imports) {
      if (!imp.used && name !== '_') errors.push(new CueError('eval', `imported and not used: "${imp.spec.path}"`, { positions: [imp.spec.pathPos] }));
    }
  }
  return errors;
}
