// Packages crypto/md5, crypto/sha1, crypto/sha256, crypto/sha512: digests as bytes.
import { type BuiltinPackage } from './types.js';
import { bytes, fn } from './common.js';
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
