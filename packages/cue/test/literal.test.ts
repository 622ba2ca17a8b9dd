import { describe, expect, it } from 'vitest';
import { CueError } from '../src/errors.js';
import { decodeFragments, parseNumberLiteral, quoteBytes, quoteString, unquote } from '../src/literal.js';

describe('parseNumberLiteral', () => {
  it('decodes integers in every base, with separators', () => {
    expect(parseNumberLiteral('42')).toEqual({ kind: 'int', value: 42n });
    expect(parseNumberLiteral('0')).toEqual({ kind: 'int', value: 0n });
    expect(parseNumberLiteral('1_000_000')).toEqual({ kind: 'int', value: 1000000n });
    expect(parseNumberLiteral('0xBad_Face')).toEqual({ kind: 'int', value: 0xbadfacen });
    expect(parseNumberLiteral('0X1f')).toEqual({ kind: 'int', value: 31n });
    expect(parseNumberLiteral('0o755')).toEqual({ kind: 'int', value: 0o755n });
    expect(parseNumberLiteral('0b0101_0001')).toEqual({ kind: 'int', value: 81n });
    expect(parseNumberLiteral('170_141_183_460_469_231_731_687_303_715_884_105_727')).toEqual({
      kind: 'int',
      value: 170141183460469231731687303715884105727n,
    });
  });

  it('applies SI and IEC multipliers exactly, truncating toward zero', () => {
    expect(parseNumberLiteral('1K')).toEqual({ kind: 'int', value: 1000n });
    expect(parseNumberLiteral('1.5G')).toEqual({ kind: 'int', value: 1_500_000_000n });
    expect(parseNumberLiteral('1.5Ki')).toEqual({ kind: 'int', value: 1536n });
    expect(parseNumberLiteral('1.3Ki')).toEqual({ kind: 'int', value: 1331n });
    expect(parseNumberLiteral('.5Mi')).toEqual({ kind: 'int', value: 524288n });
    expect(parseNumberLiteral('2Pi')).toEqual({ kind: 'int', value: 2n ** 51n });
    expect(parseNumberLiteral('3T')).toEqual({ kind: 'int', value: 3_000_000_000_000n });
    expect(parseNumberLiteral('0Ki')).toEqual({ kind: 'int', value: 0n });
  });

  it('keeps floats as exact normalised decimal text', () => {
    expect(parseNumberLiteral('1.5e3')).toEqual({ kind: 'float', value: '1.5e3' });
    expect(parseNumberLiteral('0.')).toEqual({ kind: 'float', value: '0.0' });
    expect(parseNumberLiteral('.25')).toEqual({ kind: 'float', value: '0.25' });
    expect(parseNumberLiteral('072.40')).toEqual({ kind: 'float', value: '072.40' });
    expect(parseNumberLiteral('1.e+0')).toEqual({ kind: 'float', value: '1.0e+0' });
    expect(parseNumberLiteral('6.67428e-11')).toEqual({ kind: 'float', value: '6.67428e-11' });
    expect(parseNumberLiteral('1E6')).toEqual({ kind: 'float', value: '1e6' });
    expect(parseNumberLiteral('1_000.000_1')).toEqual({ kind: 'float', value: '1000.0001' });
  });

  it('rejects malformed input with a syntax CueError', () => {
    for (const bad of ['', 'abc', '0x', '1.2.3', 'K', '1e', '0b2']) {
      expect(() => parseNumberLiteral(bad), bad).toThrow(CueError);
    }
  });
});

describe('string unquoting', () => {
  it('decodes escapes in strings', () => {
    expect(unquote('"a\\nb\\t\\"\\\\\\/"')).toBe('a\nb\t"\\/');
    expect(unquote('"\\u65e5本\\U00008a9e"')).toBe('日本語');
    expect(unquote('"\\a\\b\\f\\r\\v"')).toBe('\x07\b\f\r\v');
    expect(unquote('"\\uD83D\\uDE00"')).toBe('😀');
  });

  it('decodes bytes as latin1 of their byte values', () => {
    expect(unquote("'a\\000\\xab'")).toBe('a\x00\xab');
    expect(unquote("'\\377'")).toBe('\xff');
    expect(unquote("'日'")).toBe('\xe6\x97\xa5');
    expect(unquote("'\\u00FF'")).toBe('\xc3\xbf');
    expect(unquote("'\\''")).toBe("'");
  });

  it('handles raw strings with any number of #', () => {
    expect(unquote('#"a\\nb"#')).toBe('a\\nb');
    expect(unquote('#"a\\#nb"#')).toBe('a\nb');
    expect(unquote('##"x"#y"##')).toBe('x"#y');
    expect(unquote('#"""#')).toBe('"');
    expect(unquote('#""hello""#')).toBe('"hello"');
  });

  it('strips multi-line indentation and the final newline', () => {
    const src = '"""\n    lily:\n    out of the water\n\n        — Nick\n    """';
    expect(unquote(src)).toBe('lily:\nout of the water\n\n    — Nick');
    expect(unquote('"""\r\n  a\r\n  b\r\n  """')).toBe('a\nb');
    expect(unquote("'''\n\tx\n\t'''")).toBe('x');
    expect(unquote('"""\n"""')).toBe('');
  });

  it('decodes interpolation fragments with shared multi-line indentation', () => {
    const { q, values } = decodeFragments(['"""\n\t\ta\\(', ')b\n\t\tc\\(', ')\n\t\t"""']);
    expect(q).toEqual({ char: '"', numHash: 0, multiline: true });
    expect(values).toEqual(['a', 'b\nc', '']);
    expect(decodeFragments(['#"x\\#(', ')y"#']).values).toEqual(['x', 'y']);
  });

  it('quotes back into literals that unquote to the same value', () => {
    for (const s of ['', 'plain', 'q"uote', 'back\\slash', 'new\nline', '\x01ctl', 'ünï😀', '\ud800']) {
      expect(unquote(quoteString(s))).toBe(s);
    }
    for (const b of ['', 'abc', "it's", '\x00\xff\x80', '\\']) {
      expect(unquote(quoteBytes(b))).toBe(b);
    }
  });
});
