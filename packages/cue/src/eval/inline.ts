// Inline values (CUE's cycle.go, "Inline cycles"): `x: (X & {in: a}).out`
// means `x: _x.out` with a helper field `_x: X & {in: a}` beside the field,
// so the inline value is one value wherever its field's conjuncts are
// copied. Evaluated again while the field that made it is still being
// evaluated (`root: a: (X & {input: root}).output`: root's conjuncts copied
// into X's input evaluate the same expression), with the names it reads
// bound in the same scope, it is the value already made: a reference cycle
// through it, not a new value nested one level deeper (a structural cycle).
import type { Expr } from '../ast.js';
import type { Val } from './values.js';
import type { Env, Vertex } from './vertex.js';
import { walkAst } from '../syntax.js';

/** The names an expression reads (a superset: labels and selectors too), per expression. */
const namesOf = new WeakMap<Expr, string[]>();

function names(e: Expr): string[] {
  let r = namesOf.get(e);
  if (r) return r;
  const s = new Set<string>();
  walkAst(e, (n) => {
    if (n.type === 'Ident') s.add(n.name);
    return true;
  });
  r = [...s];
  namesOf.set(e, r);
  return r;
}

/** The innermost scope that binds a name e reads (undefined: e reads none). */
function anchor(e: Expr, env: Env): Env | undefined {
  const ns = names(e);
  if (ns.length === 0) return undefined;
  for (let f: Env | undefined = env; f; f = f.up) {
    for (const n of ns) if (f.binds?.has(n) || f.scope?.has(n) || f.imports?.has(n)) return f;
  }
  return undefined;
}

type Entry = { e: Expr; anchor: Env | undefined; val: Val };

/**
 * Inline values by the vertex whose evaluation made them, while it is being
 * evaluated (forgotten when it is done, see forgetInline): only a value met
 * again inside the one being made can be the same value. (Most vertices
 * make one: an entry, else a list.)
 */
const made = new Map<Vertex, Entry | Entry[]>();

/**
 * The value already made for e read in env's scope by a vertex still being
 * evaluated that `at` (the vertex evaluating e now) lies within: e is met
 * again inside the value it is part of.
 */
export function madeInline(e: Expr, env: Env, at: Vertex | undefined): Val | undefined {
  if (made.size === 0 || !at) return undefined;
  let a: Env | undefined | null = null;
  for (let p: Vertex | undefined = at.parent; p; p = p.parent) {
    const m = made.get(p);
    if (!m) continue;
    for (const x of Array.isArray(m) ? m : [m]) {
      if (x.e !== e) continue;
      if (a === null) a = anchor(e, env);
      if (x.anchor === a) return x.val;
    }
  }
  return undefined;
}

/** Records the inline value made for e in env by the vertex `by` (the one being evaluated). */
export function noteInline(e: Expr, env: Env, by: Vertex, val: Val): void {
  const x: Entry = { e, anchor: anchor(e, env), val };
  const m = made.get(by);
  if (!m) made.set(by, x);
  else if (Array.isArray(m)) m.push(x);
  else made.set(by, [m, x]);
}

/** Forgets the inline values v made: it is done, so nothing evaluated later lies within its evaluation. */
export function forgetInline(v: Vertex): void {
  if (made.size) made.delete(v);
}

/**
 * Recursion through inline values (`fib: {out: (fibRec & {nn: n - 2}).out}`,
 * `fibRec: {out: (fib & {n: nn}).out}`): each inline value is a helper field
 * of the value it stands in, so the fields it refers to (`fib`, `fibRec`)
 * accumulate along the chain of inline values nested in each other. A value
 * whose reference was met before on that chain repeats it; CUE lets one such
 * repeat through (its other conjuncts, `{n: nn}`, are new structure: `fib2`
 * is 1), and a second repeat below the first is a structural cycle, whatever
 * the data (fib3 and deeper, as in CUE).
 */
const inlineRefs = new WeakMap<Vertex, { targets: Vertex[]; repeats: number }>();

/** Records the fields an inline value refers to; true when it is a second repeat along its chain (a structural cycle). */
export function inlineRepeats(anon: Vertex, targets: Vertex[]): boolean {
  let repeats = -1;
  let hit = false;
  for (let p: Vertex | undefined = anon.parent; p; p = p.parent) {
    const r = inlineRefs.get(p);
    if (!r) continue;
    if (repeats < 0) repeats = r.repeats;
    if (!hit && targets.length && r.targets.some((t) => targets.includes(t))) hit = true;
  }
  const n = Math.max(repeats, 0) + (hit ? 1 : 0);
  if (targets.length || n) inlineRefs.set(anon, { targets, repeats: n });
  return n >= 2;
}
