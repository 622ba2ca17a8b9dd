// Shared helpers for the builtin packages: argument accessors, Go-like string
// handling (UTF-8 byte offsets, runes, unicode.IsSpace), number conversion and
// a compact CUE formatter for values quoted in error messages.
import { Decimal } from 'decimal.js';
import { BuiltinError, type Arg, type BuiltinFunc, type BuiltinContext, type Concrete, type CStruct, type Opaque, type ParamKind } from './types.js';

/** Decimal arithmetic like apd's BaseContext in CUE: 34 significant digits, rounding half up. */
export const Dec34 = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -7, toExpPos: 21 });

/** Builds a BuiltinFunc. */
export function fn(
  params: ParamKind[],
  impl: (args: Arg[], ctx: BuiltinContext) => Concrete | Opaque,
  opts: { variadic?: boolean; validator?: boolean; minArgs?: number; listElems?: Record<number, 'string' | 'number'> } = {},
): BuiltinFunc {
  const f: BuiltinFunc = { params, impl };
  if (opts.variadic) f.variadic = true;
  if (opts.minArgs !== undefined) f.minArgs = opts.minArgs;
  if (opts.listElems) f.listElems = opts.listElems;
  if (opts.validator) f.validator = true;
  return f;
}

export function fail(msg: string): never {
  throw new BuiltinError(msg);
}

// ---- kinds and type checks ----

export function isOpaque(a: unknown): a is Opaque {
  return typeof a === 'object' && a !== null && (a as Opaque).opaque === true && !(a instanceof Map) && !Array.isArray(a);
}

export function isDecimal(a: unknown): a is Decimal {
  return Decimal.isDecimal(a);
}

export function isStruct(a: unknown): a is CStruct {
  return a instanceof Map;
}

export function kindOf(v: Arg): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'bigint') return 'int';
  if (isDecimal(v)) return 'float';
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Map) return 'struct';
  return '_';
}

// ---- argument accessors (the evaluator has checked kinds; these guard and narrow) ----

export function str(a: Arg | undefined): string {
  if (typeof a === 'string') return a;
  if (a instanceof Uint8Array) return utf8Decode(a);
  return fail(`cannot use ${formatValue(a ?? null)} (type ${kindOf(a ?? null)}) as string`);
}

export function bytes(a: Arg | undefined): Uint8Array {
  if (a instanceof Uint8Array) return a;
  if (typeof a === 'string') return utf8Encode(a);
  return fail(`cannot use ${formatValue(a ?? null)} (type ${kindOf(a ?? null)}) as bytes`);
}

export function bool(a: Arg | undefined): boolean {
  if (typeof a === 'boolean') return a;
  return fail(`cannot use ${formatValue(a ?? null)} (type ${kindOf(a ?? null)}) as bool`);
}

export function bigint(a: Arg | undefined): bigint {
  if (typeof a === 'bigint') return a;
  if (isDecimal(a) && a.isInteger()) return BigInt(a.toFixed(0));
  return fail(`cannot use ${formatValue(a ?? null)} (type ${kindOf(a ?? null)}) as int`);
}

const MAX_I64 = (1n << 63n) - 1n;
const MIN_I64 = -(1n << 63n);

/** A Go `int` argument: must fit int64; returned as a JS number (callers use it for sizes and indices). */
export function int(a: Arg | undefined): number {
  const b = bigint(a);
  if (b > MAX_I64 || b < MIN_I64) fail(`cannot use ${b} (type int) as int: value out of range`);
  return Number(b);
}

/** Any number as Decimal. */
export function num(a: Arg | undefined): Decimal {
  if (typeof a === 'bigint') return new Dec34(a.toString());
  if (isDecimal(a)) return new Dec34(a);
  return fail(`cannot use ${formatValue(a ?? null)} (type ${kindOf(a ?? null)}) as number`);
}

export function list(a: Arg | undefined): Concrete[] {
  if (Array.isArray(a)) return a;
  return fail(`cannot use ${formatValue(a ?? null)} (type ${kindOf(a ?? null)}) as list`);
}

export function struct(a: Arg | undefined): CStruct {
  if (a instanceof Map) return a;
  return fail(`cannot use ${formatValue(a ?? null)} (type ${kindOf(a ?? null)}) as struct`);
}

/** A list argument whose elements must all be strings (CUE's StringList). */
export function stringList(a: Arg | undefined, argIndex = 0): string[] {
  return list(a).map((e, i) => {
    if (typeof e === 'string') return e;
    return fail(`invalid list element ${i} in argument ${argIndex} to call: cannot use value ${formatValue(e)} (${kindOf(e)}) as string`);
  });
}

/** A list argument whose elements must all be numbers (CUE's DecimalList). */
export function numberList(a: Arg | undefined, argIndex = 0): Decimal[] {
  return list(a).map((e, i) => {
    if (typeof e === 'bigint' || isDecimal(e)) return num(e);
    return fail(`invalid list element ${i} in argument ${argIndex} to call: cannot use value ${formatValue(e)} (${kindOf(e)}) as number`);
  });
}

// ---- number results ----

/**
 * A number result: an int when every input was an int and the value is integral, else a float.
 * CUE's decimal-returning builtins keep "int-ness" this way (e.g. list.Sum([1, 2]) is 3, list.Sum([1.0]) is 1.0).
 */
export function numResult(d: Decimal, asInt: boolean): bigint | Decimal {
  // Past a thousand digits an integer stays a decimal with an exponent:
  // spelling out 2**(2**40) digit by digit would exhaust memory.
  if (asInt && d.isInteger() && d.e < 1000) return BigInt(d.toFixed(0));
  return new Decimal(d);
}

/** A Go float64 result. NaN and ±Inf are not CUE values. */
export function floatResult(x: number): Decimal {
  if (Number.isNaN(x)) fail('invalid operation: result is NaN');
  if (!Number.isFinite(x)) fail('invalid operation: result is infinite');
  return new Decimal(shortestFloat(x));
}

/** Go's strconv.FormatFloat(x, 'g', -1, 64)-like shortest round-trip digits, as a plain decimal string. */
export function shortestFloat(x: number): string {
  // JS's Number#toString gives the shortest round-trip digits, as Go does.
  return new Decimal(x).toString();
}

/** A float64 argument: CUE rejects values that do not fit. */
export function float64(a: Arg | undefined): number {
  const d = num(a);
  const x = d.toNumber();
  // CUE refuses conversions that overflow or underflow (apd reports the rounding).
  if (!Number.isFinite(x)) fail(`cannot use ${formatNumber(d, true)} (type float) as float64: value was rounded up`);
  if (x === 0 && !d.isZero()) fail(`cannot use ${formatNumber(d, true)} (type float) as float64: value was rounded down`);
  return x;
}

// ---- strings: UTF-8 and runes ----

const enc = new TextEncoder();
// Made on first use: most evaluations decode no bytes, and a TextDecoder is
// the first use of Node's encoding module in a process.
let dec: InstanceType<typeof TextDecoder> | undefined;

export function utf8Encode(s: string): Uint8Array {
  return enc.encode(s);
}

export function utf8Decode(b: Uint8Array): string {
  return (dec ??= new TextDecoder('utf-8', { fatal: false })).decode(b);
}

/** Number of UTF-8 bytes of a JS string (Go's len(s)). */
export function utf8Len(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Code points of s. */
export function runes(s: string): string[] {
  return Array.from(s);
}

/** Go's unicode.IsSpace. */
export function isSpace(cp: number): boolean {
  if (cp <= 0xff) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0;
  return cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000;
}

// ---- formatting values for messages ----

/** Formats a number like CUE prints it (floats keep a decimal point; big/small exponents use E notation like apd). */
export function formatNumber(d: Decimal | bigint, isFloat?: boolean): string {
  if (typeof d === 'bigint') return d.toString();
  if (!isFloat) return d.toString();
  return formatFloat(d);
}

/**
 * Formats a float the way CUE's apd-based printer does for normalized values:
 * plain notation with at least one fractional digit ("1.0", "2.5"), and E notation
 * ("1E+21", "1E-7") for very large or very small magnitudes.
 */
export function formatFloat(d: Decimal): string {
  if (!d.isFinite()) return d.toString();
  const e = d.e; // adjusted exponent
  if (e >= 21 || e < -6) {
    const s = d.toExponential(); // e.g. 1.5e+21
    return s.replace('e', 'E');
  }
  const s = d.toFixed();
  return d.isInteger() && !s.includes('.') ? s + '.0' : s;
}

/** Go strconv.Quote-like quoting used by CUE for strings in messages and JSON-like output. */
export function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (isPrintable(cp)) out += ch;
    else if (cp < 0x80) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}

/**
 * Approximates Go's strconv.IsPrint: letters, marks, numbers, punctuation,
 * symbols and the ASCII space.
 */
export function isPrintable(cp: number): boolean {
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp < 0x7f) return true;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return PRINT_RE.test(String.fromCodePoint(cp));
}
const PRINT_RE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Formats a concrete value compactly in CUE syntax (for error messages). */
export function formatValue(v: Arg): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return quoteString(v);
  if (typeof v === 'bigint') return v.toString();
  if (isDecimal(v)) return formatFloat(v);
  if (v instanceof Uint8Array) return "'" + quoteString(utf8Decode(v)).slice(1, -1).replace(/'/g, "\\'").replace(/\\"/g, '"') + "'";
  if (Array.isArray(v)) return '[' + v.map((e) => formatValue(e)).join(',') + ']';
  if (v instanceof Map) {
    const parts: string[] = [];
    for (const [k, e] of v) parts.push(`${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) && !k.startsWith('#') ? k : quoteString(k)}:${formatValue(e)}`);
    return '{' + parts.join(',') + '}';
  }
  return '_';
}

/** Structural equality of concrete values (ints and floats compare by value, as CUE's == does). */
export function equalValues(a: Arg, b: Arg): boolean {
  if (a === b) return true;
  if ((typeof a === 'bigint' || isDecimal(a)) && (typeof b === 'bigint' || isDecimal(b))) return num(a).eq(num(b));
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equalValues(x, b[i]!));
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, x] of a) {
      if (!b.has(k) || !equalValues(x, b.get(k)!)) return false;
    }
    return true;
  }
  return false;
}
