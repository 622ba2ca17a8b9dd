// Robustness: whatever the input, the parser either returns an AST or throws a
// CueErrorList of syntax errors, and its running time stays bounded.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CueError, CueErrorList } from '../src/errors.js';
import { formatNode } from '../src/format.js';
import { parseExpr, parseFile } from '../src/parser.js';

const valid = `@experiment(x)
package p

import (
	"strings"
	m "mod.example/x@v1"
)

#T: {
	name!: string & =~"^[a-z]+$" @go(Name) @json(,omitempty)
	port?: int & >=1 & <=65535 | *8080
	[X=string]: {id: X}
	"q-x": [...int]
	...
}
a: b: c: #T & {name: "x", port: 1_000 * 2Ki}
l: [for i, v in a.b if v != null let w = v {(strings.ToUpper("\\(i)")): w}, 1.5e3, 'b\\xff']
s: """
	multi \\(a.b.c.name)
	line
	"""
r: #"raw \\#(l[0]) \\(no)"#
let Y = l[1:2]
(Y[0]): _|_ | null | true
`;

/** Runs the parser and checks the failure mode. Returns whether it parsed. */
function parseChecked(src: string, expr = false): boolean {
  const t0 = performance.now();
  try {
    if (expr) parseExpr(src);
    else parseFile('f.cue', src, { comments: true });
    return true;
  } catch (e) {
    if (!(e instanceof CueErrorList)) throw e;
    expect(e.errors.length).toBeGreaterThan(0);
    for (const x of e.errors) {
      expect(x).toBeInstanceOf(CueError);
      expect(x.code).toBe('syntax');
    }
    return false;
  } finally {
    // Generous bound: the machine is shared and GC pauses happen; a super-linear blowup would take far longer.
    expect(performance.now() - t0).toBeLessThan(2000 + src.length / 20);
  }
}

const tokens = [
  'a', '#D', '_h', '_#x', '$', 'for', 'in', 'if', 'let', 'true', 'null', 'package', 'import', '1', '0x1F', '1.5Ki', '.5',
  '1e3', '"s"', '"\\(x)"', "'b'", '#"r"#', '"""\n\tm\n\t"""', '_|_', '...', '.', ':', '?', '!', '=', '==', '!=', '=~',
  '!~', '<', '<=', '>', '>=', '&', '&&', '|', '||', '+', '-', '*', '/', '(', ')', '[', ']', '{', '}', ',', '\n', '@a(x)',
  '// c\n', '~', ';', '\\', '"', "'", '#', '@',
];

describe('parser: robustness (property tests)', () => {
  it('the valid sample parses', () => {
    expect(parseChecked(valid)).toBe(true);
  });

  it('never crashes on random token sequences', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...tokens), { maxLength: 60 }), fc.constantFrom(' ', '', '\n'), (ts, sep) => {
        parseChecked(ts.join(sep));
        parseChecked(ts.join(sep), true);
      }),
      { numRuns: 400 },
    );
  });

  it('never crashes on truncations of a valid file', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length }), (n) => {
        parseChecked(valid.slice(0, n));
        parseChecked(valid.slice(n));
      }),
      { numRuns: 300 },
    );
  });

  it('never crashes on garbled valid input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length), fc.nat(5), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 5 }),
        (edits) => {
          let s = valid;
          for (const [at, del, ins] of edits) s = s.slice(0, at) + ins + s.slice(at + del);
          parseChecked(s);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never crashes on random bytes or unicode', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        parseChecked(new TextDecoder().decode(bytes));
        parseChecked(String.fromCharCode(...bytes));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (s) => {
        parseChecked(s);
      }),
      { numRuns: 200 },
    );
  });

  it('formats whatever it parses into something that parses again', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...tokens), { maxLength: 30 }), (ts) => {
        const src = ts.join(' ');
        let f;
        try {
          f = parseFile('f.cue', src);
        } catch {
          return;
        }
        parseFile('f.cue', formatNode(f));
      }),
      { numRuns: 400 },
    );
  });

  it('stays linear on pathological inputs', () => {
    const cases = [
      'a: ' + '['.repeat(100_000),
      'a: ' + '"\\('.repeat(2_000),
      'a: ' + 'b.'.repeat(50_000) + 'c',
      'a: ' + Array.from({ length: 50_000 }, (_, i) => `x${i}`).join(' | '),
      '@a(' + '('.repeat(5_000),
      '"""\n' + ' x\n'.repeat(50_000),
      '#'.repeat(100_000) + '"',
      ')'.repeat(100_000),
    ];
    for (const c of cases) parseChecked(c);
  });
});
