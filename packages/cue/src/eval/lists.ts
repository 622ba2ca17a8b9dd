// List literals: elements, comprehensions in lists, open lists (`...T`) and
// the check that closed lists unified together have one length.
import { type Comprehension, type ListLit, type StructLit } from '../ast.js';
import { type Conjunct, type Env, Vertex, cloneConj, newNode } from './vertex.js';
import { addArcConj, getArc } from './arcs.js';
import { bottom } from './values.js';
import { runComprehension } from './comprehension.js';
import { shareState } from './share.js';

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
  const c = { ...c0, env: { up: c0.env, vertex: v, list: true } };
  let n = 0;
  let open = false;
  let elem: Conjunct | undefined;
  const base = v.listParts.length ? v.listParts.reduce((m, p) => Math.max(m, p.n), 0) : 0;
  void base;
  for (const e of lit.elts) {
    if (e.type === 'Ellipsis') {
      open = true;
      if (e.elem) elem = { expr: e.elem, env: c.env, def: c.def, pos: e.pos, opt: true, inline: c.inline };
      continue;
    }
    // An element written outside a definition is a closedness group of its
    // own: `#L: [{a: int}]` & `[{b: 2}]` does not let b into the definition's
    // closed element. Elements declared in definitions form one group per
    // element (the vertex's), which allows what all of them declare.
    if (e.type === 'Comprehension') {
      const yields = collectYields(v, e, c.env);
      for (const y of yields) {
        const arc = getArc(v, String(n++));
        addArcConj(arc, { expr: y.body, env: y.env, def: c.def, pos: e.pos, node: c.def ? undefined : newNode(), opt: c.opt, inline: c.inline });
      }
      continue;
    }
    const arc = getArc(v, String(n++));
    addArcConj(arc, { expr: e, env: c.env, def: c.def, pos: e.pos, node: c.def ? undefined : newNode(), opt: c.opt, inline: c.inline });
  }
  v.pushListPart({ n, open, elem, pos: lit.pos });
}

function collectYields(v: Vertex, e: Comprehension, env: Env): { env: Env; body: StructLit }[] {
  const out: { env: Env; body: StructLit }[] = [];
  runComprehension(v, e, { expr: e, env, def: false }, (y, body) => out.push({ env: y, body }));
  return out;
}

export function finishList(v: Vertex): void {
  const parts = v.listParts;
  let max = 0;
  for (const p of parts) max = Math.max(max, p.n);
  const closed = parts.filter((p) => !p.open);
  for (const p of closed) {
    if (p.n !== max) {
      const other = parts.find((q) => q.n === max)!;
      v.err = bottom('eval', `incompatible list lengths (${p.n} and ${max})`, [p.pos, other.pos]);
      return;
    }
  }
  v.listOpen = closed.length === 0;
  v.listElem = [];
  for (const p of parts) {
    if (!p.open) continue;
    if (p.elem) {
      if (v.listOpen) v.pushListElem(p.elem);
      for (let i = p.n; i < max; i++) addArcConj(getArc(v, String(i)), cloneConj(p.elem));
    }
  }
}
