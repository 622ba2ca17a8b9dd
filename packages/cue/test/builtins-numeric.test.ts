import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { BuiltinError, builtinPackages, type Arg, type BuiltinContext, type Concrete } from '../src/builtins/index.js';

// A comparator stand-in: the "opaque" comparator carries a JS less function.
type Cmp = { opaque: true; less: (a: Concrete, b: Concrete) => boolean };
const ctx: BuiltinContext = {
  less: (c, a, b) => (c as Cmp).less(a, b),
  validate: () => undefined,
  toOpaque: () => ({ opaque: true }),
};

function call(pkg: string, name: string, ...args: Arg[]) {
  const f = builtinPackages.get(pkg)?.funcs[name];
  if (!f) throw new Error(`no ${pkg}.${name}`);
  return f.impl(args, ctx);
}
const D = (s: string) => new Decimal(s);
/** Renders a result with its kind: ints as "3", floats as "3.0f"-style "f:3". */
function show(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (Decimal.isDecimal(v)) return 'f:' + (v as Decimal).toString();
  if (Array.isArray(v)) return v.map(show);
  return v;
}

describe('list', () => {
  const l = (name: string, ...args: Arg[]) => call('list', name, ...args);
  it('slices', () => {
    expect(l('Drop', [1n, 2n, 3n, 4n], 2n)).toEqual([3n, 4n]);
    expect(l('Drop', [1n], 5n)).toEqual([]);
    expect(() => l('Drop', [1n], -1n)).toThrow('negative index');
    expect(l('Take', [1n, 2n, 3n], 2n)).toEqual([1n, 2n]);
    expect(l('Take', [1n], 5n)).toEqual([1n]);
    expect(l('Slice', [1n, 2n, 3n, 4n], 1n, 3n)).toEqual([2n, 3n]);
    expect(() => l('Slice', [1n, 2n], 2n, 1n)).toThrow('invalid index: 2 > 1');
    expect(() => l('Slice', [1n, 2n], 1n, 3n)).toThrow('slice bounds out of range');
    expect(l('Reverse', [1n, 2n, 3n])).toEqual([3n, 2n, 1n]);
  });
  it('repeats, concatenates and flattens (non-concrete elements pass through)', () => {
    const int = { opaque: true } as const;
    expect(l('Repeat', [int] as unknown as Arg, 3n)).toEqual([int, int, int]);
    expect(l('Repeat', [1n, 2n], 2n)).toEqual([1n, 2n, 1n, 2n]);
    expect(() => l('Repeat', [1n], -1n)).toThrow('negative count');
    expect((l('Repeat', [0n], 1000000n) as unknown[]).length).toBe(1000000);
    expect(() => l('Repeat', [0n], 200000000n)).toThrow('count 200000000 exceeds limit of 1000000');
    expect(l('Concat', [[1n], [], [2n, 3n]])).toEqual([1n, 2n, 3n]);
    expect(() => l('Concat', [1n, [2n]])).toThrow('cannot use value 1 (type int) as list');
    expect(l('FlattenN', [1n, [[2n, 3n], []], [4n]], 1n)).toEqual([1n, [2n, 3n], [], 4n]);
    expect(l('FlattenN', [1n, [[2n, 3n], []], [4n]], -1n)).toEqual([1n, 2n, 3n, 4n]);
    expect(l('FlattenN', [[1n]], 0n)).toEqual([[1n]]);
  });
  it('computes exactly, keeping ints ints', () => {
    expect(show(l('Sum', [1n, 2n, 3n]))).toBe('6');
    expect(show(l('Sum', [1n, D('2.0')]))).toBe('f:3');
    expect(show(l('Sum', [D('0.1'), D('0.2')]))).toBe('f:0.3');
    expect(show(l('Sum', []))).toBe('0');
    expect(show(l('Product', [2n, D('1.5')]))).toBe('f:3');
    expect(show(l('Product', []))).toBe('1');
    expect(show(l('Avg', [2n, 4n]))).toBe('3');
    expect(show(l('Avg', [1n, 2n]))).toBe('f:1.5');
    expect(() => l('Avg', [])).toThrow('empty list');
    expect(show(l('Max', [1n, D('2.5'), -3n]))).toBe('f:2.5');
    expect(show(l('Min', [1n, D('2.5'), -3n]))).toBe('-3');
    expect(() => l('Max', [])).toThrow('empty list');
    expect(() => l('Sum', ['a'])).toThrow(/cannot use value "a" \(string\) as number/);
    // Ints are exact beyond the 34 digits of the decimal context (CUE's stated intent).
    const big = 12345678901234567890123456789012345678901n;
    expect(l('Sum', [big, 1n])).toBe(big + 1n);
    expect(l('Product', [big, 2n])).toBe(big * 2n);
    expect(l('Avg', [big, big + 2n])).toBe(big + 1n);
    expect(show(l('Avg', [big, big + 1n]))).toBe('f:1.234567890123456789012345678901235e+40');
    expect(show(l('Sum', [D('1e40'), D('1.0')]))).toBe('f:1e+40');
    expect(show(l('Sum', [D('1.5'), D('2.5')]))).toBe('f:4');
    expect(show(l('Avg', [D('30000000000000000000000000000000010.5'), D('0.5')]))).toBe('f:1.500000000000000000000000000000001e+34');
    expect(show(l('Min', [D('2.00'), 3n]))).toBe('f:2');
    expect(show(l('Avg', [1n, 2n, 3n, 4n]))).toBe('f:2.5');
    expect(show(l('Avg', [4n, 8n, 12n]))).toBe('8');
    expect(() => l('FlattenN', 'foo', 1n)).toThrow('cannot use value "foo" (type string) as list');
  });
  it('ranges', () => {
    expect(show(l('Range', 0n, 5n, 2n))).toEqual(['0', '2', '4']);
    expect(show(l('Range', 5n, 0n, -2n))).toEqual(['5', '3', '1']);
    expect(show(l('Range', 0n, 1n, D('0.25')))).toEqual(['0', 'f:0.25', 'f:0.5', 'f:0.75']);
    expect(l('Range', 0n, 0n, 1n)).toEqual([]);
    expect(() => l('Range', 0n, 1n, 0n)).toThrow('step must be non zero');
    expect(() => l('Range', 2n, 1n, 1n)).toThrow('end must be greater than start when step is positive');
    expect(() => l('Range', 1n, 2n, -1n)).toThrow('end must be less than start when step is negative');
  });
  it('sorts stably through the comparator', () => {
    const asc: Cmp = { opaque: true, less: (a, b) => (a as bigint) < (b as bigint) };
    expect(l('Sort', [2n, 3n, 1n, 4n], asc)).toEqual([1n, 2n, 3n, 4n]);
    const byKey: Cmp = { opaque: true, less: (a, b) => ((a as Map<string, Concrete>).get('k') as bigint) < ((b as Map<string, Concrete>).get('k') as bigint) };
    const m = (k: bigint, v: string) => new Map<string, Concrete>([['k', k], ['v', v]]);
    const sorted = l('Sort', [m(2n, 'a'), m(1n, 'b'), m(2n, 'c'), m(1n, 'd')], byKey) as Map<string, Concrete>[];
    expect(sorted.map((x) => x.get('v'))).toEqual(['b', 'd', 'a', 'c']);
    expect(l('IsSorted', [1n, 2n, 2n], asc)).toBe(true);
    expect(l('IsSorted', [2n, 1n], asc)).toBe(false);
    expect(l('SortStrings', ['b', 'a', 'c'])).toEqual(['a', 'b', 'c']);
    expect(l('IsSortedStrings', ['a', 'b'])).toBe(true);
    expect(builtinPackages.get('list')!.cue).toContain('Ascending');
  });
  it('sort agrees with a reference stable sort', () => {
    const asc: Cmp = { opaque: true, less: (a, b) => ((a as bigint[])[0]!) < ((b as bigint[])[0]!) };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer())), (xs) => {
        const input = xs.map(([k, v]) => [BigInt(k), BigInt(v)]);
        const expected = [...input].sort((a, b) => Number(a[0]! - b[0]!));
        expect(l('Sort', input, asc)).toEqual(expected);
      }),
    );
  });
  it('validates', () => {
    expect(l('MinItems', [1n], 1n)).toBe(true);
    try {
      l('MinItems', [], 1n);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BuiltinError);
      expect((e as BuiltinError).message).toBe('len(list) < MinItems(1) (0 < 1)');
      expect((e as BuiltinError).validation).toBe(true);
      expect((e as BuiltinError).incompleteIfOpen).toBe(true);
    }
    expect(() => l('MaxItems', [0n, 1n], 1n)).toThrow('len(list) > MaxItems(1) (2 > 1)');
    expect(l('UniqueItems', [1n, 2n])).toBe(true);
    expect(() => l('UniqueItems', ['x', 'x'])).toThrow('equal value ("x") at position 0 and 1');
    expect(() => l('UniqueItems', [1n, D('1.0')])).toThrow(BuiltinError);
    expect(l('UniqueItems', [new Map([['a', 1n]]), new Map([['a', 2n]])])).toBe(true);
    expect(l('Contains', [1n, 'a', [2n]], [2n])).toBe(true);
    expect(l('Contains', [1n], 2n)).toBe(false);
  });
});

describe('struct', () => {
  const m = new Map<string, Concrete>([['a', 1n], ['b', 2n]]);
  it('counts fields', () => {
    expect(call('struct', 'MinFields', m, 2n)).toBe(true);
    expect(() => call('struct', 'MinFields', new Map(), 1n)).toThrow('len(fields) < MinFields(1) (0 < 1)');
    expect(call('struct', 'MaxFields', m, 2n)).toBe(true);
    expect(() => call('struct', 'MaxFields', m, 1n)).toThrow('len(fields) > MaxFields(1) (2 > 1)');
  });
});

describe('math', () => {
  const mt = (name: string, ...args: Arg[]) => show(call('math', name, ...args));
  it('rounds to ints exactly', () => {
    expect(mt('Floor', D('2.9'))).toBe('2');
    expect(mt('Floor', D('-2.2'))).toBe('-3');
    expect(mt('Floor', 2900n)).toBe('2900');
    expect(mt('Floor', builtinPackages.get('math')!.consts!.Pi!)).toBe('3');
    expect(mt('Ceil', D('2.5'))).toBe('3');
    expect(mt('Ceil', D('-2.2'))).toBe('-2');
    expect(mt('Trunc', D('-2.9'))).toBe('-2');
    expect(mt('Round', D('2.5'))).toBe('3');
    expect(mt('Round', D('-2.5'))).toBe('-3');
    expect(mt('RoundToEven', D('2.5'))).toBe('2');
    expect(mt('RoundToEven', D('-2.5'))).toBe('-2');
    expect(mt('Floor', D('1e30'))).toBe('1000000000000000000000000000000');
  });
  it('MultipleOf', () => {
    expect(mt('MultipleOf', 99n * 99n, 99n)).toBe(true);
    expect(mt('MultipleOf', 100010n, 10n)).toBe(true);
    expect(mt('MultipleOf', 5555555n, 2n)).toBe(false);
    expect(mt('MultipleOf', D('100.01'), 4n)).toBe(false);
    expect(mt('MultipleOf', 5n, D('2.5'))).toBe(true);
    expect(mt('MultipleOf', D('100e100'), 10n)).toBe(true);
    expect(mt('MultipleOf', 100n, D('1.00001'))).toBe(false);
    expect(() => mt('MultipleOf', 5n, 0n)).toThrow('division by zero');
  });
  it('decimal functions at 34 digits', () => {
    expect(mt('Abs', -2n)).toBe('2');
    expect(mt('Abs', D('-2.2'))).toBe('f:2.2');
    expect(mt('Pow', 8n, 4n)).toBe('4096');
    expect(mt('Pow', 2n, -1n)).toBe('f:0.5');
    expect(mt('Pow10', 4n)).toBe('10000');
    expect(mt('Pow10', -2n)).toBe('f:0.01');
    expect(mt('Signbit', -4n)).toBe(true);
    expect(mt('Signbit', D('0.5'))).toBe(false);
    expect(mt('Cbrt', 2n)).toBe('f:1.259921049894873164767210607278228');
    expect(mt('Copysign', 5n, D('-2.2'))).toBe('-5');
    expect(mt('Exp', 3n)).toBe('f:20.08553692318766774092852965458172');
    expect(mt('Exp2', D('3.5'))).toBe('f:11.31370849898476039041350979367758');
    expect(mt('Log', 4n)).toBe('f:1.386294361119890618834464242916353');
    expect(mt('Log10', 4n)).toBe('f:0.6020599913279623904274777894489861');
    expect(mt('Log2', 5n)).toBe('f:2.321928094887362347870319429489391');
    expect(mt('Dim', 3n, D('2.5'))).toBe('f:0.5');
    expect(mt('Dim', 5n, D('7.2'))).toBe('0');
    expect(mt('Jacobi', 1000n, 201n)).toBe('1');
    expect(() => mt('Jacobi', 1000n, 2000n)).toThrow('big: invalid 2nd argument to Int.Jacobi: need odd integer but got 2000');
    expect(() => mt('Log', 0n)).toThrow(BuiltinError);
  });
  it('float64 functions', () => {
    expect(mt('Sqrt', 4n)).toBe('f:2');
    expect(mt('Sqrt', 2n)).toBe('f:1.4142135623730951');
    expect(mt('Sin', 0n)).toBe('f:0');
    expect(mt('Atan2', 1n, 1n)).toBe('f:0.7853981633974483');
    expect(mt('Mod', 7n, 3n)).toBe('f:1');
    expect(mt('Mod', -7n, 3n)).toBe('f:-1');
    expect(mt('Remainder', 7n, 4n)).toBe('f:-1');
    expect(mt('Remainder', 5n, 2n)).toBe('f:1');
    expect(mt('Ldexp', D('0.5'), 3n)).toBe('f:4');
    // A huge exponent saturates like a large one instead of scaling 1000 at a time (this once hung a property test).
    expect(mt('Ldexp', D('0.5'), -(10n ** 15n))).toBe(mt('Ldexp', D('0.5'), -5000n));
    expect(() => mt('Ldexp', D('0.5'), 10n ** 15n)).toThrow(/float64|range|Inf/i);
    // Huge integer results stay decimals with an exponent, or are out of range, instead of exhausting memory.
    expect(mt('Exp2', 1n << 40n)).toMatch(/^f:8\.05723224506582382563102683907876[0-9]*e\+330/);
    expect(() => mt('Pow10', 10n ** 9n)).toThrow(/out of range/);
    expect(mt('Pow10', 3n)).toBe('1000');
    expect(mt('Ilogb', 8n)).toBe('3');
    expect(mt('Logb', D('0.3'))).toBe('f:-2');
    expect(() => mt('Sqrt', -1n)).toThrow(BuiltinError);
    expect(() => mt('Asin', D('2.0e400'))).toThrow(/float64/);
  });
  it('constants', () => {
    const c = builtinPackages.get('math')!.consts!;
    expect(String(c.Pi)).toBe('3.14159265358979323846264338327950288419716939937510582097494459');
    expect(c.MaxBase).toBe(62n);
  });
});

describe('math/bits', () => {
  const b = (name: string, ...args: Arg[]) => call('math/bits', name, ...args);
  it('operates on big ints', () => {
    expect(b('Lsh', 1n, 70n)).toBe(1180591620717411303424n);
    expect(b('Rsh', 1024n, 3n)).toBe(128n);
    expect(b('At', 5n, 0n)).toBe(1n);
    expect(b('At', 5n, 1n)).toBe(0n);
    expect(b('Set', 0n, 3n, 1n)).toBe(8n);
    expect(b('Set', 15n, 0n, 0n)).toBe(14n);
    expect(b('And', 12n, 10n)).toBe(8n);
    expect(b('Or', 12n, 10n)).toBe(14n);
    expect(b('Xor', 12n, 10n)).toBe(6n);
    expect(b('Clear', 15n, 5n)).toBe(10n);
    expect(b('OnesCount', 255n)).toBe(8n);
    expect(b('Len', 8n)).toBe(4n);
    expect(b('Len', 0n)).toBe(0n);
    expect(() => b('Lsh', 1n, -1n)).toThrow(BuiltinError);
  });
});

describe('strconv', () => {
  const sc = (name: string, ...args: Arg[]) => call('strconv', name, ...args);
  it('parses ints like Go', () => {
    expect(sc('Atoi', '-42')).toBe(-42n);
    expect(() => sc('Atoi', '4x')).toThrow('strconv.Atoi: parsing "4x": invalid syntax');
    expect(sc('ParseInt', 'ff', 16n, 64n)).toBe(255n);
    expect(sc('ParseInt', '0x_1F', 0n, 64n)).toBe(31n);
    expect(sc('ParseInt', '0b101', 0n, 0n)).toBe(5n);
    expect(sc('ParseInt', '017', 0n, 64n)).toBe(15n);
    expect(sc('ParseInt', '-128', 10n, 8n)).toBe(-128n);
    expect(() => sc('ParseInt', '128', 10n, 8n)).toThrow('strconv.ParseInt: parsing "128": value out of range');
    expect(() => sc('ParseInt', '1_0', 10n, 64n)).toThrow('invalid syntax');
    expect(() => sc('ParseInt', '0x_', 0n, 64n)).toThrow('invalid syntax');
    expect(() => sc('ParseInt', '', 10n, 64n)).toThrow('strconv.ParseInt: parsing "": invalid syntax');
    expect(() => sc('ParseInt', '9223372036854775808', 10n, 64n)).toThrow('value out of range');
    expect(sc('ParseInt', '-9223372036854775808', 10n, 64n)).toBe(-9223372036854775808n);
    expect(sc('ParseUint', '18446744073709551615', 10n, 64n)).toBe(18446744073709551615n);
    expect(() => sc('ParseUint', '-1', 10n, 64n)).toThrow('strconv.ParseUint: parsing "-1": invalid syntax');
    expect(() => sc('ParseInt', '1', 1n, 64n)).toThrow('invalid base 1');
  });
  it('parses floats, bools and numbers', () => {
    expect(show(sc('ParseFloat', '3.25', 64n))).toBe('f:3.25');
    expect(show(sc('ParseFloat', '1e3', 64n))).toBe('f:1000');
    expect(show(sc('ParseFloat', '0.1', 32n))).toBe('f:0.10000000149011612');
    expect(show(sc('ParseFloat', '0x1p-2', 64n))).toBe('f:0.25');
    expect(() => sc('ParseFloat', '1e400', 64n)).toThrow('strconv.ParseFloat: parsing "1e400": value out of range');
    expect(() => sc('ParseFloat', 'abc', 64n)).toThrow('invalid syntax');
    expect(sc('ParseBool', 'True')).toBe(true);
    expect(sc('ParseBool', '0')).toBe(false);
    expect(() => sc('ParseBool', 'yes')).toThrow('strconv.ParseBool: parsing "yes": invalid syntax');
    expect(show(sc('ParseNumber', '1Ki'))).toBe('1024');
    expect(show(sc('ParseNumber', '1.5M'))).toBe('1500000');
    expect(show(sc('ParseNumber', '0x10'))).toBe('16');
    expect(show(sc('ParseNumber', '1_000'))).toBe('1000');
    expect(show(sc('ParseNumber', '-2.5e2'))).toBe('f:-250');
    expect(() => sc('ParseNumber', 'x')).toThrow(BuiltinError);
  });
  it('formats', () => {
    expect(sc('FormatInt', -255n, 16n)).toBe('-ff');
    expect(sc('FormatInt', 5n, 2n)).toBe('101');
    expect(() => sc('FormatInt', 5n, 1n)).toThrow(BuiltinError);
    expect(sc('FormatUint', 35n, 36n)).toBe('z');
    expect(sc('FormatBool', true)).toBe('true');
    const ff = (x: Arg, f: string | bigint, p: bigint, b = 64n) => sc('FormatFloat', x, f, p, b);
    expect(ff(D('1.5'), 'e', -1n)).toBe('1.5e+00');
    expect(ff(D('1.5'), 'E', 3n)).toBe('1.500E+00');
    expect(ff(D('123456789.125'), 'f', 2n)).toBe('123456789.12'); // half to even on the exact value
    expect(ff(D('0.125'), 'f', 2n)).toBe('0.12');
    expect(ff(D('0.375'), 'f', 2n)).toBe('0.38');
    expect(ff(D('0.009'), 'f', 2n)).toBe('0.01');
    expect(ff(D('0.1'), 'g', -1n, 32n)).toBe('0.1');
    expect(ff(D('1e21'), 'g', -1n)).toBe('1e+21');
    expect(ff(D('123456'), 'g', -1n)).toBe('123456');
    expect(ff(D('1234567'), 'g', -1n)).toBe('1.234567e+06');
    expect(ff(D('0.0001'), 'g', -1n)).toBe('0.0001');
    expect(ff(D('0.00001'), 'g', -1n)).toBe('1e-05');
    expect(ff(D('3.14159'), 'g', 3n)).toBe('3.14');
    expect(ff(D('100'), 'g', 2n)).toBe('1e+02');
    expect(ff(0n, 'f', 3n)).toBe('0.000');
    expect(ff(0n, 'e', -1n)).toBe('0e+00');
    expect(ff(D('-2.5'), 'f', 0n)).toBe('-2');
    expect(ff(D('1.5'), 101n, -1n)).toBe('1.5e+00'); // fmt given as a byte
    expect(ff(D('1.5'), 'z', -1n)).toBe('%z');
    expect(() => ff(D('3.02'), 300n, 4n)).toThrow('int 300 overflows byte');
    expect(() => ff(D('3.02'), -1n, 4n)).toThrow('cannot use -1 (type int) as byte');
    expect(ff(D('0.0'), 102n, -1n)).toBe('0');
    expect(sc('FormatUint', 64n, 16n)).toBe('40');
    expect(ff(1n, 'b', -1n)).toBe('4503599627370496p-52');
    expect(ff(D('-0.5'), 'b', -1n, 32n)).toBe('-8388608p-24');
    expect(ff(0n, 'b', -1n)).toBe('0p-1074');
    expect(ff(D('3.75e-310'), 'b', -1n)).toBe('75900844990241p-1074');
    expect(ff(D('123.456'), 'b', 3n)).toBe('8687443681197687p-46');
    expect(() => ff(1n, 'x', -1n)).toThrow(BuiltinError);
  });
  it('quotes and unquotes', () => {
    expect(sc('Quote', 'héllo\n\u0007\u00ff"')).toBe('"héllo\\n\\aÿ\\""');
    expect(sc('Quote', '\u00ad')).toBe('"\\u00ad"');
    expect(sc('QuoteToASCII', 'héllo😀')).toBe('"h\\u00e9llo\\U0001f600"');
    expect(sc('QuoteToGraphic', '\u00a0\t')).toBe('"\u00a0\\t"');
    expect(sc('QuoteRune', 9786n)).toBe("'☺'");
    expect(sc('QuoteRune', 39n)).toBe("'\\''");
    expect(sc('QuoteRuneToASCII', 9786n)).toBe("'\\u263a'");
    expect(sc('Unquote', '"a\\tb\\u00e9\\x41\\101"')).toBe('a\tbéAA');
    expect(sc('Unquote', '`raw\\n`')).toBe('raw\\n');
    expect(sc('Unquote', "'☺'")).toBe('☺');
    expect(() => sc('Unquote', "'ab'")).toThrow('invalid syntax');
    expect(() => sc('Unquote', '"abc')).toThrow('invalid syntax');
    expect(() => sc('Unquote', '"\\\'"')).toThrow('invalid syntax');
    expect(sc('IsPrint', 65n)).toBe(true);
    expect(sc('IsPrint', 7n)).toBe(false);
    expect(sc('IsGraphic', 0x3000n)).toBe(true);
    expect(sc('IsPrint', 0x3000n)).toBe(false);
  });
  it('FormatInt/ParseInt round-trip', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.integer({ min: 2, max: 36 }), (i, base) => {
        const s = sc('FormatInt', i, BigInt(base));
        expect(sc('ParseInt', s as string, BigInt(base), 64n)).toBe(i);
      }),
    );
  });
  it('Quote/Unquote round-trip', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (x) => {
        expect(sc('Unquote', sc('Quote', x) as string)).toBe(x);
      }),
    );
  });
});
