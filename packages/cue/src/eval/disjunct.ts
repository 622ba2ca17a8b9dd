// Disjunctions of structs and lists (CUE: disjunct2.go): the vertex keeps
// its pending disjunctions while its other conjuncts are added, then is
// evaluated once per combination of terms (each clone choosing one term per
// disjunction); failed clones are eliminated, equal ones merged, defaults
// marked (default.ts). Scalar disjunctions are values (disjunction.ts).
import { choseDefault, markDefaults, soleDefaultVertices } from './default.js';
import { type Bottom, TOP, type Val, bottom, isBottom, isScalar } from './values.js';
import { type Change, isolated, replay } from './closetrail.js';
import { type Conjunct, type PendingDisj, type RefChain, Vertex, cloneConj, labelName } from './vertex.js';
import { type Expr } from '../ast.js';
import { unparen } from '../syntax.js';
import { type Term, asSoleDefault, isSoleDefault, mkDisj } from './disjunction.js';
import { addVal, setBase, standsFor } from './conjuncts.js';
import { deepError } from './finish.js';
import { evalDisjunct } from './expr.js';
import { expand } from './sched.js';
import { limits, tick } from './limits.js';
import { carryLets, sameDisjunct, valEqual } from './equality.js';
import { inDisjunct } from './disjunct-scope.js';
import { resetVertex } from './arcs.js';
import { cycleAt } from './cycle.js';

export function addDisjunction(v: Vertex, e: Expr, c: Conjunct): void {
  const raw = flattenNested(e);
  // The terms are evaluated here, while v is in progress. A term that refers
  // back to v (a reference cycle: `x: y & 8 | 9`, `y: x - 1`) sees what v is
  // so far, and that must not depend on where the disjunction is written: a
  // scalar v got from a conjunct written before it (`x: 9` above the
  // disjunction) is hidden, as it would be from one written after it.
  // (cycle/051 xe, whose results CUE gives for the disjunction written first.)
  const saved = v.base;
  const hide = v.onStack && isScalar(saved);
  if (hide) v.base = TOP;
  let terms: (Term & { src: Expr })[];
  try {
    terms = raw.map((t) => ({ v: scalarOf(evalDisjunct(t.expr, c.env)), star: t.star, src: t.expr }));
  } finally {
    if (hide) {
      const now = v.base;
      v.base = saved;
      if (now.t !== 'top') setBase(v, now);
    }
  }
  if (terms.every((t) => t.v.t !== 'vertex')) {
    const d = mkDisj(terms, e.pos);
    // `{_ | _}` embeds `_`, and `{_ | int}` a disjunction with `_` in it (finish.ts: an embedding-only literal is its embedded value).
    if (c.embedIn && (d.t === 'top' || (d.t === 'disj' && d.terms.some((x) => x.t === 'top')))) v.topEmbedded = true;
    setBase(v, d, c);
    return;
  }
  // Struct or list disjuncts: flatten nested disjunctions and split the vertex.
  const outerMarked = terms.some((t) => t.star);
  const flat: { v: Val; mark: boolean; src?: Expr }[] = [];
  for (const t of terms) {
    let inner: { v: Val; mark: boolean }[] | undefined;
    let innerMarked = false;
    if (isSoleDefault(t.v)) {
      inner = [{ v: t.v, mark: true }];
      innerMarked = true;
    } else if (t.v.t === 'disj') {
      inner = t.v.terms.map((x, i) => ({ v: x, mark: (t.v as { marks: boolean[] }).marks[i]! }));
      innerMarked = t.v.marked;
    } else if (t.v.t === 'vertex' && t.v.conjuncts.length && (t.v.label !== '' || isDisjunctionSyntax(t.src)) && !standsFor(v, t.v) && !t.v.disjCyclic) {
      // (A self reference is not flattened: once the vertex is split, its
      // disjuncts would shift the term indices that the clones chose by.
      // Of inline values only a parenthesized disjunction is, so that its
      // defaults count in this one: `(*{a: 1} | {b: 1}) | null` is {a: 1}.)
      expand(t.v);
      if (t.v.disjuncts) {
        inner = t.v.disjuncts.map((x, i) => ({ v: x as Val, mark: t.v.t === 'vertex' ? t.v.disjMarks![i]! : false }));
        innerMarked = t.v.disjMarked;
      } else if (soleDefaultVertices.has(t.v)) {
        inner = [{ v: t.v, mark: true }];
        innerMarked = true;
      }
    }
    if (isBottom(t.v)) continue;
    if (inner) {
      for (const x of inner) {
        const m = t.star ? (innerMarked ? x.mark : true) : outerMarked ? false : innerMarked && x.mark;
        flat.push({ v: x.v, mark: m, src: t.src });
      }
    } else flat.push({ v: t.v, mark: t.star, src: t.src });
  }
  if (flat.length === 0) {
    setBase(v, mkDisj(terms, e.pos));
    return;
  }
  pushDisjunction(v, e, flat, flat.some((f) => f.mark), c);
}

function isDisjunctionSyntax(e: Expr): boolean {
  const x = unparen(e);
  return x.type === 'BinaryExpr' && x.op === '|';
}

/**
 * A reference to a field whose value is a scalar or scalar constraint
 * (`core.#PortType | *8080`) stands for that value: the disjunction stays a
 * scalar one instead of splitting the vertex into a clone per term.
 */
function scalarOf(x: Val): Val {
  if (x.t !== 'vertex' || x.label === '' || x.status === 1) return x;
  expand(x);
  if (x.status < 2 || x.err || x.disjuncts || x.disjCyclic || x.pending || x.isStruct || x.isList || x.arcs.size || x.incompleteErr || x.tainted) return x;
  const b = x.base;
  if (b.t === 'top' || isBottom(b)) return x;
  // What is left of a marked disjunction, its default, stays one (D1): `x | null` with x: *1 | {a: 1 & 2}.
  return isScalar(b) && soleDefaultVertices.has(x) ? asSoleDefault(b) : b;
}

export function pushDisjunction(v: Vertex, key: Expr, terms: { v: Val; mark: boolean; src?: Expr }[], marked: boolean, c: Conjunct, from?: Vertex): void {
  // Every reference to one disjunction value, added the same way, is one
  // choice: X & X is X, and a combination of different terms of X is an
  // instance of each of them (`foo: #Value` declared many times).
  const same = from && !c.embedIn;
  const choice = v.choices?.get(key) ?? (same ? v.choiceFrom?.get(from) : undefined);
  if (choice !== undefined && terms[choice]) {
    // (What the term brings came through this reference here, as in a disjunct made by the split.)
    if (from && c.refs) addVia(v, c.refs);
    // A disjunct is an optional path: a repeat through it must be fed (cycle.ts).
    const oc = cloneConj(c);
    oc.opt = true;
    addVal(v, terms[choice]!.v, oc, terms[choice]!.src);
    const more = v.x !== undefined ? v.moreChoices?.get(key) : undefined;
    if (more) {
      for (let i = 0; i < more.length; i++) {
        const t = terms[more[i]!];
        if (t) addVal(v, t.v, oc, t.src);
      }
    }
    return;
  }
  if (terms.length === 1) {
    addVal(v, terms[0]!.v, c, terms[0]!.src);
    return;
  }
  if (same && v.pending?.some((p) => p.from === from && sameMode(p.c, c))) return;
  (v.pending ??= []).push({ key, terms, marked, c, from: same ? from : undefined, via: from ? c.refs : undefined });
}

function addVia(v: Vertex, r: RefChain): void {
  const l = v.viaChains;
  if (!l) v.viaChains = [r];
  else if (!l.includes(r)) l.push(r);
}

/** Conjuncts that add a value with the same closedness. */
function sameMode(a: Conjunct, b: Conjunct): boolean {
  return a.def === b.def && !a.closeAll === !b.closeAll && !a.openAll === !b.openAll && !a.opt === !b.opt;
}

/** The terms of a disjunction expression depend on its syntax only: computed once per expression. */
const flatCache = new WeakMap<Expr, { expr: Expr; star: boolean }[]>();

const nestedCache = new WeakMap<Expr, { expr: Expr; star: boolean }[]>();

/**
 * The terms of a disjunction with its parenthesized disjunctions flattened
 * into it (`A | (B | C)` is `A | B | C`, with the defaults of the nested one
 * counted as mkDisj counts them). Split by syntax, not evaluated first: a
 * nested disjunction evaluated on its own, before the vertex's other
 * conjuncts can eliminate its terms, recurses without end when a term refers
 * back to the field (`t: Z | (X | X)`, X using `t & {...}`), which the same
 * terms written flat do not.
 */
function flattenNested(e: Expr): { expr: Expr; star: boolean }[] {
  let out = nestedCache.get(e);
  if (out) return out;
  const raw = flattenSyntax(e, false);
  if (!raw.some((t) => isDisjunctionSyntax(t.expr))) out = raw;
  else {
    const outerMarked = raw.some((t) => t.star);
    out = [];
    for (const t of raw) {
      if (!isDisjunctionSyntax(t.expr)) {
        out.push(t);
        continue;
      }
      const inner = unparen(t.expr);
      const sub = flattenNested(inner);
      const innerMarked = flattenSyntax(inner, false).some((x) => x.star) || sub.some((x) => x.star);
      // A marked group with marks of its own (`*(1 | *X)`, rule M2) stays one
      // term: which of its defaults survive is known only once its terms are
      // evaluated (all of them eliminated makes it unmarked, and then M1 makes
      // all of it the default), which splitting by syntax cannot tell.
      if (t.star && innerMarked) {
        out.push(t);
        continue;
      }
      for (const x of sub) out.push({ expr: x.expr, star: t.star ? (innerMarked ? x.star : true) : outerMarked ? false : innerMarked && x.star });
    }
  }
  nestedCache.set(e, out);
  return out;
}

export function flattenSyntax(e: Expr, star: boolean): { expr: Expr; star: boolean }[] {
  if (e.type === 'BinaryExpr' && e.op === '|') {
    let terms = flatCache.get(e);
    if (!terms) flatCache.set(e, (terms = [...flattenSyntax(e.x, false), ...flattenSyntax(e.y, false)]));
    return terms;
  }
  if (e.type === 'UnaryExpr' && e.op === '*') return [{ expr: e.x, star: true }];
  return [{ expr: e, star }];
}

/**
 * The combinations to try, per group of equal pending disjunctions: each
 * choice assigns a term index to every disjunction of its group. The same
 * disjunction met again (an expression reached through several references
 * to one definition, `(#A & {x: c}) & (#A & {x: c})`, each instance bringing
 * `*s | {...}`) adds nothing new: unification is idempotent and commutative,
 * so a combination of equal disjunctions depends only on the set of terms
 * chosen, not on which copy chose which. Trying one combination per set
 * keeps k copies of an n-term disjunction at fewer than 2^n combinations
 * instead of n^k (CUE merges them as it goes: disjunct2.go).
 */
function choiceGroups(pend: readonly PendingDisj[]): [number, number][][][] {
  const reps: number[] = [];
  const members: number[][] = [];
  for (let k = 0; k < pend.length; k++) {
    const g = reps.findIndex((r) => sameDisjunction(pend[r]!, pend[k]!));
    if (g < 0) {
      reps.push(k);
      members.push([k]);
    } else members[g]!.push(k);
  }
  return members.map((ks) => {
    const n = pend[ks[0]!]!.terms.length;
    if (ks.length === 1) return pend[ks[0]!]!.terms.map((_, i) => [[ks[0]!, i]] as [number, number][]);
    const out: [number, number][][] = [];
    // Every nonempty set of terms, up to as many as there are copies: its
    // terms in order, the last repeated over the copies left.
    const sets = (from: number, chosen: number[]): void => {
      if (chosen.length) out.push(ks.map((k, j) => [k, chosen[Math.min(j, chosen.length - 1)]!] as [number, number]));
      if (chosen.length === ks.length) return;
      for (let i = from; i < n; i++) sets(i + 1, [...chosen, i]);
    };
    sets(0, []);
    return out;
  });
}

/** Disjunctions from the same expression whose terms are equal values, added the same way. */
function sameDisjunction(a: PendingDisj, b: PendingDisj): boolean {
  if (a.key !== b.key || a.marked !== b.marked || a.terms.length !== b.terms.length) return false;
  if (!sameMode(a.c, b.c) || !a.c.embedIn !== !b.c.embedIn) return false;
  for (let i = 0; i < a.terms.length; i++) {
    const x = a.terms[i]!;
    const y = b.terms[i]!;
    if (x.mark !== y.mark) return false;
    if (x.v === y.v) continue;
    if (x.v.t !== 'vertex' || y.v.t !== 'vertex') {
      if (x.v.t === 'vertex' || y.v.t === 'vertex' || !valEqual(x.v, y.v, 0)) return false;
      continue;
    }
    if (!sameDisjunct(x.v, y.v)) return false;
  }
  return true;
}

export function splitDisjunctions(v: Vertex): void {
  const pend = v.pending!;
  const groups = choiceGroups(pend);
  let total = 1;
  for (const g of groups) total *= g.length;
  if (total > limits.maxDisjuncts) {
    v.err = bottom('eval', `not supported yet: disjunction with ${total} combinations`, v.positions.slice(0, 1));
    return;
  }
  const survivors: { x: Vertex; mark: boolean; idx: number[]; inner: boolean; changes: Change[] }[] = [];
  const errs: Bottom[] = [];
  // The disjunct each error ended, to say where in it the error arose.
  const errAt: Vertex[] = [];
  const idx = pend.map(() => 0);
  const anyMarked = pend.some((p) => p.marked);
  for (let n = 0; n < total; n++) {
    let r = n;
    for (let g = groups.length - 1; g >= 0; g--) {
      const choices = groups[g]!;
      const pick = choices[r % choices.length]!;
      for (let j = 0; j < pick.length; j++) idx[pick[j]![0]] = pick[j]![1];
      r = Math.floor(r / choices.length);
    }
    tick();
    const clone = new Vertex(v.parent, v.label);
    clone.fieldKind = v.fieldKind;
    // A copy: a conjunct the field gets after the split (an embedding of the
    // field into its own struct, ahead.ts) must not show up in a disjunct
    // made without it, which is re-added by every value that refers to it.
    clone.conjuncts = v.conjuncts.slice();
    clone.positions = v.positions;
    clone.attrs = v.attrs;
    clone.notAllowed = v.notAllowed;
    if (v.operand) clone.operand = true;
    clone.choices = new Map(v.choices ?? []);
    if (v.choiceFrom) clone.choiceFrom = new Map(v.choiceFrom);
    if (v.viaChains) clone.viaChains = v.viaChains.slice();
    if (v.chosenTerms) clone.chosenTerms = new Map(v.chosenTerms);
    for (let k = 0; k < pend.length; k++) {
      clone.choices.set(pend[k]!.key, idx[k]!);
      const src = pend[k]!.terms[idx[k]!]!.src;
      if (src) (clone.chosenTerms ??= new Map()).set(pend[k]!.key, src);
      const from = pend[k]!.from;
      if (from) (clone.choiceFrom ??= new Map()).set(from, idx[k]!);
      const via = pend[k]!.via;
      if (via) addVia(clone, via);
    }
    let readers: Set<Vertex> | undefined;
    // Each disjunct sees the shared closedness nodes as they were before any disjunct.
    let err: Bottom | undefined;
    const changes = isolated(() => {
      readers = inDisjunct(v, clone, () => {
        expand(clone);
        err = deepError(clone, 0, true) ?? selfCycle(clone);
      });
    });
    // What was computed outside the disjunct from it holds for it only.
    for (const r of readers!) if (!r.onStack && r.status >= 2) resetVertex(r);
    if (err) {
      errs.push(err);
      errAt.push(clone);
      continue;
    }
    if (clone.disjCyclic) v.disjCyclic = true;
    if (clone.disjuncts) {
      clone.disjuncts.forEach((d, i) => survivors.push({ x: d, mark: !clone.disjMarked || clone.disjMarks![i]!, idx: idx.slice(), inner: true, changes }));
    } else survivors.push({ x: clone, mark: true, idx: idx.slice(), inner: false, changes });
  }
  markDefaults(pend, survivors);
  if (errs.some((e) => e.code === 'structural cycle')) v.disjCyclic = true;
  // Deduplicate equal disjuncts.
  const uniq: { x: Vertex; mark: boolean; changes: Change[] }[] = [];
  for (const s of survivors) {
    const same = uniq.find((u) => sameDisjunct(u.x, s.x));
    if (!same) uniq.push(s);
    else {
      same.mark = same.mark || s.mark;
      // Of equal disjuncts the one still waiting on an incomplete value is
      // not the one to keep, whichever was written first.
      if (same.x.incompleteErr && !s.x.incompleteErr) {
        same.x = s.x;
        same.changes = s.changes;
      }
    }
  }
  if (uniq.length === 0) {
    if (errs.length === 1) v.err = errs[0]!;
    else {
      // One disjunct that only lacks information may still succeed: the disjunction is incomplete, not failed.
      const code = errs.some((e) => e.code === 'incomplete') ? 'incomplete' : 'eval';
      const reasons = [...new Set(errs.map((e, i) => reasonOf(errAt[i]!, e)))];
      const b = bottom(code, `${errs.length} errors in empty disjunction: ${reasons.join('; ')}`, errs.flatMap((e) => e.pos).slice(0, 8));
      b.more = errs;
      v.err = b;
    }
    return;
  }
  const marked = (anyMarked || survivors.some((s) => s.inner)) && uniq.some((u) => u.mark) && !uniq.every((u) => u.mark);
  if (uniq.length === 1) {
    replay(uniq[0]!.changes);
    adopt(v, uniq[0]!.x);
    const s = survivors.find((x) => x.x === uniq[0]!.x);
    if (s && !s.inner && s.mark && choseDefault(pend, s.idx)) soleDefaultVertices.add(v);
    else soleDefaultVertices.delete(v);
    return;
  }
  soleDefaultVertices.delete(v);
  v.disjuncts = uniq.map((u) => u.x);
  v.disjMarks = uniq.map((u) => u.mark);
  v.disjMarked = marked;
  if (pend.filter((p) => p.marked).length > 1) v.disjMulti = true;
}

/**
 * An error that ended a disjunct, with where in the disjunct it arose
 * (`image.tag: conflicting values "a" and "c"`): the disjuncts of a struct
 * usually fail on different fields, and their messages alone do not say
 * which (`field not allowed; field not allowed`).
 */
function reasonOf(clone: Vertex, err: Bottom): string {
  const path = errPath(clone, err, 0);
  if (path && err.sub) path.push(...err.sub);
  const msg = err.msg || err.code;
  return path?.length ? `${path.map(labelName).join('.')}: ${msg}` : msg;
}

/** The labels from v to the vertex holding err, in the order deepError looks (finish.ts). */
function errPath(v: Vertex, err: Bottom, depth: number): string[] | undefined {
  if (v.err === err || v.base === err) return [];
  if (v.err || isBottom(v.base) || depth > 40 || v.disjuncts) return undefined;
  for (const [l, a] of v.arcs) {
    if (a.fieldKind === 'optional') continue;
    const p = errPath(a, err, depth + 1);
    if (p) return [l, ...p];
  }
  return undefined;
}

/**
 * A disjunct whose own comprehension ranges over the disjunct itself while
 * it is still being made (`c: *{for k, v in c {...}} | {}`) can never get
 * the fields it ranges over: it fails, as a disjunct with a conflict does,
 * instead of surviving as an incomplete value.
 */
function selfCycle(clone: Vertex): Bottom | undefined {
  const e = clone.incompleteErr;
  return e?.cycle && cycleAt.get(e) === clone ? e : undefined;
}

function adopt(v: Vertex, x: Vertex): void {
  if (x.borrow?.share) {
    // The disjunct shares a struct: so does v (its arcs stay the struct's).
    v.arcs = x.arcs;
    v.borrow = x.borrow;
  } else {
    v.arcs = x.arcMap();
    // v's own arcs now: whatever v borrowed before the split is gone.
    v.borrow = undefined;
  }
  v.base = x.base;
  v.scalarDirect = x.scalarDirect;
  v.scalarEmbedded = x.scalarEmbedded;
  v.structEmbedded = x.structEmbedded;
  v.embedOnlyStruct = x.embedOnlyStruct;
  v.topEmbedded = x.topEmbedded;
  v.listEmbedded = x.listEmbedded;
  v.listDirect = x.listDirect;
  v.structLater = x.structLater;
  v.structDirect = x.structDirect;
  v.isStruct = x.isStruct;
  v.isList = x.isList;
  v.listOpen = x.listOpen;
  v.listElem = x.listElem;
  v.listParts = x.listParts;
  v.roots = x.roots;
  v.declNode = x.declNode;
  v.inlineNode = x.inlineNode;
  v.patterns = x.patterns;
  v.err = x.err;
  v.incompleteErr = x.incompleteErr;
  v.disjuncts = x.disjuncts;
  v.disjMarks = x.disjMarks;
  v.disjMarked = x.disjMarked;
  v.choices = x.choices;
  v.choiceFrom = x.choiceFrom;
  v.chosenTerms = x.chosenTerms;
  v.disjMulti = x.disjMulti;
  if (x.letLits) carryLets(v, x);
  v.pending = undefined;
  if (!v.borrow?.share) for (const a of v.arcs.values()) a.parent = v;
}
