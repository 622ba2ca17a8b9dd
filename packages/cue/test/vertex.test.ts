import { describe, expect, it } from 'vitest';
import { Conj, cloneConj, Vertex } from '../src/eval/vertex.js';
import { conflict } from '../src/eval/unify.js';

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
