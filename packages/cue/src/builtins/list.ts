// Package list: CUE's list package. Functions that only move elements around
// take 'valueList' arguments so non-concrete elements pass through untouched
// (CUE allows list.Repeat([int], 3)); numeric ones compute exactly.
import { Decimal } from 'decimal.js';
import { BuiltinError, type Arg, type BuiltinContext, type BuiltinPackage, type Concrete, type Opaque } from './types.js';
import { REPEAT_LIMIT } from './strings.js';
import { Dec34, equalValues, fail, fn, formatValue, int, isOpaque, kindOf, list, num, numberList, stringList } from './common.js';

/** An element of a 'valueList': concrete, a nested list, or opaque. */
type Elem = Concrete | Opaque | Elem[];

function elems(a: Arg | undefined): Elem[] {
  if (Array.isArray(a)) return a as Elem[];
  return fail(`cannot use value ${describe(a ?? null)} as list`);
}

function describe(a: Elem): string {
  if (isOpaque(a)) return 'value (non-concrete)';
  return `${formatValue(a as Concrete)} (type ${kindOf(a as Concrete)})`;
}

/** Results of valueList functions are arrays of the same elements (see 'valueList' in types.ts). */
function out(xs: Elem[]): Concrete[] {
  return xs as Concrete[];
}

/** Appends without spreading (spreading a huge array overflows the argument limit). */
function append(res: Elem[], xs: Elem[]): void {
  for (const x of xs) res.push(x);
}

/** An element as it compares: an unresolved disjunction with a default as that default (Opaque.dflt). */
function compared(x: Elem): Elem {
  if (Array.isArray(x)) return x.some((y) => isOpaque(y) || Array.isArray(y)) ? x.map(compared) : x;
  if (isOpaque(x) && x.dflt !== undefined) return x.dflt;
  return x;
}

function containsOpaque(x: Elem): boolean {
  if (isOpaque(x)) return true;
  if (Array.isArray(x)) return x.some(containsOpaque);
  return false;
}

function flattenN(xs: Elem[], depth: number): Elem[] {
  const res: Elem[] = [];
  for (const x of xs) {
    if (Array.isArray(x) && depth !== 0) append(res, flattenN(x as Elem[], depth - 1));
    else res.push(x);
  }
  return res;
}

/** Stable merge sort driven only by `less` (the result of a consistent comparator equals Go's sort.Stable). */
function stableSort(xs: Elem[], less: (a: Elem, b: Elem) => boolean): Elem[] {
  if (xs.length <= 1) return xs.slice();
  const mid = xs.length >> 1;
  const l = stableSort(xs.slice(0, mid), less);
  const r = stableSort(xs.slice(mid), less);
  const res: Elem[] = [];
  let i = 0;
  let j = 0;
  while (i < l.length && j < r.length) {
    // Take from the right only when strictly less: keeps equal elements in order.
    if (less(r[j]!, l[i]!)) res.push(r[j++]!);
    else res.push(l[i++]!);
  }
  while (i < l.length) res.push(l[i++]!);
  while (j < r.length) res.push(r[j++]!);
  return res;
}

function lessFn(ctx: BuiltinContext, cmp: Arg | undefined): (a: Elem, b: Elem) => boolean {
  if (!isOpaque(cmp)) {
    // A concrete comparator can only come from a struct without x/y/less references; use the evaluator anyway.
    const o = ctx.toOpaque(cmp as Concrete);
    return (a, b) => ctx.less(o, a as Concrete, b as Concrete);
  }
  return (a, b) => ctx.less(cmp, a as Concrete, b as Concrete);
}

/** The list as bigints when every element is an int. */
function intsOf(xs: Concrete[]): bigint[] | undefined {
  return xs.every((x) => typeof x === 'bigint') ? (xs as bigint[]) : undefined;
}

/** Compares numbers exactly; ints and floats by value. */
function cmpNum(a: Concrete, b: Concrete): number {
  return num(a).cmp(num(b));
}

function checkNumbers(xs: Concrete[], argIndex = 0): Concrete[] {
  numberList(xs, argIndex); // validates element kinds with CUE's message
  return xs;
}

function validationError(msg: string, incompleteIfOpen = false): BuiltinError {
  return new BuiltinError(msg, { validation: true, incompleteIfOpen });
}

export const listPackage: BuiltinPackage = {
  path: 'list',
  funcs: {
    Drop: fn(['valueList', 'int'], ([x, n]) => {
      const xs = elems(x);
      const k = int(n);
      if (k < 0) fail('negative index');
      return out(xs.slice(Math.min(k, xs.length)));
    }),
    FlattenN: fn(['valueList', 'int'], ([x, d]) => out(flattenN(elems(x), int(d)))),
    Repeat: fn(['valueList', 'int'], ([x, n]) => {
      const xs = elems(x);
      const c = int(n);
      if (c < 0) fail('negative count');
      if (c > REPEAT_LIMIT) fail(`count ${c} exceeds limit of ${REPEAT_LIMIT}`);
      const res: Elem[] = [];
      for (let i = 0; i < c; i++) append(res, xs);
      return out(res);
    }),
    Concat: fn(['valueList'], ([a]) => {
      const res: Elem[] = [];
      for (const e of elems(a)) {
        if (!Array.isArray(e)) {
          if (isOpaque(e)) throw new BuiltinError('non-concrete value for element of argument 0', { code: 'incomplete' });
          fail(`cannot use value ${formatValue(e as Concrete)} (type ${kindOf(e as Concrete)}) as list`);
        }
        append(res, e as Elem[]);
      }
      return out(res);
    }),
    Take: fn(['valueList', 'int'], ([x, n]) => {
      const xs = elems(x);
      const k = int(n);
      if (k < 0) fail('negative index');
      return out(xs.slice(0, k));
    }),
    Slice: fn(['valueList', 'int', 'int'], ([x, a, b]) => {
      const xs = elems(x);
      const i = int(a);
      const j = int(b);
      if (i < 0) fail('negative index');
      if (i > j) fail(`invalid index: ${i} > ${j}`);
      if (i > xs.length || j > xs.length) fail('slice bounds out of range');
      return out(xs.slice(i, j));
    }),
    Reverse: fn(['valueList'], ([x]) => out(elems(x).slice().reverse())),
    MinItems: fn(
      ['list', 'int'],
      ([l, n]) => {
        const count = list(l).length;
        const m = int(n);
        if (count >= m) return true;
        throw validationError(`len(list) < MinItems(${m}) (${count} < ${m})`, true);
      },
      { validator: true },
    ),
    MaxItems: fn(
      ['list', 'int'],
      ([l, n]) => {
        const count = list(l).length;
        const m = int(n);
        if (count <= m) return true;
        throw validationError(`len(list) > MaxItems(${m}) (${count} > ${m})`);
      },
      { validator: true },
    ),
    UniqueItems: fn(
      ['list'],
      ([l]) => {
        const xs = list(l);
        for (let j = 1; j < xs.length; j++) {
          for (let i = 0; i < j; i++) {
            if (equalValues(xs[i]!, xs[j]!)) throw validationError(`equal value (${formatValue(xs[i]!)}) at position ${i} and ${j}`);
          }
        }
        return true;
      },
      { validator: true },
    ),
    // Elements are compared as they are (a disjunction by its default): a non-concrete element equals nothing.
    Contains: fn(['valueList', 'any'], ([l, v]) => elems(l).map(compared).some((x) => !isOpaque(x) && !containsOpaque(x) && equalValues(x as Concrete, v as Concrete)), { validator: true }),
    Avg: fn(['list'], ([l]) => {
      const xs = numberList(l);
      if (xs.length === 0) fail('empty list');
      const ints = intsOf(list(l));
      if (ints) {
        // Exact when the mean of the ints is an int; otherwise rounded like any float.
        const sum = ints.reduce((a, b) => a + b, 0n);
        if (sum % BigInt(ints.length) === 0n) return sum / BigInt(ints.length);
        return new Decimal(new Dec34(sum.toString()).div(ints.length));
      }
      return new Decimal(xs.reduce((acc, x) => acc.plus(x), new Dec34(0)).div(xs.length));
    }, { listElems: { 0: 'number' } }),
    Max: fn(['list'], ([l]) => {
      const xs = checkNumbers(list(l));
      if (xs.length === 0) fail('empty list');
      return xs.reduce((m, x) => (cmpNum(m, x) < 0 ? x : m));
    }, { listElems: { 0: 'number' } }),
    Min: fn(['list'], ([l]) => {
      const xs = checkNumbers(list(l));
      if (xs.length === 0) fail('empty list');
      return xs.reduce((m, x) => (cmpNum(m, x) > 0 ? x : m));
    }, { listElems: { 0: 'number' } }),
    Product: fn(['list'], ([l]) => {
      const xs = numberList(l);
      // Ints multiply exactly; floats at 34 significant digits as in CUE.
      const ints = intsOf(list(l));
      if (ints) return ints.reduce((a, b) => a * b, 1n);
      return new Decimal(xs.reduce((acc, x) => acc.times(x), new Dec34(1)));
    }, { listElems: { 0: 'number' } }),
    Sum: fn(['list'], ([l]) => {
      const xs = numberList(l);
      const ints = intsOf(list(l));
      if (ints) return ints.reduce((a, b) => a + b, 0n);
      return new Decimal(xs.reduce((acc, x) => acc.plus(x), new Dec34(0)));
    }, { listElems: { 0: 'number' } }),
    Range: fn(['number', 'number', 'number'], ([a, b, c]) => {
      const start = num(a);
      const limit = num(b);
      const step = num(c);
      if (step.isZero()) fail('step must be non zero');
      if (!step.isNegative() && start.gt(limit)) fail('end must be greater than start when step is positive');
      if (step.isNegative() && start.lt(limit)) fail('end must be less than start when step is negative');
      // Bound the size like Repeat rather than looping (nearly) forever.
      const n = limit.minus(start).div(step).ceil();
      if (n.gt(REPEAT_LIMIT)) fail(`range of ${n.toFixed()} elements exceeds limit of ${REPEAT_LIMIT}`);
      const res: Concrete[] = [];
      if (typeof a === 'bigint' && typeof b === 'bigint' && typeof c === 'bigint') {
        for (let x = a; c < 0n ? x > b : x < b; x += c) res.push(x);
        return res;
      }
      for (let x = start; step.isNegative() ? x.gt(limit) : x.lt(limit); x = x.plus(step)) {
        // The first element is start itself (keeps its kind); later ones are sums, so floats.
        res.push(res.length === 0 ? (a as Concrete) : new Decimal(x));
      }
      return res;
    }),
    Sort: fn(['valueList', 'value'], ([l, cmp], ctx) => out(stableSort(elems(l), lessFn(ctx, cmp)))),
    SortStable: fn(['valueList', 'value'], ([l, cmp], ctx) => out(stableSort(elems(l), lessFn(ctx, cmp)))),
    SortStrings: fn(['list'], ([l]) => stringList(l).slice().sort(cmpStrings), { listElems: { 0: 'string' } }),
    IsSorted: fn(['valueList', 'value'], ([l, cmp], ctx) => {
      const xs = elems(l);
      const less = lessFn(ctx, cmp);
      for (let i = xs.length - 1; i > 0; i--) if (less(xs[i]!, xs[i - 1]!)) return false;
      return true;
    }, { validator: true }),
    IsSortedStrings: fn(
      ['list'],
      ([l]) => {
        const xs = stringList(l);
        for (let i = 1; i < xs.length; i++) if (cmpStrings(xs[i]!, xs[i - 1]!) < 0) return false;
        return true;
      },
      { validator: true, listElems: { 0: 'string' } },
    ),
  },
  cue: `
// A Comparer specifies whether one value is strictly less than another value.
Comparer: {
	T:    _
	x:    T
	y:    T
	less: bool // true if x < y
}

// Ascending defines a Comparer to sort comparable values in increasing order.
Ascending: {
	Comparer
	T:    number | string
	x:    T
	y:    T
	less: x < y
}

// Descending defines a Comparer to sort comparable values in decreasing order.
Descending: {
	Comparer
	T:    number | string
	x:    T
	y:    T
	less: x > y
}
`,
};

/** Go string order (UTF-8 bytes) equals code point order, which differs from JS's UTF-16 order for astral characters. */
function cmpStrings(a: string, b: string): number {
  const ra = Array.from(a);
  const rb = Array.from(b);
  const n = Math.min(ra.length, rb.length);
  for (let i = 0; i < n; i++) {
    const d = ra[i]!.codePointAt(0)! - rb[i]!.codePointAt(0)!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return ra.length - rb.length;
}
