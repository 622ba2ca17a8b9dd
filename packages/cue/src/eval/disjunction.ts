// Value-level disjunctions (of scalars and scalar constraints) with default
// marks, following the spec's rewrite rules M0–M3, D0–D2 and U0–U2.
// Disjunctions whose terms are structs or lists are split per vertex by the
// evaluator instead (see evaluator.ts), because each struct disjunct needs its
// own evaluation context.
import { type Alt, bottom, type Bottom, type DisjV, isBottom, isScalar, type Val } from './values.js';
import { scalarEqual, unifyScalar } from './unify.js';

export interface Term {
  v: Val;
  /** `*` written in front of this term. */
  star: boolean;
}

/** Values that are the sole surviving default of a marked disjunction (finish). */
const soleDefaults = new WeakSet<Val>();

export function isSoleDefault(v: Val): boolean {
  return soleDefaults.has(v);
}

/** v as the sole surviving default of a marked disjunction (`*1 | {a: 1 & 2}` is ⟨1, 1⟩). */
export function asSoleDefault(v: Exclude<Val, { t: 'vertex' }>): Val {
  if (soleDefaults.has(v)) return v;
  const d = { ...v };
  soleDefaults.add(d);
  return d;
}

/** Builds a normalised disjunction from the terms of one syntactic disjunction. */
export function mkDisj(terms: Term[], pos?: DisjV['pos']): Val {
  const outerMarked = terms.some((t) => t.star);
  const out: Val[] = [];
  const marks: boolean[] = [];
  const errs: Bottom[] = [];
  for (const t of terms) {
    if (soleDefaults.has(t.v)) {
      // ⟨v, v⟩: a marked disjunction reduced to its default; as a term it
      // keeps that default (D1), unless this disjunction is marked (M3).
      push(out, marks, t.v, t.star || !outerMarked);
    } else if (t.v.t === 'disj') {
      const inner = t.v;
      for (let i = 0; i < inner.terms.length; i++) {
        let m: boolean;
        if (t.star) m = inner.marked ? inner.marks[i]! : true; // M1, M2
        else if (outerMarked) m = false; // M3
        else m = inner.marked && inner.marks[i]!; // D1, D2
        push(out, marks, inner.terms[i]!, m);
      }
    } else if (isBottom(t.v)) {
      errs.push(t.v);
    } else push(out, marks, t.v, t.star);
  }
  return finish(out, marks, outerMarked || marks.some((m) => m), errs, pos);
}

function push(out: Val[], marks: boolean[], v: Val, m: boolean): void {
  for (let i = 0; i < out.length; i++) {
    if (sameVal(out[i]!, v)) {
      marks[i] = marks[i]! || m;
      return;
    }
  }
  out.push(v);
  marks.push(m);
}

export function sameVal(a: Val, b: Val): boolean {
  if (a === b) return true;
  if (isScalar(a) && isScalar(b)) return a.t === b.t && scalarEqual(a, b);
  if (a.t === 'cons' && b.t === 'cons') {
    if (a.kinds !== b.kinds || a.bounds.length !== b.bounds.length || a.validators.length !== b.validators.length) return false;
    for (let i = 0; i < a.bounds.length; i++) {
      const x = a.bounds[i]!;
      const y = b.bounds[i]!;
      if (x.op !== y.op || !sameVal(x.v, y.v)) return false;
    }
    return a.validators.every((v, i) => v === b.validators[i]);
  }
  if (a.t === 'top' && b.t === 'top') return true;
  return false;
}

function finish(out: Val[], marks: boolean[], marked: boolean, errs: Bottom[], pos?: DisjV['pos'], srcs?: Alt[][]): Val {
  // A term not known because of a reference cycle may still be any value:
  // the disjunction cannot be decided without it (CUE: unresolved disjunction).
  const open = errs.find((e) => e.code === 'incomplete' && e.cycle);
  if (open) return open;
  if (out.length === 0) {
    if (errs.length === 1) return errs[0]!;
    // One disjunct that only lacks information may still succeed: the disjunction is incomplete, not failed.
    const code = errs.some((e) => e.code === 'incomplete') ? 'incomplete' : 'eval';
    const b = bottom(code, errs.length ? `${errs.length} errors in empty disjunction:` : 'empty disjunction', errs.flatMap((e) => e.pos));
    b.more = errs;
    if (errs.length) {
      b.msg = errs.length === 1 ? errs[0]!.msg : `empty disjunction: ${errs.map((e) => e.msg).join('; ')}`;
    }
    return b;
  }
  if (out.length === 1) {
    const v = out[0]!;
    // Its only term is its default (`*1 | (1&2)`): the value is ⟨1, 1⟩, and
    // in a disjunction it is still a default (`x | null` defaults to 1).
    if (marked && marks[0] && isScalar(v)) {
      const d = { ...v };
      soleDefaults.add(d);
      return d;
    }
    return v;
  }
  // Marked with no marked term: the default was eliminated (it is ⊥), which
  // differs from having no default: later unifications cannot bring one back.
  return { t: 'disj', terms: out, marks, marked, pos, srcs };
}

/**
 * Unifies a value-level disjunction with another non-struct value,
 * distributing over terms. Defaults are decided over the product of all the
 * disjunctions unified so far, as CUE does, not pairwise (which would make
 * `C & B & A` differ from `A & B & C`): each term remembers which marked
 * disjunctions it chose from and whether it chose their marked term (Alt).
 * A disjunction none of whose marked terms survives in the product counts
 * as unmarked; a term is a default when it chose a marked term and no
 * unmarked term of a disjunction whose marked terms survive elsewhere.
 */
export function unifyDisj(a: Val, b: Val, unify: (x: Val, y: Val) => Val = unifyScalar): Val {
  const as = a.t === 'disj' ? a : undefined;
  const bs = b.t === 'disj' ? b : undefined;
  const ta = as ? as.terms : [a];
  const tb = bs ? bs.terms : [b];
  const out: Val[] = [];
  const errs: Bottom[] = [];
  // Most disjunctions met here have no default: nothing to track. Else
  // each surviving combination, as term indices i, j and result index k.
  const combos: number[] | undefined = marked(as) || marked(bs) ? [] : undefined;
  for (let i = 0; i < ta.length; i++) {
    for (let j = 0; j < tb.length; j++) {
      const r = unify(ta[i]!, tb[j]!);
      if (isBottom(r)) {
        errs.push(r);
        continue;
      }
      let k = 0;
      while (k < out.length && !sameVal(out[k]!, r)) k++;
      if (k === out.length) out.push(r);
      combos?.push(i, j, k);
    }
  }
  if (!combos || out.length === 0) return finish(out, out.map(() => false), false, errs);
  // One value from two written disjunctions (`(*"a" | string) & "b"`), or
  // one written marked disjunction met by unmarked values (`(*"a" | string)
  // & string`), the usual cases: the result needs no record, as a term that
  // chose the one marked disjunction's marked term is a default and stays one.
  if (!as?.srcs && !bs?.srcs && (out.length === 1 || !as?.marked || !bs?.marked || as === bs)) {
    const marks = tokenMarks(as, bs, combos, out.length);
    return finish(out, marks ?? out.map(() => false), marks !== undefined, errs);
  }
  const alts: Alt[][] = [];
  let recorded = false;
  for (let c = 0; c < combos.length; c += 3) {
    const k = combos[c + 2]!;
    const joined = joinAlts(altsOf(as, combos[c]!), altsOf(bs, combos[c + 1]!));
    if (joined !== NO_ALTS) recorded = true;
    alts[k] = alts[k] ? mergeAlts(alts[k]!, joined) : joined;
  }
  if (!recorded) return finish(out, out.map(() => false), false, errs);
  const alive = new Set<DisjV>();
  for (const as of alts) for (const x of as) for (const s of x.t) alive.add(s);
  const live = (s: DisjV): boolean => alive.has(s) || pinned(s);
  const marks = alts.map((as) => as.some((x) => x.t.length > 0 && !x.f.some(live)));
  const held = alts.some((as) => as.some((x) => x.t.length > 0 || x.f.some(live)));
  // Too many ways to tell apart: the result becomes a disjunction of its own.
  const size = alts.reduce((n, as) => n + as.length, 0);
  // With no marked disjunction left (all their marked terms died), there is no default; with one, it may be ⊥.
  return finish(out, held ? marks : out.map(() => false), held, errs, undefined, size > MAX_ALTS ? undefined : alts);
}

const MAX_ALTS = 256;

/**
 * The defaults of the product of two written disjunctions (what the records
 * would say), per result; undefined when neither was marked or the marked
 * ones' marked terms all died (no default: as if unmarked).
 */
function tokenMarks(as: DisjV | undefined, bs: DisjV | undefined, combos: number[], n: number): boolean[] | undefined {
  const am = !!as?.marked;
  const bm = !!bs?.marked;
  let aAlive = false;
  let bAlive = false;
  for (let c = 0; c < combos.length; c += 3) {
    if (am && as!.marks[combos[c]!]) aAlive = true;
    if (bm && bs!.marks[combos[c + 1]!]) bAlive = true;
  }
  // `x & x`: one disjunction, chosen twice.
  if (as === bs) aAlive = bAlive = aAlive || bAlive;
  const aLive = aAlive || (am && pinned(as!));
  const bLive = bAlive || (bm && pinned(bs!));
  if (!aLive && !bLive) return undefined;
  const marks: boolean[] = new Array<boolean>(n).fill(false);
  for (let c = 0; c < combos.length; c += 3) {
    const at = am && as!.marks[combos[c]!]!;
    const bt = bm && bs!.marks[combos[c + 1]!]!;
    if ((at || bt) && !(am && !at && aLive) && !(bm && !bt && bLive)) marks[combos[c + 2]!] = true;
  }
  return marks;
}

function marked(d: DisjV | undefined): boolean {
  return d !== undefined && (d.marked || d.srcs !== undefined);
}
const NO_ALTS: Alt[] = [{ t: [], f: [] }];

/** How term i of d came about (a value that is no disjunction, or an unmarked one, chose nothing marked). */
function altsOf(d: DisjV | undefined, i: number): Alt[] {
  if (!d) return NO_ALTS;
  if (d.srcs) return d.srcs[i]!;
  if (!d.marked) return NO_ALTS;
  return [d.marks[i] ? { t: [d], f: [] } : { t: [], f: [d] }];
}

/** A marked disjunction whose default was already ⊥ when it was written (`*(1&2) | 3`): it stays ⊥. */
function pinned(d: DisjV): boolean {
  return !d.marks.some((m) => m);
}

function joinAlts(x: Alt[], y: Alt[]): Alt[] {
  if (y === NO_ALTS) return x;
  if (x === NO_ALTS) return y;
  const out: Alt[] = [];
  for (const p of x) for (const q of y) addAlt(out, { t: union(p.t, q.t), f: union(p.f, q.f) });
  return out;
}

function mergeAlts(x: Alt[], y: Alt[]): Alt[] {
  const out = x.slice();
  for (const q of y) addAlt(out, q);
  return out;
}

function addAlt(out: Alt[], a: Alt): void {
  if (!out.some((o) => sameSet(o.t, a.t) && sameSet(o.f, a.f))) out.push(a);
}

function union(p: readonly DisjV[], q: readonly DisjV[]): readonly DisjV[] {
  if (q.length === 0) return p;
  if (p.length === 0) return q;
  const out = p.slice();
  for (const s of q) if (!out.includes(s)) out.push(s);
  return out;
}

function sameSet(p: readonly DisjV[], q: readonly DisjV[]): boolean {
  return p.length === q.length && p.every((s) => q.includes(s));
}

/** The default of a value-level disjunction: the single marked term, or undefined if none or ambiguous. */
export function disjDefault(d: DisjV): Val | undefined {
  if (!d.marked) return undefined;
  const ds = d.terms.filter((_, i) => d.marks[i]);
  if (ds.length === 1) return ds[0];
  if (ds.length === 0) return undefined;
  return { t: 'disj', terms: ds, marks: ds.map(() => false), marked: false, pos: d.pos, srcs: undefined };
}

