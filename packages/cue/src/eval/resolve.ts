// Resolution of identifiers: lexical scopes, aliases, lets (evaluated once
// per scope; a let that refers to itself is a reference cycle) and
// predeclared names (types, int ranges, core builtins).
import { BOOL, BYTES, type Bottom, FLOAT, INT, NUMBER, STRING, TOP, type Val, incomplete, isBottom, missingField } from './values.js';
import { Dec } from './numbers.js';
import { type Env, Vertex, fieldLabel, labelName } from './vertex.js';
import { type Expr, type Pos } from '../ast.js';
import { concreteDefault } from './operators.js';
import { evalExpr } from './expr.js';
import { expand, stack } from './sched.js';
import { mkCons } from './unify.js';
import { resetVertex } from './arcs.js';
import { declareAhead, mayDeclareAhead } from './ahead.js';

/** Lets being evaluated (by their cycle marker): where on the stack they started, and who saw them unfinished. */
const letsInProgress = new Map<Bottom, { depth: number; deps: Set<Vertex> }>();

// Maps, not object literals: an identifier is user text, and `toString` or
// `constructor` must not be found on an object's prototype.
const predeclaredTypes = new Map<string, number>([
  ['int', INT],
  ['float', FLOAT],
  ['number', NUMBER],
  ['string', STRING],
  ['bytes', BYTES],
  ['bool', BOOL],
]);

export const coreFuncs = new Set(['len', 'close', 'and', 'or', 'div', 'mod', 'quo', 'rem', 'error', 'matchN', 'matchIf', 'closeAll', 'reclose']);

const intRanges = new Map<string, [bigint, bigint]>([
  ['int8', [-(2n ** 7n), 2n ** 7n - 1n]],
  ['int16', [-(2n ** 15n), 2n ** 15n - 1n]],
  ['int32', [-(2n ** 31n), 2n ** 31n - 1n]],
  ['int64', [-(2n ** 63n), 2n ** 63n - 1n]],
  ['int128', [-(2n ** 127n), 2n ** 127n - 1n]],
  ['uint8', [0n, 2n ** 8n - 1n]],
  ['byte', [0n, 2n ** 8n - 1n]],
  ['uint16', [0n, 2n ** 16n - 1n]],
  ['uint32', [0n, 2n ** 32n - 1n]],
  ['uint64', [0n, 2n ** 64n - 1n]],
  ['uint128', [0n, 2n ** 128n - 1n]],
  ['rune', [0n, 0x10ffffn]],
]);

function predeclared(name: string, pos: Pos): Val | undefined {
  const kind = predeclaredTypes.get(name);
  if (kind !== undefined) return mkCons(kind, [], [], pos);
  if (name === 'uint') return mkCons(INT, [{ op: '>=', v: { t: 'int', i: 0n }, pos }], [], pos);
  const r = intRanges.get(name);
  if (r) {
    return mkCons(INT, [
      { op: '>=', v: { t: 'int', i: r[0] }, pos },
      { op: '<=', v: { t: 'int', i: r[1] }, pos },
    ], [], pos);
  }
  if (name === 'float32' || name === 'float64') {
    const max = name === 'float32' ? '3.40282346638528859811704183484516925440e+38' : '1.797693134862315708145274237317043567981e+308';
    return mkCons(NUMBER, [
      { op: '>=', v: { t: 'float', d: new Dec(max).neg() }, pos },
      { op: '<=', v: { t: 'float', d: new Dec(max) }, pos },
    ], [], pos);
  }
  if (name === 'null') return { t: 'null', pos };
  if (name === 'true' || name === 'false') return { t: 'bool', b: name === 'true', pos };
  if (name === '_') return { t: 'top', pos };
  if (coreFuncs.has(name)) return { t: 'func', name, core: name, pos };
  return undefined;
}

/** Whether an identifier is predeclared (`int`, `len`, `__int`, `_`, ...). */
export function isPredeclared(name: string): boolean {
  const p = { file: '', line: 0, col: 0, offset: 0 };
  if (name === '_' || name === NO_SHARING) return true;
  if (name.startsWith('__') && predeclared(name.slice(2), p)) return true;
  return predeclared(name, p) !== undefined;
}

/** CUE's marker that a value must not be shared (structure sharing is an optimisation): `_` here. */
const NO_SHARING = '__no_sharing';

export function resolveIdent(name: string, env: Env, pos: Pos): Val {
  if (name === '_' || name === NO_SHARING) return { t: 'top', pos };
  if (name.startsWith('__')) {
    const p = predeclared(name.slice(2), pos);
    if (p) return p;
  }
  for (let e: Env | undefined = env; e; e = e.up) {
    const b = e.binds?.get(name);
    if (b) {
      if (b.vertex) return b.vertex;
      return b.val ?? TOP;
    }
    const s = e.scope?.get(name);
    if (s) {
      if (s.kind === 'let') return evalLet(name, s.expr!, e);
      if (s.kind === 'label') {
        if (!s.expr) return { t: 'string', s: labelName(s.label), pos };
        const lv = concreteDefault(evalExpr(s.expr, e));
        return lv.t === 'string' || isBottom(lv) ? lv : incomplete(`unresolved dynamic label alias ${name}`, [pos]);
      }
      if (s.kind === 'alias') {
        let label = s.label;
        if (s.expr) {
          const lv = concreteDefault(evalExpr(s.expr, e));
          if (lv.t !== 'string') return incomplete(`unresolved dynamic label alias ${name}`, [pos]);
          label = fieldLabel(lv.s);
        }
        let arc = e.vertex.arcs.get(label);
        if (!arc && !s.expr) {
          expand(e.vertex);
          arc = e.vertex.arcs.get(label);
        }
        if (!arc) return missingField(`reference "${name}" not found`, [pos]);
        // Like a selector, an alias does not reach into optional or required fields.
        if (arc.fieldKind !== 'regular') {
          return missingField(`cannot reference ${arc.fieldKind} field: ${label}`, [pos]);
        }
        return arc;
      }
      let arc = e.vertex.arcs.get(s.label);
      if (!arc) {
        expand(e.vertex);
        arc = e.vertex.arcs.get(s.label);
      } else if (mayDeclareAhead(e.vertex)) {
        // Later conjuncts of a vertex still adding them may declare the field too.
        arc = declareAhead(e.vertex, s.label) ?? arc;
      }
      if (!arc) return missingField(`reference "${name}" not found`, [pos]);
      // As through a selector or alias: an optional or required field has no value to refer to yet.
      if (arc.fieldKind !== 'regular') {
        return missingField(`cannot reference ${arc.fieldKind} field: ${s.label}`, [pos]);
      }
      return arc;
    }
    const imp = e.imports?.get(name);
    if (imp) {
      const b = typeof imp === 'function' ? imp() : imp;
      return b.vertex ?? b.val ?? TOP;
    }
  }
  const p = predeclared(name, pos);
  if (p) return p;
  return missingField(`reference "${name}" not found`, [pos]);
}

/**
 * `self` (@experiment(aliasv2)): the value of the innermost struct or list
 * literal around the reference, i.e. the vertex that literal is evaluated
 * into. A declaration named `self` met on the way shadows it.
 */
export function resolveSelf(env: Env, pos: Pos): Val {
  for (let e: Env | undefined = env; e; e = e.up) {
    if (e.binds?.has('self') || e.scope?.has('self')) return resolveIdent('self', env, pos);
    if (e.lit || e.list || !e.up) return e.vertex;
  }
  return incomplete('reference "self" not found', [pos]);
}

function evalLet(name: string, expr: Expr, e: Env): Val {
  e.lets ??= new Map();
  const cached = e.lets.get(name);
  if (cached) {
    const open = isBottom(cached) ? letsInProgress.get(cached) : undefined;
    if (open) {
      // Fields evaluated since this let started saw it unfinished: redo them once it is known.
      for (let j = stack.length - 1; j >= open.depth; j--) open.deps.add(stack[j]!);
    }
    return cached;
  }
  // Like a reference to a field still being evaluated, a let that refers
  // back to itself is a reference cycle: incomplete, so that other conjuncts
  // of the fields on the way may still decide their values.
  const marker = incomplete(`cyclic let ${name}`, [expr.pos]);
  marker.cycle = true;
  e.lets.set(name, marker);
  const open = { depth: stack.length, deps: new Set<Vertex>() };
  letsInProgress.set(marker, open);
  let v: Val;
  try {
    v = evalExpr(expr, e);
    if (v.t === 'vertex' && v.label === '') {
      // Let values are shared within the instance; evaluate once.
      expand(v);
    }
  } finally {
    letsInProgress.delete(marker);
  }
  for (const d of open.deps) {
    if (!d.onStack && d.status >= 2 && (d.resets ?? 0) < 2) {
      d.resets = (d.resets ?? 0) + 1;
      resetVertex(d);
    }
  }
  // A value computed while a field it depends on was still being evaluated
  // (a cycle) is not final: compute it again when next asked.
  if (isBottom(v) && v.cycle) e.lets.delete(name);
  else e.lets.set(name, v);
  return v;
}
