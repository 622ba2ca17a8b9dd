import { describe, expect, it } from 'vitest';
import { Conj, cloneConj, sharing, Vertex } from '../src/eval/vertex.js';
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

  it('undoes a share on the first write even when the shared struct has no arcs', () => {
    const w = new Vertex(undefined, 'w');
    const v = new Vertex(undefined, 'v');
    v.borrow = { env: { vertex: v }, def: false, share: { w, c: new Conj({ vertex: v }, false), src: undefined } };
    const seen: Vertex[] = [];
    const saved = sharing.unshare;
    sharing.unshare = (x) => {
      seen.push(x);
      x.clearArcs();
    };
    try {
      v.arcMap().set('a', new Vertex(v, 'a'));
    } finally {
      sharing.unshare = saved;
    }
    expect(seen).toEqual([v]);
    expect(v.borrow).toBeUndefined();
    expect(w.arcs.size).toBe(0);
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
    b.pushRoot({ closed: true, open: false } as Parameters<typeof b.pushRoot>[0]);
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

// Differential: a field whose only value is a reference to an evaluated
// struct reads that struct (Share) instead of copying it; whatever else
// refers to, unifies, closes, embeds, iterates or extends such a field,
// the values, errors, closedness and allowed labels must be what copying
// gives (structural cycles: only that there is one).
describe('sharing referenced structs against copying', () => {
  const ctx = newContext();
  const decls = [
    '#D: {a: int, b: {c: string}, ...}',
    '#C: {a: int, b: {c: string}}',
    's: {a: 1, b: {c: "x"}, d: [1, 2]}',
    'r: {a: int, b: a + 1}',
    'o: {a?: int, b: {c?: string}}',
    'n: {p: s, q: #C}',
  ].join('\n');
  const target = fc.constantFrom('s', '#D', '#C', 's.b', '#C.b', 'r', 'o', 'o.b', 'n', 'n.p', 'n.q', 'n.q.b');
  const other = fc.constantFrom('f0', 'f1', 'f2', 'f0.b', 'f1.x');
  const use = fc.oneof(
    target,
    other,
    target.map((t) => `{x: ${t}}`),
    target.map((t) => `{x: ${t}, x: b: e: 1}`),
    target.map((t) => `${t} & {a: 2}`),
    target.map((t) => `${t} & {e: 1}`),
    target.map((t) => `${t} & {b: c: "y"}`),
    fc.tuple(target, target).map(([a, b]) => `${a} & ${b}`),
    target.map((t) => `{${t}, z: 1}`),
    target.map((t) => `close(${t})`),
    target.map((t) => `{#x: ${t}}.#x`),
    target.map((t) => `{#x: ${t}, y: #x & {a: 3}}`),
    target.map((t) => `[for k, v in ${t} {k}]`),
    target.map((t) => `{let L = ${t}, x: L, y: L.b}`),
    target.map((t) => `*${t} | {a: 5}`),
    target.map((t) => `{x: ${t}, y: x}`),
    fc.tuple(target, other).map(([t, o]) => `{x: ${t}, y: ${o}}`),
    other.map((o) => `{t: ${o}}`),
  );
  const program = fc.array(use, { minLength: 1, maxLength: 4 }).map((us) => `${decls}\n${us.map((u, i) => `f${i}: ${u}`).join('\n')}\n`);
  const paths = [[], ['b'], ['x'], ['x', 'b'], ['y'], ['t']];
  const shown = (src: string, sharing: boolean) => {
    debug.sharing = sharing;
    try {
      let v;
      try {
        v = ctx.compile({ filename: 't.cue', text: src });
      } catch (e) {
        // A use of an `f<i>` the program lacks is rejected when compiling, either way.
        return [`compile error: ${(e as Error).message}`];
      }
      return [...v.fields({ definitions: true, optional: true })].flatMap((f) =>
        paths.map((p) => {
          const x = f.value.lookup(...p);
          if (!x.exists()) return `${f.label}.${p.join('.')} -`;
          const e = x.err();
          const errs = x.validate({ concrete: true, all: true }).map((m) => m.message);
          const allowed = ['a', 'zz'].map((l) => x.allows(l)).join(',');
          const out = `${f.label}.${p.join('.')}=${e ? `ERR ${e.code} ${e.detail}` : x.toCUE({ definitions: true, optional: true })} closed=${x.isClosed()} allows=${allowed} ${JSON.stringify(errs)}`;
          // A structural cycle is one either way, but a copy unrolls it a few
          // times before it is found (`f0: t: f0`, `f1: y: f0`), a shared struct not.
          return out.includes('structural cycle') ? `${f.label}.${p.join('.')} structural cycle` : out;
        }),
      );
    } finally {
      debug.sharing = true;
    }
  };

  it('gives the same values, errors and closedness with sharing on and off', () => {
    fc.assert(
      fc.property(program, (src) => {
        expect(shown(src, true)).toEqual(shown(src, false));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261124 },
    );
  });

  it('shares an input passed into helper definitions, and copies it once it is extended', () => {
    const src = `
#Meta: {#in: _, name: #in.n, labels: #in.l}
#Pod: {#in: _, meta: #Meta & {#in: IN}, let IN = #in}
IN: {n: "web", l: {app: "web"}, big: {x: 1, y: 2}}
a: #Pod & {#in: IN}
b: #Pod & {#in: IN, #in: big: z: 3}
`;
    const v = ctx.compile({ filename: 'p.cue', text: src });
    expect(v.lookup('a', 'meta').toJS()).toEqual({ name: 'web', labels: { app: 'web' } });
    // a.meta.#in reads a.#in's arcs (a.#in copies IN: a definition closes
    // the regular struct's literals); b.#in, extended, has its own.
    const vertexOf = (x: unknown) => (x as { __val: Vertex }).__val;
    const shared = vertexOf(v.lookup('a', 'meta', '#in'));
    expect(shared.borrow?.share).toBeDefined();
    expect(shared.arcs).toBe(vertexOf(v.lookup('a', '#in')).arcs);
    expect(vertexOf(v.lookup('b', '#in')).borrow?.share).toBeUndefined();
    expect(v.lookup('a', '#in', 'big').toJS()).toEqual({ x: 1, y: 2 });
    expect(v.lookup('b', '#in', 'big').toJS()).toEqual({ x: 1, y: 2, z: 3 });
    // The extension reached b's copy only.
    expect(v.lookup('IN', 'big').toJS()).toEqual({ x: 1, y: 2 });
    expect(v.lookup('a', '#in', 'big').toJS()).toEqual({ x: 1, y: 2 });
  });

  it('reports a structural cycle through a shared struct as copying does', () => {
    const src = 'a: b: c: d: {h: int, t: r}\nr: a.b\n';
    for (const sharing of [true, false]) {
      debug.sharing = sharing;
      try {
        const v = ctx.compile({ filename: 'c.cue', text: src });
        expect(v.lookup('a', 'b', 'c', 'd', 't').err()?.code).toBe('structural cycle');
      } finally {
        debug.sharing = true;
      }
    }
  });
});
