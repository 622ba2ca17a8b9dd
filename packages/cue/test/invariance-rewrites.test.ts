// The invariance checker's own rewrites (src/conformance/invariance): each
// must give a program that means what the written one means, or a difference
// it reports is the checker's, not the evaluator's.
import { describe, expect, it } from 'vitest';
import { evaluate, rewrite, type Program } from '../src/conformance/invariance/check.js';
import { REWRITES } from '../src/conformance/invariance/transforms.js';
import { canonical } from '../src/conformance/invariance/canon.js';
import { newContext } from '../src/engine-index.js';

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

describe('canonical text of a disjunction', () => {
  const canon = (text: string) => {
    const ctx = newContext();
    return canonical(ctx, ctx.compile({ filename: 'in.cue', text }));
  };

  // The disjuncts of one field unify as one choice of its disjunction, so
  // comparing them through Value.unify dropped `{y: 1}` here as subsumed.
  it('keeps a disjunct that no other one subsumes', () => {
    const text = canon('a: b & {x: 1} | {y: 1}\nb: {x: 2} | c & {z: 2}\nc: a & {y: 3} | {z: 3}\n');
    expect(text).toMatch(/\| \{\n\ty: 1\n\}/);
  });

  // `{_ok: bool}` and `{_ok: true}` are not the same value: which one is
  // kept must not follow the order of the disjuncts.
  it('tells disjuncts apart by their hidden fields, whatever their order', () => {
    const schema = (d: string) => `#S: {\n\t_ok: bool\n\t${d}\n}\nfoo: #S\n`;
    const a = canon(schema('{} | {_ok: true, {} | {x: true}}'));
    expect(canon(schema('{_ok: true, {x: true} | {}} | {}'))).toBe(a);
    expect(a).toContain('bool');
    expect(a).not.toMatch(/_ok:\n\s+true/);
  });
});

describe('duplicate', () => {
  // `(X | Y) & (X | Y)` is `X | X & Y | Y`: in a definition, X & Y of two
  // literals allows the fields of both, a value `X | Y` does not have
  // (definitions/issue342 `test_3_bar` read as a difference).
  it('leaves a disjunction of structs in a definition alone, and doubles one elsewhere', () => {
    const p = program('#D: {{a: int} | {b: int}}\nx: [1] | [2]\ny: *1 | 2\n#E: {c: *1 | 2}\n');
    const texts = Array.from({ length: 24 }, (_, i) => rewrite(p, rw('duplicate'), i + 1)!.files.get('/in.cue')!);
    for (const t of texts) expect(t.slice(0, t.indexOf('\nx:'))).not.toMatch(/[)}] & [({]/);
    expect(texts.some((t) => /^x: \(\[1\] \| \[2\]\) & /m.test(t))).toBe(true);
    expect(texts.some((t) => /#E: \{\n\tc: \*1 \| 2\n\} & \{/.test(t))).toBe(true);
  });
});
