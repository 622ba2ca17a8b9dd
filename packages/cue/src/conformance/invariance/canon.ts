// A canonical text of an evaluated value, for comparing two evaluations of
// programs that mean the same: fields sorted by label (definitions, hidden,
// optional and required fields included, with their marks and closedness),
// errors reduced to `_|_` (messages and positions are not part of the value),
// and non-concrete leaves printed with the operands of `&` and `|` and the
// declarations of structs sorted.
import type { Context, Value } from '../../api.js';
import type { Expr, Node } from '../../ast.js';
import { formatNode } from '../../format.js';

export interface CanonOptions {
  /** Nesting below which values are not shown (recursive definitions unfold lazily, without end). */
  maxDepth?: number;
  /** Values shown at most, over the whole walk. */
  maxNodes?: number;
  /**
   * Shows list elements in sorted order. A list made by iterating over a
   * struct (`[for x in s {x}]`) follows the struct's field order, which the
   * order of declarations decides: comparing lists as multisets tells such a
   * difference from a wrong value.
   */
  sortLists?: boolean;
  /** Leaves out closedness (`closed {`): a value exported as CUE keeps its fields, not how it was closed. */
  ignoreClosed?: boolean;
}

export function canonical(ctx: Context, v: Value, opts: CanonOptions = {}): string {
  const budget = { left: opts.maxNodes ?? 20_000 };
  const out: string[] = [];
  walkValue(ctx, v, opts.maxDepth ?? 12, budget, '', out, !!opts.sortLists, !!opts.ignoreClosed);
  return out.join('\n');
}

function walkValue(ctx: Context, v: Value, depth: number, budget: { left: number }, ind: string, out: string[], sortLists: boolean, noClosed: boolean): void {
  if (--budget.left < 0 || depth < 0) {
    out.push(`${ind}…`);
    return;
  }
  const k = v.kind();
  if (k === 'bottom') {
    out.push(`${ind}_|_`);
    return;
  }
  if (k === 'struct') {
    const fs = v.fields({ optional: true, definitions: true, hidden: true }).sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    out.push(`${ind}${!noClosed && v.isClosed() ? 'closed ' : ''}{`);
    for (const f of fs) {
      out.push(`${ind}  ${f.label}${f.optional ? '?' : f.required ? '!' : ''}:`);
      walkValue(ctx, f.value, depth - 1, budget, `${ind}    `, out, sortLists, noClosed);
    }
    out.push(`${ind}}`);
    return;
  }
  if (k === 'list') {
    out.push(`${ind}[`);
    const elems = v.elements().map((e) => {
      const lines: string[] = [];
      walkValue(ctx, e, depth - 1, budget, `${ind}  `, lines, sortLists, noClosed);
      return lines.join('\n');
    });
    if (sortLists) elems.sort();
    out.push(...elems);
    out.push(`${ind}]`);
    return;
  }
  if (k === 'incomplete') {
    // `*A | B` with B ⊑ A is A: shown as A is, so that it reads the same as A evaluated alone. (Without
    // closedness: of disjuncts equal but for it, `{a: 1} | #b`, which one stays depends on their order.)
    const only = normalDisjuncts(ctx, v);
    if (only?.length === 1) return walkValue(ctx, only[0]!.value, depth, budget, ind, out, sortLists, true);
  }
  const text = k === 'incomplete' ? leafText(ctx, v) : v.toCUE();
  // (An error prints with its message, which is not part of the value.)
  out.push(`${ind}${text.startsWith('_|_') ? '_|_' : text}`);
}

/** A non-concrete leaf (`int | *1`, `>0 & <5`, `{a: int} | string`): its CUE text with commutative parts sorted. */
/**
 * The disjuncts of v that add something: `(A | B) & (A | B)` is `A | A & B | B & A | B`, the same
 * instances as `A | B`. A disjunct that another one subsumes (and that is not a default the other
 * is not) adds nothing. Undefined when v is no disjunction.
 */
function normalDisjuncts(ctx: Context, v: Value): { value: Value; isDefault: boolean }[] | undefined {
  const all = v.disjuncts?.();
  if (!all || all.length < 2) return undefined;
  const alone = all.map((d) => detached(ctx, d.value));
  return all.filter((d, i) => !all.some((e, j) => j !== i && (e.isDefault || !d.isDefault) && subsumesStrictly(ctx, alone[j]!, alone[i]!, j < i)));
}

/**
 * A disjunct as a value of its own, compiled from its export. Two disjuncts
 * of one field unify as the same choice of that disjunction (the engine
 * makes every reference to one disjunction one choice: `X & X` is X), so
 * `{x: 1} | {y: 1}`'s disjuncts unified gave `{x: 1}` and one seemed to
 * subsume the other. Itself when its export does not compile alone.
 */
function detached(ctx: Context, d: Value): Value {
  try {
    const text = d.toCUE({ definitions: true, optional: true, hidden: true });
    if (text.includes('_|_')) return d;
    const x = ctx.compile({ filename: 'disjunct.cue', text });
    return x.validate().length ? d : x;
  } catch {
    return d;
  }
}

function leafText(ctx: Context, v: Value): string {
  const ds = normalDisjuncts(ctx, v);
  if (ds) {
    return ds
      .map((d) => `${d.isDefault ? '*' : ''}${normalText(ctx, d.value.toCUE({ definitions: true, optional: true, hidden: true }))}`)
      .sort()
      .join(' | ');
  }
  return normalText(ctx, v.toCUE({ definitions: true, optional: true, hidden: true }));
}

/** e subsumes d, and (when they are equal) e comes first, so one of two equal disjuncts stays. */
function subsumesStrictly(ctx: Context, e: Value, d: Value, eFirst: boolean): boolean {
  try {
    if (!subsumes(ctx, e, d)) return false;
    return !subsumes(ctx, d, e) || eFirst;
  } catch {
    return false;
  }
}

/**
 * e & d is d (in canonical form), hidden fields and definitions included (Value.subsumes leaves
 * hidden fields out: `{_ok: bool}` and `{_ok: true}` would subsume each
 * other, and which one stays would follow the order of the disjuncts).
 */
function subsumes(ctx: Context, e: Value, d: Value): boolean {
  const u = e.unify(d);
  if (u.kind() === 'bottom') return false;
  return canonical(ctx, u, { ignoreClosed: true }) === canonical(ctx, d, { ignoreClosed: true });
}

function normalText(ctx: Context, text: string): string {
  let e: Expr;
  try {
    // (A struct's text is its declarations without braces: as an embedding or declarations of `x`, both parse.)
    const f = ctx.parse({ filename: 'canon.cue', text: `x: {\n${text}\n}\n` });
    const d = f.decls[0];
    if (!d || d.type !== 'Field' || f.decls.length !== 1) return text.replace(/\s*\/\/.*$/gm, '');
    e = d.value;
  } catch {
    return text.replace(/\s*\/\/.*$/gm, '');
  }
  return formatNode(sortNode(e));
}

/** Sorts the operands of `&` and `|` and the declarations of structs; drops comments. */
function sortNode<T extends Node>(n: T): T {
  const o = n as unknown as Record<string, unknown>;
  delete o['comments'];
  for (const [k, v] of Object.entries(o)) {
    if (k === 'pos' || k === 'end') continue;
    if (Array.isArray(v)) v.forEach((x) => (x && typeof x === 'object' && 'type' in x ? sortNode(x as Node) : undefined));
    else if (v && typeof v === 'object' && 'type' in v) sortNode(v as Node);
  }
  if (n.type === 'StructLit') {
    n.decls.sort((a, b) => cmp(formatNode(a), formatNode(b)));
    // A declaration written twice (`[string]: X` once per conjunct of `#D: A & A`) is written once: `{d, d}` is `{d}`.
    n.decls = n.decls.filter((d, i) => i === 0 || formatNode(d) !== formatNode(n.decls[i - 1]!));
    // The printer keeps a struct of one field as `a: b: c` only when written so; show every struct the same way.
    n.end = n.pos;
  }
  if (n.type === 'BinaryExpr' && (n.op === '&' || n.op === '|')) {
    const op = n.op;
    const xs: Expr[] = [];
    const flat = (e: Expr) => {
      if (e.type === 'BinaryExpr' && e.op === op) {
        flat(e.x);
        flat(e.y);
      } else xs.push(e);
    };
    flat(n);
    xs.sort((a, b) => cmp(formatNode(a), formatNode(b)));
    // `A & A` is A, `A | A` is A (a validator repeated by a repeated conjunct is kept twice).
    for (let i = xs.length - 1; i > 0; i--) if (formatNode(xs[i]!) === formatNode(xs[i - 1]!)) xs.splice(i, 1);
    if (xs.length === 1) {
      const only = xs[0]!;
      for (const k of Object.keys(n)) delete (n as unknown as Record<string, unknown>)[k];
      Object.assign(n, only);
      return n;
    }
    const rebuilt = xs.reduce((x, y) => ({ type: 'BinaryExpr', op, x, y, pos: x.pos }) as Expr);
    Object.assign(n, rebuilt);
  }
  return n;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
