// Go's strconv.FormatFloat for float64/float32 values ('e', 'E', 'f', 'g', 'G'),
// with Go's exact rounding (round half to even on the exact binary value) and
// shortest round-trip digits for precision -1.

/** A decimal digit string: value = 0.d1d2... × 10^dp; no leading or trailing zeros; zero has d = ''. */
interface Digits {
  d: string;
  dp: number;
}

/** The exact decimal expansion of a finite double's magnitude. */
function exactDigits(x: number): Digits {
  x = Math.abs(x);
  if (x === 0) return { d: '', dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = bexp - 1075;
  }
  let digits: string;
  let dp: number;
  if (e >= 0) {
    digits = (mant << BigInt(e)).toString();
    dp = digits.length;
  } else {
    // mant / 2^-e = mant * 5^-e / 10^-e
    digits = (mant * 5n ** BigInt(-e)).toString();
    dp = digits.length + e;
  }
  return trim({ d: digits, dp });
}

function trim(x: Digits): Digits {
  let d = x.d;
  let dp = x.dp;
  let i = 0;
  while (i < d.length && d[i] === '0') i++;
  d = d.slice(i);
  dp -= i;
  d = d.replace(/0+$/, '');
  if (d === '') dp = 0;
  return { d, dp };
}

/** Go's decimal.Round(nd) on exact digits: half to even. */
function round(x: Digits, nd: number): Digits {
  if (nd < 0 || nd >= x.d.length) return x;
  const c = x.d[nd]!;
  let up: boolean;
  if (c === '5' && nd + 1 === x.d.length) up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = c >= '5';
  if (!up) return trim({ d: x.d.slice(0, nd), dp: x.dp });
  let i = nd - 1;
  for (; i >= 0; i--) {
    if (x.d[i]! < '9') {
      return { d: x.d.slice(0, i) + String.fromCharCode(x.d.charCodeAt(i) + 1), dp: x.dp };
    }
  }
  return { d: '1', dp: x.dp + 1 };
}

/** Shortest digits that round-trip (for float32, checked through Math.fround). */
function shortestDigits(x: number, bits: 32 | 64): Digits {
  x = Math.abs(x);
  if (x === 0) return { d: '', dp: 0 };
  let s = x.toExponential();
  if (bits === 32) {
    for (let p = 1; p <= 9; p++) {
      const t = x.toExponential(p - 1);
      if (Math.fround(Number(t)) === x) {
        s = t;
        break;
      }
    }
  }
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s)!;
  return trim({ d: m[1]! + (m[2] ?? ''), dp: Number(m[3]) + 1 });
}

function digitAt(x: Digits, i: number): string {
  return i >= 0 && i < x.d.length ? x.d[i]! : '0';
}

function fmtE(neg: boolean, x: Digits, prec: number, ch: string): string {
  let s = neg ? '-' : '';
  s += x.d.length === 0 ? '0' : x.d[0];
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += digitAt(x, i);
  }
  let exp = x.d.length === 0 ? 0 : x.dp - 1;
  s += ch;
  if (exp < 0) {
    s += '-';
    exp = -exp;
  } else s += '+';
  return s + (exp < 10 ? '0' : '') + String(exp);
}

function fmtF(neg: boolean, x: Digits, prec: number): string {
  let s = neg ? '-' : '';
  if (x.dp > 0) {
    for (let i = 0; i < x.dp; i++) s += digitAt(x, i);
  } else s += '0';
  if (prec > 0) {
    s += '.';
    for (let i = 0; i < prec; i++) s += digitAt(x, x.dp + i);
  }
  return s;
}

/** Go's 'b' format: decimal mantissa and binary exponent, e.g. 4503599627370496p-52. */
function fmtB(neg: boolean, x: number, bitSize: 32 | 64): string {
  let mant: bigint;
  let exp: number;
  if (bitSize === 32) {
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, x);
    const bits = view.getUint32(0);
    const bexp = (bits >>> 23) & 0xff;
    mant = BigInt(bits & 0x7fffff);
    if (bexp === 0) exp = 1 - 127 - 23;
    else {
      mant |= 1n << 23n;
      exp = bexp - 127 - 23;
    }
  } else {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const hi = view.getUint32(0);
    const bexp = (hi >>> 20) & 0x7ff;
    mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
    if (bexp === 0) exp = 1 - 1023 - 52;
    else {
      mant |= 1n << 52n;
      exp = bexp - 1023 - 52;
    }
  }
  return (neg ? '-' : '') + mant.toString() + 'p' + (exp >= 0 ? '+' : '') + String(exp);
}

/** strconv.FormatFloat(x, fmt, prec, bitSize) for fmt in b, e, E, f, g, G. Returns undefined for other formats. */
export function formatFloatGo(x: number, fmt: string, prec: number, bitSize: 32 | 64): string | undefined {
  if (bitSize === 32) x = Math.fround(x);
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  if (fmt === 'b') return fmtB(neg, x, bitSize);
  if (!'eEfgG'.includes(fmt) || fmt.length !== 1) return undefined;
  const shortest = prec < 0;
  let digs: Digits;
  if (shortest) {
    digs = shortestDigits(x, bitSize);
    switch (fmt) {
      case 'e':
      case 'E':
        prec = Math.max(digs.d.length - 1, 0);
        break;
      case 'f':
        prec = Math.max(digs.d.length - digs.dp, 0);
        break;
      default:
        prec = digs.d.length;
    }
  } else {
    digs = exactDigits(x);
    switch (fmt) {
      case 'e':
      case 'E':
        digs = round(digs, prec + 1);
        break;
      case 'f':
        digs = round(digs, digs.dp + prec);
        break;
      default:
        if (prec === 0) prec = 1;
        digs = round(digs, prec);
    }
  }
  switch (fmt) {
    case 'e':
    case 'E':
      return fmtE(neg, digs, prec, fmt);
    case 'f':
      return fmtF(neg, digs, prec);
  }
  // 'g' / 'G'
  const nd = digs.d.length;
  let eprec = prec;
  if (eprec > nd && nd >= digs.dp) eprec = nd;
  if (shortest) eprec = 6;
  const exp = digs.dp - 1;
  if (nd === 0 ? false : exp < -4 || exp >= eprec) {
    if (prec > nd) prec = nd;
    return fmtE(neg, digs, prec - 1, fmt === 'g' ? 'e' : 'E');
  }
  if (prec > digs.dp) prec = nd;
  return fmtF(neg, digs, Math.max(prec - digs.dp, 0));
}
