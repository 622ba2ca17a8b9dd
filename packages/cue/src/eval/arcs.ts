// Arcs of a vertex: creating them (pattern constraints apply to each new
// arc), adding conjuncts to them, and resetting a vertex for re-evaluation.
import { Conj, type Conjunct, Vertex, cloneConj, isRegularLabel, labelName, newEnv } from './vertex.js';
import { STRING, TOP, type Val, isBottom } from './values.js';
import { expand } from './sched.js';
import { unifyScalar } from './unify.js';
import { kidOf } from './closed.js';
import { inheritMissed, restoreMissed, saveMissed } from './missed.js';
import { forgetValidators } from './finish.js';
import { soleDefaultVertices } from './default.js';
import { dropPostChecks } from './postcheck.js';

/** The arc of v named `label`, created if missing, for adding to or changing it (borrowed arcs are copied first). */
export function getArc(v: Vertex, label: string): Vertex {
  if (v.borrow) v.arcMap();
  let a = v.arcs.get(label);
  if (!a) {
    a = new Vertex(v, label);
    v.arcMap().set(label, a);
    inheritMissed(v, a);
    for (let i = 0, xs = v.patterns; i < xs.length; i++) {
      const p = xs[i];
      applyPattern(p, a);
    }
  }
  return a;
}

/**
 * What some conjuncts admit, evaluated in a vertex of their own below `parent`
 * but not one of its arcs (a list's element constraint, a pattern's value), so
 * that it can be printed; the parent is left as it was.
 */
export function detachedConstraint(parent: Vertex, label: string, conjs: readonly Conjunct[]): Vertex {
  const v = new Vertex(parent, label);
  for (let i = 0; i < conjs.length; i++) {
    const c = conjs[i];
    addArcConj(v, cloneConj(c));
  }
  expand(v);
  return v;
}

export function addArcConj(arc: Vertex, c: Conjunct): void {
  arc.addConjunct(c);
  if (c.pos) arc.addPosition(c.pos);
  if (c.attrs && c.attrs.length) arc.pushAttrs(...c.attrs);
  if (arc.status >= 2) {
    // A test that found a field missing in the value evaluated so far still
    // stands: the field arriving now contradicts it (finish.ts reports it).
    const missed = saveMissed(arc);
    resetVertex(arc);
    restoreMissed(arc, missed);
  }
}

/** The arc has no declaration yet, only what pattern constraints gave it (Conj.fromPattern: they do not declare the field). */
export function undeclared(arc: Vertex): boolean {
  for (let i = 0, xs = arc.conjuncts; i < xs.length; i++) {
    const c = xs[i];
    if (!(c instanceof Conj && c.fromPattern)) return false;
  }
  return true;
}

export function applyPattern(p: Vertex['patterns'][number], arc: Vertex): void {
  if (!isRegularLabel(arc.label) || arc.parent?.isList) return;
  if (!labelMatches(p.pattern, arc.label)) return;
  let env = p.conj.env;
  if (p.alias || p.fieldAlias) {
    const binds = new Map<string, { val?: Val; vertex?: Vertex }>();
    if (p.alias) binds.set(p.alias, { val: { t: 'string', s: labelName(arc.label) } });
    if (p.fieldAlias) binds.set(p.fieldAlias, { vertex: arc });
    env = newEnv(env.vertex, env);
    env.binds = binds;
  }
  const c = cloneConj(p.conj);
  c.env = env;
  if (p.node) c.node = kidOf(p.node, arc.label);
  c.fromPattern = true;
  arc.addConjunct(c);
  // A field made by a pattern carries the pattern's attributes (`[string]: string @secret()`),
  // as it would had it been declared with them (once, however often the pattern is applied).
  const attrs = c.attrs?.filter((a) => !arc.attrs.includes(a));
  if (attrs?.length) arc.pushAttrs(...attrs);
  if (arc.status >= 2) resetVertex(arc);
}

export function labelMatches(pattern: Val, label: string): boolean {
  // `[string]: T` and `[_]: T`, the usual patterns: a kind, which a label's string has or not.
  if (pattern.t === 'top') return true;
  if (pattern.t === 'cons' && pattern.bounds.length === 0 && pattern.validators.length === 0) return (pattern.kinds & STRING) !== 0;
  const lv: Val = { t: 'string', s: labelName(label) };
  if (pattern.t === 'vertex') {
    // A reference (`[#Name]: T`) may be to a field not evaluated yet.
    if (pattern.status === 0) expand(pattern);
    if (pattern.disjuncts) return pattern.disjuncts.some((d) => labelMatches(d, label));
    if (pattern.err) return false;
    const d = pattern.base;
    // A struct or list matches no label (an embedded scalar decides, as in `{"a"}`).
    if (d.t === 'top' && (pattern.isStruct || pattern.isList)) return false;
    if (!d) return false;
    return labelMatches(d, label);
  }
  if (pattern.t === 'disj') return pattern.terms.some((t) => labelMatches(t, label));
  const r = unifyScalar(pattern, lv);
  return !isBottom(r);
}

/** A disjunct made by splitting its vertex (it stands for that vertex, which its parent holds instead). */
function isDisjunctClone(v: Vertex): boolean {
  return !!v.choices && v.label !== '' && !!v.parent && v.parent.arcs.get(v.label) !== v;
}

export function resetVertex(v: Vertex): void {
  // A disjunct (a clone its vertex was split into, which its vertex keeps
  // among its disjuncts) was evaluated within the split: there, references
  // to its vertex meant this disjunct and its choices were made together
  // with its siblings'. Evaluated again on its own it would be a different
  // value (`a: b & {x: 1} | {y: 1}` with b, c referring back to a: every
  // disjunct came out {y: 1}); it stays as the split made it.
  if (isDisjunctClone(v)) return;
  if (v.onStack) return;
  v.status = 0;
  v.clearArcs();
  v.base = TOP;
  v.isStruct = false;
  v.isList = false;
  v.listParts = [];
  v.listOpen = false;
  v.listElem = [];
  v.roots = [];
  v.declNode = undefined;
  v.inlineNode = undefined;
  v.cursor = undefined;
  v.later = undefined;
  v.ahead = undefined;
  v.patterns = [];
  v.err = undefined;
  dropPostChecks(v);
  forgetValidators(v);
  v.disjuncts = undefined;
  v.disjMarks = undefined;
  v.disjMarked = false;
  v.disjCyclic = false;
  v.againOf = undefined;
  v.disjMulti = undefined;
  v.comprehensions = [];
  v.tainted = false;
  v.pending = undefined;
  v.incompleteErr = undefined;
  v.refs = undefined;
  v.refTo = undefined;
  v.cyclicConjs = undefined;
  v.added = undefined;
  v.scalarDirect = undefined;
  v.scalarEmbedded = undefined;
  v.structEmbedded = undefined;
  v.embedOnlyStruct = undefined;
  v.topEmbedded = undefined;
  v.listEmbedded = undefined;
  v.listDirect = undefined;
  v.structLater = undefined;
  v.missed = undefined;
  v.structDirect = undefined;
  v.incompletes = undefined;
  if (v.shareable) v.shareable = undefined;
  soleDefaultVertices.delete(v);
}
