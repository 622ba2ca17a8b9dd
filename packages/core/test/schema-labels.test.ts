// schema-labels.ts gives every label a pattern constraint matches the same schema node (the pattern's
// value): right only while no struct of core's schema has two pattern constraints, or a pattern next to
// `...` (a label the `...` admits would get the pattern's value). This keeps the shipped schema so.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_DIR } from '../src/shipped.js';

interface Struct {
  line: number;
  /** Pattern constraints by the field whose value they constrain ('' for the struct itself). */
  patterns: Map<string, Set<string>>;
  ellipsis: boolean;
}

/** Per struct (by the line its `{` opens on) of one CUE file: its pattern constraints and whether it has `...`. */
function structs(text: string): Struct[] {
  const open = (line: number): Struct => ({ line, patterns: new Map(), ellipsis: false });
  const stack = [open(0)];
  const all = [stack[0]!];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\/\/.*$/, '').replace(/"(?:[^"\\]|\\.)*"/g, '""').trim();
    const top = stack[stack.length - 1]!;
    // `[X]: V` declares a pattern of this struct; `f: [X]: V` one of the struct f's value is.
    const m = /^(?:([#_]*[\w$-]+|"")\??:\s*)?(\[[^\]]*\])\??:/.exec(line);
    if (m) {
      const at = m[1] ?? '';
      if (!top.patterns.has(at)) top.patterns.set(at, new Set());
      top.patterns.get(at)!.add(m[2]!);
    }
    if (/^\.\.\.\s*,?$/.test(line)) top.ellipsis = true;
    for (const c of line) {
      if (c === '{') {
        const s = open(i + 1);
        stack.push(s);
        all.push(s);
      } else if (c === '}') stack.pop();
    }
  });
  return all;
}

function problems(text: string, file = 'x.cue'): string[] {
  const out: string[] = [];
  for (const s of structs(text)) {
    for (const [at, ps] of s.patterns) {
      if (ps.size > 1) out.push(`${file}:${s.line}: ${at || '(struct)'}: ${[...ps].join(' ')}`);
      if (at === '' && s.ellipsis) out.push(`${file}:${s.line}: ${[...ps].join(' ')} next to ...`);
    }
  }
  return out;
}

describe("core's schema for the label walk", () => {
  it('has no struct with two pattern constraints, or a pattern constraint next to ...', () => {
    const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.cue'));
    expect(files.length).toBeGreaterThan(3);
    let patterns = 0;
    const bad: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(SCHEMA_DIR, f), 'utf8');
      for (const s of structs(text)) for (const ps of s.patterns.values()) patterns += ps.size;
      bad.push(...problems(text, f));
    }
    expect(bad).toEqual([]);
    // The scanner finds the schema's patterns (containers, volumes, ...) and what it guards against.
    expect(patterns).toBeGreaterThan(10);
    expect(problems('a: {\n\t[string]: int\n\t[=~"x"]: int\n}')).toHaveLength(1);
    expect(problems('a: {\n\tb: [=~"x"]: int\n\tb: [string]: int\n}')).toHaveLength(1);
    expect(problems('a: {\n\t[string]: int\n\t...\n}')).toHaveLength(1);
    expect(problems('a: {\n\tb: [=~"x"]: int\n\tc: [string]: int\n}')).toEqual([]);
  });
});
