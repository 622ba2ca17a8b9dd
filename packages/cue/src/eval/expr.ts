// Evaluation of expressions to values. Struct and list literals in
// expressions become anonymous vertices below the vertex being evaluated.
import { type Conj, type Env, Vertex, fieldLabel, mkConj } from './vertex.js';
import { type Expr } from '../ast.js';
import { unparen } from '../syntax.js';
import { type Term, mkDisj, unifyDisj } from './disjunction.js';
import { type Val, bottom } from './values.js';
import { anonParent, expand, stack } from './sched.js';
import { inlineRepeats, madeInline, noteInline } from './inline.js';
import { disjunctActive } from './disjunct-scope.js';
import { callExpr } from './builtin-calls.js';
import { concreteDefault, evalBinary, evalInterpolation, evalUnary } from './operators.js';
import { cycleErr, evalRefsNow } from './cycle.js';
import { evalOptionalRef } from './try.js';
import { flattenSyntax } from './disjunct.js';
import { indexValue, selectField, sliceValue } from './select.js';
import { type ParsedNumber, parseNumber } from './numbers.js';
import { resolveIdent, resolveSelf } from './resolve.js';
import { tick } from './limits.js';
import { unifyScalar } from './unify.js';
import { unifyValues } from './conjuncts.js';



/** The value a reference to this vertex stands for in expressions (not unification). */
export function vertexValue(v: Vertex): Val {
  expand(v);
  if (v.status === 1) return cycleErr(v);
  if (v.err) return v.err;
  if (v.disjuncts || v.isStruct || v.isList) return v;
  if (v.arcs.size > 0 && v.base.t === 'top') return v;
  return v.base;
}

export function evalExpr(e: Expr, env: Env): Val {
  tick();
  switch (e.type) {
    case 'BasicLit':
      return evalLit(e);
    case 'Ident':
      if (e.optional) return evalOptionalRef(e, env);
      if (e.self) return resolveSelf(env, e.pos);
      return resolveIdent(e.name, env, e.pos);
    case 'ParenExpr':
      return evalExpr(e.expr, env);
    case 'BottomLit':
      return bottom('user', 'explicit error (_|_ literal) in source', [e.pos]);
    case 'StructLit':
    case 'ListLit':
    case 'Comprehension': {
      const anon = new Vertex(anonParent(env), '');
      if (operandNext) {
        anon.operand = true;
        operandNext = false;
      }
      anon.addConjunct(inlineConj(env, e));
      anon.addPosition(e.pos);
      return anon;
    }
    case 'Interpolation':
      return evalInterpolation(e, env);
    case 'SelectorExpr': {
      if (e.optional) return evalOptionalRef(e, env);
      const x = evalOperand(e.x, env);
      const sel = e.sel.type === 'Ident' ? e.sel.name : fieldLabel(e.sel.value ?? e.sel.raw);
      return selectField(x, sel, e.sel.pos, e.x);
    }
    case 'IndexExpr': {
      if (e.optional) return evalOptionalRef(e, env);
      const x = evalOperand(e.x, env);
      const i = concreteDefault(evalExpr(e.index, env));
      return indexValue(x, i, e);
    }
    case 'SliceExpr':
      return sliceValue(e, env);
    case 'CallExpr':
      return callExpr(e, env);
    case 'UnaryExpr':
      return evalUnary(e, env);
    case 'BinaryExpr':
      if (e.op === '&' || e.op === '|') return evalStructural(e, env);
      return evalBinary(e, env);
    case 'Alias':
      return evalExpr(e.expr, env);
    case 'Ellipsis': {
      if (!e.elem) return bottom('eval', 'not supported yet: ellipsis in expression position', [e.pos]);
      const anon = new Vertex(anonParent(env), '');
      anon.addConjunct(inlineConj(env, e));
      anon.addPosition(e.pos);
      return anon;
    }
  }
}

/** `&` and `|` in expression position: scalars combine directly, structs get an anonymous vertex. */
/** The operand of a selector or index: an inline struct, list or `&` is marked `inline` (see isStructuralAncestor). */
function evalOperand(e: Expr, env: Env): Val {
  const x = unparen(e);
  if (x.type === 'StructLit' || x.type === 'ListLit' || (x.type === 'BinaryExpr' && (x.op === '&' || x.op === '|'))) {
    // Inside a disjunct a value is that disjunct's own: none is recorded or reused.
    const by = disjunctActive() ? undefined : stack[stack.length - 1];
    const seen = madeInline(x, env, by);
    if (seen) return seen;
    let v: Val;
    if (x.type === 'BinaryExpr') v = evalStructural(x, env, true);
    else {
      v = evalExpr(x, env);
      if (v.t === 'vertex') v.inline = true;
    }
    if (by) noteInline(x, env, by, v);
    return v;
  }
  return evalExpr(x, env);
}

/**
 * Set while a disjunct of a vertex's own conjunct is evaluated (addDisjunction):
 * the anonymous value made for it (and for the `&` and `|` inside it) is an
 * operand of that vertex's value (Vertex.operand), taken by the first
 * evalStructural, so that nothing evaluated further inside inherits it.
 */
let operandNext = false;

/** Evaluates a disjunct of a vertex's conjunct: an anonymous value made for it stands at the vertex's level. */
export function evalDisjunct(e: Expr, env: Env): Val {
  const x = unparen(e);
  if (x.type !== 'StructLit' && !(x.type === 'BinaryExpr' && (x.op === '&' || x.op === '|'))) return evalExpr(x, env);
  operandNext = true;
  try {
    return evalExpr(e, env);
  } finally {
    operandNext = false;
  }
}

/** The fields the operands of an inline `&` refer to (`fib & {n: nn}`: fib). */
function refTargets(e: Expr & { type: 'BinaryExpr' }, a: Val, b: Val): Vertex[] {
  const out: Vertex[] = [];
  if (a.t === 'vertex' && a.label !== '' && isRef(e.x)) out.push(a);
  if (b.t === 'vertex' && b.label !== '' && isRef(e.y)) out.push(b);
  return out;
}

function isRef(e: Expr): boolean {
  const x = unparen(e);
  return x.type === 'Ident' || x.type === 'SelectorExpr';
}

function evalStructural(e: Expr & { type: 'BinaryExpr' }, env: Env, inline = false): Val {
  const operand = operandNext;
  operandNext = false;
  const sub = (x: Expr): Val => (operand ? evalDisjunct(x, env) : evalExpr(x, env));
  if (e.op === '|') {
    const raw = flattenSyntax(e, false);
    const terms: Term[] = raw.map((t) => ({ v: sub(t.expr), star: t.star }));
    if (terms.every((t) => t.v.t !== 'vertex')) return mkDisj(terms, e.pos);
  }
  let targets: Vertex[] | undefined;
  if (e.op === '&') {
    const a = sub(e.x);
    const b = sub(e.y);
    if (a.t !== 'vertex' && b.t !== 'vertex') {
      if (a.t === 'disj' || b.t === 'disj') return unifyDisj(a, b, unifyValues);
      const r = unifyScalar(a, b);
      return r;
    }
    if (inline) targets = refTargets(e, a, b);
  }
  const anon = new Vertex(anonParent(env), '');
  if (inline) {
    anon.inline = true;
    if (inlineRepeats(anon, targets ?? [])) return bottom('structural cycle', 'structural cycle', [e.pos]);
  }
  if (operand) anon.operand = true;
  anon.addConjunct(inlineConj(env, e));
  anon.addPosition(e.pos);
  expand(anon);
  if (anon.err) return anon.err;
  // A scalar that stands only because a cyclic operand was set aside
  // (`xb4 & 9` with xb4 in a reference cycle): an inline value is no field
  // that a concrete value could resolve the cycle at; it is the cycle.
  if (anon.cycleWait) return anon.cycleWait[0]!.b;
  if (!anon.isStruct && !anon.isList && !anon.disjuncts && anon.arcs.size === 0) return anon.base;
  return anon;
}

/**
 * Parsed number literals: a literal is evaluated again for every vertex it
 * is a conjunct of (the values are immutable; null: not a number). Kept by
 * the literal's text, which is all a parse depends on, in a Map and not in a
 * WeakMap by literal: every parse makes new literals, and putting a new key
 * into a long-lived WeakMap cost 1.2% of a warm evaluation of the cue-eval
 * document; texts repeat (`1`, `8080`) within and across documents. Bounded:
 * emptied once it holds MAX_NUMBERS texts.
 */
const numbers = new Map<string, ParsedNumber | null>();
const MAX_NUMBERS = 4096;

function numberOf(e: Expr & { type: 'BasicLit' }): ParsedNumber | undefined {
  let n = numbers.get(e.raw);
  if (n === undefined) {
    if (numbers.size >= MAX_NUMBERS) numbers.clear();
    n = parseNumber(e.raw) ?? null;
    numbers.set(e.raw, n);
  }
  return n ?? undefined;
}

function evalLit(e: Expr & { type: 'BasicLit' }): Val {
  switch (e.kind) {
    case 'null':
      return { t: 'null', pos: e.pos };
    case 'bool':
      return { t: 'bool', b: e.raw === 'true', pos: e.pos };
    case 'string':
      return { t: 'string', s: e.value ?? '', pos: e.pos };
    case 'bytes':
      return { t: 'bytes', s: e.value ?? '', pos: e.pos };
    case 'int':
    case 'float': {
      const n = numberOf(e);
      if (!n) return bottom('eval', `invalid number literal ${e.raw}`, [e.pos]);
      return n.kind === 'int' ? { t: 'int', i: n.int, pos: e.pos } : { t: 'float', d: n.float, raw: e.raw, pos: e.pos };
    }
  }
}

/** The conjunct of an inline value: it continues the reference chain of the conjunct it is evaluated for (cycle.ts). */
function inlineConj(env: Env, e: Expr): Conj {
  const c = mkConj(env, false, e, e.pos);
  c.refs = evalRefsNow();
  return c;
}
