// Calls: the core builtins (len, close, and, or, div, mod, quo, rem, error,
// matchN, matchIf) and the builtin packages' functions, including their use
// as validators (`strings.MinRunes(3)` as a constraint). matchN and matchIf
// check values in match-n.ts.
import type { CallExpr, Expr, Pos } from '../ast.js';
import { unparen } from '../syntax.js';
import { utf8Len } from '../builtins/common.js';
import { builtinPackages } from '../builtins/index.js';
import { type Arg, BuiltinError, type BuiltinContext, type BuiltinFunc, type Concrete, type Opaque, type ParamKind } from '../builtins/types.js';
import { parseFile } from '../parser.js';
import { dataVertex, fromConcrete, isBottomC, isOpaqueVal, type OpaqueVal, toConcrete } from './data.js';
import { asSoleDefault, isSoleDefault, mkDisj } from './disjunction.js';
import { soleDefaultVertices } from './default.js';
import { anonParent, cycleErr, deepError, evalExpr, expand, scopeOf, selectField, unifyValues, vertexClosed } from './evaluator.js';
import { regularLabels } from './equality.js';
import { concreteDefault } from './operators.js';
import { integerDivision } from './numbers.js';
import { mkCons, setValidatorRunner } from './unify.js';
import { runMatchIf, runMatchN } from './match-n.js';
import {
  ALL,
  BYTES,
  LIST,
  STRING,
  STRUCT,
  bottom,
  type Bottom,
  incomplete,
  isBottom,
  isScalar,
  kindName,
  kindOf,
  SCALARS,
  show,
  showValidator,
  type Val,
  type ValidatorV,
  PARAM_KINDS,
  validatorKinds,
} from './values.js';
import { type Env, ancestorInProgress, isRegularLabel, listElems, newEnv, Vertex } from './vertex.js';

export function callExpr(e: CallExpr, env: Env): Val {
  let f = evalExpr(e.fun, env);
  if (f.t === 'vertex') {
    expand(f);
    f = f.err ?? f.base;
  }
  if (isBottom(f)) return f;
  if (f.t === 'cons' && f.bounds.length === 0 && f.validators.length === 1) {
    // A field holding a validator: callable only if written as the bare function.
    const x = f.validators[0]!;
    if (!x.bare || typeof x.fn === 'string') return bottom('eval', 'cannot call previously called validator', [e.fun.pos]);
    f = { t: 'func', name: x.name, fn: x.fn, pos: x.pos };
  }
  if (f.t !== 'func') return bottom('eval', `cannot call non-function ${show(f)} (type ${kindName(kindOf(f))})`, [e.fun.pos]);
  if (f.core) return callCore(f.core, e, env);
  return callBuiltin(f.name, f.fn!, e.args, env, e.pos);
}

function argPos(e: CallExpr, i: number): Pos {
  return e.args[i]?.pos ?? e.pos;
}

function intArg(name: string, e: CallExpr, env: Env, i: number): bigint | Bottom {
  const v = concreteDefault(evalExpr(e.args[i]!, env));
  if (isBottom(v)) return v;
  if (v.t === 'int') return v.i;
  if (v.t === 'cons' || v.t === 'top' || v.t === 'disj') return incomplete(`non-concrete argument ${i} to ${name}`, [argPos(e, i)]);
  return bottom('eval', `cannot use ${show(v)} (type ${kindName(kindOf(v))}) as int in argument ${i + 1} to ${name}`, [argPos(e, i)]);
}

function arity(name: string, e: CallExpr, n: number): Bottom | undefined {
  if (e.args.length === n) return undefined;
  return bottom('eval', `${e.args.length < n ? 'not enough' : 'too many'} arguments in call to ${name} (have ${e.args.length}, want ${n})`, [e.pos]);
}

function callCore(name: string, e: CallExpr, env: Env): Val {
  switch (name) {
    case 'len': {
      const a = arity(name, e, 1);
      if (a) return a;
      const v = concreteDefault(evalExpr(e.args[0]!, env));
      if (isBottom(v)) return v;
      switch (v.t) {
        case 'string':
          return { t: 'int', i: BigInt(utf8Len(v.s)), pos: e.pos };
        case 'bytes':
          return { t: 'int', i: BigInt(v.s.length), pos: e.pos };
        case 'vertex': {
          expand(v);
          // Still being evaluated: its length is not known yet.
          if (v.status === 1) return cycleErr(v);
          if (v.err) return v.err;
          if (v.disjuncts) return incomplete(`len: unresolved disjunction`, [e.pos]);
          const ve = argError(v);
          if (ve) return ve;
          // An incomplete comprehension may still add elements or fields.
          if (v.incompleteErr && !v.onStack) return v.incompleteErr;
          if (v.isList) return { t: 'int', i: BigInt(listElems(v).length), pos: e.pos };
          // Its field count is now observed: while an enclosing struct is
          // still being evaluated, a field added to it later would change
          // that count (as a comprehension ranging over it, comprehension.ts).
          if (!v.frozen && ancestorInProgress(v)) v.frozen = regularLabels(v);
          let n = 0;
          for (const kv of v.arcs) {
            const l = kv[0];
            const a = kv[1];
            if (a.fieldKind === 'regular' && isRegularLabel(l)) n++;
          }
          return { t: 'int', i: BigInt(n), pos: e.pos };
        }
        case 'cons':
        case 'disj':
          // A type that can never have a length (`len(int)`, `len(>0)`) is an error, not incomplete.
          if (!(kindOf(v) & (STRING | BYTES | LIST | STRUCT))) {
            return bottom('eval', `invalid argument ${show(v)} (type ${kindName(kindOf(v))}) for len`, [argPos(e, 0)]);
          }
          return incomplete(`len: non-concrete value ${show(v)}`, [argPos(e, 0)]);
        case 'top':
          return incomplete(`len: non-concrete value ${show(v)}`, [argPos(e, 0)]);
        default:
          return bottom('eval', `invalid argument ${show(v)} (type ${kindName(kindOf(v))}) for len`, [argPos(e, 0)]);
      }
    }
    case 'close':
    case 'closeAll':
    case 'reclose': {
      const a = arity(name, e, 1);
      if (a) return a;
      if (name !== 'close') {
        // Written by `cue fix` for explicitopen: only around a literal (or a close() of one), only under that experiment.
        const arg = unparen(e.args[0]!);
        const literal = arg.type === 'StructLit' || arg.type === 'ListLit' || (arg.type === 'CallExpr' && arg.fun.type === 'Ident' && arg.fun.name === 'close');
        if (!literal) return bottom('eval', `error in call to __${name}: argument must be a struct or list literal`, [e.pos]);
        if (!e.explicitOpen) return bottom('eval', `error in call to __${name}: __${name} may only be used when explicitopen is enabled`, [e.pos]);
      }
      if (name === 'reclose') return evalExpr(reclosed(e.args[0]!), env);
      const v = evalExpr(e.args[0]!, env);
      if (isBottom(v)) return v;
      if (name === 'close' && (v.t !== 'vertex' || v.status !== 1)) {
        // close takes a struct: a value that can never be one is an error
        // (`close(1)`, `close(a)` with a: 1, `close(*null | {})`, `close([])`), as in CUE.
        // (closeAll and reclose, from `cue fix`, also take list literals.)
        const d = concreteDefault(v);
        if (!isBottom(d) && d.t !== 'vertex' && d.t !== 'top' && d.t !== 'func' && !(kindOf(d) & STRUCT)) {
          return bottom('eval', `cannot use ${show(d)} (type ${kindName(kindOf(d))}) as struct in argument 1 to close`, [argPos(e, 0)]);
        }
        // `_` may be a struct but is none yet: nothing to close (CUE: an error, not an open value).
        if (d.t === 'top') return bottom('eval', 'struct argument must be concrete', [argPos(e, 0)]);
        if (d.t === 'vertex' && !d.err && !d.disjuncts && d.isList && !d.isStruct) {
          return bottom('eval', `cannot use ${d.shortString()} (type list) as struct in argument 1 to close`, [argPos(e, 0)]);
        }
      }
      if (v.t !== 'vertex') return v;
      const out = new Vertex(anonParent(env), '');
      // close() closes the top level; closeAll closes recursively, as if the value were a definition.
      out.addConjunct({ val: v, env, def: name !== 'close', closeAll: true, pos: e.pos });
      out.addPosition(e.pos);
      return out;
    }
    case 'and': {
      const a = arity(name, e, 1);
      if (a) return a;
      const l = concreteDefault(evalExpr(e.args[0]!, env));
      if (isBottom(l)) return l;
      if (l.t !== 'vertex' || !l.isList) return listArgErr(name, l, e);
      const le = argError(l);
      if (le) return le;
      let acc: Val = { t: 'top' };
      for (let j = 0, xs = listElems(l); j < xs.length; j++) {
        const x = xs[j];
        acc = unifyValues(acc, x);
        if (isBottom(acc)) return acc;
      }
      return acc;
    }
    case 'or': {
      const a = arity(name, e, 1);
      if (a) return a;
      const l = concreteDefault(evalExpr(e.args[0]!, env));
      if (isBottom(l)) return l;
      if (l.t !== 'vertex' || !l.isList) return listArgErr(name, l, e);
      const le = argError(l);
      if (le) return le;
      const elems = listElems(l);
      if (elems.length === 0) {
        return incomplete('empty list in call to or', [e.pos]);
      }
      const terms = elems.map((x) => {
        expand(x);
        let v: Val = x.isStruct || x.isList || x.disjuncts ? x : (x.err ?? x.base);
        // An element that is what is left of a marked disjunction, its
        // default (`*1 | {a: 1 & 2}`), keeps that default as a term (D1):
        // or([*1 | {...}, 2]) defaults to 1, as (*1 | {...}) | 2 does.
        if (v !== x && isScalar(v) && soleDefaultVertices.has(x)) v = asSoleDefault(v);
        return { v, star: false };
      });
      if (terms.every((t) => t.v.t !== 'vertex')) return mkDisj(terms, e.pos);
      // Struct disjuncts: an anonymous vertex that splits like `a | b`. An
      // element that is itself a struct or list disjunction gives its
      // disjuncts (and their defaults, spec rule D1), as `a | (b | *c)` does:
      // kept whole, each split would evaluate the call again and split again.
      const flat: { v: Val; mark: boolean }[] = [];
      for (let j = 0; j < terms.length; j++) {
        const t = terms[j];
        const x = t.v;
        if (x.t === 'vertex' && x.disjuncts) x.disjuncts.forEach((d, i) => flat.push({ v: d, mark: x.disjMarked && x.disjMarks![i]! }));
        else flat.push({ v: x, mark: (x.t === 'vertex' && soleDefaultVertices.has(x)) || isSoleDefault(x) });
      }
      const out = new Vertex(anonParent(env), '');
      out.addPosition(e.pos);
      out.addConjunct({ env, def: false, disj: { key: e, terms: flat, marked: flat.some((t) => t.mark) } });
      return out;
    }
    case 'div':
    case 'mod':
    case 'quo':
    case 'rem': {
      const a = arity(name, e, 2);
      if (a) return a;
      const x = intArg(name, e, env, 0);
      if (typeof x !== 'bigint') return x;
      const y = intArg(name, e, env, 1);
      if (typeof y !== 'bigint') return y;
      if (y === 0n) return bottom('eval', `error in call to ${name}: division by zero`, [e.pos]);
      return { t: 'int', i: integerDivision(name, x, y), pos: e.pos };
    }
    case 'error': {
      const a = arity(name, e, 1);
      if (a) return a;
      const v = concreteDefault(evalExpr(e.args[0]!, env));
      if (v.t === 'string') return bottom('user', v.s, [e.pos]);
      if (isBottom(v)) return bottom('user', `error: ${v.msg}`, [e.pos]);
      return incomplete('error: non-concrete message', [e.pos]);
    }
    case 'matchN': {
      const a = arity(name, e, 2);
      if (a) return a;
      const n = evalExpr(e.args[0]!, env);
      const l = concreteDefault(inlineArg(e.args[1]!, env));
      if (isBottom(n)) return n;
      if (isBottom(l)) return l;
      if (l.t !== 'vertex' || !l.isList) return listArgErr(name, l, e);
      const v: ValidatorV = { name: 'matchN', fn: 'matchN', args: [concreteDefault(n), l], pos: e.pos };
      return mkCons(ALL, [], [v], e.pos);
    }
    case 'matchIf': {
      const a = arity(name, e, 3);
      if (a) return a;
      const args = e.args.map((x) => evalExpr(x, env));
      for (let j = 0; j < args.length; j++) {
        const x = args[j];
        if (isBottom(x) && x.code !== 'incomplete') return x;
      }
      const v: ValidatorV = { name: 'matchIf', fn: 'matchIf', args, pos: e.pos };
      return mkCons(ALL, [], [v], e.pos);
    }
  }
  return bottom('eval', `not supported yet: builtin ${name}`, [e.pos]);
}

/**
 * A list literal of schemas (`matchN(1, [#A, z])`) is no part of the
 * structure of the field holding the call: like an inline value
 * (`{...}.out`, cycle.ts), a schema in it referring back to that field
 * (`z: matchN(1, [z])`) is a reference cycle, not a structural one.
 */
function inlineArg(x: Expr, env: Env): Val {
  const v = evalExpr(x, env);
  if (v.t === 'vertex' && v.label === '' && unparen(x).type === 'ListLit') v.inline = true;
  return v;
}

function listArgErr(name: string, v: Val, e: CallExpr): Bottom {
  if (v.t === 'top' || v.t === 'cons' || v.t === 'disj') return incomplete(`${name}: non-concrete argument`, [e.pos]);
  return bottom('eval', `cannot use ${show(v)} (type ${kindName(kindOf(v))}) as list in argument 1 to ${name}`, [argPos(e, 0)]);
}

// ---------------------------------------------------------------- package builtins

function checkKind(k: ParamKind, c: Concrete): boolean {
  switch (k) {
    case 'any':
    case 'value':
      return true;
    case 'string':
      return typeof c === 'string';
    case 'bytes':
      return c instanceof Uint8Array || typeof c === 'string';
    case 'stringOrBytes':
      return typeof c === 'string' || c instanceof Uint8Array;
    case 'int':
      return typeof c === 'bigint';
    case 'number':
      return typeof c === 'bigint' || (typeof c === 'object' && c !== null && (c as { isFinite?: unknown }).isFinite !== undefined && !(c instanceof Map) && !Array.isArray(c) && !(c instanceof Uint8Array));
    case 'bool':
      return typeof c === 'boolean';
    case 'list':
    case 'valueList':
      return Array.isArray(c);
    case 'struct':
      return c instanceof Map;
  }
  return true;
}

function paramName(k: ParamKind): string {
  return k === 'valueList' ? 'list' : k === 'stringOrBytes' ? 'bytes' : k;
}

function concreteName(c: Concrete): string {
  if (c === null) return 'null';
  if (typeof c === 'boolean') return 'bool';
  if (typeof c === 'string') return 'string';
  if (typeof c === 'bigint') return 'int';
  if (c instanceof Uint8Array) return 'bytes';
  if (Array.isArray(c)) return 'list';
  if (c instanceof Map) return 'struct';
  return 'float';
}

function opaque(v: Val): OpaqueVal {
  return { opaque: true, val: v };
}

/** Makes a value into a valueList element: concrete, nested array, or opaque. */
function valueListElem(v0: Val): Concrete | Opaque {
  // Evaluated before asking: a list comprehension's error shows only then,
  // and the element is passed on as it is (`[[for x in a.b {x}]]`).
  if (v0.t === 'vertex') {
    expand(v0);
    if (v0.err || v0.incompleteErr) return opaque(v0);
  }
  const v = concreteDefault(v0);
  if (v.t === 'vertex' && v.isList && !v.disjuncts && !v.err && !v.incompleteErr) {
    return listElems(v).map((a) => valueListElem(a)) as Concrete[];
  }
  const c = toConcrete(v);
  if (isBottomC(c)) return opaque(v0);
  // A scalar default of a disjunction: the element stays the disjunction
  // (`list.Concat([[p]])` with p: *"." | string is [*"." | string]).
  if (v !== v0 && isScalar(v) && ((v0.t === 'vertex' && (v0.disjuncts || v0.base.t === 'disj')) || v0.t === 'disj')) return { ...opaque(v0), dflt: c };
  return c;
}

function convertArg(k: ParamKind, v: Val, fname: string, i: number, pos: Pos): Arg | Bottom {
  if (k === 'value') return opaque(v);
  if (k === 'valueList') {
    const l = concreteDefault(v);
    if (isBottom(l)) return l;
    if (l.t !== 'vertex' || !l.isList || l.disjuncts) {
      if (l.t === 'top' || l.t === 'cons' || l.t === 'disj' || (l.t === 'vertex' && l.disjuncts)) return incomplete(`non-concrete argument ${i + 1} to ${fname}`, [pos]);
      return bottom('eval', `cannot use ${show(l)} (type ${kindName(kindOf(l))}) as list in argument ${i + 1} to ${fname}`, [pos]);
    }
    expand(l);
    if (l.err) return l.err;
    if (l.incompleteErr) return l.incompleteErr;
    const elems = listElems(l);
    for (let j = 0; j < elems.length; j++) {
      const a = elems[j];
      // An element that is the call's own (unfinished) field (`a: list.Concat([a, ["3"]])`):
      // the result would contain itself.
      expand(a);
      if (a.err?.code === 'structural cycle') return bottom('structural cycle', `error in call to ${fname}: structural cycle`, [pos]);
    }
    return elems.map((a) => valueListElem(a)) as Concrete[];
  }
  const c = toConcrete(v);
  if (isBottomC(c)) {
    // Not concrete yet, but of a kind a scalar parameter never takes (`int` for a string): that will not
    // change. (Like CUE, a list or struct parameter still reports a non-concrete argument as incomplete.)
    const d = concreteDefault(v);
    if (c.code === 'incomplete' && !isBottom(d) && PARAM_KINDS[k] & SCALARS && !(kindOf(d) & PARAM_KINDS[k])) {
      return bottom('eval', `cannot use ${show(d)} (type ${kindName(kindOf(d))}) as ${paramName(k)} in argument ${i + 1} to ${fname}`, [pos]);
    }
    return c;
  }
  if (!checkKind(k, c)) {
    const shown = show(concreteDefault(v));
    return bottom('eval', `cannot use ${shown} (type ${concreteName(c)}) as ${paramName(k)} in argument ${i + 1} to ${fname}`, [pos]);
  }
  return c;
}

/**
 * A list argument of strings or numbers with an element that is not concrete
 * yet: incomplete while the element may still become one (`[string]`), an
 * eval error once it never can (`[int]` for strings), as in CUE.
 */
function checkListElems(v: Val, want: 'string' | 'number', i: number, pos: Pos): Bottom | undefined {
  const l = concreteDefault(v);
  if (l.t !== 'vertex' || !l.isList) return undefined;
  expand(l);
  const elems = listElems(l);
  for (let j = 0; j < elems.length; j++) {
    const a = elems[j]!;
    expand(a);
    if (a.err || a.isStruct || a.isList || a.disjuncts) continue;
    const d = concreteDefault(a.base);
    if (isBottom(d) || isScalar(d)) continue;
    const k = kindOf(d);
    if (!(k & PARAM_KINDS[want])) {
      return bottom('eval', `invalid list element ${j} in argument ${i} to call: cannot use value ${show(d)} (${kindName(k)}) as ${want}`, [pos, ...a.positions.slice(0, 1)]);
    }
    return incomplete(`non-concrete value ${show(d)} for element ${j} of ${want} list argument ${i}`, [pos, ...a.positions.slice(0, 1)]);
  }
  return undefined;
}

export function callBuiltin(name: string, fn: BuiltinFunc, argExprs: Expr[], env: Env, pos: Pos): Val {
  const n = argExprs.length;
  const min = fn.minArgs ?? (fn.variadic ? fn.params.length - 1 : fn.params.length);
  const max = fn.variadic ? Infinity : fn.params.length;
  if (fn.validator && n === fn.params.length - 1) {
    // Used as a validator: bind the given arguments, validate later.
    const args: Val[] = [];
    for (let i = 0; i < n; i++) {
      const v = evalExpr(argExprs[i]!, env);
      if (isBottom(v)) return v;
      args.push(fn.params[i + 1] === 'value' ? v : concreteDefault(v));
    }
    // Its kind is that of the value it validates, as in CUE (`strings.ContainsAny("dd")` is a string).
    const kinds = validatorKinds(fn);
    return mkCons(kinds, [], [{ name, fn, args, pos, kinds }], pos);
  }
  if (n < min || n > max) {
    return bottom('eval', `${n < min ? 'not enough' : 'too many'} arguments in call to ${name} (have ${n}, want ${fn.params.length})`, [pos]);
  }
  const vals = argExprs.map((a) => evalExpr(a, env));
  for (let i = 0; i < vals.length; i++) {
    const ae = argError(vals[i]!);
    if (ae) return ae;
  }
  return invoke(name, fn, vals, argExprs.map((a) => a.pos), pos);
}

/**
 * A permanent error in an argument or a value below it (`or([1, 1 & 2])`,
 * `len({a: 1 & 2})`) fails the call with that error, as in CUE, where a list
 * or struct with a failing element is itself that error when it is passed
 * on; an incomplete element is passed on (it may still be completed).
 */
function argError(v: Val): Bottom | undefined {
  if (v.t !== 'vertex' || v.status === 1 || v.disjuncts) return undefined;
  const e = deepError(v, 0);
  // (A structural cycle below an element, met while the argument itself is
  // being built, says nothing of the element's own value: `or([for ...])`
  // over a definition that refers back to the call.)
  return e && e.code !== 'structural cycle' ? e : undefined;
}

function invoke(name: string, fn: BuiltinFunc, vals: Val[], poss: Pos[], pos: Pos, validating?: Val): Val {
  const args: Arg[] = [];
  for (let i = 0; i < vals.length; i++) {
    const k = fn.params[Math.min(i, fn.params.length - 1)]!;
    const want = k === 'list' ? fn.listElems?.[i] : undefined;
    if (want) {
      const e = checkListElems(vals[i]!, want, i, poss[i] ?? pos);
      if (e) return e;
    }
    const a = convertArg(k, vals[i]!, name, i, poss[i] ?? pos);
    if (isBottomC(a as Concrete | Bottom)) return a as Bottom;
    args.push(a as Arg);
  }
  try {
    const r = fn.impl(args, builtinContext);
    return fromConcrete(r);
  } catch (err) {
    if (err instanceof BuiltinError) {
      let code: 'incomplete' | 'eval' = err.code === 'incomplete' ? 'incomplete' : 'eval';
      if (err.incompleteIfOpen && validating && isOpenValue(validating)) code = 'incomplete';
      if (validating) return bottom(code, err.message, [pos]);
      return bottom(code, `error in call to ${name}: ${err.message}`, [pos]);
    }
    if (err instanceof RangeError) return bottom('eval', `error in call to ${name}: ${err.message}`, [pos]);
    throw err;
  }
}

/** Runs a validator against a (concrete) value; undefined when it passes. */
function runValidator(x: ValidatorV, v: Val): Bottom | undefined {
  if (x.fn === 'matchN') return runMatchN(x, v);
  if (x.fn === 'matchIf') return runMatchIf(x, v);
  const fn = x.fn;
  const pos = x.pos!;
  const vals = [v, ...x.args];
  const r = invoke(x.name, fn, vals, [pos], pos, v);
  const shown = `${x.name}(${x.args.map(show).join(', ')})`;
  if (isBottom(r)) {
    const isV = /does not satisfy/.test(r.msg);
    const msg = isV ? r.msg : `invalid value ${show(concreteDefault(v))} (does not satisfy ${shown}): ${r.msg}`;
    // A value that is a cycle (`a: list.MinItems(1) & [a]`) fails as that cycle.
    const code = r.code === 'incomplete' || r.code === 'structural cycle' || r.code === 'cycle' ? r.code : 'eval';
    return bottom(code, msg, [pos, ...r.pos]);
  }
  if (r.t === 'bool' && !r.b) return bottom('eval', `invalid value ${show(concreteDefault(v))} (does not satisfy ${shown})`, [pos]);
  return undefined;
}

function isOpenValue(v: Val): boolean {
  const x = concreteDefault(v);
  if (x.t !== 'vertex') return false;
  if (x.isList) return x.listOpen;
  // A pattern constraint (`[string]: string`) lets a closed struct still grow.
  return !vertexClosed(x) || x.patterns.length > 0;
}

setValidatorRunner(runValidator);

export function showValidators(xs: ValidatorV[]): string {
  return xs.map(showValidator).join(' & ');
}

const builtinContext: BuiltinContext = {
  less(comparator: Opaque, a: Concrete, b: Concrete): boolean {
    const cmp = isOpaqueVal(comparator) ? comparator.val : fromConcrete(comparator as unknown as Concrete);
    const data = dataVertex('struct', [
      ['x', isOpaqueVal(a) ? a.val : fromConcrete(a)],
      ['y', isOpaqueVal(b) ? b.val : fromConcrete(b)],
    ]);
    const u = unifyValues(cmp, data);
    const less = concreteDefault(selectField(u, 'less', { file: '', line: 0, col: 0, offset: 0 }));
    if (less.t !== 'bool') throw new BuiltinError(`invalid less function: ${isBottom(less) ? less.msg : show(less)}`);
    return less.b;
  },
  validate(value: Concrete, schema: Opaque): string | undefined {
    const s = isOpaqueVal(schema) ? schema.val : fromConcrete(schema as unknown as Concrete);
    const r = unifyValues(s, fromConcrete(value));
    if (isBottom(r)) return r.msg;
    if (r.t === 'vertex') {
      const e = deepError(r, 0);
      if (e) return e.msg;
    }
    const c = toConcrete(r);
    if (isBottomC(c)) return c.msg;
    return undefined;
  },
  validatePartial(value: Concrete, schema: Opaque): string | undefined {
    const s = isOpaqueVal(schema) ? schema.val : fromConcrete(schema as unknown as Concrete);
    const r = unifyValues(s, fromConcrete(value));
    if (isBottom(r)) return r.code === 'incomplete' ? undefined : r.msg;
    if (r.t === 'vertex') {
      const e = deepError(r, 0);
      if (e) return e.msg;
    }
    return undefined;
  },
  toOpaque(value: Concrete): Opaque {
    return opaque(fromConcrete(value));
  },
};

// ---------------------------------------------------------------- packages as values

const pkgCache = new Map<string, Vertex>();

/** The value of an imported builtin package, or undefined if there is no such package. */
export function builtinPackageVertex(path: string): Vertex | undefined {
  const hit = pkgCache.get(path);
  if (hit) return hit;
  const p = builtinPackages.get(path);
  if (!p) return undefined;
  const v = new Vertex(undefined, '');
  const short = path.split('/').pop()!;
  v.isStruct = true;
  for (let i = 0, xs = Object.entries(p.funcs); i < xs.length; i++) {
    const kv = xs[i];
    const fname = kv[0];
    const fn = kv[1];
    const a = new Vertex(v, fname);
    a.base = { t: 'func', name: `${short}.${fname}`, fn };
    a.status = 2;
    v.arcMap().set(fname, a);
  }
  for (let i = 0, list = Object.entries(p.consts ?? {}); i < list.length; i++) {
    const kv = list[i];
    const cname = kv[0];
    const c = kv[1];
    const a = new Vertex(v, cname);
    a.addConjunct({ val: fromConcrete(c), env: newEnv(v), def: false });
    v.arcMap().set(cname, a);
  }
  if (p.cue) {
    try {
      const f = parseFile(`${path}.cue`, p.cue);
      const env = newEnv(v);
      env.scope = scopeOf(f);
      // Package-internal references resolve among the package's own declarations.
      for (let i = 0, xs = f.decls; i < xs.length; i++) {
        const d = xs[i];
        if (d.type !== 'Field') continue;
        const l = d.label.type === 'Ident' ? d.label.name : d.label.type === 'BasicLit' ? (d.label.value ?? d.label.raw) : undefined;
        if (!l) continue;
        let a = v.arcs.get(l);
        if (!a) {
          a = new Vertex(v, l);
          v.arcMap().set(l, a);
        }
        a.addConjunct({ expr: d.value, env, def: l.startsWith('#'), pos: d.pos });
      }
    } catch {
      // A broken package source should not break unrelated evaluation.
    }
  }
  v.status = 2;
  pkgCache.set(path, v);
  return v;
}

export { isBottomC };

const reclosedLits = new WeakMap<Expr, Expr>();

/**
 * `__reclose(lit)` (written by `cue fix` for explicitopen) gives back the
 * closedness that `X...` dropped, and no more: the literal with each
 * embedded `X...` embedding X itself, as embedding was before explicitopen
 * (the literal's own fields stay allowed). So X's closedness applies as it was,
 * recursive for a definition, top level only for close(), and none when
 * nothing the literal embeds was closed (`__reclose({})` is open).
 */
function reclosed(arg: Expr): Expr {
  let x = reclosedLits.get(arg);
  if (x) return x;
  if (arg.type === 'ParenExpr') x = { ...arg, expr: reclosed(arg.expr) };
  else if (arg.type === 'CallExpr') x = { ...arg, args: arg.args.map(reclosed) };
  else if (arg.type === 'StructLit') {
    x = {
      ...arg,
      decls: arg.decls.map((d) => (d.type === 'Embed' && d.expr.type === 'Ellipsis' && d.expr.postfix && d.expr.elem ? { ...d, expr: d.expr.elem, explicitOpen: false } : d)),
    };
  } else x = arg;
  reclosedLits.set(arg, x);
  return x;
}
