import { describe, expect, it } from 'vitest';
import type { Expr, Field, Label, Node, StructLit } from '../src/ast.js';
import { CueError, CueErrorList } from '../src/errors.js';
import { parseExpr, parseFile } from '../src/parser.js';
import { formatNode } from '../src/format.js';

/** Compact prefix form of an expression, to check tree shape and precedence. */
function sx(n: Node | string): string {
  if (typeof n === 'string') return JSON.stringify(n);
  switch (n.type) {
    case 'Ident':
      return n.name;
    case 'BasicLit':
      return n.raw;
    case 'BottomLit':
      return '_|_';
    case 'UnaryExpr':
      return `(${n.op}${sx(n.x)})`;
    case 'BinaryExpr':
      return `(${n.op} ${sx(n.x)} ${sx(n.y)})`;
    case 'ParenExpr':
      return `(paren ${sx(n.expr)})`;
    case 'SelectorExpr':
      return `(. ${sx(n.x)} ${sx(n.sel)})`;
    case 'IndexExpr':
      return `(idx ${sx(n.x)} ${sx(n.index)})`;
    case 'SliceExpr':
      return `(slice ${sx(n.x)} ${n.low ? sx(n.low) : '_'} ${n.high ? sx(n.high) : '_'})`;
    case 'CallExpr':
      return `(call ${sx(n.fun)}${n.args.map((a) => ' ' + sx(a)).join('')})`;
    case 'Interpolation':
      return `(interp ${n.parts.map(sx).join(' ')})`;
    case 'ListLit':
      return `[${n.elts.map(sx).join(' ')}]`;
    case 'StructLit':
      return `{${n.decls.map(sx).join(' ')}}`;
    case 'Ellipsis':
      return n.elem ? `(... ${sx(n.elem)})` : '...';
    case 'Alias':
      return `(= ${n.ident.name} ${sx(n.expr)})`;
    case 'Field':
      return `${sx(n.label)}${n.constraint}:${sx(n.value)}${n.attrs.map((a) => ' ' + a.text).join('')}`;
    case 'Embed':
      return `(embed ${sx(n.expr)})`;
    case 'LetClause':
      return `(let ${n.ident.name} ${sx(n.expr)})`;
    case 'Comprehension':
      return `(comp ${n.clauses.map(sx).join(' ')} ${sx(n.body)}${n.otherwise ? ` ${n.otherwise.keyword} ${sx(n.otherwise.body)}` : ''})`;
    case 'TryClause':
      return 'try';
    case 'ForClause':
      return `(for ${n.key ? n.key.name + ',' : ''}${n.value.name} ${sx(n.source)})`;
    case 'IfClause':
      return `(if ${sx(n.condition)})`;
    case 'Attribute':
      return n.text;
    case 'ParenLabel':
      return `(dyn ${sx(n.expr)})`;
    case 'PatternLabel':
      return `[${n.alias ? n.alias.name + '=' : ''}${sx(n.expr)}]`;
    case 'AliasLabel':
      return `${n.alias.name}=${sx(n.label)}`;
    case 'ImportSpec':
      return `(import ${n.name?.name ?? ''} ${n.path})`;
    case 'File':
      return n.decls.map(sx).join(' ');
  }
}

const e = (src: string) => sx(parseExpr(src));
const f = (src: string) => sx(parseFile('t.cue', src));

function syntaxErrors(src: string): string[] {
  try {
    parseFile('t.cue', src);
  } catch (err) {
    expect(err).toBeInstanceOf(CueErrorList);
    return (err as CueErrorList).errors.map((x) => {
      expect(x).toBeInstanceOf(CueError);
      expect(x.code).toBe('syntax');
      const p = x.positions[0]!;
      return `${p.file}:${p.line}:${p.col}: ${x.detail}`;
    });
  }
  throw new Error('expected a syntax error');
}

describe('parser: expressions and precedence', () => {
  it('orders binary operators | < & < || < && < relational < additive < multiplicative', () => {
    expect(e('a | b & c')).toBe('(| a (& b c))');
    expect(e('a & b | c')).toBe('(| (& a b) c)');
    expect(e('a || b && c')).toBe('(|| a (&& b c))');
    expect(e('a & b || c')).toBe('(& a (|| b c))');
    expect(e('a && b == c')).toBe('(&& a (== b c))');
    expect(e('a == b + c')).toBe('(== a (+ b c))');
    expect(e('a + b * c - d / e')).toBe('(- (+ a (* b c)) (/ d e))');
    expect(e('a - b - c')).toBe('(- (- a b) c)');
    expect(e('a =~ b != c')).toBe('(!= (=~ a b) c)');
    expect(e('(a | b) & c')).toBe('(& (paren (| a b)) c)');
  });

  it('parses unary operators, bounds and default markers', () => {
    expect(e('*1 | int')).toBe('(| (*1) int)');
    expect(e('>=1 & <10')).toBe('(& (>=1) (<10))');
    expect(e('!=x')).toBe('(!=x)');
    expect(e('=~"re" & !~"no"')).toBe('(& (=~"re") (!~"no"))');
    expect(e('-x * -2')).toBe('(* (-x) (-2))');
    expect(e('!!a')).toBe('(!(!a))');
    expect(e('<=5.0 & >0')).toBe('(& (<=5.0) (>0))');
    expect(e('+1')).toBe('(+1)');
  });

  it('parses primary expressions: selectors, index, slice, call', () => {
    expect(e('a.b.c')).toBe('(. (. a b) c)');
    expect(e('x."a-b".c')).toBe('(. (. x "a-b") c)');
    expect(e('a[1][k]')).toBe('(idx (idx a 1) k)');
    expect(e('a[1,]')).toBe('(idx a 1)');
    expect(e('a[1:2]')).toBe('(slice a 1 2)');
    expect(e('a[:2]')).toBe('(slice a _ 2)');
    expect(e('a[1:]')).toBe('(slice a 1 _)');
    expect(e('strings.Join(x, ",")')).toBe('(call (. strings Join) x ",")');
    expect(e('f()')).toBe('(call f)');
    expect(e('f(a,\n b,\n)')).toBe('(call f a b)');
    expect(e('a.if.for')).toBe('(. (. a if) for)');
    expect(e('len([1])')).toBe('(call len [1])');
  });

  it('parses literals of every kind', () => {
    expect(e('[1, 0x10, 1.5, 1Ki, "s", \'b\', true, false, null, _|_, _]')).toBe('[1 0x10 1.5 1Ki "s" \'b\' true false null _|_ _]');
    const lit = parseExpr('"a\\tb"');
    expect(lit).toMatchObject({ type: 'BasicLit', kind: 'string', value: 'a\tb', raw: '"a\\tb"' });
    expect(parseExpr("'\\xff'")).toMatchObject({ type: 'BasicLit', kind: 'bytes', value: '\xff' });
    expect(parseExpr('#"x\\ny"#')).toMatchObject({ kind: 'string', value: 'x\\ny' });
    expect(parseExpr('"""\n\tml\n\t"""')).toMatchObject({ kind: 'string', value: 'ml' });
    expect(parseExpr('true')).toMatchObject({ kind: 'bool' });
    expect(parseExpr('null')).toMatchObject({ kind: 'null' });
    expect(parseExpr('1.5Ki')).toMatchObject({ kind: 'int', raw: '1.5Ki' });
    expect(parseExpr('1e3')).toMatchObject({ kind: 'float' });
  });

  it('parses interpolations, nested and in raw, bytes and multi-line strings', () => {
    expect(e('"a\\(x)b"')).toBe('(interp "a" x "b")');
    expect(e('"\\(a)\\(b)"')).toBe('(interp "" a "" b "")');
    expect(e('"x\\("y\\(z + 1)")"')).toBe('(interp "x" (interp "y" (+ z 1) "") "")');
    expect(e('#"a\\#(x)\\(y)"#')).toBe('(interp "a" x "\\\\(y)")');
    expect(parseExpr("'b\\(x)'")).toMatchObject({ type: 'Interpolation', kind: 'bytes' });
    expect(e('"""\n\t\tl1 \\(x)\n\t\tl2\n\t\t"""')).toBe('(interp "l1 " x "\\nl2")');
    expect(e('"\\(f(a, (b)))"')).toBe('(interp "" (call f a (paren b)) "")');
  });

  it('parses lists with ellipsis, comprehensions and newline separators', () => {
    expect(e('[1, 2, ...int]')).toBe('[1 2 (... int)]');
    expect(e('[...]')).toBe('[...]');
    expect(e('[]')).toBe('[]');
    expect(e('[1,]')).toBe('[1]');
    expect(e('[\n\t1\n\t2\n]')).toBe('[1 2]');
    expect(e('[for x in a if x > 1 {x + 1}]')).toBe('[(comp (for x a) (if (> x 1)) {(embed (+ x 1))})]');
    expect(e('[1, for x in y {x}, 3]')).toBe('[1 (comp (for x y) {(embed x)}) 3]');
    expect(e('[X=1, X + 1]')).toBe('[(= X 1) (+ X 1)]');
  });

  it('rejects trailing garbage after an expression', () => {
    expect(() => parseExpr('a b')).toThrow(CueErrorList);
    expect(parseExpr('a\n')).toMatchObject({ type: 'Ident', name: 'a' });
  });
});

describe('parser: files and declarations', () => {
  it('parses package, attributes before it, and imports in all forms', () => {
    const file = parseFile(
      'f.cue',
      `@if(prod)
@experiment(x)
package foo

import "strings"
import (
	"list"
	m "mod.example/x@v1"
	"path:pkgname"
	"platform.company.com/catalog/simple-web-app:1.0.0-platform.1"
)
import s2 "strings"

a: 1
`,
    );
    expect(file.attrs.map((a) => [a.name, a.body])).toEqual([
      ['if', 'prod'],
      ['experiment', 'x'],
    ]);
    expect(file.package).toMatchObject({ name: 'foo', pos: { line: 3, col: 9 } });
    expect(file.imports.map(sx)).toEqual([
      '(import  strings)',
      '(import  list)',
      '(import m mod.example/x@v1)',
      '(import  path:pkgname)',
      '(import  platform.company.com/catalog/simple-web-app:1.0.0-platform.1)',
      '(import s2 strings)',
    ]);
    expect(file.imports[2]!.pathPos).toMatchObject({ line: 8, col: 4 });
    expect(sx(file)).toBe('a:1');
  });

  it('parses package-less files and keywords as labels', () => {
    expect(f('package: 1\nimport: 2\nfor: 3\nif: 4\nlet: 5\nin: 6\ntrue: 7\nnull: 8')).toBe(
      'package:1 import:2 for:3 if:4 let:5 in:6 true:7 null:8',
    );
    expect(f('a: for\nb: in.x')).toBe('a:for b:(. in x)');
  });

  it('accepts the keyword forms Go accepts', () => {
    expect(f('if!: 0, for!: 1, in!: 2\nfor?: if!: func: let!: 3')).toBe('if!:0 for!:1 in!:2 for?:{if!:{func:{let!:3}}}');
    expect(f('if=foo: 0\nfor=bar: 2\nlet=bar: 3')).toBe('if=foo:0 for=bar:2 let=bar:3');
    expect(f('foo: in & 2\nx: {if !a {b: 1}}')).toBe('foo:(& in 2) x:{(comp (if (!a)) {b:1})}');
    expect(f('a: int=>2')).toBe('a:(= int (>2))');
    expect(f('"\\(1)"()')).toBe('(embed (call (interp "" 1 "")))');
    expect(f('frontStyle: { "key": "value"\n\t, "key2": "value2"\n\t, "foo" : bar\n}')).toBe('frontStyle:{"key":"value" "key2":"value2" "foo":bar}');
    expect(f("import 'm\\x61th'\nimport #\"a\"#\na: 1")).toBe('a:1');
    expect(f('a: { __int }\nb: __no_sharing')).toBe('a:{(embed __int)} b:__no_sharing');
  });

  it('parses field kinds: optional, required, definitions, hidden, quoted', () => {
    expect(f('a?: int\nb!: string\n#D: {}\n_h: 1\n_#hd: 2\n"a-b": 3\n$x: 4')).toBe(
      'a?:int b!:string #D:{} _h:1 _#hd:2 "a-b":3 $x:4',
    );
  });

  it('expands the short form into nested single-field structs', () => {
    const file = parseFile('t.cue', 'a: b?: c: 1 @x()');
    expect(sx(file)).toBe('a:{b?:{c:1 @x()}}');
    const a = file.decls[0] as Field;
    const inner = a.value as StructLit;
    expect(inner.end).toBeUndefined();
    expect(inner.pos).toMatchObject({ line: 1, col: 4 });
    expect(((inner.decls[0] as Field).value as StructLit).decls[0]).toMatchObject({ pos: { col: 8 } });
  });

  it('parses dynamic labels, pattern constraints and aliases', () => {
    expect(f('(k): v')).toBe('(dyn k):v');
    expect(f('"\\(k)-x": v')).toBe('(interp "" k "-x"):v');
    expect(f('[string]: int')).toBe('[string]:int');
    expect(f('[=~"^a"]: int')).toBe('[(=~"^a")]:int');
    expect(f('[X=string]: {name: X}')).toBe('[X=string]:{name:X}');
    expect(f('X=label: 1')).toBe('X=label:1');
    expect(f('X="quoted": 1')).toBe('X="quoted":1');
    expect(f('X=(k): 1')).toBe('X=(dyn k):1');
    expect(f('X=[string]: 1')).toBe('X=[string]:1');
    expect(f('foo: X={x: X.a}')).toBe('foo:(= X {x:(. X a)})');
    expect(f('a: X = [1, X[0]]')).toBe('a:(= X [1 (idx X 0)])');
    expect(f('a: b: X=c: 1')).toBe('a:{b:{X=c:1}}');
    expect(f('a: [string]: [X=string]: X')).toBe('a:{[string]:{[X=string]:X}}');
  });

  it('parses let, embeddings, ellipsis and struct attributes', () => {
    expect(f('let x = 1\na: x')).toBe('(let x 1) a:x');
    expect(f('a: {\n\t#B\n\tc: 1\n\t...\n}')).toBe('a:{(embed #B) c:1 ...}');
    expect(f('a: {...string}')).toBe('a:{(... string)}');
    expect(f('a: {\n\t@jsonschema(id="x")\n\tb: 1\n}')).toBe('a:{@jsonschema(id="x") b:1}');
    expect(f('{a: 1} & {b: 2}')).toBe('(embed (& {a:1} {b:2}))');
    expect(f('1\n"s"\n[1]\n(x)')).toBe('(embed 1) (embed "s") (embed [1]) (embed (paren x))');
  });

  it('parses several field attributes', () => {
    const file = parseFile('t.cue', 'field: string @go(Field) @xml(,attr) @test(eq, {a: (1)})');
    const fld = file.decls[0] as Field;
    expect(fld.attrs.map((a) => [a.name, a.body, a.text])).toEqual([
      ['go', 'Field', '@go(Field)'],
      ['xml', ',attr', '@xml(,attr)'],
      ['test', 'eq, {a: (1)}', '@test(eq, {a: (1)})'],
    ]);
    expect(fld.attrs[1]!.pos).toMatchObject({ line: 1, col: 26 });
  });

  it('parses comprehensions at struct level, with clause chains on several lines', () => {
    expect(f('for k, v in x if v > 1 let y = v {\n\t"\\(k)": y\n}')).toBe(
      '(comp (for k,v x) (if (> v 1)) (let y v) {(interp "" k ""):y})',
    );
    expect(f('c: {\n\tfor x in a\n\tif x < 4\n\tlet y = 1 {\n\t\t"\\(x)": x + y\n\t}\n}')).toBe(
      'c:{(comp (for x a) (if (< x 4)) (let y 1) {(interp "" x ""):(+ x y)})}',
    );
    expect(f('if a {b: 1}\nif c {}')).toBe('(comp (if a) {b:1}) (comp (if c) {})');
  });

  it('accepts commas, newlines and JSON input', () => {
    expect(f('a: 1, b: 2,')).toBe('a:1 b:2');
    expect(f('{"a": 1, "b": [true, null]}')).toBe('(embed {"a":1 "b":[true null]})');
    expect(f('a: {\n}\nb: [\n]')).toBe('a:{} b:[]');
    expect(f('')).toBe('');
    expect(f('// only a comment\n')).toBe('');
  });

  it('parses postfix ... when @experiment(explicitopen) is on, and only then', () => {
    const src = '@experiment(explicitopen)\npackage p\n\nA: {#B...\n\tc: 1}\nx: y... & foo.bar...\nb: (c & d)...\ne: fn()...';
    expect(f(src)).toBe('A:{(embed (... #B)) c:1} x:(& (... y) (... (. foo bar))) b:(... (paren (& c d))) e:(... (call fn))');
    const file = parseFile('t.cue', src);
    expect((((file.decls[0] as Field).value as StructLit).decls[0] as Extract<Node, { type: 'Embed' }>).expr).toMatchObject({
      type: 'Ellipsis',
      postfix: true,
      elem: { type: 'Ident', name: '#B' },
    });
    expect(parseExpr('a... & b', '-', { experiments: ['explicitopen'] })).toMatchObject({ type: 'BinaryExpr', x: { type: 'Ellipsis', postfix: true } });
    expect(syntaxErrors('x: y...')).toEqual(['t.cue:1:5: postfix ... operator requires @experiment(explicitopen)']);
    expect(syntaxErrors('@experiment(explicitopen)\nx: [y...]')[0]).toBe("t.cue:2:5: not supported yet: postfix '...' as a list element");
  });

  it('parses @experiment(aliasv2) postfix aliases and desugars them into classic aliases', () => {
    const src = '@experiment(aliasv2)\na~X: 1\nb~(K,V)?: 2\nc~(_,W): d~(L,_): 3\n[string]~(P,F): 4\n("e")~(Y): 5\n"\\(k)"~Z: 6';
    expect(f(src)).toBe('X=a:1 V=b?:2 W=c:{d:3} F=[P=string]:4 Y=(dyn "e"):5 Z=(interp "" k ""):6');
    const file = parseFile('t.cue', src);
    const fields = file.decls as Field[];
    expect(fields.map((x) => x.postfixAlias && [x.postfixAlias.dual, x.postfixAlias.label?.name, x.postfixAlias.field?.name])).toEqual([
      [false, undefined, 'X'],
      [true, 'K', 'V'],
      [true, undefined, 'W'],
      [true, 'P', 'F'],
      [false, undefined, 'Y'],
      [false, undefined, 'Z'],
    ]);
    const inner = (fields[2]!.value as StructLit).decls[0] as Field;
    expect(inner.label).toMatchObject({ type: 'Ident', name: 'd' });
    expect(inner.postfixAlias).toMatchObject({ dual: true, label: { name: 'L' } });
    expect(fields[0]!.postfixAlias!.pos).toMatchObject({ line: 2, col: 2 });
    expect(syntaxErrors('a~X: 1')).toEqual(['t.cue:1:2: postfix alias syntax requires @experiment(aliasv2)']);
    expect(syntaxErrors('@experiment(aliasv2)\nX=a~Y: 1')[0]).toMatch(/both a prefix/);
  });

  it("parses unary '==' only with @experiment(structcmp)", () => {
    expect(f('@experiment(structcmp)\na: ==(self + 1)\nb: {==3}\nc: ! ==1')).toBe('a:(==(paren (+ self 1))) b:{(embed (==3))} c:(!(==1))');
    expect(syntaxErrors('a: ==3')).toEqual(["t.cue:1:4: unary '==' requires @experiment(structcmp)"]);
  });

  it('marks self as the enclosing value only with @experiment(aliasv2)', () => {
    const selfOf = (src: string) => ((parseFile('t.cue', src).decls[0] as Field).value as Extract<Node, { type: 'SelectorExpr' }>).x;
    expect(selfOf('@experiment(aliasv2)\na: self.b')).toMatchObject({ type: 'Ident', name: 'self', self: true });
    expect(selfOf('a: self.b')).not.toHaveProperty('self');
  });

  it('parses try, else and fallback comprehensions with @experiment(try)', () => {
    const src = '@experiment(try)\ntry {a: 1}\nif x {b: 1} else {c: 1}\nl: [for y in z {y} fallback {0}]';
    expect(f(src)).toBe('(comp try {a:1}) (comp (if x) {b:1} else {c:1}) l:[(comp (for y z) {(embed y)} fallback {(embed 0)})]');
    expect(syntaxErrors('if x {b: 1} else {c: 1}')).toEqual(["t.cue:1:13: 'else' clause requires @experiment(try)"]);
    expect(syntaxErrors('@experiment(try)\nfor x in y {} else {}')).toEqual(["t.cue:2:15: use 'fallback' with 'for' clauses"]);
    // Without the experiment `try` stays an ordinary identifier.
    expect(f('try: 1\na: try')).toBe('try:1 a:try');
  });

  it('accepts CRLF line endings and unicode identifiers', () => {
    expect(f('a: 1\r\nb: "x" // c\r\nc: """\r\n\ty\r\n\t"""\r\n')).toBe('a:1 b:"x" c:"""\r\n\ty\r\n\t"""');
    expect(parseFile('t.cue', 'c: """\r\n\ty\r\n\t"""').decls[0]).toMatchObject({ value: { value: 'y' } });
    expect(f('αβ: 1\n𝒜x: αβ')).toBe('αβ:1 𝒜x:αβ');
  });

  it('positions expressions inside interpolations in the enclosing file', () => {
    const file = parseFile('t.cue', 'a: 1\nb: "x\\(a + "\\(c)")"');
    const v = (file.decls[1] as Field).value as Extract<Expr, { type: 'Interpolation' }>;
    const inner = v.parts[1] as Extract<Expr, { type: 'BinaryExpr' }>;
    expect(inner.x.pos).toMatchObject({ line: 2, col: 8 });
    const nested = inner.y as Extract<Expr, { type: 'Interpolation' }>;
    expect(nested.pos).toMatchObject({ line: 2, col: 12 });
    expect((nested.parts[1] as Expr).pos).toMatchObject({ line: 2, col: 15 });
  });

  it('records positions on nodes', () => {
    const file = parseFile('p.cue', 'a: {\n\tb: x.y + 1\n}\n');
    const a = file.decls[0] as Field;
    expect(a.pos).toMatchObject({ file: 'p.cue', line: 1, col: 1, offset: 0 });
    const s = a.value as StructLit;
    expect(s.pos).toMatchObject({ line: 1, col: 4 });
    expect(s.end).toMatchObject({ line: 3, col: 1 });
    const b = s.decls[0] as Field;
    expect(b.pos).toMatchObject({ line: 2, col: 2 });
    const bin = b.value as Extract<Expr, { type: 'BinaryExpr' }>;
    expect(bin.pos).toMatchObject({ line: 2, col: 5 });
    expect(bin.y.pos).toMatchObject({ line: 2, col: 11 });
    expect((bin.x as Extract<Expr, { type: 'SelectorExpr' }>).sel.pos).toMatchObject({ col: 7 });
    expect((b.label as Label).pos).toMatchObject({ line: 2, col: 2 });
  });
});

describe('parser: comments', () => {
  it('drops comments unless asked', () => {
    const file = parseFile('t.cue', '// doc\na: 1 // line\n');
    expect(file.decls[0]!.comments).toBeUndefined();
  });

  it('attaches doc, line and trailing comments', () => {
    const src = `// file doc
package p

// doc for a
// second line
a: 1 // line a
b: {
	// inner doc
	c: 2
	// trailing in b
}
l: [
	1, // one
	// doc two
	2,
]
// end of file
`;
    const file = parseFile('t.cue', src, { comments: true });
    expect(file.comments?.doc?.map((c) => c.text)).toEqual(['// file doc']);
    const [a, b, l] = file.decls as Field[];
    expect(a!.comments?.doc?.map((c) => c.text)).toEqual(['// doc for a', '// second line']);
    expect(a!.comments?.line).toMatchObject({ text: '// line a', pos: { line: 6, col: 6 } });
    const bs = b!.value as StructLit;
    expect(bs.decls[0]!.comments?.doc?.[0]?.text).toBe('// inner doc');
    expect(bs.comments?.trailing?.map((c) => c.text)).toEqual(['// trailing in b']);
    const ll = l!.value as Extract<Expr, { type: 'ListLit' }>;
    expect(ll.elts[0]!.comments?.line?.text).toBe('// one');
    expect(ll.elts[1]!.comments?.doc?.[0]?.text).toBe('// doc two');
    expect(file.comments?.trailing?.map((c) => c.text)).toEqual(['// end of file']);
  });
});

describe('parser: errors', () => {
  it('reports an unterminated string at its line:col', () => {
    expect(syntaxErrors('a: 1\nb: "abc\nc: 2\n')).toEqual(['t.cue:2:4: string literal not terminated']);
  });

  it('reports missing commas, colons and operands', () => {
    expect(syntaxErrors('a: 1 b: 2')[0]).toBe("t.cue:1:6: missing ',' in struct literal");
    expect(syntaxErrors('a: \n')[0]).toBe("t.cue:2:1: expected operand, found 'EOF'");
    expect(syntaxErrors('a: 1 +\n}')[0]).toBe("t.cue:2:1: expected operand, found '}'");
    expect(syntaxErrors('a: [1 2]')[0]).toBe("t.cue:1:7: missing ',' in list literal");
    expect(syntaxErrors('a b')[0]).toBe("t.cue:1:3: expected label or ':', found b");
    expect(syntaxErrors('a: {\n\tb: 1\n')[0]).toBe("t.cue:3:1: expected '}', found 'EOF'");
    expect(syntaxErrors('a: (1\n')[0]).toBe("t.cue:1:6: expected ')', found newline");
    expect(syntaxErrors('}')[0]).toBe("t.cue:1:1: expected 'EOF', found '}'");
    expect(syntaxErrors('a: x.(y)\n')[0]).toBe("t.cue:1:6: expected selector, found '('");
  });

  it('reports label errors', () => {
    expect(syntaxErrors('[a, b]: 1')[0]).toBe('t.cue:1:1: square bracket must have exactly one element');
    expect(syntaxErrors('__x: 1')[0]).toBe("t.cue:1:1: identifiers starting with '__' are reserved");
    expect(syntaxErrors('let __v = 1')[0]).toBe("t.cue:1:5: identifiers starting with '__' are reserved");
    expect(syntaxErrors('l: [for k, __v in x {}]')[0]).toBe("t.cue:1:12: identifiers starting with '__' are reserved");
    expect(syntaxErrors('foo: __b=bar: 1')[0]).toBe("t.cue:1:6: identifiers starting with '__' are reserved");
    expect(syntaxErrors('package #x')[0]).toBe('t.cue:1:9: invalid package name #x');
    expect(syntaxErrors('import _#x "foo"')[0]).toBe('t.cue:1:8: cannot import package as definition identifier');
    expect(syntaxErrors('import . "foo"')[0]).toBe("t.cue:1:8: expected 'STRING', found '.'");
    expect(syntaxErrors('a: 2 div 3')[0]).toBe("t.cue:1:6: infix 'div' is an operator only before language version v0.17.0 (cue.mod/module.cue language: version:); use div(x, y)");
    expect(formatNode(parseFile('t.cue', 'a: x div 2 * y mod 3', { languageVersion: 'v0.16.1' }))).toBe('a: x div 2 * y mod 3\n');
    expect(syntaxErrors('a: fmt. }')[0]).toBe("t.cue:1:9: expected selector, found '}'");
    expect(syntaxErrors('X=1')[0]).toMatch(/^t.cue:1:1: old-style alias/);
    expect(syntaxErrors('import "a b"')[0]).toBe('t.cue:1:8: invalid import path: "a b"');
  });

  it('import paths: white space and Unicode "other" characters are invalid, ASCII or not; letters of any script are valid', () => {
    expect(syntaxErrors('import "a\\tb"')[0]).toBe('t.cue:1:8: invalid import path: "a\\tb"');
    expect(syntaxErrors('import "a\u007fb"')[0]).toBe('t.cue:1:8: invalid import path: "a\u007fb"');
    expect(syntaxErrors('import "a\u200bb"')[0]).toBe('t.cue:1:8: invalid import path: "a\u200bb"');
    expect(syntaxErrors('import "a\u3000b"')[0]).toBe('t.cue:1:8: invalid import path: "a\u3000b"');
    expect(parseFile('t.cue', 'import "x.example/caf\u00e9/\u{1d4b3}"\nimport "x.example/a-b_c~d"').imports.map((i) => i.path)).toEqual(['x.example/café/\u{1d4b3}', 'x.example/a-b_c~d']);
  });

  it('attribute names hold letters and decimal digits of any script', () => {
    const f = parseFile('t.cue', 'a: 1 @café(x)\nb: 1 @x\u0663(y)');
    expect(f.decls.map((d) => (d as Field).attrs.map((a) => a.name))).toEqual([['café'], ['x\u0663']]);
  });

  it('reports several errors on different lines, in source order', () => {
    const errs = syntaxErrors('a: 1 1\nb: )\nc: "x\n');
    expect(errs.length).toBeGreaterThanOrEqual(3);
    expect(errs[0]).toMatch(/^t.cue:1:/);
    expect(errs.some((x) => x.startsWith('t.cue:2:4:'))).toBe(true);
    expect(errs).toContain('t.cue:3:4: string literal not terminated');
  });

  it('turns excessive nesting into a syntax error', () => {
    expect(syntaxErrors('a: ' + '('.repeat(5000) + '1' + ')'.repeat(5000))[0]).toMatch(/nesting too deep/);
    expect(syntaxErrors('a: ' + '{b: '.repeat(3000))[0]).toMatch(/nesting too deep/);
    expect(syntaxErrors('a: ' + '-'.repeat(5000) + '1')[0]).toMatch(/nesting too deep/);
  });

  it('stops after a bounded number of errors', () => {
    const src = Array.from({ length: 200 }, (_, i) => `a${i}: )`).join('\n');
    const errs = syntaxErrors(src);
    expect(errs.length).toBeLessThanOrEqual(11);
    expect(errs[0]).toBe("t.cue:1:5: expected operand, found ')'");
  });
});

describe('parser: performance', () => {
  it('parses a 200-line file in well under a millisecond on average', () => {
    const lines: string[] = ['package perf', 'import "strings"'];
    for (let i = 0; i < 40; i++) {
      lines.push(`#T${i}: {`, `\tname!: string & =~"^[a-z]+$"`, `\tport?: int & >=1 & <=65535 | *8080`, `\tlabels: [string]: "v\\(${i})"`, '}');
    }
    const src = lines.join('\n');
    expect(src.split('\n').length).toBeGreaterThanOrEqual(200);
    for (let i = 0; i < 300; i++) parseFile('p.cue', src); // let the JIT settle
    // CPU time, not wall time: the machine is shared with other test runs. Best of several batches.
    let best = Infinity;
    for (let b = 0; b < 10 && best >= 0.5; b++) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < 20; i++) parseFile('p.cue', src);
      const c = process.cpuUsage(c0);
      best = Math.min(best, (c.user + c.system) / 1000 / 20);
    }
    expect(best).toBeLessThan(1);
  });
});
