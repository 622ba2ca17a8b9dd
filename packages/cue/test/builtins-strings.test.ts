import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BuiltinError, builtinPackages, type Arg, type BuiltinContext } from '../src/builtins/index.js';

const ctx: BuiltinContext = {
  less: () => false,
  validate: () => undefined,
  toOpaque: () => ({ opaque: true }),
};

function call(pkg: string, name: string, ...args: Arg[]) {
  const f = builtinPackages.get(pkg)?.funcs[name];
  if (!f) throw new Error(`no ${pkg}.${name}`);
  return f.impl(args, ctx);
}
const s = (name: string, ...args: Arg[]) => call('strings', name, ...args);

describe('strings', () => {
  it('searches with Go byte offsets', () => {
    expect(s('Contains', 'seafood', 'foo')).toBe(true);
    expect(s('Contains', '', '')).toBe(true);
    expect(s('ContainsAny', 'failure', 'ui')).toBe(true);
    expect(s('ContainsAny', 'foo', '')).toBe(false);
    expect(s('Index', 'chicken', 'ken')).toBe(4n);
    expect(s('Index', 'héllo', 'l')).toBe(3n); // é is two UTF-8 bytes
    expect(s('LastIndex', 'héllo', 'l')).toBe(4n);
    expect(s('Index', 'abc', 'x')).toBe(-1n);
    expect(s('IndexAny', 'golang', 'ny')).toBe(4n);
    expect(s('LastIndexAny', 'go gopher', 'go')).toBe(4n);
    expect(s('IndexAny', '😀a', 'a')).toBe(4n);
    expect(s('Count', 'cheese', 'e')).toBe(3n);
    expect(s('Count', 'five', '')).toBe(5n);
    expect(s('Count', 'héé', '')).toBe(4n);
    expect(s('HasPrefix', 'Gopher', 'Go')).toBe(true);
    expect(s('HasSuffix', 'Amigo', 'go')).toBe(true);
  });

  it('splits and joins like Go', () => {
    expect(s('Split', 'a,b,c', ',')).toEqual(['a', 'b', 'c']);
    expect(s('Split', 'a,b,c', '')).toEqual(['a', ',', 'b', ',', 'c']);
    expect(s('Split', '', ',')).toEqual(['']);
    expect(s('Split', 'héy', '')).toEqual(['h', 'é', 'y']);
    expect(s('SplitN', 'a,b,c,d', ',', 2n)).toEqual(['a', 'b,c,d']);
    expect(s('SplitN', 'a,b,c', ',', 0n)).toEqual([]);
    expect(s('SplitN', 'a,b,c', ',', -1n)).toEqual(['a', 'b', 'c']);
    expect(s('SplitAfter', 'a,b,c', ',')).toEqual(['a,', 'b,', 'c']);
    expect(s('SplitAfterN', 'a,b,c', ',', 2n)).toEqual(['a,', 'b,c']);
    expect(s('Fields', '  foo bar\u00a0baz\t\n')).toEqual(['foo', 'bar', 'baz']);
    expect(s('Fields', '   ')).toEqual([]);
    expect(s('Join', ['Hello', 'World!'], ' ')).toBe('Hello World!');
    expect(s('Join', [], '-')).toBe('');
  });

  it('rejects non-string list elements in Join', () => {
    expect(() => s('Join', [1n, 2n], ' ')).toThrow(BuiltinError);
    expect(() => s('Join', ['a', 1n], ' ')).toThrow(/invalid list element 1 in argument 0 to call: cannot use value 1 \(int\) as string/);
  });

  it('maps case per rune with simple mappings', () => {
    expect(s('ToUpper', 'héllo wörld')).toBe('HÉLLO WÖRLD');
    expect(s('ToUpper', 'straße')).toBe('STRAßE'); // Go keeps ß (no special casing)
    expect(s('ToLower', 'ÀB İ')).toBe('àb i');
    expect(s('ToTitle', 'alpha beta')).toBe('Alpha Beta');
    expect(s('ToTitle', 'héllo wörld')).toBe('Héllo Wörld');
    expect(s('ToTitle', 'ǆemal')).toBe('ǅemal');
    // Results produced by Go: simple case mappings, never expanding to several letters.
    expect(s('ToUpper', 'ᾳᾀῳῃᾈßŉǅǆ')).toBe('ᾼᾈῼῌᾈßŉǄǄ');
    expect(s('ToLower', 'ᾈᾼİǅǄΣ')).toBe('ᾀᾳiǆǆσ');
    expect(s('ToTitle', 'ᾳx ǆy ß')).toBe('ᾼx ǅy ß');
    expect(s('ToCamel', 'AlphaBeta')).toBe('alphaBeta');
    expect(s('ToCamel', 'Alpha Beta')).toBe('alpha beta');
  });

  it('trims', () => {
    expect(s('Trim', '¡¡¡Hello, Gophers!!!', '!¡')).toBe('Hello, Gophers');
    expect(s('TrimLeft', 'xxhixx', 'x')).toBe('hixx');
    expect(s('TrimRight', 'xxhixx', 'x')).toBe('xxhi');
    expect(s('TrimSpace', ' \t\n Hello, Gophers \n\t\r\n')).toBe('Hello, Gophers');
    expect(s('TrimSpace', '\u3000x\u0085')).toBe('x');
    expect(s('TrimSpace', '\ufeffx')).toBe('\ufeffx'); // U+FEFF is not a Go space
    expect(s('TrimPrefix', 'prefix-body', 'prefix-')).toBe('body');
    expect(s('TrimPrefix', 'body', 'x')).toBe('body');
    expect(s('TrimSuffix', 'file.cue', '.cue')).toBe('file');
  });

  it('replaces, repeats and slices runes', () => {
    expect(s('Replace', 'oink oink oink', 'k', 'ky', 2n)).toBe('oinky oinky oink');
    expect(s('Replace', 'oink oink oink', 'oink', 'moo', -1n)).toBe('moo moo moo');
    expect(s('Replace', 'abc', '', '-', -1n)).toBe('-a-b-c-');
    expect(s('Replace', 'abc', '', '-', 2n)).toBe('-a-bc');
    expect(s('Repeat', 'ab', 3n)).toBe('ababab');
    expect(s('Repeat', 'ab', 0n)).toBe('');
    expect(() => s('Repeat', 'ab', -1n)).toThrow('negative count');
    expect((s('Repeat', 'a', 1000000n) as string).length).toBe(1000000);
    expect(() => s('Repeat', 'a', 200000000n)).toThrow('count 200000000 exceeds limit of 1000000');
    expect(s('SliceRunes', '✓ Hello', 0n, 3n)).toBe('✓ H');
    expect(() => s('SliceRunes', 'abc', 2n, 1n)).toThrow('index out of range');
    expect(s('Runes', 'Café')).toEqual([67n, 97n, 102n, 233n]);
    expect(s('Runes', '😀')).toEqual([0x1f600n]);
    expect(s('ByteAt', 'a', 0n)).toBe(97n);
    expect(s('ByteAt', 'é', 1n)).toBe(0xa9n);
    expect(() => s('ByteAt', 'a', 1n)).toThrow('index out of range');
    expect(s('ByteSlice', 'Hello', 2n, 5n)).toEqual(new TextEncoder().encode('llo'));
  });

  it('compares in code point order', () => {
    expect(s('Compare', 'a', 'b')).toBe(-1n);
    expect(s('Compare', 'b', 'a')).toBe(1n);
    expect(s('Compare', 'a', 'a')).toBe(0n);
    expect(s('Compare', '\uffff', '😀')).toBe(-1n); // UTF-16 order would say otherwise
  });

  it('validates rune counts', () => {
    expect(s('MinRunes', 'hello', 3n)).toBe(true);
    expect(s('MinRunes', 'hello', 10n)).toBe(false);
    expect(s('MaxRunes', 'quux', 3n)).toBe(false);
    expect(s('MaxRunes', 'ééé', 3n)).toBe(true);
    expect(s('MaxRunes', '', 0n)).toBe(true);
    expect(builtinPackages.get('strings')!.funcs.MinRunes!.validator).toBe(true);
  });

  it('Split then Join round-trips', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1, maxLength: 3 }), (x, sep) => {
        expect(s('Join', s('Split', x, sep) as string[], sep)).toBe(x);
      }),
    );
  });
});
