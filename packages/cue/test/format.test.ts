import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BinaryExpr, Expr, Field, File, Ident, StructLit } from '../src/ast.js';
import { formatNode } from '../src/format.js';
import { parseExpr, parseFile } from '../src/parser.js';

const fmt = (src: string, comments = false) => formatNode(parseFile('t.cue', src, { comments }));

function shape(n: unknown): string {
  return JSON.stringify(n, (k, v) => (k === 'pos' || k === 'end' || k === 'pathPos' || k === 'comments' || k === 'filename' ? undefined : v));
}

describe('formatNode: canonical output', () => {
  it('prints one field per line with tabs and normalised spacing', () => {
    expect(fmt('a:1,b :  "x"\n c: {d: 2, e: [1,2,  3]}')).toBe('a: 1\nb: "x"\nc: {\n\td: 2\n\te: [1, 2, 3]\n}\n');
  });

  it('prints the preamble with blank lines between sections', () => {
    expect(fmt('@if(x)\npackage p\nimport "strings"\nimport m "a.b/c@v1"\nx: strings.ToUpper("a")')).toBe(
      '@if(x)\n\npackage p\n\nimport (\n\t"strings"\n\tm "a.b/c@v1"\n)\n\nx: strings.ToUpper("a")\n',
    );
    expect(fmt('import "strings"\na: 1')).toBe('import "strings"\n\na: 1\n');
  });

  it('parenthesises a number selected from, which would otherwise take the dot', () => {
    // `1.a` reads as the float `1.` then `a`: found by parser-fuzz's round trip.
    for (const [src, want] of [
      ['x: 1 . a', 'x: (1).a\n'],
      ['x: 1.5 . a', 'x: (1.5).a\n'],
      ['x: 0x1F.a', 'x: (0x1F).a\n'],
    ] as const) {
      const out = fmt(src);
      expect(out).toBe(want);
      expect(fmt(out)).toBe(out);
    }
  });

  it('keeps the short form, field markers, labels and attributes', () => {
    expect(fmt('a: b?: c!: 1 @x(1)  @y()')).toBe('a: b?: c!: 1 @x(1) @y()\n');
    expect(fmt('[X=string]: {n: X}\n(k): 1\n"\\(k)x": 2\nY=z: 3\n[=~"a"]: int')).toBe(
      '[X=string]: {\n\tn: X\n}\n(k): 1\n"\\(k)x": 2\nY=z: 3\n[=~"a"]: int\n',
    );
  });

  it('prints expressions with minimal parentheses', () => {
    const cases: [string, string][] = [
      ['a|b&c', 'a | b & c'],
      ['(a|b)&c', '(a | b) & c'],
      ['*1|int', '*1 | int'],
      ['>=1&<10', '>=1 & <10'],
      ['a.b[1][2:3](x,y)', 'a.b[1][2:3](x, y)'],
      ['[...]', '[...]'],
      ['[1,...int]', '[1, ...int]'],
      ['x."a-b"', 'x."a-b"'],
      ['{}', '{}'],
      ['_|_', '_|_'],
      ['"a\\(x+1)b"', '"a\\(x + 1)b"'],
      ['[for x in y if x>1 let z=x {z}]', '[for x in y if x > 1 let z = x {\n\tz\n}]'],
    ];
    for (const [src, want] of cases) expect(formatNode(parseExpr(src)), src).toBe(want);
  });

  it('adds parentheses that precedence needs in synthesized trees', () => {
    const id = (name: string): Ident => ({ type: 'Ident', name, pos: { file: '', line: 1, col: 1, offset: 0 } });
    const bin = (op: BinaryExpr['op'], x: Expr, y: Expr): Expr => ({ type: 'BinaryExpr', op, x, y, pos: x.pos });
    expect(formatNode(bin('&', bin('|', id('a'), id('b')), id('c')))).toBe('(a | b) & c');
    expect(formatNode(bin('-', id('a'), bin('-', id('b'), id('c'))))).toBe('a - (b - c)');
    expect(formatNode(bin('*', id('a'), bin('+', id('b'), id('c'))))).toBe('a * (b + c)');
    expect(formatNode({ type: 'UnaryExpr', op: '-', x: bin('+', id('a'), id('b')), pos: id('a').pos })).toBe('-(a + b)');
    expect(formatNode({ type: 'SelectorExpr', x: bin('&', id('a'), id('b')), sel: id('c'), pos: id('a').pos })).toBe('(a & b).c');
    expect(formatNode({ type: 'BasicLit', kind: 'string', raw: '', value: 'q"\n', pos: id('a').pos })).toBe('"q\\"\\n"');
  });

  it('keeps tokens apart where concatenation would change the lexing', () => {
    expect(formatNode(parseExpr('! =~"a"'))).toBe('! =~"a"');
    expect(formatNode(parseExpr('[X= =~"a"]'))).toBe('[X= =~"a"]');
    expect(parseFile('t.cue', fmt('[X = =~"foo"]: 1'))).toBeTruthy();
  });

  it('prints postfix ellipsis (explicitopen)', () => {
    const src = '@experiment(explicitopen)\n\na: {\n\t#B...\n}\nx: y... & (c & d)...\n';
    expect(fmt(src)).toBe(src);
  });

  it('prints postfix aliases (aliasv2) as written', () => {
    const src = '@experiment(aliasv2)\n\na~X: 1\nb~(K,V)?: c~(_,W): 2\n[string]~(P,_): 3\n';
    expect(fmt(src)).toBe(src);
    expect(fmt('@experiment(aliasv2)\na~(X): 1')).toBe('@experiment(aliasv2)\n\na~X: 1\n');
  });

  it("prints unary '==' (structcmp), self (aliasv2) and try/else/fallback (try)", () => {
    const src = '@experiment(structcmp,aliasv2,try)\n\na: ==(self + 1)\nb: ! ==1\ntry {\n\tc: 1\n}\nif x {\n\td: 1\n} else {\n\te: 1\n}\nl: [for y in z {y} fallback {0}]\n';
    expect(fmt(src)).toBe(src.replace('[for y in z {y} fallback {0}]', '[for y in z {\n\ty\n} fallback {\n\t0\n}]'));
    expect(fmt(fmt(src))).toBe(fmt(src));
  });

  it('keeps literals exactly as written', () => {
    const src = 'a: 0x1F\nb: 1.5Ki\nc: #"r\\n"#\nd: \'\\xff\'\ne: """\n\t\tx\n\t\t"""\nf: 1_000\n';
    expect(fmt(src)).toBe(src);
  });

  it('prints interpolations with newlines as indented multi-line strings', () => {
    const src = 'a: {\n\ts: """\n\t\tline "one" \\(x)\n\t\t\\""""q \\({b: 1})\n\n\t\t"""\n}\n';
    const out = fmt(src);
    expect(out).toBe('a: {\n\ts: """\n\t\tline "one" \\(x)\n\t\t\\""""q \\({\n\t\t\tb: 1\n\t\t})\n\n\t\t"""\n}\n');
    expect(shape(parseFile('t.cue', out))).toBe(shape(parseFile('t.cue', src)));
    expect(fmt("b: '''\n\tx\\(y)\n\tz\n\t'''")).toBe("b: '''\n\tx\\(y)\n\tz\n\t'''\n");
  });

  it('prints comprehensions, let, ellipsis and embeddings in structs', () => {
    expect(fmt('for k,v in x if v {(k): v}\nlet y = 1\nz: {#A, ...}')).toBe(
      'for k, v in x if v {\n\t(k): v\n}\nlet y = 1\nz: {\n\t#A\n\t...\n}\n',
    );
  });

  it('keeps comments in place', () => {
    const src = `// file doc
package p

// doc a
a: 1 // line a
b: {
	// doc c
	c: 2 // line c
	// trailing b
}
l: [
	1, // one
	// two doc
	2,
]
// end
`;
    expect(fmt(src, true)).toBe(src);
  });

  it('formats every kind of node on its own', () => {
    const f = parseFile('t.cue', 'import x "y"\na: b: 1\nfor k in l {}\nlet v = 1');
    expect(formatNode(f.imports[0]!)).toBe('x "y"');
    const a = f.decls[0] as Field;
    expect(formatNode(a)).toBe('a: b: 1');
    expect(formatNode(a.label)).toBe('a');
    expect(formatNode((a.value as StructLit).decls[0]!)).toBe('b: 1');
    const comp = f.decls[1]!;
    expect(comp.type === 'Comprehension' && formatNode(comp.clauses[0]!)).toBe('for k in l');
    expect(formatNode(f.decls[2]!)).toBe('let v = 1');
    expect(formatNode({ type: 'File', filename: 'e', attrs: [], imports: [], decls: [], pos: a.pos } satisfies File)).toBe('');
  });
});

// ------------------------------------------------------------------ property tests

/** Generates syntactically valid CUE source, covering the grammar broadly. */
const cueSource = (() => {
  const ident = fc.constantFrom('a', 'b', 'x', '#D', '_h', '_#p', '$v', 'int', 'string', 'X');
  const str = fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s));
  const leaf = fc.oneof(
    ident,
    fc.constantFrom('1', '0x1F', '1.5', '2Ki', '1e3', 'true', 'false', 'null', '_|_', '_', "'by'", '#"r"#', '"""\n\tml\n\t"""'),
    str,
  );
  const tree = fc.letrec<{ expr: string; decl: string; struct: string; label: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(fc.constantFrom('-', '!', '*', '>=', '<', '!=', '=~', '!~', '+'), tie('expr')).map(([o, x]) => `${o} ${x}`),
      fc
        .tuple(tie('expr'), fc.constantFrom('|', '&', '||', '&&', '==', '!=', '<', '<=', '>', '>=', '=~', '!~', '+', '-', '*', '/'), tie('expr'))
        .map(([x, o, y]) => `${x} ${o} ${y}`),
      tie('expr').map((x) => `(${x})`),
      fc.tuple(ident, fc.oneof(ident, fc.constant('"q-s"'))).map(([x, s]) => `${x}.${s}`),
      fc.tuple(ident, tie('expr')).map(([x, i]) => `${x}[${i}]`),
      fc.tuple(ident, fc.option(tie('expr')), fc.option(tie('expr'))).map(([x, l, h]) => `${x}[${l ?? ''}:${h ?? ''}]`),
      fc.tuple(ident, fc.array(tie('expr'), { maxLength: 3 })).map(([f, as]) => `${f}(${as.join(', ')})`),
      fc.array(tie('expr'), { minLength: 1, maxLength: 3 }).map((es) => `"i\\(${es.join(') and \\(')})"`),
      fc.array(tie('expr'), { minLength: 1, maxLength: 2 }).map((es) => `"""\n\t  l1 "q" \\(${es.join(')\n\t\\""""x\n\n\t\\(')})\n\t"""`),
      fc.tuple(fc.array(tie('expr'), { maxLength: 3 }), fc.option(fc.oneof(fc.constant(''), tie('expr'))))
        .map(([es, ell]) => `[${[...es, ...(ell === null ? [] : [`...${ell}`])].join(', ')}]`),
      fc.tuple(ident, tie('expr'), tie('struct')).map(([v, src, body]) => `[for ${v} in ${src} ${body}]`),
      tie('struct'),
    ),
    label: fc.oneof(
      ident,
      fc.constantFrom('"quoted-l"', 'for', 'if', 'in', 'let', 'package'),
      tie('expr').map((x) => `(${x})`),
      tie('expr').map((x) => `[${x}]`),
      tie('expr').map((x) => `[L = ${x}]`),
      ident.map((i) => `A=${i}`),
    ),
    decl: fc.oneof(
      { depthSize: 'small' },
      fc
        .tuple(fc.array(tie('label'), { minLength: 1, maxLength: 3 }), fc.constantFrom('', '?', '!'), tie('expr'), fc.constantFrom('', ' @a(x)', ' @a() @b(1, {c})'))
        .map(([ls, c, v, at]) => `${ls.map((l, i) => (i === 0 && c ? l + c : l)).join(': ')}: ${v}${at}`),
      tie('expr').map((x) => `E = ${x}`).map((x) => `v: ${x}`),
      tie('expr'),
      fc.tuple(ident, tie('expr')).map(([i, x]) => `let ${i}L = ${x}`),
      fc.tuple(ident, ident, tie('expr'), tie('expr'), tie('struct')).map(([k, v, s, c, b]) => `for ${k}, ${v} in ${s} if ${c} ${b}`),
      fc.tuple(tie('expr'), tie('struct')).map(([c, b]) => `if ${c}\nlet q = 1 ${b}`),
      fc.constantFrom('...', '...int', '@attr(decl)'),
    ),
    struct: fc.array(tie('decl'), { maxLength: 4 }).map((ds) => `{${ds.join(', ')}}`),
  }));
  return fc
    .tuple(fc.array(tree.decl, { maxLength: 5 }), fc.boolean())
    .map(([ds, pkg]) => (pkg ? 'package p\n\nimport "strings"\n\n' : '') + ds.join('\n') + '\n');
})();

describe('formatNode: round trip (property tests)', () => {
  it('re-parsing the output gives an equivalent AST, and formatting is idempotent', () => {
    fc.assert(
      fc.property(cueSource, (src) => {
        const a = parseFile('t.cue', src);
        const out = formatNode(a);
        const b = parseFile('t.cue', out);
        expect(shape(b)).toBe(shape(a));
        expect(formatNode(b)).toBe(out);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every comment through a round trip', () => {
    fc.assert(
      fc.property(cueSource, fc.array(fc.nat(), { maxLength: 4 }), (src, at) => {
        // Put comments at the ends of random lines.
        const lines = src.split('\n');
        let n = 0;
        for (const i of at) {
          const k = i % lines.length;
          if (!lines[k]!.includes('"""') && !lines[k]!.startsWith('\t') && lines[k] !== '') lines[k] += ` // c${n++}`;
        }
        const withComments = lines.join('\n');
        let a;
        try {
          a = parseFile('t.cue', withComments, { comments: true });
        } catch {
          return; // a comment inside a multi-line construct may end a line early; not the point here
        }
        const out = formatNode(a);
        for (let k = 0; k < n; k++) expect(out).toContain(`// c${k}`);
        const b = parseFile('t.cue', out, { comments: true });
        expect(shape(b)).toBe(shape(a));
      }),
      { numRuns: 200 },
    );
  });
});
