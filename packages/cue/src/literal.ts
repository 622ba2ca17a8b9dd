// Decoding of CUE number and string literals. The scanner has validated the
// syntax already; these helpers still reject malformed input with a CueError
// because they are also used on text that did not come from the scanner.

import { CueError } from './errors.js';

export type NumberLiteral = { kind: 'int'; value: bigint } | { kind: 'float'; value: string };

const multipliers: Record<string, bigint> = {
  K: 10n ** 3n,
  M: 10n ** 6n,
  G: 10n ** 9n,
  T: 10n ** 12n,
  P: 10n ** 15n,
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
};

function bad(raw: string): never {
  throw new CueError('syntax', `invalid number literal ${JSON.stringify(raw)}`);
}

/**
 * Decodes a number literal exactly. Integers (including hex/octal/binary and
 * multiplied literals such as `1.5Ki`, which truncate toward zero as the spec
 * says) become bigints; floats keep their exact decimal text, normalised so
 * that decimal libraries accept it (`.5` -> `0.5`, `1.` -> `1.0`).
 */
export function parseNumberLiteral(raw: string): NumberLiteral {
  const s = raw.replace(/_/g, '');
  if (s.length === 0) bad(raw);
  if (s.length > 2 && s[0] === '0') {
    const p = s[1];
    const digits = s.slice(2);
    const re = p === 'x' || p === 'X' ? /^[0-9a-fA-F]+$/ : p === 'o' ? /^[0-7]+$/ : p === 'b' ? /^[01]+$/ : null;
    if (re) {
      if (!re.test(digits)) bad(raw);
      return { kind: 'int', value: BigInt(`0${p.toLowerCase()}${digits}`) };
    }
  }
  const m = /^(\d*)(?:\.(\d*))?([KMGTP]i?)$/.exec(s);
  if (m) {
    const [, ip = '', fp = ''] = m;
    if (ip === '' && fp === '') bad(raw);
    const scale = 10n ** BigInt(fp.length);
    const mant = BigInt((ip || '0') + fp);
    // bigint division truncates toward zero, as the spec requires.
    return { kind: 'int', value: (mant * multipliers[m[3]!]!) / scale };
  }
  if (/^\d+$/.test(s)) return { kind: 'int', value: BigInt(s) };
  const f = /^(\d*)(?:\.(\d*))?(?:([eE])([+-]?\d+))?$/.exec(s);
  if (!f || (f[1] === '' && (f[2] ?? '') === '')) bad(raw);
  const [, ip = '', fp, e, exp] = f;
  let out = ip === '' ? '0' : ip;
  if (fp !== undefined) out += '.' + (fp === '' ? '0' : fp);
  if (e !== undefined) out += 'e' + exp;
  return { kind: 'float', value: out };
}

// ---------------------------------------------------------------- strings

export interface QuoteSpec {
  /** `"` or `'` */
  char: '"' | "'";
  numHash: number;
  multiline: boolean;
}

/** Reads the opening delimiter of a string literal (or of the first interpolation fragment). */
export function openingQuote(raw: string): { q: QuoteSpec; len: number } {
  let i = 0;
  while (raw.charCodeAt(i) === 35) i++;
  const c = raw[i];
  if (c !== '"' && c !== "'") throw new CueError('syntax', `invalid string literal ${JSON.stringify(raw)}`);
  const numHash = i;
  const triple = raw.startsWith(c.repeat(3), i);
  // `#"""#` is a one-quote single-line string, not a multi-line opener.
  const multiline = triple && !(numHash > 0 && raw.startsWith(c + '#'.repeat(numHash), i + 2) && raw.length === i + 3 + numHash);
  let len = i + (multiline ? 3 : 1);
  if (multiline) {
    if (raw[len] === '\r') len++;
    if (raw[len] === '\n') len++;
  }
  return { q: { char: c, numHash, multiline }, len };
}

function closingLen(q: QuoteSpec): number {
  return (q.multiline ? 3 : 1) + q.numHash;
}

/** Body of a string's final part without the closing delimiter and, for multi-line strings, the last newline and indentation. Also returns that indentation. */
function splitClosing(text: string, q: QuoteSpec): { body: string; ws: string } {
  const body = text.slice(0, text.length - closingLen(q));
  if (!q.multiline) return { body, ws: '' };
  const nl = body.lastIndexOf('\n');
  if (nl < 0) return { body, ws: '' };
  const ws = body.slice(nl + 1);
  let cut = nl;
  if (cut > 0 && body[cut - 1] === '\r') cut--;
  return { body: body.slice(0, cut), ws };
}

function utf8Bytes(cp: number, out: number[]): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

const simpleEscapes: Record<string, number> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '/': 47,
  '\\': 92,
  "'": 39,
  '"': 34,
};

/**
 * Decodes one string body (the text between delimiters or interpolations).
 * `atLineStart` tells whether the body starts at the beginning of a content
 * line of a multi-line string, where the indentation `ws` is removed.
 * Returns the decoded text (bytes: latin1) and whether it ends at a line start.
 */
export function decodeBody(body: string, q: QuoteSpec, ws: string, atLineStart: boolean): { value: string; atLineStart: boolean } {
  const isBytes = q.char === "'";
  const bytes: number[] = [];
  let str = '';
  let chunkStart = 0;
  const flush = (end: number): void => {
    if (end <= chunkStart) return;
    if (isBytes) {
      for (let k = chunkStart; k < end; ) {
        const cp = body.codePointAt(k)!;
        utf8Bytes(cp, bytes);
        k += cp > 0xffff ? 2 : 1;
      }
    } else str += body.slice(chunkStart, end);
  };
  const emitCode = (cp: number, rawByte: boolean): void => {
    if (isBytes) {
      if (rawByte) bytes.push(cp);
      else utf8Bytes(cp, bytes);
    } else str += cp <= 0xffff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
  };
  let i = 0;
  const n = body.length;
  while (i < n) {
    if (atLineStart && q.multiline) {
      atLineStart = false;
      if (body.startsWith(ws, i)) i += ws.length;
      else while (i < n && (body[i] === ' ' || body[i] === '\t')) i++; // tolerate short blank lines
      chunkStart = i;
      continue;
    }
    const c = body.charCodeAt(i);
    if (c === 13) {
      flush(i);
      i++;
      chunkStart = i;
      continue;
    }
    if (c === 10) {
      i++;
      if (q.multiline) {
        flush(i);
        chunkStart = i;
        atLineStart = true;
      }
      continue;
    }
    if (c !== 92) {
      i++;
      continue;
    }
    // A backslash only escapes when followed by the delimiter's hashes.
    let j = i + 1;
    let h = 0;
    while (h < q.numHash && body.charCodeAt(j) === 35) {
      h++;
      j++;
    }
    if (h < q.numHash || j >= n) {
      i = j;
      continue;
    }
    flush(i);
    const e = body[j]!;
    let next = j + 1;
    if (e in simpleEscapes) emitCode(simpleEscapes[e]!, false);
    else if (e === 'x' || (e >= '0' && e <= '7')) {
      const digits = e === 'x' ? body.slice(j + 1, j + 3) : body.slice(j, j + 3);
      emitCode(parseInt(digits, e === 'x' ? 16 : 8) & 255, true);
      next = e === 'x' ? j + 3 : j + 3;
    } else if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      const cp = parseInt(body.slice(j + 1, j + 1 + len), 16);
      if (!Number.isFinite(cp) || cp > 0x10ffff) throw new CueError('syntax', 'escape sequence is invalid Unicode code point');
      emitCode(cp, false);
      next = j + 1 + len;
    } else {
      throw new CueError('syntax', `unknown escape sequence \\${e}`);
    }
    i = next;
    chunkStart = i;
  }
  flush(n);
  if (isBytes) {
    let out = '';
    for (let k = 0; k < bytes.length; k += 8192) out += String.fromCharCode(...bytes.slice(k, k + 8192));
    return { value: out, atLineStart };
  }
  return { value: str, atLineStart };
}

/**
 * Decodes the fragments of a (possibly interpolated) string literal: the first
 * fragment starts with the opening quote and, if there are more, ends with
 * `\(`; middle fragments are `)…\(`; the last is `)…"`. For a plain literal
 * pass a single fragment.
 */
export function decodeFragments(frags: string[]): { q: QuoteSpec; values: string[] } {
  // Most literals are plain one-line "…" strings with nothing to decode: no
  // escape (backslash) and no carriage return (dropped). The general path
  // below makes ten objects and strings for each.
  if (frags.length === 1) {
    const raw = frags[0]!;
    const n = raw.length;
    if (n >= 3 && raw.charCodeAt(0) === 34 && raw.charCodeAt(1) !== 34 && raw.charCodeAt(n - 1) === 34) {
      let plain = true;
      for (let i = 1; i < n - 1; i++) {
        const c = raw.charCodeAt(i);
        if (c === 92 || c === 13) {
          plain = false;
          break;
        }
      }
      if (plain) return { q: { char: '"', numHash: 0, multiline: false }, values: [raw.slice(1, n - 1)] };
    }
  }
  const { q, len } = openingQuote(frags[0]!);
  const escLen = 2 + q.numHash; // `\` + hashes + `(`
  const last = frags.length - 1;
  const bodies: string[] = [];
  let ws = '';
  for (let k = 0; k <= last; k++) {
    let t = frags[k]!;
    t = k === 0 ? t.slice(len) : t.slice(1);
    if (k < last) t = t.slice(0, t.length - escLen);
    else {
      const sc = splitClosing(t, q);
      t = sc.body;
      ws = sc.ws;
    }
    bodies.push(t);
  }
  const values: string[] = [];
  let atLineStart = q.multiline;
  for (let i = 0; i < bodies.length; i++) {
    const b = bodies[i];
    const r = decodeBody(b, q, ws, atLineStart);
    values.push(r.value);
    atLineStart = r.atLineStart;
  }
  return { q, values };
}

/** Unquotes a complete string or bytes literal (bytes come back as latin1). */
export function unquote(raw: string): string {
  const { q, len } = openingQuote(raw);
  if (raw.length < len + closingLen(q) - (q.multiline ? 0 : 0)) throw new CueError('syntax', `invalid string literal ${JSON.stringify(raw)}`);
  return decodeFragments([raw]).values[0]!;
}

/** Quotes a string as a simple CUE double-quoted literal. */
export function quoteString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) out += '\\"';
    else if (c === 92) out += '\\\\';
    else if (c === 10) out += '\\n';
    else if (c === 9) out += '\\t';
    else if (c === 13) out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\u' + c.toString(16).padStart(4, '0');
    else if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
      if (pair) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else out += '\\u' + c.toString(16).padStart(4, '0');
    } else out += s[i];
  }
  return out + '"';
}

/** Quotes a latin1 byte string as a CUE single-quoted bytes literal. */
export function quoteBytes(s: string): string {
  let out = "'";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 39) out += "\\'";
    else if (c === 92) out += '\\\\';
    else if (c === 10) out += '\\n';
    else if (c === 9) out += '\\t';
    else if (c >= 0x20 && c < 0x7f) out += s[i];
    else out += '\\x' + (c & 255).toString(16).padStart(2, '0');
  }
  return out + "'";
}
