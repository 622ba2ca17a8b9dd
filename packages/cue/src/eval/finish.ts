// Finishing a vertex once its conjuncts are in: incomplete conjuncts,
// closedness (closed.ts), structs, lists and scalars that cannot mix,
// validators on structs, frozen field sets; deepError reads the first
// permanent error below a vertex.
import { type Bottom, LIST, STRUCT, TOP, type Val, type ValidatorV, bottom, isBottom, isScalar, kindName, kindOf, show } from './values.js';
import { Vertex, isRegularLabel, labelName } from './vertex.js';
import { checkClosed } from './closed.js';
import { checkBound, posOf, runValidator } from './unify.js';
import { cycleKinds } from './cycle.js';
import { expand } from './sched.js';

/**
 * The validators a struct or list satisfies (`#X: {struct.MaxFields(1), a?:
 * int}`): no longer its base once checked, but part of its value, so that
 * printing it (`cue def`) keeps them.
 */
const kept = new WeakMap<Vertex, readonly ValidatorV[]>();

export function structValidators(v: Vertex): readonly ValidatorV[] | undefined {
  return kept.get(v);
}

/** Forgets them when v is evaluated again (resetVertex). */
export function forgetValidators(v: Vertex): void {
  kept.delete(v);
}

export function finishStruct(v: Vertex): void {
  if (v.err) {
    const k = cycleKinds.get(v.err);
    if (k && (isScalar(v.base) || (v.base.t === 'cons' && !(v.base.kinds & k)))) {
      // A scalar, or a type that is no list or struct (`#X & Y` with #X: int),
      // conflicts with the list or struct the cycle would repeat (`x: a: [a]`,
      // `x & {a: [1]}`, `Y: x: #X & Y`): that conflict is the error, as in CUE.
      v.err = bottom(
        'eval',
        `conflicting values ${show(v.base)} and ${k === LIST ? '[...]' : '{...}'} (mismatched types ${kindName(kindOf(v.base))} and ${kindName(k)})`,
        [posOf(v.base), ...v.positions.slice(0, 1)],
      );
    }
    return;
  }
  if (v.frozen) {
    const err = frozenFieldError(v, v.frozen);
    if (err) {
      v.err = err;
      return;
    }
  }
  if (v.missed) {
    const late = [...v.missed].filter((l) => v.arcs.get(l)?.fieldKind === 'regular');
    if (late.length) {
      // A cycle, as CUE's post check of the test reports it (postcheck.ts).
      v.err = bottom('cycle', `circular dependency in evaluation of conditionals: field ${late.map(labelName).join(', ')} added after a test found it missing`, v.arcs.get(late[0]!)!.positions.slice(0, 1));
      return;
    }
  }
  if (v.structLater && !v.isStruct && !v.isList && v.base.t === 'top') v.isStruct = true;
  // `{_}`, `{let x = 1, _}`: an embedding-only literal is its embedded value (CUE's addStruct).
  if (v.embedOnlyStruct && v.topEmbedded && v.isStruct && !v.isList && v.arcs.size === 0) v.isStruct = false;
  if (v.incompletes && !isBottom(v.base)) {
    const concrete = isScalar(v.base) || v.isStruct || v.isList;
    if (!concrete) {
      if (!v.isStruct && !v.isList) {
        // Nothing else decides the value: it is incomplete.
        v.base = v.incompletes[0]!.b;
      }
    } else {
      const rest = v.incompletes.filter((x) => !x.b.cycle);
      if (rest.length) v.incompleteErr ??= rest[0]!.b;
    }
  }
  checkClosed(v);
  // Structs, lists and scalars cannot mix (except scalars embedded with only definitions/hidden fields).
  const hasRegular = hasRegularArc(v);
  // An embedded empty struct (`{{}}`, `{if true {}}`) is a struct as much as a direct one.
  if (v.isList && v.isStruct && (hasRegular || (v.listDirect && v.structDirect) || ((v.listDirect || v.listEmbedded) && v.structEmbedded))) {
    v.err = bottom('eval', 'conflicting values list and struct (mismatched types list and struct)', v.positions);
    arcsKept.add(v.err);
    return;
  }
  // An embedded empty struct (`{#y, {}}`) makes v a struct: no embedded scalar with it.
  const forced = v.structEmbedded && v.scalarEmbedded;
  if (v.base.t !== 'top' && !isBottom(v.base) && (v.isList || (v.isStruct && (hasRegular || forced || (v.scalarDirect && !v.scalarEmbedded) || !isConcreteBase(v.base))))) {
    const k = v.isList ? LIST : STRUCT;
    if (v.base.t === 'cons' && !v.isList && !hasRegular && v.scalarEmbedded && !v.structEmbedded && !v.scalarDirect && v.base.kinds & ~STRUCT) {
      // `{!=null}`: an embedded constraint and no fields is that constraint, not a struct.
      return;
    }
    if (v.base.t === 'cons' && v.base.kinds & k) {
      for (let i = 0, xs = v.base.bounds; i < xs.length; i++) {
        const b = xs[i];
        const e = checkBound(b, v);
        if (e) {
          v.err = e;
          return;
        }
      }
      const validators = v.base.validators;
      v.base = TOP;
      if (validators.length) {
        // Validators see the finished struct/list.
        v.status = 2;
        for (let i = 0; i < validators.length; i++) {
          const x = validators[i];
          const e = runValidator(x, v);
          if (e) {
            if (e.code === 'incomplete') v.incompleteErr ??= e;
            else v.err = e;
            return;
          }
        }
        kept.set(v, validators);
      }
      return;
    }
    if (v.base.t === 'disj') {
      // A scalar disjunction where a struct/list is present: keep the struct.
      const terms = v.base.terms.filter((t) => (t.t === 'cons' && t.kinds & k) || t.t === 'top');
      if (terms.length) {
        v.base = TOP;
        return;
      }
    }
    if (v.isStruct && !hasRegular && !forced && !v.isList && !(v.scalarDirect && !v.scalarEmbedded)) {
      // `{int, #x: 1}`: an embedded non-concrete scalar with definitions.
      return;
    }
    v.err = bottom(
      'eval',
      `conflicting values ${show(v.base)} and ${v.isList ? '[...]' : '{...}'} (mismatched types ${kindName(kindOf(v.base))} and ${kindName(k)})`,
      [posOf(v.base), ...v.positions.slice(0, 1)],
    );
  }
  if (isBottom(v.base)) v.err = v.base;
}

/**
 * A comprehension that ranges over a struct while that struct is still being
 * evaluated (`a: {x: 1, for k, v in a {(k+"q"): v}}`) saw its field set; a
 * field added after that would change what it ranged over: an error, as in
 * CUE, rather than a result that depends on evaluation order.
 */
const frozenErrors = new WeakSet<Bottom>();

/** Errors of a vertex whose fields are still its own (a list and a struct met): a lookup below it finds them. */
const arcsKept = new WeakSet<Bottom>();

/** A copy of b whose vertex keeps its fields (see arcsKept). */
export function keepingArcs(b: Bottom): Bottom {
  const x = { ...b };
  arcsKept.add(x);
  return x;
}

/** Whether v's fields can be looked up although v is in error (see arcsKept). */
export function keepsArcs(b: Bottom): boolean {
  return arcsKept.has(b);
}

/** Whether b is v's error for fields added after its field set was ranged over: v's other fields are still what was ranged over. */
export function isFrozenError(v: Vertex, b: Bottom): boolean {
  return !!v.frozen && frozenErrors.has(b);
}

function frozenFieldError(v: Vertex, frozen: Set<string>): Bottom | undefined {
  const added: string[] = [];
  for (const kv of v.arcs) {
    const l = kv[0];
    const a = kv[1];
    if (isRegularLabel(l) && a.fieldKind === 'regular' && !frozen.has(l)) added.push(l);
  }
  if (!added.length) return undefined;
  const errs = added.map((l) => bottom('eval', `adding field ${labelName(l)} not allowed as field set was already referenced`, v.arcs.get(l)!.positions.slice(0, 1)));
  let b = errs[0]!;
  if (errs.length > 1) {
    b = bottom('eval', errs.map((e) => e.msg).join('; '), errs.flatMap((e) => e.pos));
    b.more = errs;
  }
  frozenErrors.add(b);
  return b;
}

/** A regular field (list indices excepted). */
function hasRegularArc(v: Vertex): boolean {
  for (const l of v.arcs.keys()) if (isRegularLabel(l) && !(v.isList && /^\d+$/.test(l))) return true;
  return false;
}

function counts(b: Bottom, incomplete: boolean): boolean {
  return b.code !== 'incomplete' || (incomplete && !b.cycle);
}

export function isConcreteBase(b: Val): boolean {
  return isScalar(b);
}

/**
 * The first permanent (non-incomplete) error in a vertex or its regular/definition arcs.
 * With `incomplete`, also the first incomplete one that is no reference cycle:
 * what eliminates a disjunct (CUE v3's doDisjunct fails a disjunct on any
 * error of its node or its children, only a cycle placeholder excepted).
 */
export function deepError(v: Vertex, depth: number, incomplete = false): Bottom | undefined {
  expand(v);
  if (v.err) return counts(v.err, incomplete) ? v.err : undefined;
  if (isBottom(v.base)) return counts(v.base, incomplete) ? v.base : undefined;
  if (depth > 40 || v.disjuncts) return undefined;
  for (const a of (v.arcs).values()) {
    if (a.fieldKind === 'optional') continue;
    const e = deepError(a, depth + 1, incomplete);
    if (e) return e;
  }
  return undefined;
}
