// The invariance checker's own rewrites (src/conformance/invariance): each
// must give a program that means what the written one means, or a difference
// it reports is the checker's, not the evaluator's.
import { describe, expect, it } from 'vitest';
import { evaluate, rewrite, type Program } from '../src/conformance/invariance/check.js';
import { REWRITES } from '../src/conformance/invariance/transforms.js';

const rw = (name: string) => REWRITES.find((w) => w.name === name)!;
const program = (text: string): Program => ({ name: 't', files: new Map([['/in.cue', text]]), dir: '/' });

describe('split-files', () => {
  // A field named like an import shadows it: a part whose only `list` is
  // that field does not use the import, and importing it there anyway is
  // "imported and not used" (cycle/structural failed to build so).
  it('imports in each part only what the part uses, a shadowing field aside', async () => {
    const p = program('import "list"\n\na: {\n\tlist: {tail: list | null}\n}\nb: list.Sum([1, 2])\nc: 1\nd: 2\n');
    const base = await evaluate(p);
    expect(base).not.toMatch(/error/);
    let apart = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const q = rewrite(p, rw('split-files'), seed)!;
      const parts = [...q.files.values()];
      if (!parts.some((t) => t.includes('list:') && !t.includes('list.Sum'))) continue;
      apart++;
      expect(await evaluate(q), `seed ${seed}`).toBe(base);
    }
    expect(apart).toBeGreaterThan(0);
  });
});
