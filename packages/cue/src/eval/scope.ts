// Scopes of struct literals: what each identifier declared in a literal
// stands for (field, alias, label, let), and static labels.
import { type Decl, type Expr, type Label, type StructLit } from '../ast.js';
import { type Scope, fieldLabel } from './vertex.js';
import { litInfo } from './literal-info.js';

export function scopeOf(lit: StructLit | { decls: Decl[] }): Scope {
  const info = litInfo(lit);
  let s = info.scope;
  if (s) return s;
  s = new Map();
  for (let i = 0, xs = lit.decls; i < xs.length; i++) {
    const d = xs[i];
    addDeclToScope(s, d);
  }
  info.scope = s;
  return s;
}

/** Gives a literal a scope other than its own declarations (a package file sees the fields of its sibling files). */
export function presetScope(lit: StructLit, s: Scope): void {
  litInfo(lit).scope = s;
}

export function addDeclToScope(s: Scope, d: Decl): void {
  if (d.type === 'Field') {
    let l: Label = d.label;
    if (l.type === 'AliasLabel') {
      const inner = l.label;
      const name = staticLabel(inner);
      if (name !== undefined) s.set(l.alias.name, { kind: 'alias', label: name });
      else if (inner.type !== 'PatternLabel') s.set(l.alias.name, { kind: 'alias', label: '', expr: dynamicLabelExpr(inner), pos: l.pos });
      l = inner;
    }
    // A pattern's K is bound per matched field instead (PatternLabel.alias).
    const k = d.postfixAlias?.label;
    if (k && l.type !== 'PatternLabel') {
      const name = staticLabel(l);
      if (name !== undefined) s.set(k.name, { kind: 'label', label: name });
      else s.set(k.name, { kind: 'label', label: '', expr: dynamicLabelExpr(l), pos: k.pos });
    }
    if (l.type === 'Ident') s.set(l.name, { kind: 'field', label: l.name });
  } else if (d.type === 'LetClause') {
    s.set(d.ident.name, { kind: 'let', label: d.ident.name, expr: d.expr });
  }
}

/** The expression computing a dynamic label: `(expr)` or an interpolation. */
function dynamicLabelExpr(l: Label): Expr {
  return l.type === 'ParenLabel' ? l.expr : (l as Expr);
}

export function staticLabel(l: Label): string | undefined {
  switch (l.type) {
    case 'Ident':
      return l.name;
    case 'BasicLit':
      if (l.kind === 'string') return fieldLabel(l.value ?? '');
      if (l.kind === 'int') return l.raw;
      return l.raw;
    case 'AliasLabel':
      return staticLabel(l.label);
    default:
      return undefined;
  }
}
