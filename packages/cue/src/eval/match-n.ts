// matchN and matchIf: a value checked against a list of schemas, as JSON
// Schema's oneOf/anyOf/not and if/then/else become in CUE. Each schema is
// unified with the whole value (nested values included); a recursive schema
// meets the call again on the fields it reaches (see guarded).
import { deepError, expand, rootlessEnv, unifyValues, vertexClosed } from './evaluator.js';
import { isEmbeddedScalar, valEqual } from './equality.js';
import { concreteDefault } from './operators.js';
import { bottom, type Bottom, isBottom, show, type Val, type ValidatorV } from './values.js';
import { isDefLabel, isRegularLabel, listElems, valConj, Vertex } from './vertex.js';
import type { Pos } from '../ast.js';

/**
 * Whether v matches schema: their unification, v's own validators aside,
 * has no error (`yes`), a permanent one (`no`) or only an incomplete one
 * that a more specific value may resolve either way (`maybe`). The
 * unification is made here, detached, so that the call being checked knows
 * it (Frame.root): v holds the call, and CUE matches v's data, which holds no
 * validators; the fields of the result are checked in full.
 */
function matches(frame: Frame, schema: Val, v: Val): 'yes' | 'no' | 'maybe' {
  let r: Val;
  if (schema.t === 'vertex' || v.t === 'vertex') {
    const anon = new Vertex(undefined, '');
    const env = schema.t === 'vertex' ? schema.conjuncts[0]?.env ?? rootlessEnv(anon) : (v as Vertex).conjuncts[0]?.env ?? rootlessEnv(anon);
    anon.addConjunct(valConj(env, false, schema), valConj(env, false, v));
    frame.root = anon;
    expand(anon);
    r = anon.err ?? anon;
  } else r = unifyValues(schema, v, true);
  if (isBottom(r)) return r.code === 'incomplete' ? 'maybe' : tooDeep(r);
  if (r.t !== 'vertex') return 'yes';
  const e = deepError(r, 0);
  if (e) return tooDeep(e);
  if (missingRequired(r, 0)) return 'no';
  return deepIncomplete(r, 0) ? 'maybe' : 'yes';
}

/**
 * A schema's check that ran into the evaluation depth limit (sched.ts) is
 * no mismatch: the call fails with that error rather than a count that
 * hides it.
 */
function tooDeep(e: Bottom): 'no' {
  if (e.code === 'structural cycle' && e.msg.endsWith('(evaluation too deep)')) throw new TooDeep(e);
  return 'no';
}

class TooDeep {
  constructor(readonly err: Bottom) {}
}

/** An incomplete error in v or the fields it sets (optional ones are constraints). */
function deepIncomplete(v: Vertex, depth: number): boolean {
  expand(v);
  if (v.err || isBottom(v.base) || v.incompleteErr) return true;
  if (depth > 40 || v.disjuncts) return false;
  for (const a of v.arcs.values()) if (a.fieldKind !== 'optional' && deepIncomplete(a, depth + 1)) return true;
  return false;
}

/** A required field (`a!: T`) the value does not set: the value does not match a schema that requires it. */
function missingRequired(v: Vertex, depth: number): boolean {
  if (depth > 40 || v.disjuncts) return false;
  for (const a of v.arcs.values()) {
    if (a.fieldKind === 'required') return true;
    if (a.fieldKind === 'regular' && (expand(a), a.arcs.size > 0) && missingRequired(a, depth + 1)) return true;
  }
  return false;
}

/**
 * What each matchN/matchIf call (by position) is being matched against.
 * Matching unifies the value with a schema, and the result meets the call
 * again: as the value itself (`root`: v holds the call; CUE matches v's data,
 * without its validators), through a schema referring back to the value
 * (`z: matchN(1, [z])`), and on the fields a recursive schema reaches
 * (`#S: matchN(1, [{next?: #S}])`). Those fields are checked as CUE checks
 * them, each a smaller value, so the recursion ends with the data; a call met
 * on a value equal to one it is matching already assumes that it holds
 * (otherwise it would check itself forever).
 */
interface Frame {
  v: Val;
  /** v's weight (see weight): values of other weights are not compared with it. */
  w: number;
  root?: Vertex;
}
const matching = new Map<Pos, Frame[]>();

/**
 * Results of the calls made while a matching is in progress, by call and
 * value: the schemas of one call often reach the same field (`matchN(1,
 * [{a?: #T, b?: int}, {a?: #T, c?: int}])` checks `a` against #T once per
 * schema), and checking it again at every level of a recursive value grew
 * as the number of schemas to the power of its depth. Only for plain values
 * (see weigh): equal data with different optional or required fields,
 * patterns or closedness may match differently. The most recent few per
 * call, so that a lookup stays cheap; forgotten once no matching is open.
 */
const memo = new Map<Pos, { v: Val; w: number; r: Bottom | undefined }[]>();
const MEMO_SIZE = 32;

function guarded(x: ValidatorV, v: Val, f: (frame: Frame) => Bottom | undefined): Bottom | undefined {
  const key = x.pos;
  if (!key) return f({ v, w: 0 });
  let open = matching.get(key);
  if (open) for (const o of open) if (o.root === v) return undefined;
  const seen = memo.get(key);
  const plain = { is: true };
  const w = open || seen ? weigh(v, 0, plain) : 0;
  if (open) for (const o of open) if (o.w === w && sameValue(o.v, v)) return undefined;
  if (seen && plain.is) for (const m of seen) if (m.w === w && sameValue(m.v, v)) return m.r;
  const frame: Frame = { v, w };
  if (!open) matching.set(key, (open = []));
  open.push(frame);
  let r: Bottom | undefined;
  try {
    r = f(frame);
  } catch (err) {
    if (!(err instanceof TooDeep)) throw err;
    r = err.err;
  } finally {
    open.pop();
    if (open.length === 0) matching.delete(key);
    // Also when the evaluation is abandoned (an exceeded limit throws): a
    // result kept past its matching could answer a later evaluation whose
    // schemas, at the same call, mean something else.
    if (matching.size === 0) memo.clear();
  }
  if (matching.size > 0 && plain.is) {
    let list = memo.get(key);
    if (!list) memo.set(key, (list = []));
    if (list.length === MEMO_SIZE) list.shift();
    list.push({ v, w, r });
  }
  return r;
}

/**
 * Whether a call meets the same value again: equal values (valEqual), a
 * struct or list whose call failed included (the failure sets its error
 * only after the call returns).
 */
function sameValue(a: Val, b: Val): boolean {
  if (a === b) return true;
  if (a.t !== 'vertex' || b.t !== 'vertex' || a.disjuncts || b.disjuncts || !(a.isStruct || a.isList)) return valEqual(a, b, 0);
  if (a.isList !== b.isList || a.isStruct !== b.isStruct || !valEqual(a.base, b.base, 1)) return false;
  let n = 0;
  for (const [l, x] of a.arcs) {
    if (x.fieldKind !== 'regular') continue;
    n++;
    const y = b.arcs.get(l);
    if (!y || y.fieldKind !== 'regular' || !valEqual(x, y, 1)) return false;
  }
  for (const y of b.arcs.values()) if (y.fieldKind === 'regular') n--;
  return n === 0;
}

/**
 * The number of values sameValue would compare in v: equal values weigh the
 * same, so that a recursive value is not compared with each enclosing one
 * all the way down (which made checking a chain cubic in its depth). Clears
 * plain.is where v holds more than regular fields of open structs and
 * closed lists.
 */
function weigh(v: Val, depth: number, plain: { is: boolean }): number {
  if (v.t !== 'vertex') return 1;
  expand(v);
  if ((depth > 0 && v.err) || v.disjuncts || isEmbeddedScalar(v)) {
    if (v.disjuncts || v.arcs.size > 0) plain.is = false;
    return 1;
  }
  if (v.patterns.length > 0 || (v.isList && v.listOpen) || (v.isStruct && vertexClosed(v))) plain.is = false;
  let n = 1;
  for (const a of v.arcs.values()) {
    if (a.fieldKind !== 'regular' || isDefLabel(a.label)) plain.is = false;
    if (a.fieldKind === 'regular') n += weigh(a, depth + 1, plain);
  }
  return n;
}

export function runMatchN(x: ValidatorV, v: Val): Bottom | undefined {
  return guarded(x, v, (frame) => matchN(x, frame, v));
}

function matchN(x: ValidatorV, frame: Frame, v: Val): Bottom | undefined {
  const [n, l] = x.args as [Val, Vertex];
  let count = 0;
  let maybe = 0;
  for (const s of listElems(l)) {
    const m = matches(frame, s, v);
    if (m === 'yes') count++;
    else if (m === 'maybe') maybe++;
  }
  // Each schema still undecided may come to match or not: the call holds if
  // every count it may reach satisfies n, fails if none does.
  let some = false;
  let all = true;
  for (let k = count; k <= count + maybe; k++) {
    if (isBottom(unifyValues(n, { t: 'int', i: BigInt(k) }))) all = false;
    else some = true;
  }
  if (all) return undefined;
  const msg = `invalid value ${show(concreteDefault(v))} (does not satisfy matchN): ${count} matched, expected ${show(n)}`;
  // A value that is not concrete yet may still come to match (or stop
  // matching) once it is: the count is not final, so the result is incomplete.
  const code = some || maybe > 0 || !isFinal(v, 0) ? 'incomplete' : 'eval';
  return bottom(code, msg, [x.pos]);
}

/** Whether v is concrete all the way down (its regular fields; optional ones are constraints). */
function isFinal(v: Val, depth: number): boolean {
  if (depth > 50) return true;
  if (v.t !== 'vertex') return v.t !== 'top' && v.t !== 'cons' && v.t !== 'disj' && v.t !== 'func';
  expand(v);
  if (v.disjuncts) return false;
  if (!v.isStruct && !v.isList) return isFinal(v.base, depth + 1);
  for (const a of v.arcs.values()) {
    if (a.fieldKind !== 'regular' || !isRegularLabel(a.label)) continue;
    if (!isFinal(a, depth + 1)) return false;
  }
  return true;
}

export function runMatchIf(x: ValidatorV, v: Val): Bottom | undefined {
  return guarded(x, v, (frame) => matchIf(x, frame, v));
}

function matchIf(x: ValidatorV, frame: Frame, v: Val): Bottom | undefined {
  const [c, t, f] = x.args as [Val, Val, Val];
  const cond = matches(frame, c, v);
  const m = cond === 'maybe' ? 'maybe' : matches(frame, cond === 'yes' ? t : f, v);
  if (m === 'no') return bottom('eval', `invalid value ${show(concreteDefault(v))} (does not satisfy matchIf)`, [x.pos]);
  if (m === 'maybe') return bottom('incomplete', `invalid value ${show(concreteDefault(v))} (does not satisfy matchIf): incomplete value`, [x.pos]);
  return undefined;
}
