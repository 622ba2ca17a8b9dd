import { describe, expect, it } from 'vitest';
import { Scanner } from '../src/scanner.js';
import { Tok, isLiteralTok, tokString } from '../src/tokens.js';

/** Token stream as compact strings: literals as KIND(text), inserted commas as ⏎. */
function toks(src: string): string[] {
  const s = new Scanner('t.cue', src);
  const out: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const t = s.scan();
    if (t === Tok.EOF) break;
    if (t === Tok.COMMA) out.push(s.lit === '\n' ? '⏎' : ',');
    else if (isLiteralTok(t) || t === Tok.ILLEGAL) out.push(`${tokString(t)}(${s.lit})`);
    else out.push(tokString(t));
  }
  return out;
}

function errors(src: string): string[] {
  const s = new Scanner('t.cue', src);
  while (s.scan() !== Tok.EOF);
  return s.errors.map((e) => {
    const p = s.pos(e.offset);
    return `${p.line}:${p.col}: ${e.msg}`;
  });
}

describe('scanner: identifiers and keywords', () => {
  it('scans identifier forms', () => {
    expect(toks('a _x9 #Def _#hid $v αβ _ __x')).toEqual([
      'IDENT(a)',
      'IDENT(_x9)',
      'IDENT(#Def)',
      'IDENT(_#hid)',
      'IDENT($v)',
      'IDENT(αβ)',
      'IDENT(_)',
      'IDENT(__x)',
      '⏎',
    ]);
  });

  it('scans keywords, and package/import as identifiers', () => {
    expect(toks('for in if let true false null package import')).toEqual([
      'for', 'in', 'if', 'let', 'true', 'false', 'null', 'IDENT(package)', 'IDENT(import)', '⏎',
    ]);
  });

  it('scans bottom and punctuation by longest match', () => {
    expect(toks('_|_ ... . && || & | == != =~ !~ <= >= < > = ! ? : ( ) [ ] { } + - * /')).toEqual([
      '_|_', '...', '.', '&&', '||', '&', '|', '==', '!=', '=~', '!~', '<=', '>=', '<', '>', '=', '!', '?', ':',
      '(', ')', '[', ']', '{', '}', '+', '-', '*', '/',
    ]);
  });
});

describe('scanner: comma insertion', () => {
  it('inserts after identifiers, literals, closing brackets, ?, ... and _|_', () => {
    expect(toks('a\n1\n"s"\n)\n]\n}\nx?\n...\n_|_\ntrue\n')).toEqual([
      'IDENT(a)', '⏎', 'INT(1)', '⏎', 'STRING("s")', '⏎', ')', '⏎', ']', '⏎', '}', '⏎', 'IDENT(x)', '?', '⏎',
      '...', '⏎', '_|_', '⏎', 'true', '⏎',
    ]);
  });

  it('does not insert after operators, colons, opening brackets or commas', () => {
    expect(toks('a &\nb\n')).toEqual(['IDENT(a)', '&', 'IDENT(b)', '⏎']);
    expect(toks('a:\n1')).toEqual(['IDENT(a)', ':', 'INT(1)', '⏎']);
    expect(toks('{\n[\n(\n')).toEqual(['{', '[', '(']);
    expect(toks('1,\n2')).toEqual(['INT(1)', ',', 'INT(2)', '⏎']);
  });

  it('does not insert before a leading , or : on the next line (JSON style)', () => {
    expect(toks('a\n: 1')).toEqual(['IDENT(a)', ':', 'INT(1)', '⏎']);
    expect(toks('1\n, 2')).toEqual(['INT(1)', ',', 'INT(2)', '⏎']);
  });

  it('inserts before a trailing comment and at EOF', () => {
    expect(toks('a // c\nb')).toEqual(['IDENT(a)', '⏎', 'IDENT(b)', '⏎']);
    expect(toks('a')).toEqual(['IDENT(a)', '⏎']);
  });

  it('records comments with positions', () => {
    const s = new Scanner('t.cue', 'a: 1 // one\n// two\nb: 2');
    while (s.scan() !== Tok.EOF);
    expect(s.comments.map((c) => [c.text, c.pos.line, c.pos.col])).toEqual([
      ['// one', 1, 6],
      ['// two', 2, 1],
    ]);
  });
});

describe('scanner: numbers', () => {
  it('scans integer forms', () => {
    expect(toks('42 0 0x1F 0XbadFace 0o755 0b0101_0001 1_000_000')).toEqual([
      'INT(42)', 'INT(0)', 'INT(0x1F)', 'INT(0XbadFace)', 'INT(0o755)', 'INT(0b0101_0001)', 'INT(1_000_000)', '⏎',
    ]);
  });

  it('scans multipliers as ints, also on decimals', () => {
    expect(toks('1K 1.5G 1.3Ki 2Mi 0Ki .5Ki')).toEqual(['INT(1K)', 'INT(1.5G)', 'INT(1.3Ki)', 'INT(2Mi)', 'INT(0Ki)', 'INT(.5Ki)', '⏎']);
  });

  it('scans floats', () => {
    expect(toks('0. 72.40 072.40 2.71828 1.e+0 6.67428e-11 1E6 .25 .12345E+5')).toEqual([
      'FLOAT(0.)', 'FLOAT(72.40)', 'FLOAT(072.40)', 'FLOAT(2.71828)', 'FLOAT(1.e+0)', 'FLOAT(6.67428e-11)', 'FLOAT(1E6)',
      'FLOAT(.25)', 'FLOAT(.12345E+5)', '⏎',
    ]);
  });

  it('reports malformed numbers', () => {
    expect(errors('0x')).toEqual(['1:1: illegal hexadecimal number']);
    expect(errors('0b')).toEqual(['1:1: illegal binary number']);
    expect(errors('1__0')).toEqual(["1:3: illegal '_' in number"]);
    expect(errors('10_')).toEqual(["1:3: illegal '_' in number"]);
    expect(errors('1e')).toEqual(['1:3: illegal exponent in number']);
    expect(errors('0755')).toEqual(['1:1: illegal integer number']);
  });
});

describe('scanner: strings', () => {
  it('scans simple, raw, bytes and multi-line strings', () => {
    expect(toks(`"a\\"b" #"raw "q" \\(x)"# ##"two"## 'by' "" #""# ''`)).toEqual([
      'STRING("a\\"b")', 'STRING(#"raw "q" \\(x)"#)', 'STRING(##"two"##)', "STRING('by')", 'STRING("")', 'STRING(#""#)', "STRING('')", '⏎',
    ]);
    expect(toks('"""\n\tabc\n\t"""')).toEqual(['STRING("""\n\tabc\n\t""")', '⏎']);
    expect(toks("'''\n  x\n  '''")).toEqual(["STRING('''\n  x\n  ''')", '⏎']);
    expect(toks('#"""#')).toEqual(['STRING(#"""#)', '⏎']);
  });

  it('stops at an interpolation and resumes after the closing paren', () => {
    const s = new Scanner('t.cue', '"a\\(x)b\\(y)c" z');
    expect(s.scan()).toBe(Tok.INTERPOLATION);
    expect(s.lit).toBe('"a\\(');
    expect(s.scan()).toBe(Tok.LPAREN);
    expect(s.scan()).toBe(Tok.IDENT);
    expect(s.scan()).toBe(Tok.RPAREN);
    expect(s.resumeInterpolation()).toBe(Tok.INTERPOLATION);
    expect(s.lit).toBe(')b\\(');
    s.scan();
    s.scan();
    s.scan();
    expect(s.resumeInterpolation()).toBe(Tok.STRING);
    expect(s.lit).toBe(')c"');
    expect(s.scan()).toBe(Tok.IDENT);
    expect(s.lit).toBe('z');
  });

  it('only treats \\#( as interpolation in #-strings', () => {
    expect(toks('#"\\(x)"#')).toEqual(['STRING(#"\\(x)"#)', '⏎']);
    expect(toks('#"a\\#(x)"#')[0]).toBe('INTERPOLATION(#"a\\#()');
  });

  it('reports unterminated strings at their start', () => {
    expect(errors('a: "abc\nb: 1')).toEqual(['1:4: string literal not terminated']);
    expect(errors('x: 1\ny: """\n  abc\n')).toEqual(['2:4: string literal not terminated']);
    expect(errors("'abc")).toEqual(['1:1: string literal not terminated']);
  });

  it('validates escapes', () => {
    expect(errors('"\\q"')).toEqual(['1:3: unknown escape sequence']);
    expect(errors('"\\x41"')).toEqual(['1:3: hexadecimal escape not allowed in string literal']);
    expect(errors('"\\101"')).toEqual(['1:3: octal escape not allowed in string literal']);
    expect(errors("'\\xa'")).toEqual([`1:5: illegal character U+0027 ''' in escape sequence`]);
    expect(errors('"\\U00110000"')).toEqual(['1:3: escape sequence is invalid Unicode code point']);
    expect(errors("'\\xff\\377\\u00FF\\n\\''")).toEqual([]);
  });

  it('requires a newline after a multi-line opener and matching indentation', () => {
    expect(errors('x: """abc')).toEqual(['1:4: expected newline after multiline quote """']);
    expect(errors('"""\n  a\n b\n  """')[0]).toMatch(/^1:1: non-matching whitespace for multiline string/);
  });
});

describe('scanner: attributes and misc', () => {
  it('scans attributes with balanced bodies as one token', () => {
    expect(toks('@go(Foo,omitempty) @test(eq, {a: [1, (2)]}) @x()')).toEqual([
      'ATTRIBUTE(@go(Foo,omitempty))',
      'ATTRIBUTE(@test(eq, {a: [1, (2)]}))',
      'ATTRIBUTE(@x())',
      '⏎',
    ]);
    expect(toks('@test(eq, ")")')).toEqual(['ATTRIBUTE(@test(eq, ")"))', '⏎']);
  });

  it('reports broken attributes', () => {
    expect(errors('@foo(a, (b)')).toEqual(["1:12: attribute missing ')'"]);
    expect(errors('@foo x')[0]).toMatch(/invalid attribute: expected '\('/);
    expect(errors('@foo(a])')).toEqual(["1:7: unexpected ']'"]);
  });

  it('reports illegal characters with their code point', () => {
    expect(errors('a: 1 ^ 2')).toEqual([`1:6: illegal character U+005E '^'`]);
    expect(errors('a: ..')).toEqual(["1:4: illegal token '..'; expected '.'"]);
  });

  it('skips a leading byte order mark and tracks columns in UTF-16 units', () => {
    const s = new Scanner('t.cue', '\uFEFFa: "😀" b');
    expect(s.scan()).toBe(Tok.IDENT);
    s.scan();
    s.scan();
    expect(s.scan()).toBe(Tok.IDENT);
    expect(s.pos(s.tokOffset)).toMatchObject({ line: 1, col: 10, offset: 9 });
  });

  it('is linear on long inputs', () => {
    const big = 'a: "x"\n'.repeat(20_000) + '"' + 'y'.repeat(100_000);
    const c0 = process.cpuUsage();
    expect(errors(big)).toEqual(['20001:1: string literal not terminated']);
    const c = process.cpuUsage(c0);
    expect((c.user + c.system) / 1000).toBeLessThan(1000);
  });
});
