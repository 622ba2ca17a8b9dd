// Tests against bottom (`x == _|_`, `x != _|_`) made while a reference cycle
// may be open (CUE's post checks, verifyNonMonotonicResult). Such a test is
// no monotonic operation: `a: {if c == _|_ {x: 1}}` with `c: a.x` finds c
// incomplete while a is evaluated and adds the very field that makes c
// complete. Tests that found their operand incomplete are evaluated again
// once the outermost evaluation is done; an answer that changed is a cycle
// error on the struct the test is written in ("circular dependency in
// evaluation of conditionals"), as in CUE.
import type { BinaryExpr } from '../ast.js';
import { formatNode } from '../format.js';
import { type Val, bottom } from './values.js';
import { type Env, Vertex } from './vertex.js';
import { expand } from './sched.js';
import { isolated } from './closetrail.js';
import { sameDisjunct } from './equality.js';
import { evalExpr } from './expr.js';

/**
 * Tests that found their operand incomplete while the struct they are
 * written in was still being evaluated (CUE's post checks), by that struct,
 * with their answer. Once everything is done each is evaluated again. An
 * answer that changed means the struct was evaluated on a guess; if
 * evaluating it anew, with the values now known, gives another value, the
 * test decided what it tested (`a: {if c == _|_ {x: 1}}`, `c: a.x`): a
 * cycle. (A test whose operand was only read early, and whose struct comes
 * out the same either way, is fine.)
 */
const postChecks = new Map<Vertex, { e: BinaryExpr; env: Env; result: boolean }[]>();

/** Records test e (in env), which gave `result`, while env's struct is being evaluated. */
export function notePostCheck(e: BinaryExpr, env: Env, result: boolean): void {
  const v = env.vertex;
  if (!v.onStack || checking) return;
  let l = postChecks.get(v);
  if (!l) postChecks.set(v, (l = []));
  if (!l.some((x) => x.e === e && x.env === env)) l.push({ e, env, result });
}

let checking = false;

/** v is evaluated anew (resetVertex): the tests its earlier evaluation made are not its answers any more. */
export function dropPostChecks(v: Vertex): void {
  if (postChecks.size) postChecks.delete(v);
}

/**
 * Evaluates again the recorded tests (see postChecks), once the outermost
 * evaluation is done: then nothing is in progress any more, and evaluating a
 * test cannot change the order in which the values it reads are evaluated.
 */
export function runPostChecks(): void {
  if (checking || postChecks.size === 0) return;
  checking = true;
  try {
    while (postChecks.size) {
      const [v, l] = postChecks.entries().next().value!;
      postChecks.delete(v);
      if (v.err || v.status < 2) continue;
      const changed = l.find((x) => {
        const r = evalExpr(x.e, x.env);
        return r.t === 'bool' && r.b !== x.result;
      });
      if (changed && !sameAnew(v)) {
        v.err = bottom('cycle', `circular dependency in evaluation of conditionals: ${formatNode(changed.e)} changed after evaluation`, [changed.e.pos]);
      }
    }
  } finally {
    checking = false;
  }
}

/**
 * The tested operand of a recorded test, as the test is evaluated again: a
 * field that was incomplete when read may have been evaluated while the
 * struct holding the test was still unfinished (`c: a.x` asked first, with
 * `a: {if c == _|_ {x: 1}}`: c found no x, and a then added it), so it is
 * evaluated anew from its conjuncts, with the values now known.
 */
export function freshOperand(x: Val): Val {
  if (!checking || x.t !== 'vertex' || x.status < 2 || x.onStack || x.label === '') return x;
  const b = x.base;
  if (!(x.err?.code === 'incomplete' || x.incompleteErr || (b.t === 'bottom' && b.code === 'incomplete'))) return x;
  return anew(x, () => undefined).t;
}

/** v evaluated anew from its conjuncts (the shared closedness nodes left as they were), and what `read` reads of it. */
function anew<T>(v: Vertex, read: (t: Vertex) => T): { t: Vertex; r: T } {
  const t = new Vertex(v.parent, v.label);
  t.fieldKind = v.fieldKind;
  t.conjuncts = v.conjuncts;
  t.positions = v.positions;
  let r!: T;
  isolated(() => {
    expand(t);
    r = read(t);
  });
  return { t, r };
}

/** Whether v, evaluated anew from its conjuncts with the values now known, comes out the same. */
function sameAnew(v: Vertex): boolean {
  return anew(v, (t) => !t.err && sameDisjunct(t, v)).r;
}
