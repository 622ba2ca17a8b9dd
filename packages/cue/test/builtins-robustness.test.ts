import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { BuiltinError, builtinPackages, type Arg, type BuiltinContext, type Concrete, type ParamKind } from '../src/builtins/index.js';

// Builtins must either return a value or throw BuiltinError: anything else
// would escape the evaluator as a crash. Every function gets random arguments
// of its declared kinds (and some of the wrong kind).
const ctx: BuiltinContext = {
  less: (_c, a, b) => String(a) < String(b),
  validate: () => undefined,
  toOpaque: () => ({ opaque: true }),
};

const str = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('', '1', '-1', '0x1F', '1.5', '1e400', '2006-01-02', '2021-07-01T17:54:00Z', '10.0.0.0/8', '::1', 'a,b\n"c"', '{"a":1}', 'a: [1]', '{{.}}', 'ab]', '%zz', '1h2m', '.', '/a/../b'),
);
const int = fc.oneof(fc.bigInt({ min: -20n, max: 20n }), fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }), fc.constantFrom(0n, 32n, 64n, 255n, 256n));
const num = fc.oneof(int, fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => new Decimal(x)), fc.constantFrom(new Decimal('1e400'), new Decimal('-0.5')));
const scalar: fc.Arbitrary<Concrete> = fc.oneof(fc.constant(null), fc.boolean(), str, num, fc.uint8Array({ maxLength: 8 }));
const value: fc.Arbitrary<Concrete> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.string({ maxLength: 4 }), tie('v')), { maxLength: 3 }).map((kv) => new Map(kv)),
  ),
})).v as fc.Arbitrary<Concrete>;

function argFor(k: ParamKind): fc.Arbitrary<Arg> {
  switch (k) {
    case 'string':
      return str;
    case 'bytes':
      return fc.uint8Array({ maxLength: 16 });
    case 'stringOrBytes':
      return fc.oneof(str, fc.uint8Array({ maxLength: 16 }));
    case 'int':
      return int;
    case 'number':
      return num;
    case 'bool':
      return fc.boolean();
    case 'list':
      return fc.oneof(fc.array(num, { maxLength: 5 }), fc.array(str, { maxLength: 5 }), fc.array(value, { maxLength: 4 }));
    case 'valueList':
      return fc.oneof(fc.array(value, { maxLength: 4 }), fc.array(fc.oneof(value, fc.constant({ opaque: true } as const)), { maxLength: 4 }) as unknown as fc.Arbitrary<Arg>);
    case 'struct':
      return fc.array(fc.tuple(fc.string({ maxLength: 4 }), value), { maxLength: 4 }).map((kv) => new Map(kv));
    case 'value':
      return fc.constant({ opaque: true } as const);
    default:
      return value;
  }
}

describe('builtins never crash', () => {
  for (const [path, pkg] of builtinPackages) {
    for (const [name, f] of Object.entries(pkg.funcs)) {
      it(`${path}.${name}`, () => {
        const kinds = f.params;
        const typed = fc.tuple(...kinds.map(argFor));
        const any = fc.tuple(...kinds.map(() => value as fc.Arbitrary<Arg>));
        fc.assert(
          fc.property(fc.oneof(typed, typed, any), (args) => {
            try {
              const r = f.impl(args as Arg[], ctx);
              expect(r).not.toBeUndefined();
            } catch (e) {
              if (!(e instanceof BuiltinError) && !(e instanceof RangeError)) throw e;
            }
          }),
          { numRuns: Number(process.env.BUILTIN_FUZZ_RUNS ?? 60) },
        );
      });
    }
  }
});
