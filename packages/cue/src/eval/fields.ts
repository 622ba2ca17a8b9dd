// Struct literals: their fields (static, pattern and dynamic), embeddings,
// comprehensions and ellipses, each with its closedness node.
import { type CloseNode, Conj, type Conjunct, type Env, type PatternC, Vertex, cloneConj, fieldLabel, isDefLabel, mkConj, newEnv, newNode } from './vertex.js';
import { type Decl, type Expr, type Field, type Label, type StructLit } from '../ast.js';
import { type LitOrder, applyOrder, needsOrder, noteCreated, setSlot, slotOf } from './order.js';
import { TOP, type Bottom, type Val, bottom, incomplete, isBottom, kindName, kindOf, show } from './values.js';
import { addArcConj, applyPattern, getArc, undeclared } from './arcs.js';
import { addConj } from './conjuncts.js';
import { concreteDefault } from './operators.js';
import { evalExpr } from './expr.js';
import { andOperandKid, definitionGroup, embedDepth, embedNode, groupNode, kidOf, refersToPlainValue, rootOf } from './closed.js';
import { nodeFlag, nodeLabel, nodePush } from './closetrail.js';
import { scopeOf, staticLabel } from './scope.js';
import { type LitInfo, litInfo } from './literal-info.js';
import { openValidatorCall } from './open-validators.js';
import { noteLets } from './equality.js';

/** What addStruct asks of a literal's declarations, found once per literal (a literal is added to many vertices). */
export interface LitShape {
  onlyComprehensions: boolean;
  /** Fields and `...` only: the literal makes a struct directly. */
  onlyFields: boolean;
  embeds: boolean;
  /** Embeddings, comprehensions and lets only (`{_}`, `{let x = 1, _}`): the embeddings decide whether it is a struct. */
  embedOnly: boolean;
  ordered: boolean;
  /** It declares lets (which tell apart otherwise equal disjuncts, equality.ts). */
  lets: boolean;
}

function shapeOf(lit: StructLit, info: LitInfo): LitShape {
  let s = info.shape;
  if (s) return s;
  const ds = lit.decls;
  s = {
    onlyComprehensions: ds.length > 0 && ds.every((d) => d.type === 'Comprehension'),
    onlyFields: ds.every((d) => d.type === 'Field' || d.type === 'Ellipsis'),
    embeds: ds.some((d) => d.type === 'Embed' || d.type === 'Comprehension'),
    embedOnly: ds.some((d) => d.type === 'Embed') && ds.every((d) => d.type === 'Embed' || d.type === 'Comprehension' || d.type === 'LetClause' || d.type === 'Attribute'),
    ordered: needsOrder(lit, isStaticField),
    lets: ds.some((d) => d.type === 'LetClause'),
  };
  info.shape = s;
  return s;
}

export function addStruct(v: Vertex, lit: StructLit, c: Conjunct): void {
  // (One lookup of the literal's record for its shape and its scope.)
  const info = litInfo(lit);
  const shape = shapeOf(lit, info);
  // A literal of comprehensions only is a struct once one of them yields.
  if (shape.lets) noteLets(v, lit);
  if (shape.onlyComprehensions) v.structLater = true;
  else {
    // Kept a struct meanwhile (a cycle in its embeddings contributes nothing
    // and leaves `{}`); finish makes it `_` if an embedding was `_` and
    // nothing else made v a struct.
    if (shape.embedOnly) {
      if (!v.isStruct) v.embedOnlyStruct = true;
    } else if (v.embedOnlyStruct) v.embedOnlyStruct = false;
    v.isStruct = true;
  }
  let n: CloseNode;
  // An empty literal (`{}`, `{...}`), embedded or a value of its own
  // (`a: {}` beside `a: {1}`), makes v a struct: an embedded scalar conflicts.
  // (Not a literal of definitions only: `{#a: 1} & {#a + 1, #a: int}` is 2.)
  if (lit.decls.every((d) => d.type === 'Ellipsis')) v.structEmbedded = true;
  if (c.embedIn) {
    n = newNode();
    n.embedding = true;
    embedNode(c.embedIn, n);
  } else if (c.node) {
    n = c.node;
    const r = rootOf(n);
    if (!r.embedded && !r.member && !v.roots.includes(r)) v.pushRoot(r);
  } else n = groupNode(v, c);
  if (shape.onlyFields && !embeddedConj(c)) v.structDirect = true;
  if ((c.def && !c.noClose) || c.closeAll) nodeFlag(n, 'closed');
  if (c.def && !c.noClose && !c.closeAll) nodeFlag(n, 'deep');
  if (!c.def && shape.embeds) nodeFlag(n, 'mixed');
  const env = newEnv(v, c.env);
  env.scope = info.scope ?? scopeOf(lit);
  env.lit = lit;
  // Fields first: embeddings may refer to fields declared after them. What
  // embeddings and comprehensions create is put in declaration order (order.ts).
  const rec: LitOrder | undefined = shape.ordered ? { items: [] } : undefined;
  for (let i = 0; i < lit.decls.length; i++) {
    const d = lit.decls[i]!;
    if (d.type !== 'Field') continue;
    if (!rec) {
      addField(v, d, env, c, n);
      continue;
    }
    const n0 = v.arcs.size;
    const k0 = v.comprehensions.length;
    addField(v, d, env, c, n);
    noteCreated(v, rec, n0, i);
    if (v.comprehensions.length > k0) setSlot(v.comprehensions[k0]!.conj, rec, i);
  }
  let embedded = false;
  for (let i = 0; i < lit.decls.length; i++) {
    const d = lit.decls[i]!;
    switch (d.type) {
      case 'Embed': {
        if (d.explicitOpen) nodeFlag(n, 'strict');
        const n0 = v.arcs.size;
        const ec = mkConj(env, c.def, d.expr, d.pos);
        ec.embedIn = n;
        ec.inline = c.inline;
        ec.refs = c.refs;
        // An embedded struct whose sharing is decided later creates its arcs then (doExpand).
        if (rec) setSlot(ec, rec, i);
        addConj(v, ec);
        if (rec && noteCreated(v, rec, n0, i)) embedded = true;
        break;
      }
      case 'Comprehension': {
        const cc = mkConj(env, c.def, d);
        cc.embedIn = n;
        cc.inline = c.inline;
        cc.refs = c.refs;
        if (rec) setSlot(cc, rec, i);
        v.addComprehension({ conj: cc, expr: d });
        break;
      }
      case 'Ellipsis':
        nodeFlag(n, 'open');
        if (d.elem) {
          const pc = mkConj(env, c.def, d.elem);
          pc.opt = true;
          if (c.cyc) pc.cyc = true;
          pc.refs = c.refs;
          pc.inline = c.inline;
          const pat = { pattern: TOP as Val, conj: pc };
          v.pushPattern(pat);
          if (v.borrow) v.arcMap();
          for (const a of v.arcs.values()) applyPattern(pat, a);
        }
        break;
      default:
        break;
    }
  }
  if (embedded) applyOrder(v, rec!);
}

function isStaticField(d: Decl): boolean {
  if (d.type !== 'Field') return false;
  const l = d.label.type === 'AliasLabel' ? d.label.label : d.label;
  return l.type !== 'PatternLabel' && staticLabel(l) !== undefined;
}

function addField(v: Vertex, d: Field, env: Env, c: Conjunct, n: CloseNode): void {
  let label: Label = d.label;
  let alias: string | undefined;
  if (label.type === 'AliasLabel') {
    alias = label.alias.name;
    label = label.label;
  }
  if (label.type === 'PatternLabel') {
    const pv = evalExpr(label.expr, env);
    if (isBottom(pv)) {
      // A pattern that fails to evaluate makes the struct an error (fulleval/049).
      v.err ??= pv;
      return;
    }
    const pc = mkConj(env, c.def, d.value, d.pos);
    pc.attrs = d.attrs;
    pc.opt = true;
    if (c.cyc) pc.cyc = true;
    pc.refs = c.refs;
    pc.inline = c.inline;
    const pat: PatternC = { pattern: pv, conj: pc, alias: label.alias?.name, fieldAlias: alias };
    // Below a sealing literal, what a pattern of an embedded definition
    // brings is declared by that definition (closed.ts seals).
    if (c.def && inMixed(n)) pat.node = n;
    v.pushPattern(pat);
    nodePush(n, 'patterns', pv);
    if (v.borrow) v.arcMap();
    for (const a of v.arcs.values()) applyPattern(pat, a);
    return;
  }
  if (label.type === 'ParenLabel' || (label as { type: string }).type === 'Interpolation' || (label.type === 'BasicLit' && label.kind === 'string' && label.value === undefined)) {
    // Dynamic labels are resolved after the static fields, like comprehensions.
    const conj = cloneConj(c);
    conj.env = env;
    conj.embedIn = n;
    // Produced by a comprehension's body: its fields stand where the comprehension does.
    const slot = slotOf(c);
    if (slot) setSlot(conj, slot.rec, slot.idx);
    v.addComprehension({ conj, expr: d as unknown as Expr });
    return;
  }
  const name = staticLabel(label);
  if (name === undefined) {
    v.err = bottom('eval', `not supported yet: label of type ${label.type}`, [label.pos]);
    return;
  }
  declareField(v, name, d, env, c, n);
}

function declareField(v: Vertex, name: string, d: Field, env: Env, c: Conjunct, n: CloseNode): void {
  const arc = getArc(v, name);
  if (d.constraint === '') arc.fieldKind = 'regular';
  else if (arc.fieldKind !== 'regular' || undeclared(arc)) {
    if (d.constraint === '!') arc.fieldKind = 'required';
    else if (arc.fieldKind !== 'required') arc.fieldKind = 'optional';
  }
  if (d.constraint === '' && arc.fieldKind !== 'regular') arc.fieldKind = 'regular';
  nodeLabel(n, name);
  // The field's value belongs to this group's closedness context for the label.
  // A definition declared in several places is one definition: its
  // declarations share the arc's node (their fields are unioned).
  // Outside definitions each declaration is its own closedness context
  // (`a: {#A}` stays closed when `a: c: 1` is declared elsewhere); inside a
  // definition repeated declarations are one context.
  // A scalar literal never declares fields: it needs no node (most fields are such leaves).
  const scalar = d.value.type === 'BasicLit' || d.value.type === 'Interpolation';
  // A definition embedded in a literal that declares fields of its own:
  // what the literal declares for its fields joins the definition's groups
  // for them (spec: embedding bypasses the definition's closedness).
  // (Repeated declarations in a definition are one group: they share the node.)
  // A definition declared outside definitions is one group per literal (its
  // declarations there union), intersecting with the same definition brought
  // in by a reference (`a: #D, a: {#foo: b: int}` with #D: #foo: a: int).
  // A definition's own declarations (at the top of a file, or of a definition
  // field in a regular struct: `x: {#d: v: b: 1}`) form one group per field,
  // which reports the field closed but lets through what a reference to a
  // definition there allows (`#d: #D` restricts x.#d.v to what #D.v declares),
  // as CUE typo-checks references to definitions and not inline structs.
  const inline = isDefLabel(name) ? !c.def || !!c.inline : !!c.inline && c.def;
  const structured = d.value.type === 'StructLit' || openValidatorCall(d.value);
  // An operand of an `&` the definition's own literal embeds declares the field apart (closed.ts andOperandKid).
  const andKid = c.def && structured && !isDefLabel(name) && n.embedded ? andOperandKid(v, arc, n, name, d.value) : undefined;
  // (A reference declares what its value does: `#A: s: X` beside `#B: s: Y` intersect as literals would.)
  const kid = andKid ?? (inline || isDefLabel(name) || scalar ? undefined : c.def && !inMixed(n) && !n.mixed ? (structured || refersToPlainValue(d.value) ? definitionGroup(arc, n, d.value) : undefined) : kidOf(n, name, !c.def));
  const cj = new Conj(env, c.def || isDefLabel(name));
  if (inline && !scalar && !andKid) cj.inline = true;
  cj.expr = d.value;
  cj.attrs = d.attrs;
  cj.pos = d.label.pos ?? d.pos;
  cj.node = kid;
  // (Where the field's shared group may receive it: compared when another reference to the definition declares it again.)
  if (!kid && c.def && !inline && !scalar && !isDefLabel(name)) cj.embedDepth = embedDepth(n);
  if (c.opt || d.constraint === '?') cj.opt = true;
  if (c.cyc) cj.cyc = true;
  cj.refs = c.refs;
  addArcConj(arc, cj);
}

/**
 * Adds a dynamic field (`(a.b): x`, `"\(k)": x`) once its label is known.
 * A label that is not known yet (incomplete: it may refer to a field that
 * another dynamic field or a comprehension adds, `(x.hello): 1` beside
 * `(a.b): "foo"`) comes back as that error, for the scheduler to try again
 * once more fields are in (sched.ts) and to record if none brings it.
 */
export function addDynamicField(v: Vertex, d: Field, conj: Conjunct): Bottom | undefined {
  let label: Label = d.label;
  if (label.type === 'AliasLabel') label = label.label;
  const lexpr: Expr = label.type === 'ParenLabel' ? label.expr : (label as Expr);
  const lv = concreteDefault(evalExpr(lexpr, conj.env));
  if (lv.t !== 'string') {
    if (isBottom(lv)) {
      if (lv.code === 'incomplete') return lv;
      v.err ??= lv;
      return undefined;
    }
    if (lv.t === 'cons' || lv.t === 'top' || lv.t === 'disj') return incomplete(`invalid non-ground value ${show(lv)} (must be concrete string)`, [lexpr.pos]);
    v.err ??= bottom('eval', `invalid label type ${kindName(kindOf(lv))}`, [lexpr.pos]);
    return undefined;
  }
  declareField(v, fieldLabel(lv.s), d, conj.env, conj, conj.embedIn ?? v.declNode ?? newNode());
  return undefined;
}

/** Whether n is embedded, at some remove, in a literal with embeddings of its own or in a field node below one (kidOf). */
function inMixed(n: CloseNode): boolean {
  for (let p: CloseNode | undefined = n; p?.embedded; p = p.parent) if (p.parent?.mixed || p.parent?.sealable) return true;
  return false;
}

/** An embedding, or a value an embedding brought (not an operand of `&`, whose node is embedded in the `&` group). */
export function embeddedConj(c: Conjunct): boolean {
  if (c.embedIn) return true;
  for (let n = c.node; n?.embedded; n = n.parent) if (n.embedding) return true;
  return false;
}
