// Package math/bits: bit operations on arbitrary-precision ints. Negative
// values behave as infinite two's complement, like Go's big.Int operations.
import { type BuiltinPackage } from './types.js';
import { bigint, fail, fn } from './common.js';

function uint(a: Parameters<typeof bigint>[0], what: string): bigint {
  const n = bigint(a);
  if (n < 0n) fail(`negative ${what}`);
  return n;
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

export const bitsPackage: BuiltinPackage = {
  path: 'math/bits',
  funcs: {
    Lsh: fn(['int', 'int'], ([x, n]) => bigint(x) << uint(n, 'shift count')),
    Rsh: fn(['int', 'int'], ([x, n]) => bigint(x) >> uint(n, 'shift count')),
    At: fn(['int', 'int'], ([x, i]) => (bigint(x) >> uint(i, 'bit index')) & 1n),
    Set: fn(['int', 'int', 'int'], ([x, i, b]) => {
      const v = bigint(x);
      const k = uint(i, 'bit index');
      const bit = bigint(b);
      if (bit !== 0n && bit !== 1n) fail(`bit must be 0 or 1, got ${bit}`);
      return bit === 1n ? v | (1n << k) : v & ~(1n << k);
    }),
    And: fn(['int', 'int'], ([a, b]) => bigint(a) & bigint(b)),
    Or: fn(['int', 'int'], ([a, b]) => bigint(a) | bigint(b)),
    Xor: fn(['int', 'int'], ([a, b]) => bigint(a) ^ bigint(b)),
    Clear: fn(['int', 'int'], ([a, b]) => bigint(a) & ~bigint(b)),
    // Counts bits of the magnitude, as big.Int's word-based counting does.
    OnesCount: fn(['int'], ([x]) => {
      let v = abs(bigint(x));
      let n = 0n;
      while (v > 0n) {
        n += v & 1n;
        v >>= 1n;
      }
      return n;
    }),
    Len: fn(['int'], ([x]) => {
      const v = abs(bigint(x));
      return v === 0n ? 0n : BigInt(v.toString(2).length);
    }),
  },
};
