// Exact numbers: ints are unbounded bigints, floats are decimals with the
// 34-digit precision Go's apd context uses (so `2.0/3.0` prints the same
// 0.6666666666666666666666666666666667 as the Go evaluator).
import { Decimal } from 'decimal.js';
import { type NumberLiteral, parseNumberLiteral } from '../literal.js';

export const Dec = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_EVEN, toExpPos: 1000, toExpNeg: -1000 });

export type ParsedNumber = { kind: 'int'; int: bigint } | { kind: 'float'; float: Decimal };

/**
 * A number literal's exact value; undefined for malformed input. The literal
 * is decoded by the same function the parser's users get (literal.ts: digits,
 * bases, `_`, multipliers truncating toward zero), so the two cannot differ.
 */
export function parseNumber(raw: string): ParsedNumber | undefined {
  let lit: NumberLiteral;
  try {
    lit = parseNumberLiteral(raw);
  } catch {
    return undefined;
  }
  return lit.kind === 'int' ? { kind: 'int', int: lit.value } : { kind: 'float', float: new Dec(lit.value) };
}

/** Formats a float the way CUE prints it: always with a decimal point or exponent. */
export function formatFloat(d: Decimal): string {
  if (d.isZero()) return d.isNeg() ? '-0.0' : '0.0';
  const e = d.e; // exponent of the most significant digit
  if (e >= 21 || e < -6) {
    // Go's apd prints large values as 5.0E+11 style when they came from a
    // division; we print a normalised exponent form.
    let s = d.toExponential();
    const [mant, exp] = s.split('e');
    s = mant + 'e' + (exp!.startsWith('-') ? exp : '+' + exp!.replace('+', ''));
    return s;
  }
  const s = d.toFixed();
  return s.includes('.') ? s : s + '.0';
}

export function decFromBig(i: bigint): Decimal {
  return new Dec(i.toString());
}

export function isIntegral(d: Decimal): boolean {
  return d.isInteger();
}

export function bigFromDec(d: Decimal): bigint {
  return BigInt(d.trunc().toFixed(0));
}

/**
 * Formats a float literal as Go's apd does (General Decimal Arithmetic
 * to-scientific-string): the literal's digits and exponent are kept.
 */
export function apdString(raw: string): string | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(raw.replace(/_/g, ''));
  if (!m) return undefined;
  const sign = m[1] === '-' ? '-' : '';
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  let exp = Number(m[4] ?? '0') - frac.length;
  let coef = (int + frac).replace(/^0+(?=\d)/, '');
  if (coef === '') coef = '0';
  const adjusted = exp + coef.length - 1;
  if (exp <= 0 && adjusted >= -6) {
    if (exp === 0) return sign + coef;
    const digits = -exp;
    const padded = coef.padStart(digits + 1, '0');
    return `${sign}${padded.slice(0, padded.length - digits)}.${padded.slice(padded.length - digits)}`;
  }
  void exp;
  exp = adjusted;
  return `${sign}${coef[0]}${coef.length > 1 ? '.' + coef.slice(1) : ''}E${exp >= 0 ? '+' : '-'}${Math.abs(exp)}`;
}

/** `quo`/`rem` truncate towards zero; `div`/`mod` are Euclidean (0 <= mod < |y|). y must not be 0. */
export function integerDivision(op: 'div' | 'mod' | 'quo' | 'rem', x: bigint, y: bigint): bigint {
  if (op === 'quo') return x / y;
  if (op === 'rem') return x % y;
  let m = x % y;
  if (m < 0n) m += y < 0n ? -y : y;
  return op === 'mod' ? m : (x - m) / y;
}
