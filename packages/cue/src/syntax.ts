// Reading an expression's syntax tree, for the checks that look at what an
// expression is made of rather than evaluating it (eval/try.ts: its optional
// references; eval/inline.ts: the names it reads; which operator or literal
// stands under parentheses).
import type { Expr } from './ast.js';

/** The expression under any parentheses (`((a & b))` is `a & b`). */
export function unparen(e: Expr): Expr {
  while (e.type === 'ParenExpr') e = e.expr;
  return e;
}

/**
 * Calls f on every node below n (n itself included when it is a node), in
 * source order; f returns false to skip what lies below that node. Positions,
 * comments and attributes hold no expressions and are not entered.
 */
export function walkAst(n: unknown, f: (e: Expr) => boolean): void {
  if (Array.isArray(n)) {
    for (let i = 0; i < n.length; i++) {
      const x = n[i];
      walkAst(x, f);
    }
    return;
  }
  if (!n || typeof n !== 'object') return;
  const o = n as Record<string, unknown>;
  if (typeof o.type === 'string' && !f(o as unknown as Expr)) return;
  // for-in, not Object.entries: no array of pairs per node.
  for (const k in o) {
    if (k === 'pos' || k === 'end' || k === 'comments' || k === 'attrs') continue;
    const v = o[k];
    if (v && typeof v === 'object') walkAst(v, f);
  }
}
