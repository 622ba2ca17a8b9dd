// Packages crypto/md5, crypto/sha1, crypto/sha256, crypto/sha512: digests as bytes.
import { type BuiltinPackage } from './types.js';
import { bytes, fail, fn, str } from './common.js';
import { md5, sha1, sha224, sha256, sha384, sha512, sha512_224, sha512_256 } from './hash.js';

const digest = (h: (b: Uint8Array) => Uint8Array) => fn(['stringOrBytes'], ([d]) => h(bytes(d)));

export const md5Package: BuiltinPackage = {
  path: 'crypto/md5',
  funcs: { Sum: digest(md5) },
  consts: { Size: 16n, BlockSize: 64n },
};

export const sha1Package: BuiltinPackage = {
  path: 'crypto/sha1',
  funcs: { Sum: digest(sha1) },
  consts: { Size: 20n, BlockSize: 64n },
};

export const sha256Package: BuiltinPackage = {
  path: 'crypto/sha256',
  funcs: { Sum256: digest(sha256), Sum224: digest(sha224) },
  consts: { Size: 32n, Size224: 28n, BlockSize: 64n },
};

export const sha512Package: BuiltinPackage = {
  path: 'crypto/sha512',
  funcs: { Sum512: digest(sha512), Sum384: digest(sha384), Sum512_224: digest(sha512_224), Sum512_256: digest(sha512_256) },
  consts: { Size: 64n, Size224: 28n, Size256: 32n, Size384: 48n, BlockSize: 128n },
};

/** Hash functions by crypto/hmac name, with their block sizes. */
const HMAC_HASHES: Record<string, [(b: Uint8Array) => Uint8Array, number]> = {
  MD5: [md5, 64],
  SHA1: [sha1, 64],
  SHA224: [sha224, 64],
  SHA256: [sha256, 64],
  SHA384: [sha384, 128],
  SHA512: [sha512, 128],
  SHA512_224: [sha512_224, 128],
  SHA512_256: [sha512_256, 128],
};

/** HMAC (FIPS 198-1): H((K ^ opad) || H((K ^ ipad) || m)). */
export function hmac(hashName: string, key: Uint8Array, data: Uint8Array): Uint8Array {
  const entry = Object.hasOwn(HMAC_HASHES, hashName) ? HMAC_HASHES[hashName] : undefined;
  if (!entry) return fail('unsupported hash function');
  const [h, block] = entry;
  const k = new Uint8Array(block);
  k.set(key.length > block ? h(key) : key);
  const inner = new Uint8Array(block + data.length);
  const outerKey = new Uint8Array(block);
  for (let i = 0; i < block; i++) {
    inner[i] = k[i]! ^ 0x36;
    outerKey[i] = k[i]! ^ 0x5c;
  }
  inner.set(data, block);
  const ih = h(inner);
  const outer = new Uint8Array(block + ih.length);
  outer.set(outerKey);
  outer.set(ih, block);
  return h(outer);
}

export const hmacPackage: BuiltinPackage = {
  path: 'crypto/hmac',
  funcs: { Sign: fn(['string', 'stringOrBytes', 'stringOrBytes'], ([n, k, d]) => hmac(str(n), bytes(k), bytes(d))) },
  consts: Object.fromEntries(Object.keys(HMAC_HASHES).map((k) => [k, k])),
};
