import { describe, expect, it } from 'vitest';
import { Conj, cloneConj, Vertex } from '../src/eval/vertex.js';
import { conflict } from '../src/eval/unify.js';
import { newContext } from '../src/engine-index.js';
import { debug } from '../src/eval/evaluator.js';
import fc from 'fast-check';

// Vertices share empty, read-only lists and arcs until their first write
// (they are made by the thousand): a write must never reach the shared ones.
describe('vertex storage', () => {
  it('gives each vertex its own arcs map on the first arc, and refuses writes to the shared empty one', () => {
    const a = new Vertex(undefined, 'a');
    const b = new Vertex(undefined, 'b');
    expect(a.arcs).toBe(b.arcs);
    expect(() => a.arcs.set('x', b)).toThrow(/arcMap/);
    a.arcMap().set('x', b);
    expect(a.arcs.get('x')).toBe(b);
    expect(b.arcs.size).toBe(0);
    a.clearArcs();
    expect(a.arcs.size).toBe(0);
    expect(() => a.arcs.delete('x')).toThrow(/arcMap/);
  });

  it('gives each vertex its own conjunct, position and comprehension lists on the first add', () => {
    const a = new Vertex(undefined, 'a');
    const b = new Vertex(undefined, 'b');
    expect(() => a.conjuncts.push(new Conj({ vertex: a }, false))).toThrow();
    a.addConjunct(new Conj({ vertex: a }, false));
    a.addConjunct(new Conj({ vertex: a }, true));
    a.addPosition({ file: 'f.cue', line: 1, col: 1, offset: 0 });
    expect(a.conjuncts.map((c) => c.def)).toEqual([false, true]);
    expect(a.positions).toHaveLength(1);
    expect(b.conjuncts).toHaveLength(0);
    expect(b.positions).toHaveLength(0);
    expect(b.roots).toHaveLength(0);
    b.pushRoot({ closed: true, open: false });
    expect(a.roots).toHaveLength(0);
  });

  it('copies every field of a conjunct into one shape', () => {
    const env = { vertex: new Vertex(undefined, '') };
    const c = { env, def: true, closeAll: true, pos: { file: 'f.cue', line: 2, col: 3, offset: 4 } };
    const x = cloneConj(c);
    expect(x).toBeInstanceOf(Conj);
    expect(x.env).toBe(env);
    expect(x.def).toBe(true);
    expect(x.closeAll).toBe(true);
    expect(x.pos).toBe(c.pos);
    expect(Object.keys(x)).toEqual(Object.keys(new Conj(env, false)));
  });

  it('formats a conflict message when read, and keeps one that was set', () => {
    const b = conflict({ t: 'string', s: 'a' }, { t: 'int', i: 1n });
    expect(b.msg).toBe('conflicting values "a" and 1 (mismatched types string and int)');
    b.msg = 'replaced';
    expect(b.msg).toBe('replaced');
  });
});

// Structure sharing: a copy of encoded data borrows the data's arcs instead
// of copying them (Vertex.borrow). Whatever one copy gets unified with, the
// data and every other copy must stay as they were.
describe('structure sharing of plain data', () => {
  const ctx = newContext();
  const data = () => ctx.encode({ name: 'web', labels: { team: 'a', tier: 'front' }, ports: [80, 443] });
  const template = ctx.compile({
    filename: 'in.cue',
    text: `
#in: _
plain: #in
closed: #S & #in
#S: {name: string, labels: {team: string}, ports: [...int]}
typed: #in & {labels: [string]: =~"^[a-z]+$"}
wider: #in & {labels: owner: "ops"}
ints: #in & {ports: [...>100]}
none: #in.labels & #None
#None: {}
`,
  });

  it('reads the data through a plain copy', () => {
    const v = template.fill(data(), '#in');
    expect(v.lookup('plain').toJS()).toEqual({ name: 'web', labels: { team: 'a', tier: 'front' }, ports: [80, 443] });
  });

  it('keeps a field that a closed copy rejects in the data and in the other copies', () => {
    const d = data();
    const v = template.fill(d, '#in');
    expect(v.lookup('closed', 'labels').err()?.message).toMatch(/field not allowed/);
    expect(v.lookup('closed', 'labels', 'tier').err()?.message).toMatch(/field not allowed/);
    // #None closes the borrowed labels without declaring a field of its own.
    expect(v.lookup('none', 'team').err()?.message).toMatch(/field not allowed/);
    expect(v.lookup('plain', 'labels', 'tier').err()).toBeUndefined();
    expect(v.lookup('plain', 'labels', 'team').err()).toBeUndefined();
    expect(v.lookup('plain').toJS()).toEqual(d.toJS());
    expect(d.lookup('labels', 'tier').toJS()).toBe('front');
  });

  it('applies a pattern and adds a field in a copy only', () => {
    const d = data();
    const v = template.fill(d, '#in');
    expect(v.lookup('typed').err()).toBeUndefined();
    expect(v.lookup('wider', 'labels').toJS()).toEqual({ team: 'a', tier: 'front', owner: 'ops' });
    expect(v.lookup('plain', 'labels').toJS()).toEqual({ team: 'a', tier: 'front' });
    expect(d.lookup('labels').toJS()).toEqual({ team: 'a', tier: 'front' });
  });

  it('checks list elements in a copy only', () => {
    const d = data();
    const v = template.fill(d, '#in');
    expect(v.lookup('ints', 'ports', 0).err()?.message).toMatch(/invalid value 80/);
    expect(v.lookup('plain', 'ports').toJS()).toEqual([80, 443]);
    expect(d.lookup('ports', 0).err()).toBeUndefined();
  });

  it('shares the same data across fills, as the transformers do', () => {
    const d = data();
    const a = template.fill(d, '#in');
    const b = template.fill(d, '#in');
    expect(a.lookup('closed', 'labels').err()).toBeDefined();
    expect(b.lookup('wider', 'labels').toJS()).toEqual({ team: 'a', tier: 'front', owner: 'ops' });
    expect(b.lookup('plain').toJS()).toEqual(d.toJS());
  });

  it('adds fields to a copy of empty data without touching the data', () => {
    const d = ctx.encode({ name: 'web', labels: {}, ports: [] });
    const v = template.fill(d, '#in');
    expect(v.lookup('wider', 'labels').toJS()).toEqual({ owner: 'ops' });
    expect(v.lookup('plain').toJS()).toEqual({ name: 'web', labels: {}, ports: [] });
    expect(d.lookup('labels').toJS()).toEqual({});
  });

  it('does not share data holding an incomplete value', () => {
    const open = ctx.compile({ filename: 'o.cue', text: 'x: int' }).lookup('x');
    const v = template.fill(ctx.encode({ name: 'web', labels: { team: open }, ports: [] }), '#in');
    expect(v.lookup('plain', 'labels', 'team').isConcrete()).toBe(false);
    expect(v.lookup('plain').validate({ concrete: true }).map((e) => e.message).join()).toMatch(/incomplete/);
  });
});

// Differential: whatever a template does with filled data, borrowing the
// data's arcs must give exactly what copying them gives (values, errors,
// closedness as CUE output, validation).
describe('structure sharing against copying', () => {
  const ctx = newContext();
  const key = fc.constantFrom('a', 'b', 'c', 'name', 'labels', 'ports', 'x');
  const data = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.integer({ min: -3, max: 300 }),
      fc.constantFrom('s', 'web', ''),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(key, tie('v'), { maxKeys: 3 }),
    ),
  })).v;
  const ref = fc.constantFrom('#in', '#in.a', '#in.labels', '#in.ports', '#in.b.c');
  const use = fc.oneof(
    ref,
    ref.map((r) => `${r} & {a: 1}`),
    ref.map((r) => `${r} & #S`),
    ref.map((r) => `${r} & {[string]: int}`),
    ref.map((r) => `${r} & [...int]`),
    ref.map((r) => `${r} & #None`),
    ref.map((r) => `close(${r})`),
    fc.tuple(ref, ref).map(([a, b]) => `${a} & ${b}`),
    ref.map((r) => `{${r}, z: 1}`),
    ref.map((r) => `[for k, v in ${r} {v}]`),
    ref.map((r) => `{#D: ${r}}.#D & {labels: owner: "o"}`),
  );
  const template = fc
    .array(use, { minLength: 1, maxLength: 5 })
    .map((us) => `#in: _\n#S: {name?: string, labels?: {team?: string}, ports?: [...int], a?: _}\n#None: {}\n${us.map((u, i) => `f${i}: ${u}`).join('\n')}\n`);
  const shown = (d: unknown, src: string, sharing: boolean) => {
    debug.sharing = sharing;
    try {
      const v = ctx.compile({ filename: 't.cue', text: src }).fill(ctx.encode(d), '#in');
      return [...v.fields({ hidden: true, optional: true })].map((f) => {
        const e = f.value.err();
        const errs = f.value.validate({ concrete: true, all: true }).map((x) => x.message);
        return `${f.label}=${e ? `ERR ${e.code} ${e.detail}` : f.value.toCUE({ definitions: true, optional: true, hidden: true })} ${JSON.stringify(errs)}`;
      });
    } finally {
      debug.sharing = true;
    }
  };

  it('gives the same values and errors with sharing on and off', () => {
    fc.assert(
      fc.property(data, template, (d, src) => {
        expect(shown(d, src, true)).toEqual(shown(d, src, false));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261124 },
    );
  });
});
