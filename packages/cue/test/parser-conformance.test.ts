// Every `.cue` section of CUE's own evaluator tests must parse, and survive a
// format round trip, including the syntax behind Go's @experiment flags
// (explicitopen, aliasv2, structcmp, try).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { File } from '../src/ast.js';
import { formatNode } from '../src/format.js';
import { parseFile } from '../src/parser.js';

const corpusDir = fileURLToPath(new URL('../../../../shared/cue-conformance/', import.meta.url));

/** Used when the corpus is not present, so the test still checks real inputs. */
const embeddedSamples: Record<string, string> = {
  'embedded/basic.cue': `package sample

import (
	"strings"
	m "mod.example/x@v1:pkg"
)

@jsonschema(schema="x")

#Schema: {
	name!:   string & =~"^[a-z]+$" @go(Name)
	port?:   int & >=1 & <=65535 | *8080
	labels: [string]: string
	[X=string]: _#hidden: X
	"quoted-field": 1.5Ki
	...
}
out: #Schema & {name: "web", port: 80}
msg: "hello \\(strings.ToUpper(out.name)) on \\(out.port)"
multi: """
	line one
	line two \\(out.port)
	"""
raw: #"no \\(interp) here \\#(out.name)"#
by: '\\xff\\377abc'
`,
  'embedded/comprehensions.cue': `a: [1, 2, 3, 4]
b: [for x in a if x > 1 {x + 1}]
c: {
	for k, v in a
	let y = v * 2
	if y > 2 {
		"k\\(k)": y
	}
}
let L = len(a)
d: L
e: a[1:3]
f: *"def" | string
g: x: y: z: 1 @attr(a, (b), [c], {d})
h: X=(e[0]): {v: X}
i: _|_
`,
};

interface Section {
  key: string;
  name: string;
  text: string;
}

function corpusSections(): Section[] {
  const out: Section[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.txtar')) {
        const parts = readFileSync(p, 'utf8').split(/^-- (.+?) --$/m);
        for (let i = 1; i < parts.length; i += 2) {
          const name = parts[i]!;
          if (!name.endsWith('.cue')) continue;
          out.push({ key: `${relative(corpusDir, p)}#${name}`, name, text: parts[i + 1]!.replace(/^\n/, '') });
        }
      }
    }
  };
  walk(corpusDir);
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

/** The AST without positions and comments, for structural comparison. */
function shape(f: File): string {
  return JSON.stringify(f, (k, v) => (k === 'pos' || k === 'end' || k === 'pathPos' || k === 'comments' ? undefined : v));
}

function checkRoundTrip(name: string, text: string): void {
  for (const comments of [false, true]) {
    const a = parseFile(name, text, { comments });
    const out = formatNode(a);
    const b = parseFile(name, out, { comments });
    expect(shape(b), `${name}: format round trip`).toBe(shape(a));
    expect(formatNode(b), `${name}: format is idempotent`).toBe(out);
  }
}

describe('parser: embedded samples', () => {
  for (const [name, text] of Object.entries(embeddedSamples)) {
    it(`parses and round-trips ${name}`, () => {
      const f = parseFile(name, text);
      expect(f.decls.length).toBeGreaterThan(3);
      checkRoundTrip(name, text);
    });
  }
});

describe.runIf(existsSync(corpusDir))('parser: CUE conformance corpus', () => {
  const sections = existsSync(corpusDir) ? corpusSections() : [];

  it('finds the corpus', () => {
    expect(sections.length).toBeGreaterThan(300);
  });

  it('parses every section and round-trips it through the formatter', () => {
    const failures: string[] = [];
    let parsed = 0;
    for (const s of sections) {
      try {
        checkRoundTrip(s.name, s.text);
        parsed++;
      } catch (e) {
        failures.push(`${s.key}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(parsed).toBeGreaterThan(300);
  });
});
