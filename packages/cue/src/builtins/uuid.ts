// Package uuid: RFC 4122 UUIDs (name-based versions 3 and 5), parsing as
// github.com/google/uuid does.
import { type BuiltinPackage } from './types.js';
import { bigint, bytes, fail, fn, str, utf8Encode } from './common.js';
import { hexEncode } from './encoding.js';
import { md5, sha1 } from './hash.js';

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** google/uuid.Parse: canonical, urn:uuid:, {braced} and 32-hex-digit forms. */
function parse(s: string): Uint8Array {
  let x = s;
  switch (x.length) {
    case 36:
      break;
    case 45:
      if (x.slice(0, 9).toLowerCase() !== 'urn:uuid:') fail(`invalid urn prefix: ${JSON.stringify(x.slice(0, 9))}`);
      x = x.slice(9);
      break;
    case 38:
      if (x[0] !== '{' || x[37] !== '}') fail('invalid prefix/suffix');
      x = x.slice(1, 37);
      break;
    case 32: {
      if (!/^[0-9a-fA-F]{32}$/.test(x)) fail('invalid UUID format');
      return hexBytes(x);
    }
    default:
      fail(`invalid UUID length: ${s.length}`);
  }
  if (x[8] !== '-' || x[13] !== '-' || x[18] !== '-' || x[23] !== '-') fail('invalid UUID format');
  const hex = x.slice(0, 8) + x.slice(9, 13) + x.slice(14, 18) + x.slice(19, 23) + x.slice(24);
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) fail('invalid UUID format');
  return hexBytes(hex);
}

function hexBytes(h: string): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function uuidString(b: Uint8Array): string {
  const h = hexEncode(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** google/uuid.NewHash: hash(space || data), first 16 bytes, version and RFC 4122 variant bits set. */
function newHash(hash: (b: Uint8Array) => Uint8Array, space: Uint8Array, data: Uint8Array, version: number): string {
  const buf = new Uint8Array(space.length + data.length);
  buf.set(space);
  buf.set(data, space.length);
  const s = hash(buf).slice(0, 16);
  s[6] = (s[6]! & 0x0f) | (version << 4);
  s[8] = (s[8]! & 0x3f) | 0x80;
  return uuidString(s);
}

export const uuidPackage: BuiltinPackage = {
  path: 'uuid',
  funcs: {
    Valid: fn(['string'], ([s]) => {
      const x = str(s);
      if (!CANONICAL.test(x)) fail(`invalid UUID ${JSON.stringify(x)}`);
      return true;
    }, { validator: true }),
    Parse: fn(['string'], ([s]) => uuidString(parse(str(s)))),
    ToString: fn(['string'], ([s]) => str(s)),
    URN: fn(['string'], ([s]) => 'urn:uuid:' + uuidString(parse(str(s)))),
    FromInt: fn(['int'], ([i]) => {
      const v = bigint(i);
      if (v < 0n || v >= 1n << 128n) fail('invalid UUID (got ' + (v < 0n ? 'negative value' : `${v.toString(16).length / 2 | 0} bytes`) + ')');
      return uuidString(hexBytes(v.toString(16).padStart(32, '0')));
    }),
    // As CUE does: the integer whose big-endian bytes are the string's bytes.
    ToInt: fn(['string'], ([s]) => {
      const b = utf8Encode(str(s));
      return b.length === 0 ? 0n : BigInt('0x' + hexEncode(b));
    }),
    Variant: fn(['string'], ([s]) => {
      const b = parse(str(s))[8]!;
      // google/uuid: Invalid=0, RFC4122=1, Reserved=2, Microsoft=3, Future=4
      if ((b & 0xc0) === 0x80) return 1n;
      if ((b & 0xe0) === 0xc0) return 3n;
      if ((b & 0xe0) === 0xe0) return 4n;
      return 2n;
    }),
    Version: fn(['string'], ([s]) => BigInt(parse(str(s))[6]! >> 4)),
    SHA1: fn(['string', 'stringOrBytes'], ([sp, d]) => newHash(sha1, parse(str(sp)), bytes(d), 5)),
    MD5: fn(['string', 'stringOrBytes'], ([sp, d]) => newHash(md5, parse(str(sp)), bytes(d), 3)),
  },
  consts: {
    ns: new Map([
      ['DNS', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'],
      ['URL', '6ba7b811-9dad-11d1-80b4-00c04fd430c8'],
      ['OID', '6ba7b812-9dad-11d1-80b4-00c04fd430c8'],
      ['X500', '6ba7b814-9dad-11d1-80b4-00c04fd430c8'],
      ['Nil', '00000000-0000-0000-0000-000000000000'],
    ]),
  },
};
