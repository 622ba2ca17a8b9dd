// List literals: elements, comprehensions in lists, open lists (`...T`) and
// the check that closed lists unified together have one length.
import { type Comprehension, type Expr, type ListLit, type Pos, type StructLit } from '../ast.js';
import { type Conjunct, type Env, Vertex, cloneConj, mkConj, newEnv, newNode } from './vertex.js';
import { addArcConj, getArc } from './arcs.js';
import { bottom } from './values.js';
import { runComprehension } from './comprehension.js';
import { shareState } from './share.js';
import { embeddedConj } from './fields.js';

export function addList(v: Vertex, lit: ListLit, c0: Conjunct): void {
  v.isList = true;
  if (shareState.collecting === v && lit.elts.some((e) => e.type === 'Comprehension')) {
    // Its comprehensions may range over v itself (`panels: [for i, _ in
    // panels {id: i}]`, `panels: [{}, {}]`): they run once v's other
    // conjuncts are in (doExpand).
    (v.deferredLists ??= []).push({ lit, c: c0 });
    return;
  }
  if (c0.embedIn) v.listEmbedded = true;
  else if (!embeddedConj(c0)) v.listDirect = true;
  const c = cloneConj(c0);
  c.env = newEnv(v, c0.env);
  c.env.list = true;
  let n = 0;
  let open = false;
  let elem: Conjunct | undefined;
  const base = v.listParts.length ? v.listParts.reduce((m, p) => Math.max(m, p.n), 0) : 0;
  void base;
  for (let j = 0, xs = lit.elts; j < xs.length; j++) {
    const e = xs[j];
    if (e.type === 'Ellipsis') {
      open = true;
      if (e.elem) {
        const x = mkConj(c.env, c.def, e.elem, e.pos);
        x.opt = true;
        if (c.cyc) x.cyc = true;
        x.refs = c.refs;
        x.inline = c.inline;
        elem = x;
      }
      continue;
    }
    // An element written outside a definition is a closedness group of its
    // own: `#L: [{a: int}]` & `[{b: 2}]` does not let b into the definition's
    // closed element. Elements declared in definitions form one group per
    // element (the vertex's), which allows what all of them declare.
    if (e.type === 'Comprehension') {
      building.add(v);
      let yields;
      try {
        yields = collectYields(v, e, c.env);
      } finally {
        building.delete(v);
      }
      for (let i = 0; i < yields.length; i++) {
        const y = yields[i];
        const arc = getArc(v, String(n++));
        addArcConj(arc, elemConj(c, y.body, y.env, e.pos));
      }
      continue;
    }
    const arc = getArc(v, String(n++));
    addArcConj(arc, elemConj(c, e, c.env, e.pos));
  }
  v.pushListPart({ n, open, elem, pos: lit.pos });
}

/**
 * Lists whose comprehension is running: their elements are not all known
 * yet, so an index past the ones made so far is not out of range (yet):
 * `l: [if n == _|_ {1}]`, `n: l[0]` reads l while its comprehension decides.
 */
const building = new Set<Vertex>();

/** Whether a comprehension of list v is running (elements may still come). */
export function listBuilding(v: Vertex): boolean {
  return building.size > 0 && building.has(v);
}

/** The conjunct of a list element e, from the list's conjunct c. */
function elemConj(c: Conjunct, e: Expr, env: Env, pos: Pos): Conjunct {
  const x = mkConj(env, c.def, e, pos);
  x.node = c.def ? undefined : newNode();
  x.opt = c.opt;
  if (c.cyc) x.cyc = true;
  x.refs = c.refs;
  x.inline = c.inline;
  return x;
}

function collectYields(v: Vertex, e: Comprehension, env: Env): { env: Env; body: StructLit }[] {
  const out: { env: Env; body: StructLit }[] = [];
  runComprehension(v, e, mkConj(env, false, e), (y, body) => out.push({ env: y, body }));
  return out;
}

export function finishList(v: Vertex): void {
  const parts = v.listParts;
  let max = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    max = Math.max(max, p.n);
  }
  const closed = parts.filter((p) => !p.open);
  for (let i = 0; i < closed.length; i++) {
    const p = closed[i];
    if (p.n !== max) {
      const other = parts.find((q) => q.n === max)!;
      v.err = bottom('eval', `incompatible list lengths (${p.n} and ${max})`, [p.pos, other.pos]);
      return;
    }
  }
  v.listOpen = closed.length === 0;
  v.listElem = [];
  for (let j = 0; j < parts.length; j++) {
    const p = parts[j];
    if (!p.open) continue;
    if (p.elem) {
      if (v.listOpen) v.pushListElem(p.elem);
      for (let i = p.n; i < max; i++) addArcConj(getArc(v, String(i)), cloneConj(p.elem));
    }
  }
}
