// Package crypto/ed25519: signature verification (RFC 8032, with Go's
// crypto/ed25519.Verify acceptance rules: 64-byte signatures, canonical s,
// public keys decoded leniently, R compared by encoding). Portable BigInt
// arithmetic; verification is not secret-dependent, so constant time is moot.
import { type BuiltinPackage } from './types.js';
import { bytes, fail, fn } from './common.js';
import { sha512 } from './hash.js';

const P = (1n << 255n) - 19n;
const L = (1n << 252n) + 27742317777372353535851937790883648493n;

const mod = (a: bigint, m = P) => {
  const r = a % m;
  return r < 0n ? r + m : r;
};

function pow(b: bigint, e: bigint): bigint {
  let r = 1n;
  b = mod(b);
  while (e > 0n) {
    if (e & 1n) r = (r * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return r;
}

const inv = (a: bigint) => pow(a, P - 2n);
// Curve constants and the base point, computed by the first verification:
// at module load every opm run would pay for them (milliseconds of BigInt powers).
let D = 0n;
let SQRT_M1 = 0n;
let B: Pt | undefined;

/** Extended coordinates (X:Y:Z:T) with x = X/Z, y = Y/Z, xy = T/Z. */
type Pt = [bigint, bigint, bigint, bigint];

function add(p: Pt, q: Pt): Pt {
  const [x1, y1, z1, t1] = p;
  const [x2, y2, z2, t2] = q;
  const a = mod((y1 - x1) * (y2 - x2));
  const b = mod((y1 + x1) * (y2 + x2));
  const c = mod(2n * D * t1 * t2);
  const d = mod(2n * z1 * z2);
  const e = b - a;
  const f = d - c;
  const g = d + c;
  const h = b + a;
  return [mod(e * f), mod(g * h), mod(f * g), mod(e * h)];
}

function mul(s: bigint, p: Pt): Pt {
  let r: Pt = [0n, 1n, 1n, 0n];
  let q = p;
  while (s > 0n) {
    if (s & 1n) r = add(r, q);
    q = add(q, q);
    s >>= 1n;
  }
  return r;
}

const le = (b: Uint8Array) => {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
};

/** Decodes a point; non-canonical y values are reduced, as Go accepts them. */
function decode(b: Uint8Array): Pt | undefined {
  const sign = b[31]! >> 7;
  const yb = b.slice();
  yb[31] = yb[31]! & 0x7f;
  const y = mod(le(yb));
  const u = mod(y * y - 1n);
  const v = mod(D * y * y + 1n);
  // x = sqrt(u/v) via x = u v^3 (u v^7)^((p-5)/8).
  let x = mod(u * pow(v, 3n) * pow(u * pow(v, 7n), (P - 5n) / 8n));
  const vx2 = mod(v * x * x);
  if (vx2 === u) {
    // ok
  } else if (vx2 === mod(-u)) x = mod(x * SQRT_M1);
  else return undefined;
  if ((x & 1n) !== BigInt(sign)) x = mod(-x);
  return [x, y, 1n, mod(x * y)];
}

function encode(p: Pt): Uint8Array {
  const zi = inv(p[2]);
  const x = mod(p[0] * zi);
  let y = mod(p[1] * zi);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(y & 0xffn);
    y >>= 8n;
  }
  out[31]! |= Number(x & 1n) << 7;
  return out;
}

function basePoint(): Pt {
  if (!B) {
    D = mod(-121665n * inv(121666n));
    SQRT_M1 = pow(2n, (P - 1n) / 4n);
    // y = 4/5 with the even x.
    B = decode(encode([0n, mod(4n * inv(5n)), 1n, 0n]))!;
  }
  return B;
}

/** crypto/ed25519.Verify. */
export function verify(publicKey: Uint8Array, message: Uint8Array, sig: Uint8Array): boolean {
  const base = basePoint();
  if (sig.length !== 64 || (sig[63]! & 224) !== 0) return false;
  const A = decode(publicKey);
  if (!A) return false;
  const s = le(sig.slice(32));
  if (s >= L) return false;
  const h = sha512(new Uint8Array([...sig.slice(0, 32), ...publicKey, ...message]));
  const k = mod(le(h), L);
  // R = [s]B - [k]A, compared by encoding with the signature's R.
  const negA: Pt = [mod(-A[0]), A[1], A[2], mod(-A[3])];
  const R = encode(add(mul(s, base), mul(k, negA)));
  return R.every((x, i) => x === sig[i]);
}

export const ed25519Package: BuiltinPackage = {
  path: 'crypto/ed25519',
  funcs: {
    Valid: fn(
      ['stringOrBytes', 'stringOrBytes', 'stringOrBytes'],
      ([k, m, s]) => {
        const key = bytes(k);
        if (key.length !== 32) fail('ed25519: publicKey must be 32 bytes');
        return verify(key, bytes(m), bytes(s));
      },
      { validator: true },
    ),
  },
  consts: { PublicKeySize: 32n },
};
