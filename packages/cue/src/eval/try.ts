// @experiment(try): optional references (`a?`, `x.y?`, `l[i]?`) and the
// `try` clause. An optional reference tests existence only: a field that is
// absent, optional (`a?: int`) or required but not yet given (`a!: int`) is
// missing, while an incomplete value (`a: int`) exists. A missing optional
// reference makes its innermost `try` yield nothing (so `else` applies);
// every other error, and a missing reference written without `?`, stays an
// error. As CUE's proposal puts it, `try { x: a? + b? }` is
// `if exists(a) if exists(b) { x: a + b }`: the try clause checks its
// optional references before it yields its body.
import type { Comprehension, Expr, Label, StructLit } from '../ast.js';
import { evalExpr, indexValue, resolveIdent, selectField } from './evaluator.js';
import { concreteDefault } from './operators.js';
import { walkAst } from '../syntax.js';
import { type Bottom, isBottom, type Val } from './values.js';
import { type Env, fieldLabel } from './vertex.js';

type OptionalRef = Expr & { type: 'Ident' | 'SelectorExpr' | 'IndexExpr' };

function isOptionalRef(e: Expr): e is OptionalRef {
  return (e.type === 'Ident' || e.type === 'SelectorExpr' || e.type === 'IndexExpr') && !!e.optional;
}

/** The error of an optional reference whose field does not exist: it only discards the enclosing try. */
function undefinedOptional(b: Bottom): Bottom {
  return { ...b, missing: true, optionalUndefined: true };
}

export function isOptionalUndefined(x: Val): boolean {
  return isBottom(x) && !!x.optionalUndefined;
}

/**
 * Evaluates an optional reference. Only the lookup written with `?` may be
 * missing: an error of its operand (`x` in `x.y?`) comes back unchanged.
 */
export function evalOptionalRef(e: OptionalRef, env: Env): Val {
  switch (e.type) {
    case 'Ident': {
      const r = resolveIdent(e.name, env, e.pos);
      return isBottom(r) && r.missing ? undefinedOptional(r) : r;
    }
    case 'SelectorExpr': {
      const x = evalExpr(e.x, env);
      if (isBottom(x)) return x;
      const sel = e.sel.type === 'Ident' ? e.sel.name : fieldLabel(e.sel.value ?? e.sel.raw);
      const r = selectField(x, sel, e.sel.pos, e.x);
      return isBottom(r) && r.missing ? undefinedOptional(r) : r;
    }
    case 'IndexExpr': {
      const x = evalExpr(e.x, env);
      if (isBottom(x)) return x;
      const i = concreteDefault(evalExpr(e.index, env));
      const r = indexValue(x, i, e);
      return isBottom(r) && r.missing ? undefinedOptional(r) : r;
    }
  }
}

/** Calls f on every AST node below n (objects with a string `type`); f returns false to skip a node's children. */
/**
 * True when every optional reference belonging to this try (not to a nested
 * one) exists. References into names declared inside the checked expression
 * (the body's own fields, lets, loop variables) cannot be looked up before the
 * body is evaluated; they are left to the body, where a missing one is an
 * incomplete value.
 */
export function optionalRefsExist(root: Expr | StructLit, env: Env): boolean {
  let ok = true;
  const shadowed: Set<string>[] = [];
  const isShadowed = (e: Expr): boolean => {
    let found = false;
    const free = (n: Expr): boolean => {
      if (n.type === 'Ident' && shadowed.some((s) => s.has(n.name))) found = true;
      // A selector's name is no reference.
      if (n.type === 'SelectorExpr') walkAst(n.x, free);
      return !found && n.type !== 'SelectorExpr';
    };
    walkAst(e, free);
    return found;
  };
  const visit = (n: Expr): boolean => {
    if (!ok) return false;
    if (isOptionalRef(n)) {
      if (!isShadowed(n) && isOptionalUndefined(evalOptionalRef(n, env))) ok = false;
      return false;
    }
    if (n.type === 'StructLit') {
      shadowed.push(declaredNames(n));
      walkAst(n.decls, visit);
      shadowed.pop();
      return false;
    }
    if (n.type === 'Comprehension') {
      const c: Comprehension = n;
      // A nested try owns its optional references.
      if (c.clauses.some((x) => x.type === 'TryClause')) return false;
      const names = new Set<string>();
      shadowed.push(names);
      for (const cl of c.clauses) {
        if (cl.type === 'ForClause') {
          walkAst(cl.source, visit);
          names.add(cl.value.name);
          if (cl.key) names.add(cl.key.name);
        } else if (cl.type === 'IfClause') walkAst(cl.condition, visit);
        else if (cl.type === 'LetClause') {
          walkAst(cl.expr, visit);
          names.add(cl.ident.name);
        }
      }
      walkAst(c.body, visit);
      shadowed.pop();
      if (c.otherwise) walkAst(c.otherwise.body, visit);
      return false;
    }
    return true;
  };
  walkAst(root, visit);
  return ok;
}

function declaredNames(s: StructLit): Set<string> {
  const names = new Set<string>();
  const label = (l: Label): void => {
    if (l.type === 'Ident') names.add(l.name);
    else if (l.type === 'AliasLabel') {
      names.add(l.alias.name);
      label(l.label);
    } else if (l.type === 'PatternLabel' && l.alias) names.add(l.alias.name);
  };
  for (const d of s.decls) {
    if (d.type === 'Field') {
      label(d.label);
      if (d.postfixAlias?.label) names.add(d.postfixAlias.label.name);
      if (d.postfixAlias?.field) names.add(d.postfixAlias.field.name);
    } else if (d.type === 'LetClause') names.add(d.ident.name);
  }
  return names;
}
