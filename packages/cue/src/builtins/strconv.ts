// Package strconv: Go's strconv semantics (syntax rules, error messages,
// float formatting) over CUE values.
import { Decimal } from 'decimal.js';
import { type BuiltinPackage } from './types.js';
import { bigint, bool, fail, float64, floatResult, fn, int, isPrintable, str, utf8Decode, utf8Encode } from './common.js';
import { formatFloatGo } from './gofmt.js';

// ---- integers ----

function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

class NumError extends Error {}

function numErr(fnName: string, s: string, msg: string): never {
  fail(`strconv.${fnName}: parsing ${goQuote(s)}: ${msg}`);
}

/** Go's ParseUint core: returns the magnitude, or throws NumError('invalid syntax' | 'value out of range' | other). */
function parseUintCore(fnName: string, s0: string, base: number, bitSize: number): bigint {
  if (s0 === '') numErr(fnName, s0, 'invalid syntax');
  const base0 = base === 0;
  let s = s0;
  if (base >= 2 && base <= 36) {
    // ok
  } else if (base === 0) {
    base = 10;
    if (s[0] === '0') {
      if (s.length >= 3 && (s[1] === 'b' || s[1] === 'B')) {
        base = 2;
        s = s.slice(2);
      } else if (s.length >= 3 && (s[1] === 'o' || s[1] === 'O')) {
        base = 8;
        s = s.slice(2);
      } else if (s.length >= 3 && (s[1] === 'x' || s[1] === 'X')) {
        base = 16;
        s = s.slice(2);
      } else {
        base = 8;
        s = s.slice(1);
      }
    }
  } else {
    numErr(fnName, s0, `invalid base ${base}`);
  }
  if (bitSize === 0) bitSize = 64;
  else if (bitSize < 0 || bitSize > 64) numErr(fnName, s0, `invalid bit size ${bitSize}`);
  const max = (1n << BigInt(bitSize)) - 1n;
  let n = 0n;
  let underscores = false;
  const B = BigInt(base);
  for (const c of s) {
    if (c === '_' && base0) {
      underscores = true;
      continue;
    }
    let d: number;
    if (c >= '0' && c <= '9') d = c.charCodeAt(0) - 48;
    else if (/[a-z]/i.test(c)) d = c.toLowerCase().charCodeAt(0) - 97 + 10;
    else numErr(fnName, s0, 'invalid syntax');
    if (d >= base) numErr(fnName, s0, 'invalid syntax');
    n = n * B + BigInt(d);
    if (n > max) throw new NumError('value out of range');
  }
  if (underscores && !underscoreOK(s0)) numErr(fnName, s0, 'invalid syntax');
  return n;
}

function parseUint(s: string, base: number, bitSize: number): bigint {
  try {
    return parseUintCore('ParseUint', s, base, bitSize);
  } catch (e) {
    if (e instanceof NumError) numErr('ParseUint', s, e.message);
    throw e;
  }
}

function parseInt(fnName: string, s0: string, base: number, bitSize: number): bigint {
  if (s0 === '') numErr(fnName, s0, 'invalid syntax');
  let s = s0;
  let neg = false;
  if (s[0] === '+') s = s.slice(1);
  else if (s[0] === '-') {
    neg = true;
    s = s.slice(1);
  }
  if (bitSize === 0) bitSize = 64;
  let un: bigint;
  try {
    un = parseUintCore(fnName, s, base, bitSize);
  } catch (e) {
    if (e instanceof NumError) numErr(fnName, s0, e.message);
    // Re-word errors to quote the original input, as Go does.
    const m = /: (invalid syntax|invalid base \d+|invalid bit size -?\d+)$/.exec((e as Error).message);
    if (m) numErr(fnName, s0, m[1]!);
    throw e;
  }
  const cutoff = 1n << BigInt(bitSize - 1);
  if (!neg && un >= cutoff) numErr(fnName, s0, 'value out of range');
  if (neg && un > cutoff) numErr(fnName, s0, 'value out of range');
  return neg ? -un : un;
}

// ---- floats ----

const DEC_FLOAT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]((?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?(?:\.(?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?)?)[pP]([+-]?\d+)$/;

function parseFloat(s: string, bitSize: number): Decimal {
  const err = (msg: string): never => numErr('ParseFloat', s, msg);
  let x: number;
  const lower = s.toLowerCase();
  if (/^[+-]?(inf|infinity|nan)$/.test(lower)) return err('value out of range'); // not representable in CUE
  if (DEC_FLOAT.test(s) && !s.includes('_')) {
    x = Number(s);
  } else {
    const m = HEX_FLOAT.exec(s);
    if (!m || !underscoreOK(s)) return err('invalid syntax');
    const body = m[2]!.replace(/_/g, '');
    if (body === '' || body === '.') return err('invalid syntax');
    const [ip, fp = ''] = body.split('.');
    const mant = BigInt('0x' + ((ip ?? '') + fp || '0'));
    const exp = Number(m[3]) - 4 * fp.length;
    x = Number(mant) * 2 ** exp; // adequate for typical mantissas
    if (m[1] === '-') x = -x;
  }
  if (bitSize === 32) x = Math.fround(x);
  if (!Number.isFinite(x)) return err('value out of range');
  return floatResult(x);
}

// ---- CUE number literals (ParseNumber) ----

const MULT: Record<string, bigint> = {
  K: 10n ** 3n, M: 10n ** 6n, G: 10n ** 9n, T: 10n ** 12n, P: 10n ** 15n,
  Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n,
};

function parseNumber(s0: string): bigint | Decimal {
  const s = s0.trim();
  const bad = (): never => fail(`invalid number ${goQuote(s0)}`);
  let neg = false;
  let t = s;
  if (t[0] === '-' || t[0] === '+') {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  if (t === '') bad();
  const m = /^(.*?)(Ki|Mi|Gi|Ti|Pi|K|M|G|T|P)$/.exec(t);
  if (m && /^[0-9._]+$/.test(m[1]!) && m[1] !== '') {
    const body = m[1]!;
    if (!underscoreOK(body)) bad();
    const d = new Decimal(body.replace(/_/g, '')).times(MULT[m[2]!]!.toString());
    if (!d.isInteger()) bad();
    const r = BigInt(d.toFixed(0));
    return neg ? -r : r;
  }
  if (!underscoreOK(t)) bad();
  const clean = t.replace(/_/g, '');
  let r: bigint | Decimal;
  if (/^0[xX][0-9a-fA-F]+$/.test(clean) || /^0[bB][01]+$/.test(clean)) r = BigInt(clean);
  else if (/^0[oO][0-7]+$/.test(clean)) r = BigInt('0o' + clean.slice(2));
  else if (/^(0|[1-9]\d*)$/.test(clean)) r = BigInt(clean);
  else if (/^(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/.test(clean)) r = new Decimal(clean);
  else return bad();
  if (typeof r === 'bigint') return neg ? -r : r;
  return neg ? r.neg() : r;
}

// ---- quoting ----

const SIMPLE_ESC: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/** Go's IsGraphic: IsPrint plus the Unicode space separators (Zs). */
function isGraphic(cp: number): boolean {
  return isPrintable(cp) || /^\p{Zs}$/u.test(String.fromCodePoint(cp));
}

function appendQuoted(s: string, q: string, mode: 'print' | 'ascii' | 'graphic'): string {
  let out = q;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === q || ch === '\\') {
      out += '\\' + ch;
      continue;
    }
    if (mode === 'ascii') {
      if (cp < 0x80 && isPrintable(cp)) {
        out += ch;
        continue;
      }
    } else if (mode === 'graphic' ? isGraphic(cp) : isPrintable(cp)) {
      out += ch;
      continue;
    }
    const esc = SIMPLE_ESC[ch];
    if (esc) out += esc;
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + q;
}

export function goQuote(s: string): string {
  return appendQuoted(s, '"', 'print');
}

function quoteRune(r: bigint, mode: 'print' | 'ascii' | 'graphic'): string {
  let cp = Number(r);
  if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  return appendQuoted(String.fromCodePoint(cp), "'", mode);
}

/** Go's strconv.Unquote. */
function unquote(s: string): string {
  const bad = (): never => fail('invalid syntax');
  const n = s.length;
  if (n < 2) bad();
  const q = s[0]!;
  if (q !== s[n - 1]) bad();
  const body = s.slice(1, n - 1);
  if (q === '`') {
    if (body.includes('`')) bad();
    return body.replace(/\r/g, '');
  }
  if (q !== '"' && q !== "'") bad();
  if (body.includes('\n')) bad();
  const out: number[] = [];
  const push = (str: string) => out.push(...utf8Encode(str));
  let i = 0;
  let runes = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === q) bad();
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      push(ch);
      i += ch.length;
      runes++;
      continue;
    }
    const e = body[i + 1];
    i += 2;
    runes++;
    switch (e) {
      case 'a': out.push(7); break;
      case 'b': out.push(8); break;
      case 'f': out.push(12); break;
      case 'n': out.push(10); break;
      case 'r': out.push(13); break;
      case 't': out.push(9); break;
      case 'v': out.push(11); break;
      case '\\': out.push(92); break;
      case "'":
      case '"':
        if (e !== q) bad();
        out.push(e.charCodeAt(0));
        break;
      case 'x': {
        const h = body.slice(i, i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) bad();
        const v = parseInt16(h);
        if (q === "'") push(String.fromCodePoint(v));
        else out.push(v);
        i += 2;
        break;
      }
      case 'u':
      case 'U': {
        const len = e === 'u' ? 4 : 8;
        const h = body.slice(i, i + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) bad();
        const v = parseInt16(h);
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) bad();
        push(String.fromCodePoint(v));
        i += len;
        break;
      }
      default: {
        if (e !== undefined && e >= '0' && e <= '7') {
          const o = body.slice(i - 1, i + 2);
          if (!/^[0-7]{3}$/.test(o)) bad();
          const v = Number.parseInt(o, 8);
          if (v > 255) bad();
          if (q === "'") push(String.fromCodePoint(v));
          else out.push(v);
          i += 2;
          break;
        }
        bad();
      }
    }
  }
  if (q === "'" && runes !== 1) bad();
  const bytes = new Uint8Array(out);
  const res = utf8Decode(bytes);
  // CUE strings must be valid UTF-8.
  if (res.includes('\ufffd') && !body.includes('\ufffd') && !/\\u[fF]{3}[dD]|\\U0000[fF]{3}[dD]/.test(body)) fail('invalid UTF-8');
  return res;
}

function parseInt16(h: string): number {
  return Number.parseInt(h, 16);
}

function parseBool(s: string): boolean {
  switch (s) {
    case '1': case 't': case 'T': case 'true': case 'TRUE': case 'True':
      return true;
    case '0': case 'f': case 'F': case 'false': case 'FALSE': case 'False':
      return false;
  }
  return fail(`strconv.ParseBool: parsing ${goQuote(s)}: invalid syntax`);
}

function fmtChar(a: unknown): string {
  if (typeof a === 'string') return a;
  if (typeof a === 'bigint') {
    // The format is a Go byte; CUE reports out-of-range values like this.
    if (a < 0n) fail(`cannot use ${a} (type int) as byte in argument 1 to strconv.FormatFloat`);
    if (a > 255n) fail(`int ${a} overflows byte in argument 1 in call to strconv.FormatFloat`);
    return String.fromCharCode(Number(a));
  }
  if (a instanceof Uint8Array && a.length === 1) return String.fromCharCode(a[0]!);
  return fail('invalid format');
}

function bitSizeOf(a: unknown): 32 | 64 {
  const b = int(a as bigint);
  return b === 32 ? 32 : 64;
}

function checkBase(b: number): number {
  if (b < 2 || b > 36) fail(`strconv: illegal AppendInt/FormatInt base`);
  return b;
}

const MAX_I64 = (1n << 63n) - 1n;
const MIN_I64 = -(1n << 63n);
const MAX_U64 = (1n << 64n) - 1n;

export const strconvPackage: BuiltinPackage = {
  path: 'strconv',
  funcs: {
    Unquote: fn(['string'], ([s]) => unquote(str(s))),
    ParseBool: fn(['string'], ([s]) => parseBool(str(s)), { validator: true }),
    FormatBool: fn(['bool'], ([b]) => (bool(b) ? 'true' : 'false')),
    ParseFloat: fn(['string', 'int'], ([s, b]) => parseFloat(str(s), int(b))),
    ParseNumber: fn(['string'], ([s]) => parseNumber(str(s))),
    ParseUint: fn(['string', 'int', 'int'], ([s, b, n]) => parseUint(str(s), int(b), int(n))),
    ParseInt: fn(['string', 'int', 'int'], ([s, b, n]) => parseInt('ParseInt', str(s), int(b), int(n))),
    Atoi: fn(['string'], ([s]) => parseInt('Atoi', str(s), 10, 64)),
    FormatFloat: fn(['number', 'any', 'int', 'int'], ([f, c, p, b]) => {
      const verb = fmtChar(c);
      const r = formatFloatGo(float64(f), verb, int(p), bitSizeOf(b));
      if (r !== undefined) return r;
      // Hexadecimal mantissas are not implemented; other verbs format as "%" + verb, as in Go.
      if (verb === 'x' || verb === 'X') fail(`FormatFloat: format '${verb}' is not supported yet`);
      return '%' + verb;
    }),
    FormatUint: fn(['int', 'int'], ([i, b]) => {
      const v = bigint(i);
      if (v < 0n || v > MAX_U64) fail(`cannot use ${v} (type int) as uint64: value out of range`);
      return v.toString(checkBase(int(b)));
    }),
    FormatInt: fn(['int', 'int'], ([i, b]) => {
      const v = bigint(i);
      if (v < MIN_I64 || v > MAX_I64) fail(`cannot use ${v} (type int) as int64: value out of range`);
      return v.toString(checkBase(int(b)));
    }),
    Quote: fn(['string'], ([s]) => appendQuoted(str(s), '"', 'print')),
    QuoteToASCII: fn(['string'], ([s]) => appendQuoted(str(s), '"', 'ascii')),
    QuoteToGraphic: fn(['string'], ([s]) => appendQuoted(str(s), '"', 'graphic')),
    QuoteRune: fn(['int'], ([r]) => quoteRune(bigint(r), 'print')),
    QuoteRuneToASCII: fn(['int'], ([r]) => quoteRune(bigint(r), 'ascii')),
    QuoteRuneToGraphic: fn(['int'], ([r]) => quoteRune(bigint(r), 'graphic')),
    IsPrint: fn(['int'], ([r]) => {
      const v = bigint(r);
      return v >= 0n && v <= 0x10ffffn && isPrintable(Number(v));
    }, { validator: true }),
    IsGraphic: fn(['int'], ([r]) => {
      const v = bigint(r);
      return v >= 0n && v <= 0x10ffffn && isGraphic(Number(v));
    }, { validator: true }),
  },
  consts: { IntSize: 64n },
};
