// formatNode(…, { source: true }): the layout-following mode `opm cue fmt` uses (issue 13).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNode } from '../src/format.js';
import { parseFile } from '../src/parser.js';

const fmt = (src: string) => formatNode(parseFile('t.cue', src, { comments: true }), { source: true });
const plain = (src: string) => formatNode(parseFile('t.cue', src, { comments: true }));

function shape(n: unknown): string {
  return JSON.stringify(n, (k, v) => (k === 'pos' || k === 'end' || k === 'pathPos' || k === 'comments' || k === 'filename' ? undefined : v));
}

/** Formatted output is a fixed point and re-parses to the same AST. */
function expectStable(src: string): void {
  const out = fmt(src);
  expect(fmt(out), src).toBe(out);
  expect(shape(parseFile('t.cue', out))).toBe(shape(parseFile('t.cue', src)));
}

describe('source mode: blank lines', () => {
  it('keeps one blank line where the source had one or more, at top level and inside structs', () => {
    expect(fmt('a: 1\n\n\n\nb: 2\nc: 3\n')).toBe('a: 1\n\nb: 2\nc: 3\n');
    expect(fmt('s: {\n\tx: 1\n\n\ty: 2\n\tz: 3\n}\n')).toBe('s: {\n\tx: 1\n\n\ty: 2\n\tz: 3\n}\n');
    expect(fmt('a: 1\nb: 2\n')).toBe('a: 1\nb: 2\n');
  });

  it('measures the gap from a multi-line declaration\'s end and to a doc comment\'s start', () => {
    expect(fmt('s: {\n\tx: 1\n}\n\n// doc\nt: 2\n')).toBe('s: {\n\tx: 1\n}\n\n// doc\nt: 2\n');
    expect(fmt('s: {\n\tx: 1\n}\n// doc\nt: 2\n')).toBe('s: {\n\tx: 1\n}\n// doc\nt: 2\n');
    expect(fmt('// one\n\n// two\nt: 2\n')).toBe('// one\n\n// two\nt: 2\n');
    expect(fmt('// detached\n\nt: 2\n')).toBe('// detached\n\nt: 2\n');
  });

  it('keeps blank lines before trailing comments of a struct', () => {
    expect(fmt('s: {\n\tx: 1\n\n\t// end\n}\n')).toBe('s: {\n\tx: 1\n\n\t// end\n}\n');
  });
});

describe('source mode: one-line structs and lists', () => {
  it('keeps a struct written on one line inline, elements separated by ", "', () => {
    expect(fmt('#P: {#S, platform: true}\n')).toBe('#P: {#S, platform: true}\n');
    expect(fmt('a: {b: 1}\n')).toBe('a: {b: 1}\n');
    expect(fmt('a: {b: 1,c: {d: 2}}\n')).toBe('a: {b: 1, c: {d: 2}}\n');
    expect(fmt('a: [{b: 1}, {c: 2}]\n')).toBe('a: [{b: 1}, {c: 2}]\n');
  });

  it('expands a struct written over several lines', () => {
    expect(fmt('a: {b: 1\n}\n')).toBe('a: {\n\tb: 1\n}\n');
    expect(fmt('a: {\n\tb: 1, c: 2}\n')).toBe('a: {\n\tb: 1\n\tc: 2\n}\n');
  });

  it('keeps line breaks between list elements and before the closing bracket', () => {
    expect(fmt('l: [\n\t1,\n\t2,\n]\n')).toBe('l: [\n\t1,\n\t2,\n]\n');
    // A closing bracket on the last element's line stays there.
    expect(fmt('l: [\n1,\n2]\n')).toBe('l: [\n\t1,\n\t2]\n');
    expect(fmt('l: [1, 2]\n')).toBe('l: [1, 2]\n');
    expect(fmt('l: [1, 2,\n\t3, 4,\n]\n')).toBe('l: [1, 2,\n\t3, 4,\n]\n');
    expect(fmt('l: [{\n\ta: 1\n}, {\n\tb: 2\n}]\n')).toBe('l: [{\n\ta: 1\n}, {\n\tb: 2\n}]\n');
  });

  it('aligns the trailing comments of list elements and keeps blank lines between them', () => {
    expect(fmt('l: [\n\t1, // one\n\ta.b, // two\n\n\t// doc\n\tf(x), // three\n\n\t// end\n]\n')).toBe(
      'l: [\n\t1,   // one\n\ta.b, // two\n\n\t// doc\n\tf(x), // three\n\n\t// end\n]\n',
    );
  });

  it('keeps comprehension clauses on their own lines, indented one level', () => {
    expect(fmt('l: [for x in y\n\tif x > 1 {\n\ta: x\n}]\n')).toBe('l: [for x in y\n\tif x > 1 {\n\t\ta: x\n\t}]\n');
    expect(fmt('l: [for x in y if x > 1 {a: x}]\n')).toBe('l: [for x in y if x > 1 {a: x}]\n');
  });
});

describe('source mode: alignment of field values', () => {
  it('aligns the values of consecutive one-line fields into one column', () => {
    expect(fmt('s: {\n\tbackup?: #B\n\tresources?: #R\n\tx: 1\n}\n')).toBe('s: {\n\tbackup?:    #B\n\tresources?: #R\n\tx:          1\n}\n');
    expect(fmt('a: 1\nbbb: 2\n')).toBe('a:   1\nbbb: 2\n');
    // Widths count characters, not UTF-16 units.
    expect(fmt('"é": 1\nab: 2\n')).toBe('"é": 1\nab:  2\n');
  });

  it('ends a run at a blank line, a comment line, a struct or list value, a non-field and a multi-line value', () => {
    expect(fmt('a: 1\nbbb: 2\n\ncc: 3\nd: 4\n')).toBe('a:   1\nbbb: 2\n\ncc: 3\nd:  4\n');
    expect(fmt('a: 1\n// c\nbbb: 2\n')).toBe('a: 1\n// c\nbbb: 2\n');
    expect(fmt('a: 1\nlongname: {x: 1}\nbb: 2\n')).toBe('a: 1\nlongname: {x: 1}\nbb: 2\n');
    expect(fmt('a: 1\nlongname: [1] | *[]\nbb: 2\n')).toBe('a: 1\nlongname: [1] | *[]\nbb: 2\n');
    expect(fmt('a: 1\nlongname\nbb: 2\n')).toBe('a: 1\nlongname\nbb: 2\n');
    expect(fmt('a: 1\nlongname: """\n\tx\n\t"""\nbb: 2\n')).toBe('a: 1\nlongname: """\n\tx\n\t"""\nbb: 2\n');
  });

  it('aligns shorthand fields of equal nesting depth on the last label, and breaks where the depth changes', () => {
    expect(fmt('a: b: 1\nccc: d: 2\n')).toBe('a: b:   1\nccc: d: 2\n');
    expect(fmt('a: b: 1\nccc: 2\ndd: 3\n')).toBe('a: b: 1\nccc: 2\ndd:  3\n');
  });

  it('aligns attributes and trailing comments as further columns', () => {
    expect(fmt('b: 4 // x\ncc: 555 // y\n')).toBe('b:  4   // x\ncc: 555 // y\n');
    expect(fmt('p: string @secret()\nlonger: int\n')).toBe('p:      string @secret()\nlonger: int\n');
    expect(fmt('p: s @a()\nlonger: int @b()\n')).toBe('p:      s   @a()\nlonger: int @b()\n');
  });

  it('aligns inside nested structs independently of the outer level', () => {
    expect(fmt('outer: {\n\tx: 1\n\tyyy: 2\n}\nz: 3\nwwww: 4\n')).toBe('outer: {\n\tx:   1\n\tyyy: 2\n}\nz:    3\nwwww: 4\n');
  });
});

describe('source mode: stability', () => {
  it('is idempotent and round-trips on generated layouts', () => {
    const label = fc.constantFrom('a', 'bb', 'ccc?', '#Dddd', '"q-r"', 'x: y', 'p: [string]');
    const value = fc.constantFrom('1', 'int | *2', '{z: 1}', '{\n\tz: 1\n\tw: 2\n}', '[1, 2]', '[\n\t1,\n\t2,\n]', '[\n\t1, // c\n\n\t// d\n\t22,\n]', '[for x in y\n\tif x {a: x}]', '"s"', 'a.b', 'f(1)');
    const decl = fc.tuple(label, value, fc.constantFrom('', ' // c', ' @a()'), fc.constantFrom('\n', '\n\n', '\n// doc\n', '\n\n\n')).map(([l, v, t, sep]) => `${l}: ${v}${t}${sep}`);
    fc.assert(
      fc.property(fc.array(decl, { minLength: 1, maxLength: 8 }), fc.boolean(), (ds, nest) => {
        const body = ds.join('');
        expectStable(nest ? `s: {\n${body}}\n` : body);
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent and round-trips on the repository\'s CUE files', () => {
    const root = join(__dirname, '../../..');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.name.endsWith('.cue')) files.push(join(d, e.name));
      }
    };
    for (const d of ['packages/core/schema', 'packages/core/providers', 'examples/catalog']) walk(join(root, d));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      const out = formatNode(parseFile(f, src, { comments: true }), { source: true });
      expect(formatNode(parseFile(f, out, { comments: true }), { source: true }), f).toBe(out);
      expect(shape(parseFile(f, out)), f).toBe(shape(parseFile(f, src)));
    }
  });

  it('leaves the default mode (used by export and conformance) as it was', () => {
    expect(plain('a: 1\n\nbbb: {c: 2}\nl: [\n1]\n')).toBe('a: 1\nbbb: {\n\tc: 2\n}\nl: [1]\n');
  });
});
