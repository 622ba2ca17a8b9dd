// Selection: `x.f`, `x[i]`, `x[a:b]` on evaluated values, defaults taken
// first; a closed struct that cannot get a field is a permanent error.
import { type Env, Vertex, fieldLabel, hasRegularLabel, isRegularLabel, listElems, valConj } from './vertex.js';
import { type Expr, type Pos } from '../ast.js';
import { type Val, bottom, incomplete, isBottom, isScalar, kindName, kindOf, missingField, show } from './values.js';
import { isEmbeddedScalar } from './equality.js';
import { anonParent, expand, stack } from './sched.js';
import { disjunctFor } from './disjunct-scope.js';
import { concreteDefault } from './operators.js';
import { declareAhead } from './ahead.js';
import { evalExpr } from './expr.js';
import { vertexAllows, vertexClosed } from './closed.js';
import { vertexDefault } from './default.js';
import { lookupThroughCycle } from './cycle.js';
import { listBuilding } from './lists.js';
import { staticLabel } from './scope.js';
import { undecidedComprehension } from './comprehension.js';

/** Resolves a vertex or disjunction to its default for selection. */
export function selectable(x: Val): Val {
  if (x.t === 'vertex') {
    if (x.status === 1) x = disjunctFor(x, stack) ?? x;
    expand(x);
    if (x.err) return x.err;
    if (x.disjuncts) {
      const d = vertexDefault(x);
      if (d === x) return incomplete(`unresolved disjunction ${x.shortString()} (type ${kindName(x.kindMask())})`, x.positions.slice(0, 1));
      return selectable(d);
    }
    return x;
  }
  if (x.t === 'disj') {
    const d = concreteDefault(x);
    return d;
  }
  return x;
}

/** x is evaluated and nothing still in progress (a comprehension of an enclosing struct) may add to it. */
function settled(x: Vertex): boolean {
  if (x.status < 2 || x.tainted) return false;
  for (let p = x.parent; p; p = p.parent) if (p.status < 2) return false;
  return true;
}

/**
 * x's declarations are all in: x is settled, or the only enclosing structs
 * still in progress are running comprehensions none of which can declare
 * anything on the path down to x (`bar: close({})`, `if bar.missing == "x"
 * {foo: 1}`: the guard's answer is final).
 */
function fieldsFixed(x: Vertex): boolean {
  if (x.status < 2 || x.tainted) return false;
  let child = x;
  for (let p = x.parent; p; child = p, p = p.parent) {
    if (p.status >= 2) continue;
    // Still adding conjuncts, or never evaluated: anything may come.
    if (p.status === 0 || p.cursor !== undefined || p.later || p.deferredLists) return false;
    for (let i = 0, xs = p.comprehensions; i < xs.length; i++) {
      const c = xs[i];
      if (mayDeclare(c.expr, child.label)) return false;
    }
  }
  return true;
}

/** Whether a comprehension (or dynamic field) of a struct may declare `label` in it. */
function mayDeclare(e: Expr, label: string): boolean {
  if (e.type !== 'Comprehension') return true;
  const bodies = e.otherwise ? [e.body, e.otherwise.body] : [e.body];
  for (let i = 0; i < bodies.length; i++) {
    const b = bodies[i];
    for (let j = 0, xs = b.decls; j < xs.length; j++) {
      const d = xs[j];
      if (d.type === 'LetClause' || d.type === 'Attribute') continue;
      if (d.type !== 'Field') return true;
      const l = staticLabel(d.label);
      if (l === undefined || l === label) return true;
    }
  }
  return false;
}

export function selectField(x0: Val, sel: string, pos: Pos, xe?: Expr): Val {
  let x = selectable(x0);
  if (isBottom(x) && x0.t === 'vertex') x = selectable(lookupThroughCycle(x0) ?? x);
  if (isBottom(x)) return x;
  if (x.t !== 'vertex') {
    if (x.t === 'top' || x.t === 'cons' || x.t === 'disj') {
      return incomplete(`${xe ? exprStr(xe) : show(x)}.${sel} undefined as ${show(x)} is incomplete`, [pos]);
    }
    return bottom('eval', `invalid selector ${sel}: ${show(x)} is not a struct`, [pos]);
  }
  if (x.isList) return bottom('eval', `invalid selector ${sel} for list`, [pos]);
  // A struct with a comprehension that could not be decided is an
  // incomplete error as a whole (CUE's `{_|_, a: bool}`): a selection
  // through it is that error, whatever the field.
  if (x.x !== undefined && x.status === 2 && !x.onStack) {
    const e = undecidedComprehension(x);
    if (e) return e;
  }
  const a = x.arcs.get(sel) ?? declareAhead(x, sel);
  if (!a) {
    if (!x.isStruct && x.base.t !== 'top') return bottom('eval', `invalid selector ${sel}: ${show(x.base)} is not a struct`, [pos]);
    // `{1}` is 1 (an embedded scalar and no regular fields): no struct to select from either.
    if (settled(x) && isScalar(x.base) && isEmbeddedScalar(x)) return bottom('eval', `invalid selector ${sel}: ${show(x.base)} is not a struct`, [pos]);
    // A closed struct that does not allow the label will never have it: a
    // permanent error, not an incomplete one. (Unless a comprehension of it
    // is still incomplete: it may yet add the label, as in a reference cycle.)
    if (fieldsFixed(x) && !x.incompleteErr && x.isStruct && isRegularLabel(sel) && vertexClosed(x) && !vertexAllows(x, sel)) return bottom('eval', `undefined field: ${sel}`, [pos]);
    return missingField(`undefined field: ${sel}`, [pos]);
  }
  if (a.fieldKind !== 'regular') {
    expand(a);
    if (a.fieldKind === 'optional') return missingField(`cannot reference optional field: ${sel}`, [pos]);
    return missingField(`cannot reference required field: ${sel}`, [pos]);
  }
  return a;
}

export function exprStr(e: Expr): string {
  if (e.type === 'Ident') return e.name;
  if (e.type === 'SelectorExpr') return `${exprStr(e.x)}.${e.sel.type === 'Ident' ? e.sel.name : e.sel.raw}`;
  return '_';
}

export function indexValue(x0: Val, i: Val, e: Expr): Val {
  const x = selectable(x0);
  if (isBottom(x)) return x;
  if (isBottom(i)) return i;
  if (x.t !== 'vertex') {
    if (x.t === 'top' || x.t === 'cons' || x.t === 'disj') return incomplete(`incomplete value ${show(x)} in index`, [e.pos]);
    if ((x.t === 'string' || x.t === 'bytes') && i.t === 'int') {
      return bottom('eval', `invalid operation: ${show(x)}[${i.i}] (cannot index ${x.t})`, [e.pos]);
    }
    return bottom('eval', `invalid operation: ${show(x)}[${show(i)}] (type ${kindName(kindOf(x))} does not support indexing)`, [e.pos]);
  }
  const ix = e.type === 'IndexExpr' ? e : undefined;
  // `_` can never become an index (it is no kind of value in particular); `int` may still.
  if (i.t === 'top') return bottom('eval', `invalid index ${ix ? exprStr(ix.index) : '_'} (invalid type _)`, [e.pos, ix?.index.pos]);
  if (i.t === 'cons' || i.t === 'disj') return incomplete(`invalid non-ground index ${show(i)}`, [e.pos]);
  if (!x.isStruct && !x.isList && x.arcs.size === 0 && x.base.t === 'top') {
    // Nothing is known of x yet: it may still become a struct or list.
    const xs = ix ? exprStr(ix.x) : '_';
    return incomplete(`${xs}[${show(i)}] undefined as ${xs} is incomplete`, [e.pos]);
  }
  if (x.isList) {
    // A list with an incomplete comprehension: which element sits at index i is not known yet.
    if (x.incompleteErr && !x.onStack) return x.incompleteErr;
    if (i.t !== 'int') return bottom('eval', `invalid index ${show(i)} (type ${kindName(kindOf(i))}) for list`, [e.pos]);
    const a = x.arcs.get(i.i.toString());
    if (!a) {
      if (i.i < 0n) return bottom('eval', `invalid index ${i.i} (index must be non-negative)`, [e.pos]);
      const msg = `index out of range [${i.i}] with length ${listElems(x).length}`;
      return x.listOpen || listBuilding(x) ? missingField(msg, [e.pos]) : bottom('eval', msg, [e.pos]);
    }
    return a;
  }
  if (i.t !== 'string') {
    // A struct still being evaluated, with no fields yet, may still become a
    // list through what it embeds (`{self[0]}`): not known yet.
    if (x.status === 1 && !hasRegularLabel(x)) return incomplete(`invalid struct selector ${show(i)}: value not known yet`, [ix?.index.pos ?? e.pos]);
    return bottom('eval', `invalid struct selector ${show(i)} (type ${kindName(kindOf(i))})`, [e.pos]);
  }
  return selectField(x, fieldLabel(i.s), e.pos);
}

export function sliceValue(e: Expr & { type: 'SliceExpr' }, env: Env): Val {
  const x = selectable(evalExpr(e.x, env));
  if (isBottom(x)) return x;
  const lo = e.low ? concreteDefault(evalExpr(e.low, env)) : undefined;
  const hi = e.high ? concreteDefault(evalExpr(e.high, env)) : undefined;
  for (let i = 0, xs = [lo, hi]; i < xs.length; i++) {
    const b = xs[i];
    if (b && isBottom(b)) return b;
    if (b && b.t !== 'int') return b.t === 'cons' || b.t === 'top' ? incomplete('non-concrete slice index', [e.pos]) : bottom('eval', `invalid slice index ${show(b)}`, [e.pos]);
  }
  if (x.t === 'vertex' && x.isList) {
    const n = listElems(x).length;
    const l = lo && lo.t === 'int' ? Number(lo.i) : 0;
    const h = hi && hi.t === 'int' ? Number(hi.i) : n;
    if (l < 0 || h > n || l > h) return bottom('eval', `invalid slice index: ${l}:${h} (length ${n})`, [e.pos]);
    const out = new Vertex(anonParent(env), '');
    out.isList = true;
    out.status = 2;
    for (let k = l; k < h; k++) {
      const a = x.arcs.get(String(k))!;
      const arc = new Vertex(out, String(k - l));
      arc.addConjunct(valConj(env, false, a));
      out.arcMap().set(String(k - l), arc);
    }
    out.listParts = [{ n: h - l, open: false }];
    return out;
  }
  if (x.t === 'string' || x.t === 'bytes') {
    const chars = x.t === 'string' ? [...x.s] : x.s.split('');
    const l = lo && lo.t === 'int' ? Number(lo.i) : 0;
    const h = hi && hi.t === 'int' ? Number(hi.i) : chars.length;
    if (l < 0 || h > chars.length || l > h) return bottom('eval', `invalid slice index: ${l}:${h}`, [e.pos]);
    return { t: x.t, s: chars.slice(l, h).join(''), pos: e.pos };
  }
  if (x.t === 'top' || x.t === 'cons') return incomplete(`non-concrete value ${show(x)} in slice`, [e.pos]);
  return bottom('eval', `cannot slice ${show(x)} (type ${kindName(kindOf(x))})`, [e.pos]);
}
