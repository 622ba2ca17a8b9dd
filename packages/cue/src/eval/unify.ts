// Unification of scalar values and scalar constraints (kinds, bounds,
// validators). Structs, lists and disjunctions are handled by the evaluator;
// this file is the flat part of the lattice.
import type { Pos } from '../ast.js';
import { Dec } from './numbers.js';
import { regexTester } from '../builtins/regex-test.js';
import {
  ALL,
  type Bottom,
  type Bound,
  BYTES,
  type ConsV,
  FLOAT,
  INT,
  isScalar,
  kindName,
  kindOf,
  NUMBER,
  type Scalar,
  show,
  validatorKinds,
  showBound,
  STRING,
  bottom,
  type Val,
  boundKinds,
  type ValidatorV,
} from './values.js';

export function regexMatch(pattern: string, s: string): boolean | Error {
  const r = regexTester(pattern);
  if (r instanceof Error) return r;
  return r.test(s);
}

/** Compares two concrete scalars of compatible kinds: <0, 0, >0; undefined if incomparable. */
export function compare(a: Val, b: Val): number | undefined {
  if ((a.t === 'int' || a.t === 'float') && (b.t === 'int' || b.t === 'float')) {
    if (a.t === 'int' && b.t === 'int') return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
    const x = a.t === 'int' ? new Dec(a.i.toString()) : a.d;
    const y = b.t === 'int' ? new Dec(b.i.toString()) : b.d;
    return x.cmp(y);
  }
  if (a.t === 'string' && b.t === 'string') return cmpStr(a.s, b.s);
  if (a.t === 'bytes' && b.t === 'bytes') return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
  return undefined;
}

// CUE compares strings by their UTF-8 bytes, which equals code point order.
function cmpStr(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

export function scalarEqual(a: Scalar, b: Scalar): boolean {
  if (a.t !== b.t) {
    if ((a.t === 'int' || a.t === 'float') && (b.t === 'int' || b.t === 'float')) return compare(a, b) === 0;
    return false;
  }
  switch (a.t) {
    case 'null':
      return true;
    case 'bool':
      return a.b === (b as typeof a).b;
    case 'int':
      return a.i === (b as typeof a).i;
    case 'float':
      return a.d.eq((b as typeof a).d);
    case 'string':
    case 'bytes':
      return a.s === (b as typeof a).s;
  }
}

/** Validator hook: the evaluator installs the function that runs builtin validators. */
export let runValidator: (x: ValidatorV, v: Val) => Bottom | undefined = () => undefined;
export function setValidatorRunner(f: typeof runValidator): void {
  runValidator = f;
}
/** Hook for `!=` and `==` against non-scalars (lists/structs); installed by the evaluator. */
export let deepEqual: (a: Val, b: Val) => boolean = () => false;
export function setDeepEqual(f: typeof deepEqual): void {
  deepEqual = f;
}

/** Checks one bound against a concrete value; undefined on success. */
export function checkBound(b: Bound, v: Val, pos?: Pos): Bottom | undefined {
  const fail = () => bottom('eval', `invalid value ${show(v)} (out of bound ${showBound(b)})`, [b.pos, pos ?? posOf(v)]);
  switch (b.op) {
    case '==': {
      // @experiment(structcmp): `==x` admits exactly the values equal to x.
      if (isScalar(v) && isScalar(b.v)) return scalarEqual(v, b.v) ? undefined : fail();
      if (v.t === 'vertex' || b.v.t === 'vertex') return deepEqual(v, b.v) ? undefined : fail();
      return undefined;
    }
    case '!=': {
      if (isScalar(v) && isScalar(b.v)) return scalarEqual(v, b.v) ? fail() : undefined;
      if (v.t === 'vertex' || b.v.t === 'vertex') return deepEqual(v, b.v) ? fail() : undefined;
      return undefined;
    }
    case '=~':
    case '!~': {
      if (v.t !== 'string' && v.t !== 'bytes') return mismatch(b, v, pos);
      const pat = b.v.t === 'string' || b.v.t === 'bytes' ? b.v.s : '';
      const m = regexMatch(pat, v.s);
      if (m instanceof Error) return bottom('eval', m.message, [b.pos]);
      return m === (b.op === '=~') ? undefined : fail();
    }
    default: {
      const c = compare(v, b.v);
      if (c === undefined) return mismatch(b, v, pos);
      const ok = b.op === '<' ? c < 0 : b.op === '<=' ? c <= 0 : b.op === '>' ? c > 0 : c >= 0;
      return ok ? undefined : fail();
    }
  }
}

function mismatch(b: Bound, v: Val, pos?: Pos): Bottom {
  return bottom('eval', `invalid value ${show(v)} (mismatched types ${kindName(kindOf(v))} and ${kindName(boundKinds(b))})`, [
    b.pos,
    pos ?? posOf(v),
  ]);
}

export function posOf(v: Val): Pos | undefined {
  return (v as { pos?: Pos }).pos;
}

export function conflict(a: Val, b: Val): Bottom {
  const pos: Pos[] = [];
  const pa = posOf(a);
  const pb = posOf(b);
  if (pa) pos.push(pa);
  if (pb) pos.push(pb);
  return new Conflict(a, b, pos);
}

/**
 * A conflict between two values. Most conflicts are disjuncts being
 * discarded: the message is only made when someone reads it.
 */
class Conflict implements Bottom {
  readonly t = 'bottom' as const;
  code: Bottom['code'] = 'eval';
  private text?: string;
  constructor(
    private readonly a: Val,
    private readonly b: Val,
    public pos: Pos[],
  ) {}
  get msg(): string {
    if (this.text === undefined) {
      const { a, b } = this;
      const ka = kindOf(a);
      const kb = kindOf(b);
      this.text =
        (ka & kb) === 0 || (a.t !== b.t && isScalar(a) && isScalar(b))
          ? `conflicting values ${show(a)} and ${show(b)} (mismatched types ${kindName(ka)} and ${kindName(kb)})`
          : `conflicting values ${show(a)} and ${show(b)}`;
    }
    return this.text;
  }
  set msg(m: string) {
    this.text = m;
  }
}

export function mkCons(kinds: number, bounds: Bound[] = [], validators: ValidatorV[] = [], pos?: Pos): ConsV {
  return { t: 'cons', kinds, bounds, validators, pos };
}

/** Checks a concrete scalar against a constraint. */
export function checkCons(c: ConsV, v: Val): Val {
  const k = kindOf(v);
  if ((k & c.kinds) === 0) {
    return conflict(c, v);
  }
  for (let i = 0, xs = c.bounds; i < xs.length; i++) {
    const b = xs[i];
    const e = checkBound(b, v);
    if (e) return e;
  }
  for (let i = 0, list = c.validators; i < list.length; i++) {
    const x = list[i];
    const e = runValidator(x, v);
    if (e) return e;
  }
  return v;
}

function boundVal(b: Bound): number | undefined {
  return b.v.t === 'int' ? Number(b.v.i) : b.v.t === 'float' ? b.v.d.toNumber() : undefined;
}

/** Merges two constraint sets, simplifying bounds where it is exact to do so. */
export function mergeCons(a: ConsV, b: ConsV): Val {
  const kinds = a.kinds & b.kinds;
  if (kinds === 0) return conflict(a, b);
  let bounds = [...a.bounds];
  for (let j = 0, xs = b.bounds; j < xs.length; j++) {
    const nb = xs[j];
    if (bounds.some((x) => x.op === nb.op && sameBoundValue(x.v, nb.v))) continue;
    bounds.push(nb);
  }
  bounds = simplifyBounds(bounds);
  // Restrict kinds by what bounds allow.
  let k = kinds;
  for (let j = 0; j < bounds.length; j++) {
    const x = bounds[j];
    k &= boundKinds(x);
  }
  if (k === 0) return conflict(a, b);
  // Detect empty numeric ranges: >=5 & <3.
  const lo = bounds.find((x) => x.op === '>' || x.op === '>=');
  const hi = bounds.find((x) => x.op === '<' || x.op === '<=');
  if (lo && hi) {
    const c = compare(lo.v, hi.v);
    if (c !== undefined) {
      if (c > 0 || (c === 0 && (lo.op === '>' || hi.op === '<'))) {
        return bottom('eval', `incompatible bounds ${showBound(lo)} and ${showBound(hi)}`, [lo.pos, hi.pos]);
      }
      if (c === 0 && lo.op === '>=' && hi.op === '<=') {
        // >=x & <=x is exactly x when the kind allows it.
        const v = lo.v;
        if ((kindOf(v) & k) !== 0 && !(k & FLOAT && v.t === 'int' && !(k & INT))) {
          return checkCons(mkCons(k, bounds.filter((x) => x !== lo && x !== hi), [...a.validators, ...b.validators]), v);
        }
      }
      if (k === INT && lo.v.t === 'int' && hi.v.t === 'int') {
        const l = lo.op === '>' ? lo.v.i + 1n : lo.v.i;
        const h = hi.op === '<' ? hi.v.i - 1n : hi.v.i;
        if (l > h) return bottom('eval', `incompatible bounds ${showBound(lo)} and ${showBound(hi)}`, [lo.pos, hi.pos]);
        if (l === h) {
          return checkCons(mkCons(k, bounds.filter((x) => x !== lo && x !== hi), [...a.validators, ...b.validators]), {
            t: 'int',
            i: l,
            pos: lo.pos,
          });
        }
      }
    }
  }
  const validators = [...a.validators];
  for (let j = 0, list = b.validators; j < list.length; j++) {
    const v = list[j];
    if (!validators.some((x) => x === v || sameValidator(x, v))) validators.push(v);
  }
  return mkCons(k, bounds, validators, a.pos ?? b.pos);
}

function sameValidator(a: ValidatorV, b: ValidatorV): boolean {
  if (a.name !== b.name || a.args.length !== b.args.length) return false;
  return a.args.every((x, i) => x === b.args[i] || (isScalar(x) && isScalar(b.args[i]!) && show(x) === show(b.args[i]!)) || (x.t === 'cons' && show(x) === show(b.args[i]!)));
}

function sameBoundValue(a: Val, b: Val): boolean {
  return isScalar(a) && isScalar(b) && a.t === b.t && scalarEqual(a, b);
}

function simplifyBounds(bounds: Bound[]): Bound[] {
  // Keep the tightest lower and upper numeric/string bound.
  let lo: Bound | undefined;
  let hi: Bound | undefined;
  const rest: Bound[] = [];
  for (let i = 0; i < bounds.length; i++) {
    const b = bounds[i];
    if (b.op === '>' || b.op === '>=') {
      if (!lo) lo = b;
      else {
        const c = compare(b.v, lo.v);
        if (c === undefined) rest.push(b);
        else if (c > 0 || (c === 0 && b.op === '>')) lo = b;
      }
    } else if (b.op === '<' || b.op === '<=') {
      if (!hi) hi = b;
      else {
        const c = compare(b.v, hi.v);
        if (c === undefined) rest.push(b);
        else if (c < 0 || (c === 0 && b.op === '<')) hi = b;
      }
    } else rest.push(b);
  }
  const out: Bound[] = [];
  if (lo) out.push(lo);
  if (hi) out.push(hi);
  // Drop `!=` bounds the other bounds already exclude (outside the range, not
  // matching a pattern: `!="b" & =~"c"` is `=~"c"`); they add nothing.
  const matchers = rest.filter((r) => r.op === '=~' || r.op === '!~');
  for (let i = 0; i < rest.length; i++) {
    const r = rest[i];
    if (r.op === '!=' && ((lo && !checkBoundOk(lo, r.v)) || (hi && !checkBoundOk(hi, r.v)))) continue;
    if (r.op === '!=' && r.v.t === 'string' && matchers.some((m) => checkBound(m, r.v) !== undefined)) continue;
    out.push(r);
  }
  void boundVal;
  return out;
}

function checkBoundOk(b: Bound, v: Val): boolean {
  const c = compare(v, b.v);
  if (c === undefined) return true;
  return b.op === '<' ? c < 0 : b.op === '<=' ? c <= 0 : b.op === '>' ? c > 0 : c >= 0;
}

/**
 * A builtin whose only parameter is the value to check (json.Valid,
 * list.UniqueItems) is a validator when used as a value: `a: json.Valid`
 * means `a: json.Valid()`.
 */
export function bareValidator(x: Val): Val {
  if (x.t !== 'func' || !x.fn?.validator) return x;
  const min = x.fn.minArgs ?? x.fn.params.length;
  if (min > 1 || x.fn.variadic) return x;
  const kinds = validatorKinds(x.fn);
  return mkCons(kinds, [], [{ name: x.name, fn: x.fn, args: [], pos: x.pos, bare: true, kinds }], x.pos);
}

/** Unifies two non-struct, non-list, non-disjunction values. */
export function unifyScalar(a: Val, b: Val): Val {
  if (a.t === 'func') a = bareValidator(a);
  if (b.t === 'func') b = bareValidator(b);
  if (a.t === 'top') return b;
  if (b.t === 'top') return a;
  if (a.t === 'bottom') return a;
  if (b.t === 'bottom') return b;
  if (isScalar(a) && isScalar(b)) {
    if (a.t !== b.t) return conflict(a, b);
    return scalarEqual(a, b) ? a : conflict(a, b);
  }
  if (a.t === 'cons' && b.t === 'cons') return mergeCons(a, b);
  if (a.t === 'cons' && isScalar(b)) return checkCons(a, b);
  if (b.t === 'cons' && isScalar(a)) return checkCons(b, a);
  if (a.t === 'func' || b.t === 'func') return bottom('eval', `cannot unify builtin function ${show(a.t === 'func' ? a : b)}`, [posOf(a), posOf(b)]);
  return conflict(a, b);
}

export { ALL, NUMBER, STRING, BYTES, INT, FLOAT };
