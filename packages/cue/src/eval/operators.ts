// Unary and binary operators, bounds and string interpolation over exact numbers.
import type { BinaryExpr, Expr, Ident, Interpolation, Pos, SelectorExpr, UnaryExpr } from '../ast.js';
import { unparen } from '../syntax.js';
import { bytesOfByteString } from '../byte-string.js';
import { disjDefault } from './disjunction.js';
import { cycleErr, dataEqual, deepError, evalExpr, expand, isEmbeddedScalar, vertexDefault } from './evaluator.js';
import { apdString, Dec, decFromBig, formatFloat, integerDivision } from './numbers.js';
import { compare, mkCons, regexMatch } from './unify.js';
import {
  type Bottom,
  BOOL,
  bottom,
  boundKinds,
  type Bound,
  BYTES,
  incomplete,
  isBottom,
  isScalar,
  kindName,
  kindOf,
  NUMBER,
  show,
  STRING,
  type Val,
} from './values.js';
import { type Env, Vertex, ancestorInProgress, hasRegularLabel, isRegularLabel } from './vertex.js';
import { valueInDisjunct } from './disjunct-scope.js';
import { recordMissed } from './missed.js';
import { selectField } from './select.js';
import { freshOperand, notePostCheck } from './postcheck.js';
import { decidingIncomplete, noteRead, scalarLike, undecided } from './provisional.js';

/** A vertex with w's conjuncts, standing for w. */
function stand(w: Vertex): Vertex {
  const t = new Vertex(w.parent, w.label);
  t.conjuncts = w.conjuncts;
  t.positions = w.positions;
  return t;
}

/** Resolves references and defaults: the value an operator sees. */
export function concreteDefault(v: Val): Val {
  for (let i = 0; i < 100; i++) {
    if (v.t === 'vertex') {
      expand(v);
      if (v.status === 1) {
        const w = v;
        const t = valueInDisjunct(w, () => stand(w), expand);
        if (t) {
          v = t;
          continue;
        }
      }
      if (v.err) return v.err;
      // A scalar with a conjunct still incomplete (`1 & a.f`, a.f not there
      // yet; `1 & (#b + 1)`, #b an int) is not that scalar yet: the conjunct
      // may still conflict. (Not while the conjunct was met in an open
      // reference cycle: it is evaluated again once the cycle closes, see
      // decidingIncomplete.) The same holds for a scalar embedded in a struct
      // (`{for k, v in a.f {}, 1}`).
      if (!v.onStack && scalarLike(v)) {
        const ie = decidingIncomplete(v);
        if (ie) return ie;
        if (undecided()) noteRead(v);
      }
      if (v.disjuncts) {
        const d = vertexDefault(v);
        if (d === v) return v;
        v = d;
        continue;
      }
      // The default of a value still being evaluated may be contradicted by
      // the conjuncts to come: choosing it now would resolve the cycle by
      // guessing (`a: *0 | 1, a: b + 1, b: a - 1` is a cycle, not 0).
      if (v.status === 1 && !v.isStruct && !v.isList && v.base.t === 'disj') return cycleErr(v);
      if (isEmbeddedScalar(v)) {
        v = v.base;
        continue;
      }
      // A struct still being evaluated that has no fields yet may turn out to
      // be a scalar (`a: {==(self + 1)}`, `a: 2`): a cycle, resolved later.
      if (v.status === 1 && v.isStruct && v.base.t === 'top' && !hasRegularLabel(v)) return cycleErr(v);
      if (v.isStruct || v.isList) return v;
      if (v.arcs.size > 0 && v.base.t === 'top') return v;
      if (v.status === 1 && v.base.t === 'top') return cycleErr(v);
      v = v.base;
      continue;
    }
    if (v.t === 'disj') {
      const d = disjDefault(v);
      if (!d) return v;
      v = d;
      continue;
    }
    return v;
  }
  return v;
}

function isConcrete(v: Val): boolean {
  if (isScalar(v)) return true;
  if (v.t === 'vertex') return !v.disjuncts;
  return false;
}

function nonConcrete(v: Val, pos: Pos | undefined, what: string): Val {
  return incomplete(`${what}: non-concrete value ${show(v)}`, [pos]);
}

/**
 * A unary operator over a value that is not concrete yet: incomplete while it
 * may still become an operand of the kind the operator needs (`-int`), an
 * error when it never can (`!int`).
 */
function nonConcreteOperand(x: Val, wants: number, e: UnaryExpr): Val {
  if (kindOf(x) & wants) return nonConcrete(x, e.pos, `invalid operand to ${e.op === '!' ? '!' : `unary ${e.op}`}`);
  return bottom('eval', `invalid operand ${show(x)} ('${e.op}' requires concrete value)`, [e.pos]);
}

export function evalUnary(e: UnaryExpr, env: Env): Val {
  const x = concreteDefault(evalExpr(e.x, env));
  if (isBottom(x)) return x;
  switch (e.op) {
    case '*':
      return x;
    case '+':
    case '-': {
      if (x.t === 'int') return { t: 'int', i: e.op === '-' ? -x.i : x.i, pos: e.pos };
      if (x.t === 'float') return { t: 'float', d: e.op === '-' ? x.d.neg() : x.d, pos: e.pos };
      if (!isConcrete(x)) return nonConcreteOperand(x, NUMBER, e);
      return bottom('eval', `invalid operation ${e.op}${show(x)} (${e.op} ${kindName(kindOf(x))})`, [e.pos]);
    }
    case '!': {
      if (x.t === 'bool') return { t: 'bool', b: !x.b, pos: e.pos };
      if (!isConcrete(x)) return nonConcreteOperand(x, BOOL, e);
      return bottom('eval', `invalid operation !${show(x)} (! ${kindName(kindOf(x))})`, [e.pos]);
    }
    default: {
      // A bound: the operand must be concrete.
      if (!isConcrete(x)) return incomplete(`non-concrete value ${show(x)} for bound ${e.op}`, [e.pos]);
      const b: Bound = { op: e.op, v: x, pos: e.pos };
      if (e.op === '=~' || e.op === '!~') {
        if (x.t !== 'string') return bottom('eval', `invalid regexp bound ${show(x)}`, [e.pos]);
        const ok = regexMatch(x.s, '');
        if (ok instanceof Error) return bottom('eval', ok.message, [e.pos]);
        return mkCons(boundKinds(b), [b], [], e.pos);
      }
      if (e.op === '!=' || e.op === '==') return mkCons(boundKinds(b), [b], [], e.pos);
      if (x.t === 'int' || x.t === 'float') return mkCons(NUMBER, [b], [], e.pos);
      if (x.t === 'string') return mkCons(STRING, [b], [], e.pos);
      if (x.t === 'bytes') return mkCons(BYTES, [b], [], e.pos);
      return bottom('eval', `invalid operand ${show(x)} for bound ${e.op} (type ${kindName(kindOf(x))})`, [e.pos]);
    }
  }
}

export function evalBinary(e: BinaryExpr, env: Env): Val {
  if (e.op === '&&' || e.op === '||') {
    const a = concreteDefault(evalExpr(e.x, env));
    if (isBottom(a)) return a;
    if (a.t !== 'bool') {
      if (!isConcrete(a)) return nonConcrete(a, e.x.pos, `invalid left operand to ${e.op}`);
      return bottom('eval', `invalid operands ${show(a)} to '${e.op}' (type ${kindName(kindOf(a))})`, [e.x.pos]);
    }
    if (e.shortCircuit && a.b === (e.op === '||')) return { t: 'bool', b: a.b, pos: e.pos };
    const b = concreteDefault(evalExpr(e.y, env));
    if (isBottom(b)) return b;
    if (b.t !== 'bool') {
      if (!isConcrete(b)) return nonConcrete(b, e.y.pos, `invalid right operand to ${e.op}`);
      return bottom('eval', `invalid operands ${show(b)} to '${e.op}' (type ${kindName(kindOf(b))})`, [e.y.pos]);
    }
    return { t: 'bool', b: e.op === '&&' ? a.b && b.b : a.b || b.b, pos: e.pos };
  }
  if ((e.op === '==' || e.op === '!=') && (isBottomLit(e.x) || isBottomLit(e.y))) {
    // `x == _|_` tests whether x is an error (legacy form still in use).
    const tested = isBottomLit(e.x) ? e.y : e.x;
    // `x.f`: x is evaluated once, for the selection and for noteMissed.
    const sx = testedSelector(tested);
    const xv = sx && directSelector(sx) ? evalExpr(sx.x, env) : undefined;
    const other = concreteDefault(freshOperand(xv ? selectField(xv, sx!.sel.name, sx!.sel.pos, sx!.x) : evalExpr(tested, env)));
    // Not known because of a reference cycle: neither an error nor not (yet).
    if (isBottom(other) && other.cycle) return other;
    // A field missing from data that cannot change stays missing: nothing to note or check again.
    const final = isBottom(other) && other.missing && sx !== undefined && noteMissed(sx, xv ?? evalExpr(sx.x, env), env);
    // A struct or list with an erroneous field (`{a: 1} & {a: 2}`) is an error
    // too. So is a scalar type or bound (`string`, `>3`), as in CUE: `x !=
    // _|_` holds once x is known, not while it is only constrained. `_` is
    // there: CUE's validate takes a value whose kind may be a struct or list
    // as the field it came from, an error only if that field's own value is.
    const isErr = isBottom(other) || other.t === 'cons' || (other.t === 'vertex' && deepError(other, 0) !== undefined);
    const result = e.op === '==' ? isErr : !isErr;
    // Incomplete now, x may still be known once what is being evaluated is
    // done: what the test decided may be what made x known (postcheck.ts).
    if (isBottom(other) && other.code === 'incomplete' && !final) notePostCheck(e, env, result);
    return { t: 'bool', b: result, pos: e.pos };
  }
  const a = concreteDefault(evalExpr(e.x, env));
  const b = concreteDefault(evalExpr(e.y, env));
  return binaryOp(e.op, a, b, e.pos, e.x.pos, e.y.pos);
}

/**
 * `a.f == _|_` answered "missing" while a was still being evaluated: a field f
 * added to a afterwards (by a comprehension: `a: {if a.f == _|_ {f: 1}}`)
 * would contradict that answer. Recorded so that finishing a reports it, as
 * CUE does, instead of a value no evaluation order can give.
 */
function noteMissed(e: SelectorExpr & { sel: Ident }, x: Val, env: Env): boolean {
  if (x.t !== 'vertex') return false;
  if (x.plainData && fixedData(e.x, env)) return true;
  // x itself, or a struct enclosing it, still in progress: x may get more fields.
  if (!(x.onStack || ancestorInProgress(x)) || x.arcs.has(e.sel.name)) return false;
  recordMissed(x, e.sel.name);
  return false;
}

/**
 * Whether e (`e.a.b`, e a comprehension's binding) names plain data however
 * often it is evaluated: a binding holds one value, and plain data (from
 * encode, fill, builtin results) never changes: a copy that is written to
 * replaces what it borrowed instead (Vertex.borrow). A field missing from it
 * now is missing when the test is evaluated again (postcheck.ts), so opm's
 * `for _, e in env {if e.fromConfig != _|_ {...}}` over encoded values is
 * not checked again. Data reached through a field is not fixed: the field
 * may be evaluated anew (a comprehension adding to it resets it) and then
 * hold other data or more fields.
 */
function fixedData(e: Expr, env: Env): boolean {
  while (e.type === 'SelectorExpr' || e.type === 'ParenExpr') e = e.type === 'ParenExpr' ? e.expr : e.x;
  // Resolved as resolveIdent does: `_`, predeclared `__x` and `self` are no bindings.
  if (e.type !== 'Ident' || e.optional || e.self || e.name === '_' || e.name.startsWith('__')) return false;
  for (let u: Env | undefined = env; u; u = u.up) {
    const b = u.binds?.get(e.name);
    if (b) return b.vertex?.plainData === true;
    const s = u.scope?.get(e.name);
    if (s) {
      // A let is evaluated once per instance of its literal (resolve.ts, evalLet): its value stays.
      const m = s.kind === 'let' ? u.lets?.get(e.name) : undefined;
      return m !== undefined && m.t === 'vertex' && m.plainData;
    }
    // An import is no data.
    if (u.imports?.has(e.name)) return false;
  }
  return false;
}

/** The tested `x.f`, f an identifier, or undefined. */
function testedSelector(e: Expr): (SelectorExpr & { sel: Ident }) | undefined {
  e = unparen(e);
  return e.type === 'SelectorExpr' && e.sel.type === 'Ident' ? (e as SelectorExpr & { sel: Ident }) : undefined;
}

/** Whether evalExpr evaluates `x.f` as selectField of evalExpr(x) (evalOperand treats inline literals and `&`, `|` apart). */
function directSelector(e: SelectorExpr): boolean {
  if (e.optional) return false;
  const t = unparen(e.x).type;
  return t === 'Ident' || t === 'SelectorExpr' || t === 'IndexExpr';
}

function isBottomLit(e: Expr): boolean {
  return unparen(e).type === 'BottomLit';
}

export function binaryOp(op: string, a: Val, b: Val, pos: Pos, pa?: Pos, pb?: Pos): Val {
  if (isBottom(a)) return a;
  if (isBottom(b)) return b;
  if (op === '==' || op === '!=') {
    const r = equalCheck(a, b, pa, pb, 0);
    if (typeof r !== 'boolean') return r;
    return { t: 'bool', b: op === '==' ? r : !r, pos };
  }
  if (!isConcrete(a)) return incomplete(`non-concrete value ${show(a)} in operand to ${op}`, [pa ?? pos]);
  if (!isConcrete(b)) return incomplete(`non-concrete value ${show(b)} in operand to ${op}`, [pb ?? pos]);
  const invalid = () =>
    bottom('eval', `invalid operands ${show(a)} and ${show(b)} to '${op}' (type ${kindName(kindOf(a))} and ${kindName(kindOf(b))})`, [
      pa ?? pos,
      pb ?? pos,
    ]);
  switch (op) {
    case '==':
    case '!=': {
      const ka = kindOf(a);
      const kb = kindOf(b);
      let eq: boolean;
      if ((ka & NUMBER) && (kb & NUMBER)) eq = compare(a, b) === 0;
      else if (ka !== kb) {
        if (a.t === 'vertex' || b.t === 'vertex') eq = false;
        else return invalid();
      } else eq = dataEqual(a, b);
      return { t: 'bool', b: op === '==' ? eq : !eq, pos };
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const c = compare(a, b);
      if (c === undefined || (a.t !== b.t && !(kindOf(a) & NUMBER && kindOf(b) & NUMBER))) return invalid();
      const r = op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
      return { t: 'bool', b: r, pos };
    }
    case '=~':
    case '!~': {
      if ((a.t !== 'string' && a.t !== 'bytes') || b.t !== 'string') return invalid();
      const m = regexMatch(b.s, a.s);
      if (m instanceof Error) return bottom('eval', m.message, [pb]);
      return { t: 'bool', b: op === '=~' ? m : !m, pos };
    }
    case '+':
      if (a.t === 'string' && b.t === 'string') return { t: 'string', s: a.s + b.s, pos };
      if (a.t === 'bytes' && b.t === 'bytes') return { t: 'bytes', s: a.s + b.s, pos };
      if (isList(a) && isList(b)) return listArithmetic('Addition', 'list.Concat', pa ?? pos);
      return arith(op, a, b, pos, invalid);
    case '-':
      return arith(op, a, b, pos, invalid);
    case '*': {
      if ((a.t === 'string' || a.t === 'bytes') && b.t === 'int') return repeat(a, b.i, pos);
      if ((b.t === 'string' || b.t === 'bytes') && a.t === 'int') return repeat(b, a.i, pos);
      if ((isList(a) && b.t === 'int') || (a.t === 'int' && isList(b))) return listArithmetic('Multiplication', 'list.Repeat', pa ?? pos);
      return arith(op, a, b, pos, invalid);
    }
    case 'div':
    case 'mod':
    case 'quo':
    case 'rem': {
      if (a.t !== 'int' || b.t !== 'int') return invalid();
      if (b.i === 0n) return bottom('eval', `failed arithmetic: division by zero`, [pos]);
      return { t: 'int', i: integerDivision(op, a.i, b.i), pos };
    }
    case '/': {
      if (!(a.t === 'int' || a.t === 'float') || !(b.t === 'int' || b.t === 'float')) return invalid();
      const x = a.t === 'int' ? decFromBig(a.i) : a.d;
      const y = b.t === 'int' ? decFromBig(b.i) : b.d;
      if (y.isZero()) return bottom('eval', x.isZero() ? 'failed arithmetic: division undefined' : 'failed arithmetic: division by zero', [pos]);
      return { t: 'float', d: x.div(y), pos };
    }
  }
  return bottom('eval', `not supported yet: operator ${op}`, [pos]);
}

/** Equality of concrete values (structs: regular fields; lists: elements); incomplete data gives an error. */
function equalCheck(a0: Val, b0: Val, pa: Pos | undefined, pb: Pos | undefined, depth: number): boolean | Val {
  let a = concreteDefault(a0);
  let b = concreteDefault(b0);
  if (isBottom(a)) return a;
  if (isBottom(b)) return b;
  a = embeddedScalar(a);
  b = embeddedScalar(b);
  for (let i = 0, xs = [[a, pa], [b, pb]] as const; i < xs.length; i++) {
    const kv = xs[i];
    const x = kv[0];
    const p = kv[1];
    if (x.t === 'top' || x.t === 'cons' || x.t === 'disj' || (x.t === 'vertex' && x.disjuncts)) {
      return incomplete(`incomplete value ${show(x)}`, [p]);
    }
  }
  if (isScalar(a) && isScalar(b)) {
    if ((a.t === 'int' || a.t === 'float') && (b.t === 'int' || b.t === 'float')) return compare(a, b) === 0;
    if (a.t !== b.t) return false;
    return compare(a, b) === 0 || (a.t === 'null') || (a.t === 'bool' && a.b === (b as typeof a).b);
  }
  if (a.t !== 'vertex' || b.t !== 'vertex') return false;
  if (depth > 100) return false;
  expand(a);
  expand(b);
  if (a.err) return a.err;
  if (b.err) return b.err;
  if (a.isList !== b.isList) return false;
  for (let i = 0, list = [a, b]; i < list.length; i++) {
    const v = list[i];
    for (const kv of v.arcs) {
      const l = kv[0];
      const x = kv[1];
      if (x.fieldKind === 'required' && isRegularLabel(l)) {
        return incomplete('field is required but not present', [pa]);
      }
    }
  }
  const la = [...a.arcs.entries()].filter(([l, x]) => x.fieldKind === 'regular' && isRegularLabel(l));
  const lb = [...b.arcs.entries()].filter(([l, x]) => x.fieldKind === 'regular' && isRegularLabel(l));
  let result = la.length === lb.length;
  for (let i = 0; i < la.length; i++) {
    const kv = la[i];
    const l = kv[0];
    const x = kv[1];
    const y = b.arcs.get(l);
    if (!y || y.fieldKind !== 'regular') {
      result = false;
      continue;
    }
    const r = equalCheck(x, y, pa, pb, depth + 1);
    if (typeof r !== 'boolean') return r;
    if (!r) result = false;
  }
  return result;
}

function embeddedScalar(v: Val): Val {
  if (v.t === 'vertex' && !v.isList && !v.disjuncts) {
    expand(v);
    if (!v.err && v.base.t !== 'top' && ![...v.arcs.keys()].some(isRegularLabel)) return v.base;
  }
  return v;
}

function repeat(s: Val & { s: string }, n: bigint, pos: Pos): Val {
  if (n < 0n) return bottom('eval', `cannot repeat a value a negative number of times (${n})`, [pos]);
  if (BigInt(s.s.length) * n > 50_000_000n) return bottom('eval', 'not supported yet: repeated string too large', [pos]);
  return { t: s.t as 'string', s: s.s.repeat(Number(n)), pos };
}

function isList(v: Val): boolean {
  return v.t === 'vertex' && v.isList;
}

/**
 * `+` on two lists and `*` of a list by an int: list arithmetic left the
 * language in CUE v0.11 (list.Concat and list.Repeat replace it), and CUE
 * names the replacement in its error, which KubeVela-era definitions
 * (`[...] + [...]`) now meet.
 */
function listArithmetic(what: string, builtin: string, pos: Pos): Val {
  return bottom('eval', `${what} of lists is superseded by ${builtin}; see https://cuelang.org/e/v0.11-list-arithmetic`, [pos]);
}

function arith(op: string, a: Val, b: Val, pos: Pos, invalid: () => Val): Val {
  if (a.t === 'int' && b.t === 'int') {
    const i = op === '+' ? a.i + b.i : op === '-' ? a.i - b.i : a.i * b.i;
    return { t: 'int', i, pos };
  }
  if ((a.t === 'int' || a.t === 'float') && (b.t === 'int' || b.t === 'float')) {
    const x = a.t === 'int' ? decFromBig(a.i) : a.d;
    const y = b.t === 'int' ? decFromBig(b.i) : b.d;
    const d = op === '+' ? x.plus(y) : op === '-' ? x.minus(y) : x.times(y);
    return { t: 'float', d, pos };
  }
  return invalid();
}

/**
 * Bytes (one char per byte) read as UTF-8, each run of invalid bytes becoming
 * one U+FFFD, as Go's strings.ToValidUTF8 does (Node's decoder would give one
 * per invalid byte).
 */
function toValidUTF8(bytes: string): string {
  const b = bytesOfByteString(bytes);
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  let out = '';
  let start = 0;
  let bad = false;
  for (let i = 0; i < b.length; ) {
    const n = utf8SeqLen(b, i);
    if (n === 0) {
      if (!bad) {
        out += utf8.decode(b.subarray(start, i)) + '\uFFFD';
        bad = true;
      }
      i++;
      start = i;
    } else {
      bad = false;
      i += n;
    }
  }
  return out + utf8.decode(b.subarray(start));
}

/** The length of the valid UTF-8 sequence at b[i], or 0 when there is none. */
function utf8SeqLen(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

export function evalInterpolation(e: Interpolation, env: Env): Val {
  let out = '';
  // An incomplete part does not decide the result while a later part may be
  // a permanent error (`"\(a.x) \(a.y)"` with y undefined in a closed a):
  // the first permanent error wins, as in CUE.
  let pending: Bottom | undefined;
  for (let i = 0, xs = e.parts; i < xs.length; i++) {
    const p = xs[i];
    if (typeof p === 'string') {
      out += p;
      continue;
    }
    const v = concreteDefault(evalExpr(p, env));
    if (isBottom(v)) {
      if (v.code !== 'incomplete') return v;
      pending ??= v;
      continue;
    }
    switch (v.t) {
      case 'string':
        out += v.s;
        break;
      case 'bytes':
        out += e.kind === 'bytes' ? v.s : toValidUTF8(v.s);
        break;
      case 'int':
        out += v.i.toString();
        break;
      case 'float':
        out += (v.raw && apdString(v.raw)) || formatFloat(v.d);
        break;
      case 'bool':
        out += String(v.b);
        break;
      case 'null':
        return bottom('eval', `invalid interpolation: cannot use null as string`, [p.pos]);
      case 'vertex':
        if (v.disjuncts) {
          pending ??= incomplete(`invalid interpolation: unresolved disjunction`, [p.pos]);
          break;
        }
        // A struct whose embedded scalar is not known yet (`{#p: string, "\(#p)"}`) may still become a string.
        if (v.incompleteErr && !hasRegularLabel(v) && !v.isList) {
          pending ??= incomplete(`invalid interpolation: ${v.incompleteErr.msg}`, [p.pos, ...v.incompleteErr.pos]);
          break;
        }
        return bottom('eval', `invalid interpolation: cannot use ${v.isList ? 'list' : 'struct'} as string`, [p.pos]);
      default:
        pending ??= incomplete(`invalid interpolation: non-concrete value ${show(v)} (type ${kindName(kindOf(v))})`, [p.pos, e.pos]);
    }
  }
  if (pending) return pending;
  return e.kind === 'bytes' ? { t: 'bytes', s: out, pos: e.pos } : { t: 'string', s: out, pos: e.pos };
}

export { Dec, BOOL };
export type { Expr };
