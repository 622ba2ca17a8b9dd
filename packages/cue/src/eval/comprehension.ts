// Comprehensions: `for k, v in src`, `if cond` and `let x = e` clauses
// producing struct bodies (embedded into the enclosing struct) or list elements.
import type { Clause, Comprehension, StructLit } from '../ast.js';
import { addConj, evalExpr, expand, exprStr, isFrozenError } from './evaluator.js';
import { regularLabels } from './equality.js';
import { grow, tick } from './limits.js';
import { setSlot, slotOf } from './order.js';
import { concreteDefault } from './operators.js';
import { BOOL, bottom, type Bottom, incomplete, isBottom, kindName, kindOf, show, type Val } from './values.js';
import { type Conjunct, type Env, isRegularLabel, labelName, mkConj, newEnv, type Vertex } from './vertex.js';
import { isOptionalUndefined, optionalRefsExist } from './try.js';
import { disjunctFor } from './disjunct-scope.js';
import { stack } from './sched.js';
import { keepingArcs } from './finish.js';

/**
 * Runs the clauses of a comprehension. Without `onYield` every produced body
 * is embedded into `v`; with it, each binding environment is passed on (list
 * comprehensions). Errors from the clauses are recorded on `v`.
 */
export function runComprehension(
  v: Vertex,
  comp: Comprehension,
  conj: Conjunct,
  onYield?: (env: Env, body: StructLit) => void,
  opts: { quiet?: boolean } = {},
): { err?: Bottom; n: number } {
  let n = 0;
  const yieldBody = (body: StructLit) => (env: Env) => {
    n++;
    grow();
    if (onYield) onYield(env, body);
    // What a comprehension yields belongs to the enclosing literal: inside a
    // definition its body is not a closed group of its own, so sibling `if`
    // blocks do not reject each other's fields.
    else {
      const bc = mkConj(env, conj.def, body, comp.pos);
      bc.embedIn = conj.embedIn;
      bc.noClose = true;
      bc.inline = conj.inline;
      bc.refs = conj.refs;
      const slot = slotOf(conj);
      if (slot) setSlot(bc, slot.rec, slot.idx);
      addConj(v, bc);
    }
  };
  const err = clauses(comp.clauses, 0, conj.env, yieldBody(comp.body), comp.body);
  // `else`/`fallback` stand in for an empty result, not for a failed one: errors propagate.
  if (!err && n === 0 && comp.otherwise) yieldBody(comp.otherwise.body)(conj.env);
  if (!onYield) {
    if (n > 0) {
      v.isStruct = true;
      if (v.embedOnlyStruct) v.embedOnlyStruct = false;
    }
    else v.structLater = true;
  }
  if (err && !opts.quiet) recordComprehensionError(v, err);
  return { err, n };
}

/** Incomplete errors of comprehensions that could not be decided (see undecidedComprehension). */
const undecided = new WeakSet<Bottom>();

/**
 * v is a struct with a comprehension that could not be decided (`if x`
 * with x a bool): CUE makes such a struct an incomplete error as a whole
 * (`{_|_, x: bool}`), so that a selection through it is that error.
 */
export function undecidedComprehension(v: Vertex): Bottom | undefined {
  const e = v.incompleteErr;
  return e !== undefined && undecided.has(e) ? e : undefined;
}

export function recordComprehensionError(v: Vertex, err: Bottom): void {
  if (err.code === 'incomplete') {
    if (v.incompleteErr === undefined) {
      v.incompleteErr = err;
      // (Not one met in a reference cycle: the comprehension is decided again once it closes.)
      if (!err.cycle) undecided.add(err);
    }
  }
  // The struct is in error, but its fields are still what they are (as in
  // CUE: `if bar.missing == "x" {...}` next to `foo: string` leaves foo be).
  else if (!v.err) v.err = keepingArcs(err);
}

function bind(env: Env, names: [string, Val][]): Env {
  const e = newEnv(env.vertex, env);
  const binds = new Map<string, { vertex?: Vertex; val?: Val }>();
  for (let i = 0; i < names.length; i++) {
    const x = names[i]![1];
    binds.set(names[i]![0], x.t === 'vertex' ? { vertex: x } : { val: x });
  }
  e.binds = binds;
  return e;
}

function clauses(cs: Clause[], i: number, env: Env, y: (env: Env) => void, body: StructLit): Bottom | undefined {
  if (i === cs.length) {
    y(env);
    return undefined;
  }
  const c = cs[i]!;
  switch (c.type) {
    case 'IfClause': {
      const cond = concreteDefault(evalExpr(c.condition, env));
      if (isBottom(cond)) return cond;
      if (cond.t !== 'bool') {
        // Not concrete yet: incomplete, unless it can never be a bool (`if x` with x: int).
        if ((cond.t === 'cons' || cond.t === 'top' || cond.t === 'disj' || (cond.t === 'vertex' && cond.disjuncts)) && kindOf(cond) & BOOL) {
          return incomplete(`incomplete condition: non-concrete value ${show(cond)}`, [c.condition.pos]);
        }
        return bottom('eval', `cannot use ${show(cond)} (type ${kindName(kindOf(cond))}) as type bool`, [c.condition.pos]);
      }
      if (!cond.b) return undefined;
      return clauses(cs, i + 1, env, y, body);
    }
    case 'TryClause': {
      if (!c.ident || !c.expr) {
        // Struct form, the last clause: the body's optional references must exist.
        if (!optionalRefsExist(body, env)) return undefined;
        return clauses(cs, i + 1, env, y, body);
      }
      if (!optionalRefsExist(c.expr, env)) return undefined;
      const x = evalExpr(c.expr, env);
      if (isOptionalUndefined(x)) return undefined;
      return clauses(cs, i + 1, bind(env, [[c.ident.name, x]]), y, body);
    }
    case 'LetClause': {
      const x = evalExpr(c.expr, env);
      return clauses(cs, i + 1, bind(env, [[c.ident.name, x]]), y, body);
    }
    case 'ForClause': {
      let raw = evalExpr(c.source, env);
      // Ranging over a vertex whose disjunct is being evaluated ranges over that disjunct.
      if (raw.t === 'vertex' && raw.status === 1) raw = disjunctFor(raw, stack) ?? raw;
      const src = raw.t === 'vertex' && raw.err && isFrozenError(raw, raw.err) ? raw : concreteDefault(raw);
      if (isBottom(src)) return src;
      if (src.t !== 'vertex' || src.disjuncts) {
        if (src.t === 'cons' || src.t === 'top' || src.t === 'disj' || src.t === 'vertex') {
          return incomplete(`cannot range over ${show(src)} (incomplete)`, [c.source.pos]);
        }
        return bottom('eval', `cannot range over ${show(src)} (found ${kindName(kindOf(src))}, want list or struct)`, [c.source.pos]);
      }
      expand(src);
      // A struct that got fields after it was ranged over: ranging over it again sees the fields it had then.
      const frozen = src.err && isFrozenError(src, src.err) ? src.frozen : undefined;
      if (src.err && !frozen) return src.err;
      // An incomplete comprehension of src may still add elements or fields: what it ranges over is not known yet.
      if (src.incompleteErr && !frozen && !src.onStack) return src.incompleteErr;
      if (!src.isStruct && !src.isList) {
        if (src.base.t !== 'top') return bottom('eval', `cannot range over ${show(src.base)} (found ${kindName(kindOf(src.base))}, want list or struct)`, [c.source.pos]);
        if (src.arcs.size === 0) return incomplete(`cannot range over ${show(src)} (incomplete)`, [c.source.pos]);
      }
      // A list whose only elements are still being computed (`children: [for _, w in v.children {...}]`
      // with v the struct holding children): nothing to range over yet, incomplete.
      if (src.onStack && src.isList && src.listParts.length === 0) {
        return incomplete(`cannot range over ${exprStr(c.source)} (incomplete type list)`, [c.source.pos]);
      }
      // Ranging over a struct still being evaluated fixes its field set (see frozenFieldError).
      if (src.onStack && !src.isList && !src.frozen) src.frozen = regularLabels(src);
      // (The items are taken before the first iteration, which may add arcs.
      // A loop, not filter and map with callbacks destructuring each entry:
      // in a cold process each destructuring ran the iterator protocol.)
      const items: [Val, Vertex][] = [];
      for (const kv of src.arcs) {
        const k = kv[0];
        const a = kv[1];
        if (src.isList) {
          if (/^\d+$/.test(k)) items.push([{ t: 'int', i: BigInt(k) }, a]);
        } else if (a.fieldKind === 'regular' && isRegularLabel(k) && (!frozen || frozen.has(k))) items.push([{ t: 'string', s: labelName(k) }, a]);
      }
      let firstErr: Bottom | undefined;
      for (let j = 0; j < items.length; j++) {
        const kv = items[j];
        const k = kv[0];
        const a = kv[1];
        tick();
        const names: [string, Val][] = [[c.value.name, a]];
        if (c.key) names.push([c.key.name, k]);
        const err = clauses(cs, i + 1, bind(env, names), y, body);
        if (err && !firstErr) firstErr = err;
      }
      return firstErr;
    }
  }
}
