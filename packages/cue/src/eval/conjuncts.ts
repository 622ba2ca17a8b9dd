// Adding a conjunct to a vertex: expressions are split into struct literals,
// lists, `&` operands (closedness groups), disjunctions and values; a value
// that is a vertex brings its conjuncts (with a closedness node of its own),
// a scalar is unified into the vertex's base value.
import { carryLets } from './equality.js';
import { type CloseNode, Conj, type Conjunct, type Env, Vertex, cloneConj, dataArcValue, newEnv, newNode, valConj } from './vertex.js';
import { type Expr } from '../ast.js';
import { unparen } from '../syntax.js';
import { LIST, STRUCT, type Val, bottom, incomplete, isBottom, isScalar } from './values.js';
import { addArcConj, getArc } from './arcs.js';
import { addDisjunction, pushDisjunction } from './disjunct.js';
import { addList } from './lists.js';
import { addStruct } from './fields.js';
import { bareValidator, unifyScalar } from './unify.js';
import { checkAgain, checkRepeat, cycleKinds, cycleTargets, disjunctionRef, extendRefs, reachedThroughOwnChoice, setEvalRefs } from './cycle.js';
import { decidingIncomplete, markProvisional, noteRead, undecided } from './provisional.js';
import { debug, flushShareable, mayShare, shareState, unshare } from './share.js';
import { evalExpr } from './expr.js';
import { cycleOpen, expand, taintedWhile } from './sched.js';
import { embedNode, embeddedAnd, embedsDefinition, groupNode, isDefValue, liftsOpen, rootOf, sameDefinition, vertexClosed } from './closed.js';
import { isConcreteBase } from './finish.js';
import { addOperands, conjKeys, isFieldOf } from './ahead.js';
import { nodeFlag, nodeLabel, nodePush } from './closetrail.js';
import { setSlot, slotOf } from './order.js';
import { tick } from './limits.js';
import { asSoleDefault, unifyDisj } from './disjunction.js';
import { soleDefaultVertices } from './default.js';
import { inlineInDisjunct } from './disjunct-scope.js';
import { openValidatorSource, opensGroup } from './open-validators.js';

export function addConj(v: Vertex, c: Conjunct): void {
  // Inline values met while c is evaluated continue c's reference chain (cycle.ts).
  const outer = setEvalRefs(c.refs);
  try {
    addConjunct(v, c);
  } finally {
    setEvalRefs(outer);
  }
}

function addConjunct(v: Vertex, c: Conjunct): void {
  tick();
  // A struct set aside for sharing is added first when anything but `_`
  // follows it: then v would not share it anyway, and its fields and
  // conflicts keep the order of the conjuncts.
  if (v.shareable && !(c.expr?.type === 'Ident' && c.expr.name === '_')) {
    flushShareable(v, c);
    // A lookup made while it was added may have declared c's fields ahead (ahead.ts).
    if (v.ahead?.conjs.has(c)) return;
  }
  // (A struct literal evaluated again makes a new scope for its declarations: the same one if it has the same literal, vertex and parent scope.)
  const known = c.expr && v.cycleVals?.get(c.expr)?.find((k) => k.env === c.env || (k.env.lit !== undefined && k.env.lit === c.env.lit && k.env.vertex === c.env.vertex && k.env.up === c.env.up));
  if (known) {
    addVal(v, known.val, c, c.expr);
    return;
  }
  if (c.val) {
    addVal(v, c.val, c, undefined);
    return;
  }
  if (c.disj) {
    const rest = cloneConj(c);
    rest.disj = undefined;
    pushDisjunction(v, c.disj.key, c.disj.terms, c.disj.marked, rest);
    return;
  }
  const e = c.expr!;
  switch (e.type) {
    case 'ParenExpr':
      addConj(v, withExpr(c, e.expr));
      return;
    case 'StructLit':
      addStruct(v, e, c);
      return;
    case 'ListLit':
      addList(v, e, c);
      return;
    case 'BinaryExpr':
      if (e.op === '&') {
        // In a definition, `#Ref & {...}` takes its closedness from the
        // referenced definitions; the literal operand adds fields to the
        // definition rather than restricting the reference's fields.
        const node = c.node === v.declNode ? undefined : c.node;
        let embedIn = c.embedIn;
        if (node && !embedIn && !c.def) {
          // `a: {#foo} & {b: int}`: the operands are separate closedness
          // groups that intersect (an operand closed by an embedded
          // definition restricts the other's fields), not one literal.
          // The group is a root of this vertex rather than part of the
          // field's shared node, which every disjunct clone re-evaluates.
          let and: CloseNode;
          if (node.closed || node.embedded || node.member) {
            // `close(a & b)`: the closed group is made of the operands. So
            // is a part of an embedding (`{d, z: 1}` with `d: #D & {x: 0}`),
            // or of a reference within its definition (`#S: {x: c, c: _}`
            // with `c: {n: 1} & {}` from outside): as a root of its own the
            // group would restrict the embedding literal's own fields, or the
            // definition's. (One group per expression, as for embeddedAnd.)
            and = embeddedAnd(node, e, false);
          } else {
            and = newNode();
            and.and = true;
            v.pushRoot(and);
          }
          const operand = (): CloseNode => embedNode(and);
          const cx = withExpr(c, e.x);
          cx.node = operand();
          const cy = withExpr(c, e.y);
          cy.node = operand();
          addOperands(v, [cx, cy]);
          return;
        }
        // An embedded conjunction is one embedding whose operands intersect.
        if (embedIn && !embedIn.and) embedIn = embeddedAnd(embedIn, e);
        // A literal operand beside a reference (`#Ref & {...}`) takes its
        // closedness from the reference (noClose). Literals alone close like
        // any literal of the definition: `#A: {a: int} & {b: int}` is
        // `#A: {a: int}, #A: {b: int}`, so a reference to #A is closed.
        // (A reference that turns out to be `_` closes nothing: then the literal closes, closeBeside.)
        const operands = andOperands(e);
        const withRef = operands.some((x) => !isStructLit(x));
        const withLit = withRef && !embedIn && c.def && !c.noClose && operands.some(isStructLit);
        const conjs: Conjunct[] = [];
        for (let i = 0; i < operands.length; i++) {
          const operand = operands[i];
          const co = withExpr(c, operand);
          co.node = node;
          co.embedIn = embedIn;
          const lit = isStructLit(operand);
          if (withRef && lit && !embedIn && embedsAny(operand)) co.node = sealingOperand(v, co, node);
          co.noClose = c.noClose || (withRef && lit);
          if (withLit && !lit) co.besideLit = true;
          conjs.push(co);
        }
        addOperands(v, conjs);
        return;
      }
      if (e.op === '|') {
        addDisjunction(v, e, c);
        return;
      }
      break;
    case 'UnaryExpr':
      if (e.op === '*') {
        // A default marker outside a disjunction has no effect.
        addConj(v, withExpr(c, e.x));
        return;
      }
      break;
    case 'Comprehension':
      v.structLater = true;
      v.addComprehension({ conj: c, expr: e });
      return;
    case 'BottomLit':
      setBase(v, bottom('user', 'explicit error (_|_ literal) in source', [e.pos]));
      return;
    case 'Alias': {
      // `f: X=value`: X is the value of f, visible within that value only.
      const env = newEnv(c.env.vertex, c.env);
      env.binds = new Map([[e.ident.name, { vertex: v }]]);
      v.valueAlias = true;
      const inner = withExpr(c, e.expr);
      inner.env = env;
      addConj(v, inner);
      return;
    }
    case 'Ellipsis':
      if (e.elem) {
        // `X...` (explicitopen): X with its top level opened.
        const opened = cloneConj(c);
        opened.openAll = true;
        addVal(v, evalExpr(e.elem, c.env), opened, e.elem);
        return;
      }
      break;
  }
  const val = evalExpr(e, c.env);
  addVal(v, val, c, e);
}

/** c with another expression (a part of c's). */
function withExpr(c: Conjunct, e: Expr): Conj {
  const x = cloneConj(c);
  x.expr = e;
  return x;
}

/** Whether w has declarations from within a definition and from outside any. */
function declaredInAndOut(w: Vertex): boolean {
  let inside = false;
  let outside = false;
  for (let i = 0, xs = w.conjuncts; i < xs.length; i++) {
    const wc = xs[i];
    if (wc.def) inside = true;
    else outside = true;
  }
  return inside && outside;
}

/**
 * The `&` group whose operand n is, through referenced values only: not
 * through a field, nor an embedding or a literal with embeddings, whose
 * members widen what the literal allows rather than intersect.
 */
function andOperandOf(n: CloseNode): CloseNode | undefined {
  for (let p = n; p.embedded && p.parent && !p.up && !p.embedding && !p.mixed; p = p.parent) if (p.parent.and) return p.parent;
  return undefined;
}

/**
 * A literal with embeddings beside a reference in a definition's `&`
 * (`#D: #X & {#E, f: {...}}`): once an embedded definition closes it, the
 * literal is closed at every depth below (CUE's typo check of a struct
 * that embeds a definition), on top of the definition's own closedness, as
 * the same literal outside definitions is (closed.ts seals). Its node is its
 * own, part of the definition's group (embedded in it) and marked as such a
 * literal; its fields get their groups below it (fields.ts, kidOf).
 */
function sealingOperand(v: Vertex, co: Conjunct, node: CloseNode | undefined): CloseNode {
  const o = newNode();
  o.mixed = true;
  return embedNode(node ?? groupNode(v, co), o);
}

/** A struct literal that embeds a definition by name (closed.ts embedsDefinition); `{_b, f: 1}` with _b a plain struct does not seal. */
function embedsAny(e: Expr): boolean {
  const x = unparen(e);
  return x.type === 'StructLit' && x.decls.some((d) => d.type === 'Embed' && embedsDefinition(d.expr));
}

/** A struct literal, or `&` with one among its operands (`y.c & {d: b: 2}` declares d as `y.c, {d: b: 2}` does). */
function declaresStruct(c: Conjunct): boolean {
  const e = c.expr;
  if (!e) return false;
  if (e.type === 'StructLit') return true;
  return e.type === 'BinaryExpr' && e.op === '&' && andOperands(e).some(isStructLit);
}

function isStructLit(e: Expr): boolean {
  return unparen(e).type === 'StructLit';
}

/** The operands of a chain of `&` (through parentheses; an operand keeps its own). */
export function andOperands(e: Expr, out: Expr[] = []): Expr[] {
  const x = unparen(e);
  if (x.type === 'BinaryExpr' && x.op === '&') {
    andOperands(x.x, out);
    andOperands(x.y, out);
  } else out.push(e);
  return out;
}

export function setBase(v: Vertex, x: Val, c?: Conjunct): void {
  if (isBottom(v.base)) return;
  if (c && x.t !== 'top' && x.t !== 'bottom' && x.t !== 'vertex') {
    if (c.embedIn) v.scalarEmbedded = true;
    else v.scalarDirect = true;
  }
  if (x.t === 'bottom' && x.code === 'incomplete') {
    // An incomplete conjunct does not decide the value when other conjuncts
    // do (e.g. one side of a resolvable reference cycle); keep it aside.
    const item = { b: x, c };
    (v.incompletes ??= []).push(item);
    if (!x.cycle && cycleOpen()) markProvisional(v, item);
    // An embedding that is not known yet may still be a scalar (`{==(self + 1)}`).
    if (x.cycle && c?.embedIn) v.scalarEmbedded = true;
    return;
  }
  if (x.t === 'vertex') return;
  if (x.t === 'func') x = bareValidator(x);
  // An embedded matchN/matchIf opens the literal that embeds it (`#X: {matchN(0, []), a?: int}`).
  if (c?.embedIn && opensGroup(x)) nodeFlag(c.embedIn, 'open');
  else if (c?.def && !c.embedIn && openValidatorSource(c.expr) && opensGroup(x)) nodeFlag(c.node ?? groupNode(v, c), 'open');
  if (v.base.t === 'disj' || x.t === 'disj') v.base = unifyDisj(v.base, x, unifyValues);
  else v.base = unifyScalar(v.base, x);
}

/** Unifies two values without a target vertex (struct values produce a fresh vertex). */
export function unifyValues(a: Val, b: Val, detached = false): Val {
  if (a.t === 'top') return b;
  if (b.t === 'top') return a;
  if (a.t === 'vertex' || b.t === 'vertex') {
    // Detached: the result hangs nowhere, so that unifying a value with a
    // schema found below it (a validator's argument) is no structural cycle.
    const parent = detached ? undefined : a.t === 'vertex' ? a.parent : b.t === 'vertex' ? b.parent : undefined;
    const anon = new Vertex(parent, '');
    const env = a.t === 'vertex' ? a.conjuncts[0]?.env ?? rootlessEnv(anon) : (b as Vertex).conjuncts[0]?.env ?? rootlessEnv(anon);
    anon.addConjunct(valConj(env, false, a), valConj(env, false, b));
    expand(anon);
    return anon.err ?? anon;
  }
  if (a.t === 'disj' || b.t === 'disj') return unifyDisj(a, b, unifyValues);
  return unifyScalar(a, b);
}

export function rootlessEnv(v: Vertex): Env {
  return newEnv(v);
}

export function addVal(v: Vertex, val: Val, c: Conjunct, src: Expr | undefined): void {
  if (val.t !== 'vertex') {
    if (val.t === 'top' && c.besideLit) closeBeside(v, c);
    if (val.t === 'top' && c.embedIn) v.topEmbedded = true;
    setBase(v, val, c);
    return;
  }
  const w = val;
  // A disjunct of w referring to w itself adds nothing new (like `x: x`).
  if (v !== w && standsFor(v, w)) return;
  if (w === v || isStructuralAncestor(w, v)) {
    if (w.status === 1 && (w === v || operandOf(v, w))) {
      // `x: x` style self reference: contributes nothing. So does one from
      // an operand of w's own value (`c: (c & {z: 2}) | {z: 3}`, or through
      // other fields' values: `c: a | {}`, `a: b & {}`, `b: c & {}`): the
      // operand stands at w's level, not below it (a reference cycle).
      return;
    }
    if (w.status === 1 || isStructuralAncestor(w, v)) {
      v.err = bottom('structural cycle', 'structural cycle', [c.pos ?? src?.pos]);
      if (w.isList || w.isStruct) cycleKinds.set(v.err, w.isList ? LIST : STRUCT);
      cycleTargets.set(v.err, w);
      return;
    }
  }
  const dj = w.status === 0 && w.label === '' && w.conjuncts.length === 1 ? w.conjuncts[0]!.disj : undefined;
  if (dj && !w.choices) {
    // A disjunction not evaluated yet (`or(list)`): its terms are split here,
    // with v's other conjuncts, rather than apart from them.
    const x = cloneConj(c);
    x.val = undefined;
    x.expr = undefined;
    x.disj = dj;
    addConj(v, x);
    return;
  }
  expand(w);
  // Reference cycle: a vertex in progress contributes what is known once it
  // is done; a struct among its conjuncts is known already, and its fields
  // may be what the cycle needs (`z: x.b, x: b: {d: b: 2}, x: b: y.c, y: c: z.d`).
  const partial = w.status === 1;
  if (partial && !(w.isStruct || w.conjuncts.some(declaresStruct))) {
    inlineInDisjunct(v, w, () => {
      for (let i = 0, xs = w.conjuncts; i < xs.length; i++) {
        const wc = xs[i];
        addConj(v, cloneConj(wc));
      }
    });
    return;
  }
  if (!partial && w.base.t === 'top' && !w.isStruct && !w.isList && w.arcs.size === 0 && !w.disjuncts && !w.err && taintedWhile(w, (x) => isStructuralAncestor(x, v))) {
    // w is nothing yet because it refers to an ancestor of v still being
    // evaluated (`#O: or([{retry: #All.retry}, ...])`, `#All: retry: #O`):
    // through w, v would contain that ancestor: a structural cycle.
    v.err = bottom('structural cycle', 'structural cycle', [c.pos ?? src?.pos]);
    return;
  }
  if (v.cursor !== undefined && !c.embedIn && (w.isStruct || partial) && isFieldOf(v, w)) {
    // A field of v that v's value includes (`z: x.b` where x.b refers to
    // z.d): v's conjuncts not added yet may still add to it, so it is
    // added once they are in.
    (v.later ??= []).push({ w, c, src, at: v.cursor });
    v.ahead ??= { conjs: new Set(), keys: new Map(), seen: v.arcs.size };
    return;
  }
  if (w.borrow?.share) {
    // w shares a struct that v is part of: a structural cycle once copied
    // (`r: a.b` and `a: b: c: t: r`); w copies it, to report it as such.
    let s = w.borrow.share.w;
    while (s.borrow?.share) s = s.borrow.share.w;
    if (s === v || isAncestor(s, v)) {
      unshare(w);
      if (v.shareable === undefined) v.shareable = null;
    }
  }
  // w's value depends on where its conjuncts are evaluated (a value alias):
  // they are evaluated again in v, as CUE evaluates every referenced conjunct.
  const recompute = w.x !== undefined && w.valueAlias === true;
  if (w.err && !w.isStruct && !w.isList && !recompute) {
    // (With its conjunct: a reference cycle error is checked again once the cycle closes.)
    setBase(v, w.err, w.err.cycle ? c : undefined);
    return;
  }
  if (c.embedIn && c.expr && shareState.collecting === v && !w.isStruct && !w.isList && w.arcs.size === 0 && !w.disjuncts && !isConcreteBase(w.base) && isAncestor(v, w)) {
    // An embedded field of v itself that is not concrete yet (`{#a, #a: _}`,
    // `{#in.c1, #in: c1: string}`) may get its value from conjuncts of v not
    // added yet (`#a: "s"`): embed it once they are in (doExpand retries incompletes).
    (v.incompletes ??= []).push({ b: incomplete(`embedded ${w.label} not known yet`, c.pos ? [c.pos] : []), c });
    return;
  }
  // A named field whose disjuncts depend on where it stands (Vertex.disjCyclic)
  // brings its conjuncts instead, to be split here. (Only a field declared
  // once: the declarations of a field given by reference form one closedness
  // group, which would let the cross product of several declarations'
  // disjunctions through.)
  const again = w.disjCyclic && w.label !== '' && !w.err && w.conjuncts.length === 1;
  if (w.disjuncts && !w.disjMulti && !again && !recompute) {
    if (v.viaChains && reachedThroughOwnChoice(v, c, w)) return;
    const key = src ?? (w as unknown as Expr);
    const terms = w.disjuncts.map((d, i) => ({ v: d as Val, mark: w.disjMarked ? w.disjMarks![i]! : false, src }));
    // (The terms' conjuncts continue the chain through this reference: see reachedThroughOwnChoice.)
    let cc = c;
    if (w.label !== '') {
      cc = cloneConj(c);
      cc.refs = disjunctionRef(c.refs, w);
    }
    pushDisjunction(v, key, terms, w.disjMarked, cc, w);
    return;
  }
  // (A field whose disjuncts combine several marked disjunctions, disjMulti,
  // brings its conjuncts too, to be split again here: it holds no struct of
  // its own once split, so it would otherwise add nothing at all.)
  if (w.isStruct || w.isList || w.arcs.size > 0 || partial || again || recompute || w.disjMulti) {
    if (v.borrow?.share) unshare(v);
    const lifted = !c.def && !c.node?.member && liftsOpen(src, w);
    if (mayShare(v, w, c) && !(lifted && w.conjuncts.some((wc) => wc.def))) {
      if (v.shareable === undefined) {
        // Decided once all of v's conjuncts are in (doExpand): v may get more.
        v.shareable = { w, c, src };
        return;
      }
      // A second struct: neither is shared.
      flushShareable(v);
    }
    // Adding the same value twice in the same way is idempotent; skipping it
    // also ends mutual embeddings (`x: {Y}`, `Y: x`) that would re-add forever.
    // (A definition's own declarations are a group apart: CloseNode.inline.)
    const where: object = c.embedIn ?? c.node ?? (c.inline ? INLINE_GROUP : v);
    const mode = c.closeAll ? 'c' : c.openAll ? 'o' : c.embedIn ? 'e' : 'u';
    if (again && checkAgain(v, w, c, src ?? c.expr) === 'deferred') return;
    let refs = c.refs;
    if (src && w.label !== '') {
      // The same reference re-entered along the conjunct's chain (cycle.ts).
      const r = checkRepeat(v, w, c, src);
      if (r === 'cycle') {
        v.err = bottom('structural cycle', 'structural cycle', [src.pos]);
        return;
      }
      if (r !== 'ok') return;
      refs = extendRefs(refs, src);
    }
    // (After the check: a repeat set aside is added by settleCycles when it is fed.)
    if (alreadyAdded(v, w, where, mode)) return;
    if (w.choices && !again && !recompute) {
      v.choices ??= new Map();
      for (const kv of w.choices) {
        const k = kv[0];
        const i = kv[1];
        const had = v.choices.get(k);
        if (had === undefined) v.choices.set(k, i);
        else if (had !== i) {
          // Another disjunct of the same disjunction: v is both (moreChoices).
          const m = (v.moreChoices ??= new Map());
          const l = m.get(k);
          if (!l) m.set(k, [i]);
          else if (!l.includes(i)) l.push(i);
        }
      }
    }
    const node = newNode(!!c.closeAll);
    // `#A...` drops #A's closedness but an enclosing definition still only
    // allows #A's labels; `x...` of a value that was open anyway keeps it
    // open to any label, also under __reclose (builtins/reclose.txtar noClose).
    if (c.openAll) {
      if (vertexClosed(w)) node.opened = true;
      else node.open = true;
    }
    const member = !c.embedIn && c.def && !c.closeAll && (!isDefValue(w) || (!w.conjuncts.some((wc) => wc.closeAll) && sameDefinition(v, w)));
    if (c.embedIn) {
      node.embedding = true;
      embedNode(c.embedIn, node);
    } else if (c.node?.embedded && !member) {
      embedNode(c.node, node);
      // In a definition, the declarations of one group widen what it allows (as for roots below).
      if (c.def) nodePush(c.node, 'unions', node);
      // A value closed by itself still restricts on its own, as a root does
      // below: within an operand of `&`, it is one more operand.
      if (isDefValue(w)) {
        const and = andOperandOf(c.node);
        if (and) nodePush(and, 'embeds', node);
      }
      const r = rootOf(c.node);
      if (!r.embedded && !r.member && !v.roots.includes(r)) v.pushRoot(r);
    } else {
      if (member) node.member = true;
      else v.pushRoot(node);
      if (c.node) {
        const r = rootOf(c.node);
        if (!r.embedded && !r.member && !v.roots.includes(r)) v.pushRoot(r);
      }
      // A field declared in one group (e.g. `x: #S, x: {a: 1}` in a
      // definition) allows the union of what its declarations bring, while
      // the referenced value still restricts on its own as a root.
      let group = c.node;
      if (!group && c.def) group = groupNode(v, c);
      // The definition itself closes what its members declare.
      if (member && group) nodeFlag(group, 'closed');
      if (group && group !== node) {
        if (!group.unions?.includes(node)) nodePush(group, 'unions', node);
      }
    }
    if (w.isStruct) {
      v.isStruct = true;
      if (v.embedOnlyStruct) v.embedOnlyStruct = false;
    }
    if (w.isList && c.embedIn) v.listEmbedded = true;
    // An embedded field of v itself may get more conjuncts from v's (ahead.ts);
    // (not one disjunct of it: that is no arc).
    if (c.embedIn && v.cursor !== undefined && w.parent?.arcs.get(w.label) === w && isFieldOf(v, w)) (v.later ??= []).push({ w, c, src, at: v.cursor, seen: conjKeys(w) });
    const slot = slotOf(c);
    // w declared in the same definition (`#K: {R: _, input: R}`, or `{R}`):
    // what w got from outside the definition (`#K & {R: ...}`) does not
    // become part of it by being referenced from within it.
    const sibling = c.def && declaredInAndOut(w) && (member || sameDefinition(v, w));
    for (let j = 0, xs = w.conjuncts; j < xs.length; j++) {
      const wc = xs[j];
      const x = cloneConj(wc);
      x.def = (wc.def && !lifted) || (c.def && !sibling);
      if (c.opt) x.opt = true;
      if (c.cyc) x.cyc = true;
      x.refs = refs;
      if (slot) setSlot(x, slot.rec, slot.idx);
      x.node = node;
      x.embedIn = undefined;
      // A non-definition value or an embedding in a definition's own declarations is one of them.
      x.inline = member || c.embedIn ? c.inline : undefined;
      addConj(v, x);
    }
    // w is what is left of a marked disjunction, its default ⟨W, W⟩: v,
    // which takes w's choices rather than splitting again, is a default
    // too (U1: ⟨W, W⟩ & ⟨V⟩ is ⟨W&V, W&V⟩), so `or([e, null])` keeps e's
    // default as `e | null` does. (A split of v's own decides again.)
    if (!recompute && !again && w.x !== undefined && soleDefaultVertices.has(w)) soleDefaultVertices.add(v);
    if (w.conjuncts.length === 0) {
      // Values built programmatically (encode/fill) carry arcs but no conjuncts.
      copyArcs(v, w, c, node);
    }
    return;
  }
  // (w's conjuncts are not added: what lets they declare comes with its value, equality.ts.)
  if (w.letLits) carryLets(v, w);
  if (w.base.t === 'top' && c.besideLit) closeBeside(v, c);
  // (A value still being evaluated, a reference cycle, is not known to be `_`.)
  if (w.base.t === 'top' && c.embedIn && w.status === 2 && !w.cyclic && !taintedWhile(w, anyVertex)) v.topEmbedded = true;
  // w is what is left of a marked disjunction, its default (`*1 | {a: 1 & 2}`):
  // so is v's value, a term that keeps its default in a disjunction (D1).
  // (Only a split vertex has rare fields: the test costs most references nothing.)
  if (w.x && isScalar(w.base) && soleDefaultVertices.has(w)) setBase(v, asSoleDefault(w.base), c);
  else setBase(v, w.base, c);
  // A scalar that is not complete yet (`#c: 1 & (#b + 1)`, #b an int) makes
  // what refers to it incomplete too (`d: #c`), as CUE does: not silently 1.
  const ie = !w.onStack && !w.disjuncts && isScalar(w.base) ? decidingIncomplete(w) : undefined;
  if (ie) setBase(v, ie, c);
  else if (undecided()) noteRead(w, v);
}

/**
 * `#N: #A & {f: 1}` with #A `_`: the literal was added without closing its
 * group (noClose), as the reference was to bring the closedness; `_` brings
 * none, so the group closes as the literal alone would (`#N: {f: 1}`). Other
 * references of the conjunction still restrict on their own: the group
 * allows what they declare (their nodes are its unions, addVal).
 */
function closeBeside(v: Vertex, c: Conjunct): void {
  const g = c.node ?? groupNode(v, c);
  nodeFlag(g, 'closed');
  nodeFlag(g, 'deep');
}

const anyVertex = (): boolean => true;

/** The `where` of alreadyAdded for values added to a vertex's inlineNode. */
const INLINE_GROUP = {};

/**
 * Records that w's conjuncts are added to v at `where` in `mode`; true when
 * they already were. Only the same place and mode is a repeat: each other
 * place (`#A & #V & #V` with `#V: {#A}` adds #A in five) is a group that must
 * declare what w does, as CUE adds a value once per arc and closedness
 * context. (Re-adding forever through places that keep being made new is a
 * structural cycle, which the reference chain ends: cycle.ts checkRepeat.)
 * Most vertices get one value: that record needs no map.
 */
function alreadyAdded(v: Vertex, w: Vertex, where: object, mode: string): boolean {
  const a = v.added;
  if (a === undefined) {
    v.added = { w, where, mode };
    return false;
  }
  let m: Map<Vertex, { where: object; mode: string }[]>;
  if (a instanceof Map) m = a;
  else {
    if (a.w === w && a.where === where && a.mode === mode) return true;
    m = new Map([[a.w, [{ where: a.where, mode: a.mode }]]]);
    v.added = m;
  }
  let seen = m.get(w);
  if (!seen) m.set(w, (seen = []));
  if (seen.some((x) => x.where === where && x.mode === mode)) return true;
  seen.push({ where, mode });
  return false;
}

/** Forgets that w's conjuncts were added to v, to add them again as w has grown (ahead.ts). */
export function forgetAdded(v: Vertex, w: Vertex): void {
  const a = v.added;
  if (a instanceof Map) a.delete(w);
  else if (a?.w === w) v.added = undefined;
}

function copyArcs(v: Vertex, w: Vertex, c: Conjunct, node: CloseNode): void {
  if (w.isList) {
    v.isList = true;
    v.pushListPart({ n: w.arcs.size, open: w.listOpen });
  }
  if (debug.sharing && w.plainData && w.arcs.size > 0 && v.arcs.size === 0 && !v.borrow && v.patterns.length === 0) {
    // Structure sharing: nothing else has added arcs here yet, so v reads
    // the data's arcs until something changes them (Vertex.borrow).
    for (const l of w.arcs.keys()) nodeLabel(node, l);
    v.arcs = w.arcs;
    v.borrow = { env: c.env, def: c.def };
    setBase(v, w.base);
    return;
  }
  for (const kv of w.arcs) {
    const l = kv[0];
    const a = kv[1];
    const arc = getArc(v, l);
    nodeLabel(node, l);
    arc.fieldKind = a.fieldKind;
    addArcConj(arc, valConj(c.env, c.def, dataArcValue(a)));
  }
  setBase(v, w.base);
}

/** Whether v is w itself or a disjunct clone of w. */
export function standsFor(v: Vertex, w: Vertex): boolean {
  return v === w || (!!v.choices && v.label !== '' && v.label === w.label && v.parent === w.parent);
}

function isAncestor(a: Vertex, v: Vertex): boolean {
  // Disjunct clones stand for the vertex they were cloned from.
  for (let p = v.parent; p; p = p.parent) if (standsFor(p, a)) return true;
  return false;
}

/**
 * Whether v is an anonymous value (an operand of `&`, a disjunct, a call
 * result) evaluated as part of w's own value: only anonymous vertices lie
 * between them, so v stands at w's level (anonymous values hang below the
 * vertex whose evaluation made them, see anonParent).
 */
function operandOf(v: Vertex, w: Vertex): boolean {
  for (let p: Vertex | undefined = v; p && p.operand; p = p.parent) {
    if (p.parent && standsFor(p.parent, w)) return true;
  }
  return false;
}

/**
 * Whether a is an ancestor of v in the value's structure. An inline value
 * that is selected from (`{a: x}.a`, `(X & {in: root}).out`) hangs below the
 * vertex that evaluates it but is no part of that vertex's value: a reference from inside it to an
 * enclosing field is a reference cycle (resolved by the field's other
 * conjuncts), not a structural one, unless what it selects is put back into
 * the field (which the field then detects itself).
 */
export function isStructuralAncestor(a: Vertex, v: Vertex): boolean {
  for (let p = v.parent; p; p = p.parent) {
    if (standsFor(p, a)) return true;
    if (p.inline) return false;
  }
  return false;
}
