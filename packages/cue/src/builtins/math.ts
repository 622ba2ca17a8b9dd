// Package math: CUE's math package. Rounding, Abs, Pow, Exp, Log* and friends
// are decimal (apd in Go, 34 significant digits); the trigonometric and other
// float64 functions use IEEE doubles like Go's math package.
import { Decimal } from 'decimal.js';
import { type Arg, type BuiltinPackage, type Concrete } from './types.js';
import { Dec34, bigint, fail, float64, floatResult, fn, int, num, numResult } from './common.js';

const isInt = (a: Arg | undefined) => typeof a === 'bigint';

function toInt(d: Decimal): bigint {
  return BigInt(d.toFixed(0));
}

/** Rounds to an integer with the given decimal.js rounding mode. */
function roundWith(a: Arg | undefined, mode: Decimal.Rounding): bigint {
  if (typeof a === 'bigint') return a;
  return toInt(num(a).toDecimalPlaces(0, mode));
}

/** apd-style checks on inexact results: NaN and infinities are errors in CUE. */
function checked(d: Decimal): Decimal {
  if (d.isNaN()) fail('invalid operation');
  if (!d.isFinite()) fail('value out of range');
  return d;
}

// On first use: computing it at module load cost every opm run milliseconds.
let ln2: Decimal | undefined;
const LN2_34 = () => (ln2 ??= new Dec34(2).ln());

function jacobi(x: bigint, y: bigint): bigint {
  if (y % 2n === 0n) fail(`big: invalid 2nd argument to Int.Jacobi: need odd integer but got ${y}`);
  // Algorithm from Go's math/big Jacobi (handles negative y like Go).
  let a = x;
  let b = y;
  let j = 1n;
  if (b < 0n) {
    if (a < 0n) j = -1n;
    b = -b;
  }
  a = ((a % b) + b) % b;
  for (;;) {
    if (b === 1n) return j;
    if (a === 0n) return 0n;
    a %= b;
    if (a === 0n) return 0n;
    let s = 0n;
    while ((a & 1n) === 0n) {
      a >>= 1n;
      s++;
    }
    if ((s & 1n) === 1n) {
      const bmod8 = b & 7n;
      if (bmod8 === 3n || bmod8 === 5n) j = -j;
    }
    if ((b & 3n) === 3n && (a & 3n) === 3n) j = -j;
    [a, b] = [b, a];
  }
}

/** Go's math.Ilogb for finite non-zero x: the unbiased binary exponent. */
function ilogb(x: number): number {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(x));
  const hi = buf.getUint32(0);
  const exp = (hi >>> 20) & 0x7ff;
  if (exp !== 0) return exp - 1023;
  // Subnormal: normalise.
  let e = -1022;
  let m = Math.abs(x) * 2 ** 52;
  while (m < 2 ** 52) {
    m *= 2;
    e--;
  }
  return e;
}

/** IEEE 754 remainder (Go's math.Remainder) for finite x and non-zero finite y. */
function remainder(x: number, y: number): number {
  const ay = Math.abs(y);
  let r = x % ay; // exact fmod
  const ar = Math.abs(r);
  const q = Math.trunc((x - r) / ay);
  if (ar * 2 > ay || (ar * 2 === ay && Math.abs(q) % 2 === 1)) r -= Math.sign(r) * ay;
  return r === 0 ? Math.sign(x) * 0 : r;
}

const f1 = (f: (x: number) => number) => fn(['number'], ([x]) => floatResult(f(float64(x))));
const f2 = (f: (x: number, y: number) => number) => fn(['number', 'number'], ([x, y]) => floatResult(f(float64(x), float64(y))));

export const mathPackage: BuiltinPackage = {
  path: 'math',
  funcs: {
    Jacobi: fn(['int', 'int'], ([x, y]) => jacobi(bigint(x), bigint(y))),
    Floor: fn(['number'], ([x]) => roundWith(x, Decimal.ROUND_FLOOR)),
    Ceil: fn(['number'], ([x]) => roundWith(x, Decimal.ROUND_CEIL)),
    Trunc: fn(['number'], ([x]) => roundWith(x, Decimal.ROUND_DOWN)),
    Round: fn(['number'], ([x]) => roundWith(x, Decimal.ROUND_HALF_UP)),
    RoundToEven: fn(['number'], ([x]) => roundWith(x, Decimal.ROUND_HALF_EVEN)),
    MultipleOf: fn(
      ['number', 'number'],
      ([x, y]) => {
        const d = num(y);
        if (d.isZero()) fail('division by zero');
        return num(x).mod(d).isZero();
      },
      { validator: true },
    ),
    Abs: fn(['number'], ([x]) => (typeof x === 'bigint' ? (x < 0n ? -x : x) : new Decimal(num(x).abs()))),
    Cbrt: fn(['number'], ([x]) => numResult(checked(num(x).cbrt()), false)),
    Copysign: fn(['number', 'number'], ([x, y]) => {
      const m = num(x).abs();
      const r = num(y).isNegative() ? m.neg() : m;
      return isInt(x) ? toInt(r) : new Decimal(r);
    }),
    Dim: fn(['number', 'number'], ([x, y]) => {
      const d = num(x).minus(num(y));
      if (d.isNegative()) return 0n;
      return numResult(d, isInt(x) && isInt(y));
    }),
    Exp: fn(['number'], ([x]) => numResult(checked(num(x).exp()), false)),
    Exp2: fn(['number'], ([x]) => numResult(checked(new Dec34(2).pow(num(x))), isInt(x) && bigint(x) >= 0n)),
    Log: fn(['number'], ([x]) => {
      const d = num(x);
      if (d.lte(0)) fail(d.isZero() ? 'value out of range' : 'invalid operation');
      return new Decimal(d.ln());
    }),
    Log10: fn(['number'], ([x]) => {
      const d = num(x);
      if (d.lte(0)) fail(d.isZero() ? 'value out of range' : 'invalid operation');
      return numResult(d.log(10), false);
    }),
    Log2: fn(['number'], ([x]) => {
      const d = num(x);
      if (d.lte(0)) fail(d.isZero() ? 'value out of range' : 'invalid operation');
      // As apd does: ln(x) and ln(2) each at 34 digits, then divided.
      return new Decimal(d.ln().div(LN2_34()));
    }),
    Pow: fn(['number', 'number'], ([x, y]) => {
      const b = num(x);
      const e = num(y);
      if (b.isZero() && e.isNegative()) fail('division by zero');
      if (b.isNegative() && !e.isInteger()) fail('invalid operation');
      return numResult(checked(b.pow(e)), isInt(x) && isInt(y) && !e.isNegative());
    }),
    Pow10: fn(['int'], ([n]) => {
      const k = int(n);
      // Like apd's exponent limit: a bigger power would take seconds and hundreds of MB to spell out.
      if (Math.abs(k) > 100000) fail('value out of range');
      if (k >= 0) return 10n ** BigInt(k);
      return new Decimal(`1e${k}`);
    }),
    Signbit: fn(['number'], ([x]) => num(x).isNegative(), { validator: true }),
    // float64-based functions (Go's math on IEEE doubles).
    Acosh: f1(Math.acosh),
    Asin: f1(Math.asin),
    Acos: f1(Math.acos),
    Asinh: f1(Math.asinh),
    Atan: f1(Math.atan),
    Atan2: f2(Math.atan2),
    Atanh: f1(Math.atanh),
    Expm1: f1(Math.expm1),
    Hypot: f2(Math.hypot),
    Ldexp: fn(['number', 'int'], ([f, e]) => {
      let x = float64(f);
      // Beyond ±2200 any finite non-zero float64 has overflowed or underflowed
      // already: clamping keeps a huge exponent from looping for ages.
      let k = Math.max(-2200, Math.min(2200, int(e)));
      // Scale in steps so intermediate powers of two stay finite.
      while (k > 1000) {
        x *= 2 ** 1000;
        k -= 1000;
      }
      while (k < -1000) {
        x *= 2 ** -1000;
        k += 1000;
      }
      return floatResult(x * 2 ** k);
    }),
    Log1p: f1(Math.log1p),
    Logb: f1((x) => (x === 0 ? -Infinity : ilogb(x))),
    Ilogb: fn(['number'], ([x]) => {
      const v = float64(x);
      if (v === 0) return BigInt(-2147483648);
      return BigInt(ilogb(v));
    }),
    Mod: f2((x, y) => x % y),
    Remainder: f2((x, y) => (y === 0 ? NaN : remainder(x, y))),
    Cos: f1(Math.cos),
    Sin: f1(Math.sin),
    Sinh: f1(Math.sinh),
    Cosh: f1(Math.cosh),
    Sqrt: f1(Math.sqrt),
    Tan: f1(Math.tan),
    Tanh: f1(Math.tanh),
  },
  consts: {
    MaxExp: 2147483647n,
    MinExp: -2147483648n,
    MaxPrec: 4294967295n,
    ToNearestEven: 0n,
    ToNearestAway: 1n,
    ToZero: 2n,
    AwayFromZero: 3n,
    ToNegativeInf: 4n,
    ToPositiveInf: 5n,
    Below: -1n,
    Exact: 0n,
    Above: 1n,
    MaxBase: 62n,
    E: new Decimal('2.71828182845904523536028747135266249775724709369995957496696763'),
    Pi: new Decimal('3.14159265358979323846264338327950288419716939937510582097494459'),
    Phi: new Decimal('1.61803398874989484820458683436563811772030917980576286213544861'),
    Sqrt2: new Decimal('1.41421356237309504880168872420969807856967187537694807317667974'),
    SqrtE: new Decimal('1.64872127070012814684865078781416357165377610071014801157507931'),
    SqrtPi: new Decimal('1.77245385090551602729816748334114518279754945612238712821380779'),
    SqrtPhi: new Decimal('1.27201964951406896425242246173749149171560804184009624861664038'),
    Ln2: new Decimal('0.693147180559945309417232121458176568075500134360255254120680009'),
    Log2E: new Decimal('1.442695040888963407359924681001892137426645954152985934135449408'),
    Ln10: new Decimal('2.3025850929940456840179914546843642076011014886287729760333278'),
    Log10E: new Decimal('0.43429448190325182765112891891660508229439700580366656611445378'),
  } satisfies Record<string, Concrete>,
};
