// Equality of values: `==` on lists and structs (dataEqual), and the
// equality that merges duplicate disjuncts (valEqual, structural equality).
import { type Val, isScalar, show } from './values.js';
import type { StructLit } from '../ast.js';
import { type Conjunct, type PatternC, Vertex, hasRegularLabel, isRegularLabel } from './vertex.js';
import { compare } from './unify.js';
import { concreteDefault } from './operators.js';
import { expand } from './sched.js';
import { vertexClosed } from './closed.js';
import { detachedConstraint } from './arcs.js';

/** `{2, #x: 1}`: a scalar (or scalar constraint) with only definitions or hidden fields. */
export function isEmbeddedScalar(v: Vertex): boolean {
  if (v.isList || v.disjuncts || v.err) return false;
  if (v.base.t === 'top' || v.base.t === 'bottom') return false;
  return !hasRegularLabel(v);
}

function isPlainScalarVertex(v: Vertex): boolean {
  return !v.isStruct && !v.isList && !v.disjuncts && v.arcs.size === 0;
}

export function vertexEqual(a: Vertex, b: Vertex): boolean {
  return valEqual(a, b, 0);
}

/**
 * Disjuncts are duplicates only when they are the same value in every
 * respect: regular fields and also optional and required ones and openness
 * (`{a?: int} | {b?: int}` keeps both; `{a: 1} | #b` with `#b: {a: 1}` too).
 */
export function sameDisjunct(a: Vertex, b: Vertex): boolean {
  if (!vertexEqual(a, b)) return false;
  return structurallyEqual(a, b, 0);
}

/**
 * A struct literal with lets was added to v. CUE keeps a let as an arc of
 * the struct that declares it, so that `_ | {let x = 1, _}` has two
 * disjuncts (both `_`): equal disjuncts must include the same lets.
 */
export function noteLets(v: Vertex, lit: StructLit): void {
  const s = v.letLits;
  if (s) s.add(lit);
  else v.letLits = new Set([lit]);
}

/** v's value includes w's (a reference, a disjunct chosen): with its lets. */
export function carryLets(v: Vertex, w: Vertex): void {
  if (v === w) return;
  for (const l of w.letLits!) noteLets(v, l);
}

function sameLets(a: Vertex, b: Vertex): boolean {
  const x = a.letLits;
  const y = b.letLits;
  if (!x || !y) return x === y;
  if (x.size !== y.size) return false;
  for (const l of x) if (!y.has(l)) return false;
  return true;
}

function structurallyEqual(a: Vertex, b: Vertex, depth: number): boolean {
  if (depth > 20) return true;
  expand(a);
  expand(b);
  if (a.disjuncts || b.disjuncts || a.err || b.err) return true;
  if (!sameLets(a, b)) return false;
  // Scalars (also embedded in a struct, `{string}`) were compared by value.
  if (isEmbeddedScalar(a) || isPlainScalarVertex(a) || isEmbeddedScalar(b) || isPlainScalarVertex(b)) return true;
  if (a.isStruct !== b.isStruct) return false;
  if (a.isStruct && vertexClosed(a) !== vertexClosed(b)) return false;
  if (!sameConstraints(a, b, depth)) return false;
  let na = 0;
  for (const kv of a.arcs) {
    const l = kv[0];
    const x = kv[1];
    na++;
    const y = b.arcs.get(l);
    if (!y || y.fieldKind !== x.fieldKind) return false;
    if (x.fieldKind === 'regular') {
      if (!structurallyEqual(x, y, depth + 1)) return false;
    } else if (!valEqual(x, y, depth + 1)) return false;
  }
  return na === b.arcs.size;
}

/**
 * What a value allows beyond its fields, as CUE's structural equality
 * compares it (closed or open lists, pattern constraints): `[] | [...int]`,
 * `[...int] | [...string]` and `{[string]: int} | {[string]: string}` are
 * two disjuncts each, not the first one (a reference to such a field, `x &
 * ["a"]`, failed on the dropped disjunct).
 */
function sameConstraints(a: Vertex, b: Vertex, depth: number): boolean {
  if (a.isList !== b.isList) return false;
  if (a.isList) {
    if (a.listOpen !== b.listOpen) return false;
    if (a.listOpen && !sameConjunctValues(a, a.listElem, b, b.listElem, depth)) return false;
  }
  const pa = patternGroups(a.patterns);
  const pb = patternGroups(b.patterns);
  if (pa.length !== pb.length) return false;
  for (let i = 0; i < pa.length; i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (!valEqual(x.pattern, y.pattern, depth + 1)) return false;
    if (!sameConjunctValues(a, x.conjs, b, y.conjs, depth)) return false;
  }
  return true;
}

/**
 * A struct's pattern constraints with equal patterns (and aliases) taken
 * together, as CUE keeps them: one pattern whose constraint is the
 * conjunction of every declaration's. `{[string]: string} & {[string]:
 * string}` has one constraint, the same as `{[string]: string}`'s, so
 * `({[string]: string} | *{}) & ({[string]: string} | *{})` is two disjuncts.
 */
export function patternGroups(ps: readonly PatternC[]): { pattern: Val; conjs: Conjunct[]; alias?: string; fieldAlias?: string }[] {
  const out: { pattern: Val; conjs: Conjunct[]; alias?: string; fieldAlias?: string }[] = [];
  for (const p of ps) {
    const g = out.find((x) => x.alias === p.alias && x.fieldAlias === p.fieldAlias && valEqual(x.pattern, p.pattern, 0));
    if (g) g.conjs.push(p.conj);
    else out.push({ pattern: p.pattern, conjs: [p.conj], alias: p.alias, fieldAlias: p.fieldAlias });
  }
  return out;
}

/** Whether two constraints (a list's element type, a pattern's value) are the same: written by the same expressions, or evaluating the same. */
function sameConjunctValues(a: Vertex, ca: readonly Conjunct[], b: Vertex, cb: readonly Conjunct[], depth: number): boolean {
  if (ca.length === cb.length && ca.every((c, i) => c === cb[i] || (c.expr !== undefined && c.expr === cb[i]!.expr && c.val === cb[i]!.val))) return true;
  if (ca.length === 0 || cb.length === 0) return false;
  const x = detachedConstraint(a, '_', ca);
  const y = detachedConstraint(b, '_', cb);
  return valEqual(x, y, depth + 1) && structurallyEqual(x, y, depth + 1);
}

export function valEqual(a: Val, b: Val, depth: number): boolean {
  if (a === b) return true;
  if (depth > 50) return false;
  if (a.t === 'vertex') {
    expand(a);
    if (a.err) return b.t === 'bottom' || (b.t === 'vertex' && !!(expand(b), b.err));
    if (isEmbeddedScalar(a) || isPlainScalarVertex(a)) return valEqual(a.base, b, depth);
  }
  if (b.t === 'vertex') {
    expand(b);
    if (isEmbeddedScalar(b) || isPlainScalarVertex(b)) return valEqual(a, b.base, depth);
  }
  if (a.t === 'vertex' && b.t === 'vertex') {
    if (a.disjuncts || b.disjuncts) {
      if (!a.disjuncts || !b.disjuncts || a.disjuncts.length !== b.disjuncts.length) return false;
      const xs = defaultsFirst(a.disjuncts, a.disjMarked ? a.disjMarks : undefined);
      const ys = defaultsFirst(b.disjuncts, b.disjMarked ? b.disjMarks : undefined);
      return xs.every((x, i) => valEqual(x, ys[i]!, depth + 1));
    }
    if (a.isList !== b.isList) return false;
    if (!valEqual(a.base, b.base, depth + 1)) return false;
    const la = [...a.arcs.entries()].filter(([, x]) => x.fieldKind === 'regular');
    const lb = [...b.arcs.entries()].filter(([, x]) => x.fieldKind === 'regular');
    if (la.length !== lb.length) return false;
    for (let i = 0; i < la.length; i++) {
      const kv = la[i];
      const l = kv[0];
      const x = kv[1];
      const y = b.arcs.get(l);
      if (!y || y.fieldKind !== 'regular') return false;
      if (!valEqual(x, y, depth + 1)) return false;
    }
    return true;
  }
  if (a.t === 'vertex' || b.t === 'vertex') return false;
  if (isScalar(a) && isScalar(b)) return a.t === b.t && compareEq(a, b);
  if (a.t === 'disj' && b.t === 'disj') {
    if (a.terms.length !== b.terms.length) return false;
    const xs = defaultsFirst(a.terms, a.marked ? a.marks : undefined);
    const ys = defaultsFirst(b.terms, b.marked ? b.marks : undefined);
    return xs.every((t, i) => valEqual(t, ys[i]!, depth + 1));
  }
  if (a.t === 'cons' && b.t === 'cons') return show(a) === show(b);
  if (a.t === 'top' && b.t === 'top') return true;
  if (a.t === 'bottom' && b.t === 'bottom') return true;
  return false;
}

/**
 * Disjuncts in the order CUE keeps them, defaults first: two disjunctions
 * are compared term by term in that order, so `*1 | 2` and `1 | *2` differ
 * (`{a: *1 | 2} | {a: 1 | *2}` keeps both) while `*1 | 2` and `1 | 2` are
 * the same terms in the same order (as in CUE, marks are not compared).
 */
function defaultsFirst<T>(xs: readonly T[], marks: readonly boolean[] | undefined): readonly T[] {
  if (!marks || !marks.some((m) => m)) return xs;
  return [...xs.filter((_, i) => marks[i]), ...xs.filter((_, i) => !marks[i])];
}

function compareEq(a: Val, b: Val): boolean {
  if (a.t === 'null') return true;
  if (a.t === 'bool' && b.t === 'bool') return a.b === b.b;
  if ((a.t === 'string' || a.t === 'bytes') && (b.t === 'string' || b.t === 'bytes')) return a.s === b.s;
  return compare(a, b) === 0;
}

/** Data equality used by `==` on lists and structs: regular fields only, recursively. */
export function dataEqual(a: Val, b: Val): boolean {
  a = concreteDefault(a);
  b = concreteDefault(b);
  if (a.t === 'vertex' && b.t === 'vertex') {
    expand(a);
    expand(b);
    if (a.isList !== b.isList) return false;
    const la = regularArcs(a);
    const lb = regularArcs(b);
    if (la.length !== lb.length) return false;
    for (let i = 0; i < la.length; i++) {
      const kv = la[i];
      const l = kv[0];
      const x = kv[1];
      const y = b.arcs.get(l);
      if (!y || y.fieldKind !== 'regular') return false;
      if (!dataEqual(x, y)) return false;
    }
    return true;
  }
  if (a.t === 'vertex' || b.t === 'vertex') return false;
  if (isScalar(a) && isScalar(b)) {
    if ((a.t === 'int' || a.t === 'float') && (b.t === 'int' || b.t === 'float')) return compare(a, b) === 0;
    return a.t === b.t && compareEq(a, b);
  }
  return false;
}

export function regularArcs(v: Vertex): [string, Vertex][] {
  const out: [string, Vertex][] = [];
  for (const kv of v.arcs) if (kv[1].fieldKind === 'regular' && isRegularLabel(kv[0])) out.push(kv);
  return out;
}

/** The labels of regularArcs(v). */
export function regularLabels(v: Vertex): Set<string> {
  const out = new Set<string>();
  for (const kv of v.arcs) if (kv[1].fieldKind === 'regular' && isRegularLabel(kv[0])) out.add(kv[0]);
  return out;
}
