// Value-level disjunctions (of scalars and scalar constraints) with default
// marks, following the spec's rewrite rules M0–M3, D0–D2 and U0–U2.
// Disjunctions whose terms are structs or lists are split per vertex by the
// evaluator instead (see evaluator.ts), because each struct disjunct needs its
// own evaluation context.
import { bottom, type Bottom, type DisjV, isBottom, isScalar, type Val } from './values.js';
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

function finish(out: Val[], marks: boolean[], marked: boolean, errs: Bottom[], pos?: DisjV['pos']): Val {
  // A term not known because of a reference cycle may still be any value:
  // the disjunction cannot be decided without it (CUE: unresolved disjunction).
  const open = errs.find((e) => e.code === 'incomplete' && e.cycle);
  if (open) return open;
  if (out.length === 0) {
    if (errs.length === 1) return errs[0]!;
    const code = errs.length && errs.every((e) => e.code === 'incomplete') ? 'incomplete' : 'eval';
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
  return { t: 'disj', terms: out, marks, marked, pos };
}

/** Unifies a value-level disjunction with another non-struct value, distributing over terms. */
export function unifyDisj(a: Val, b: Val, unify: (x: Val, y: Val) => Val = unifyScalar): Val {
  const as = a.t === 'disj' ? a : undefined;
  const bs = b.t === 'disj' ? b : undefined;
  const ta = as ? as.terms : [a];
  const tb = bs ? bs.terms : [b];
  const results: { v: Val; i: number; j: number }[] = [];
  const errs: Bottom[] = [];
  for (let i = 0; i < ta.length; i++) {
    for (let j = 0; j < tb.length; j++) {
      const r = unify(ta[i]!, tb[j]!);
      if (isBottom(r)) errs.push(r);
      else results.push({ v: r, i, j });
    }
  }
  // A side whose defaults were all eliminated by this unification counts as
  // unmarked (rule U1 instead of U2), as CUE does; one whose default was
  // already eliminated before (marked, no marked term) keeps it ⊥.
  const aMarked = !!as?.marked && (!as.marks.some((m) => m) || results.some((r) => as!.marks[r.i]));
  const bMarked = !!bs?.marked && (!bs.marks.some((m) => m) || results.some((r) => bs!.marks[r.j]));
  const out: Val[] = [];
  const marks: boolean[] = [];
  for (const r of results) {
    const ma = aMarked ? as!.marks[r.i]! : true;
    const mb = bMarked ? bs!.marks[r.j]! : true;
    push(out, marks, r.v, ma && mb);
  }
  const marked = aMarked || bMarked;
  if (out.length === 0) return finish(out, marks, false, errs);
  if (!marked) return finish(out, marks.map(() => false), false, errs);
  // A marked side whose default does not survive leaves the default ⊥.
  return finish(out, marks, true, errs);
}

/** The default of a value-level disjunction: the single marked term, or undefined if none or ambiguous. */
export function disjDefault(d: DisjV): Val | undefined {
  if (!d.marked) return undefined;
  const ds = d.terms.filter((_, i) => d.marks[i]);
  if (ds.length === 1) return ds[0];
  if (ds.length === 0) return undefined;
  return { t: 'disj', terms: ds, marks: ds.map(() => false), marked: false, pos: d.pos };
}

