// Packages encoding/base64 and encoding/hex (Go's standard encodings and messages).
import { type Arg, type BuiltinPackage } from './types.js';
import { bytes, fail, fn, formatValue, int, kindOf, str } from './common.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

export function base64Encode(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i]! << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    out += i + 1 < b.length ? B64[(n >> 6) & 63]! : '=';
    out += i + 2 < b.length ? B64[n & 63]! : '=';
  }
  return out;
}

/** Go's base64.StdEncoding.DecodeString: padding required; \r and \n are ignored. */
export function base64Decode(s: string): Uint8Array {
  const out: number[] = [];
  const chars: { c: string; pos: number }[] = [];
  for (let i = 0; i < s.length; i++) if (s[i] !== '\n' && s[i] !== '\r') chars.push({ c: s[i]!, pos: i });
  const bad = (pos: number): never => fail(`illegal base64 data at input byte ${pos}`);
  for (let i = 0; i < chars.length; i += 4) {
    const quad = chars.slice(i, i + 4);
    const vals: number[] = [];
    let padAt = -1;
    for (let j = 0; j < quad.length; j++) {
      const { c, pos } = quad[j]!;
      if (c === '=') {
        if (j < 2) bad(pos);
        padAt = j;
        // Only "==" or "=" at the very end is allowed.
        if (j === 2 && quad[3]?.c !== '=') bad(quad[3]?.pos ?? pos);
        if (i + 4 < chars.length) bad(chars[i + 4]!.pos);
        break;
      }
      const v = B64_INDEX.get(c);
      if (v === undefined) bad(pos);
      vals.push(v!);
    }
    // An incomplete final quantum is reported at its start, as Go does.
    if (padAt < 0 && quad.length < 4) bad(quad[0]!.pos);
    const n = (vals[0]! << 18) | ((vals[1] ?? 0) << 12) | ((vals[2] ?? 0) << 6) | (vals[3] ?? 0);
    out.push((n >> 16) & 255);
    if (vals.length > 2) out.push((n >> 8) & 255);
    if (vals.length > 3) out.push(n & 255);
  }
  return new Uint8Array(out);
}

function checkEncoding(e: Arg | undefined): void {
  // CUE only supports the standard encoding, selected with null.
  if (e !== null && e !== undefined) fail(`base64: unsupported encoding: cannot use value ${formatValue(e)} (type ${kindOf(e)}) as null`);
}

export const base64Package: BuiltinPackage = {
  path: 'encoding/base64',
  funcs: {
    EncodedLen: fn(['any', 'int'], ([e, n]) => {
      checkEncoding(e);
      return BigInt(Math.floor((int(n) + 2) / 3) * 4);
    }),
    DecodedLen: fn(['any', 'int'], ([e, x]) => {
      checkEncoding(e);
      return BigInt(Math.floor(int(x) / 4) * 3);
    }),
    Encode: fn(['any', 'stringOrBytes'], ([e, src]) => {
      checkEncoding(e);
      return base64Encode(bytes(src));
    }),
    Decode: fn(['any', 'string'], ([e, s]) => {
      checkEncoding(e);
      return base64Decode(str(s));
    }),
  },
};

const HEX = '0123456789abcdef';

export function hexEncode(b: Uint8Array): string {
  let out = '';
  for (const x of b) out += HEX[x >> 4]! + HEX[x & 15]!;
  return out;
}

function hexDecode(s: string): Uint8Array {
  const val = (c: string) => {
    const v = parseInt(c, 16);
    if (!/^[0-9a-fA-F]$/.test(c)) {
      const cp = c.codePointAt(0)!;
      fail(`encoding/hex: invalid byte: U+${cp.toString(16).toUpperCase().padStart(4, '0')} ${quoteRuneGo(c)}`);
    }
    return v;
  };
  const n = s.length;
  const out = new Uint8Array(Math.floor(n / 2));
  let i = 0;
  for (; i + 1 < n; i += 2) out[i / 2] = (val(s[i]!) << 4) | val(s[i + 1]!);
  if (n % 2 === 1) {
    // Go reports an invalid character before the odd length.
    val(s[n - 1]!);
    fail('encoding/hex: odd length hex string');
  }
  return out;
}

function quoteRuneGo(c: string): string {
  if (c === "'") return "'\\''";
  const cp = c.codePointAt(0)!;
  if (cp < 0x20 || cp === 0x7f) return "'\\x" + cp.toString(16).padStart(2, '0') + "'";
  return "'" + c + "'";
}

/** Go's hex.Dump: `hexdump -C` style lines. */
function hexDump(b: Uint8Array): string {
  let out = '';
  for (let off = 0; off < b.length; off += 16) {
    const line = b.subarray(off, off + 16);
    out += off.toString(16).padStart(8, '0') + '  ';
    let chars = '';
    for (let j = 0; j < 16; j++) {
      out += j < line.length ? HEX[line[j]! >> 4]! + HEX[line[j]! & 15]! + ' ' : '   ';
      if (j === 7) out += ' ';
      if (j === 15) out += ' |';
      if (j < line.length) chars += line[j]! >= 32 && line[j]! <= 126 ? String.fromCharCode(line[j]!) : '.';
    }
    out += chars + '|\n';
  }
  return out;
}

export const hexPackage: BuiltinPackage = {
  path: 'encoding/hex',
  funcs: {
    EncodedLen: fn(['int'], ([n]) => BigInt(int(n) * 2)),
    DecodedLen: fn(['int'], ([x]) => BigInt(Math.floor(int(x) / 2))),
    Decode: fn(['string'], ([s]) => hexDecode(str(s))),
    Dump: fn(['stringOrBytes'], ([d]) => hexDump(bytes(d))),
    Encode: fn(['stringOrBytes'], ([d]) => hexEncode(bytes(d))),
  },
};
