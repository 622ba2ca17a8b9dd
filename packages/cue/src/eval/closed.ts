// Closedness (CUE: closed.go, typocheck.go): the closedness nodes of a
// vertex's struct literals and referenced values, which labels they allow,
// and the check of a finished struct's fields against them. See the
// README's "Closedness" section for the groups and how they combine.
import { type CloseNode, type Conjunct, Vertex, isDefLabel, isRegularLabel, newNode } from './vertex.js';
import type { Expr } from '../ast.js';
import { unparen } from '../syntax.js';
import { expand } from './sched.js';
import { STRING, bottom, type Val } from './values.js';
import { labelMatches } from './arcs.js';
import { nodeFlag, nodeKid, nodeOwn, nodePush } from './closetrail.js';

/**
 * The roots that restrict a vertex's fields: the closed ones, except a
 * definition's own declarations when something else closes the vertex too
 * (CloseNode.inline). Undefined when none does.
 */
export function closingRoots(roots: readonly CloseNode[]): readonly CloseNode[] | undefined {
  // Counted first: when every root closes (most often the only one), the
  // roots are the answer, and checking a struct allocates nothing.
  let closed = 0;
  let inline = 0;
  for (let i = 0; i < roots.length; i++) {
    const n = roots[i]!;
    if (!isClosedNode(n)) continue;
    closed++;
    if (n.inline) inline++;
  }
  if (closed === 0) return undefined;
  const skipInline = inline > 0 && inline < closed;
  if (closed === roots.length && !skipInline) return roots;
  return roots.filter((n) => isClosedNode(n) && !(skipInline && n.inline));
}

export function allowedByAll(nodes: readonly CloseNode[], l: string): boolean {
  for (let i = 0; i < nodes.length; i++) if (!allowedBy(nodes[i]!, l)) return false;
  return true;
}

export function isClosedNode(n: CloseNode): boolean {
  if (n.open || n.opened) return false;
  return n.closed || (n.embeds?.some(isClosedNode) ?? false) || sealedKid(n);
}

/**
 * A literal outside definitions that embeds a definition is closed once its
 * embeddings are in, and, as the definition closes recursively, so are the
 * literal's fields at every depth (CUE's v3 typo check: the enclosing
 * struct's requirement becomes recursive). There a field is allowed when the
 * literal or one of its embeddings declares it at that path:
 * `#X & {#Y, objs: name: "x"}` does not let #X add objs.extra.
 */
function seals(n: CloseNode): boolean {
  if (!n.mixed || n.open) return false;
  const es = n.embeds;
  if (es) for (let i = 0; i < es.length; i++) if (es[i]!.embedding && closesDeep(es[i]!)) return true;
  return false;
}

function closesDeep(n: CloseNode): boolean {
  if (n.open || n.opened) return false;
  return !!n.deep || (n.embeds?.some(closesDeep) ?? false);
}

/**
 * Whether a field's shared node lies below a sealing literal. A `...` that
 * the literal or one of its embeddings declares at some level lifts the
 * sealing there and below (`{#X, foo: a: 1}` with #X: foo: {...}).
 */
function sealedKid(n: CloseNode): boolean {
  if (!n.sealable) return false;
  // Most fields have no sealing literal above them at all: that is looked
  // for first, as the checks of each level below (openFamily,
  // inShallowClose) walk whole groups, at every level, for every closedness
  // check of the field. The answer is the same: true needs a sealing literal.
  if (!sealingAbove(n)) return false;
  for (let s: CloseNode | undefined = n; s; ) {
    if (openFamily(s) || inShallowClose(s)) return false;
    const p: CloseNode | undefined = s.up;
    if (!p) return false;
    if (seals(p)) return true;
    s = sharedAt(p);
  }
  return false;
}

/** The shared node of the level whose node is p (undefined when that level has none), as sealedKid walks up. */
function sharedAt(p: CloseNode): CloseNode | undefined {
  let q: CloseNode | undefined = p;
  while (q && !q.sealable && q.embedded) q = q.parent;
  return q?.sealable ? q : undefined;
}

/** Whether some level above n's shared node (as sealedKid walks them) is a sealing literal. */
function sealingAbove(n: CloseNode): boolean {
  for (let s: CloseNode | undefined = n; s; ) {
    const p: CloseNode | undefined = s.up;
    if (!p) return false;
    if (seals(p)) return true;
    s = sharedAt(p);
  }
  return false;
}

/**
 * Whether a field is declared by a value that close() closed (`{#D, foo}`
 * with foo: close({b: {}})): close() reaches only that value's own fields,
 * and what lies below them is not the sealing literal's to check either
 * (b.c is allowed), as in CUE, where each closed value checks its own fields.
 */
function inShallowClose(n: CloseNode): boolean {
  // A loop, not some() with an arrow: this runs for every closedness check of a sealable node, and the arrow was allocated per call.
  const es = n.embeds;
  if (!es) return false;
  for (let i = 0; i < es.length; i++) {
    const e = es[i]!;
    if ((e.up !== undefined && e.up.closed && !closesDeep(e.up)) || inShallowClose(e)) return true;
  }
  return false;
}

function openFamily(n: CloseNode): boolean {
  if (n.open || n.opened) return true;
  return n.embeds?.some(openFamily) ?? false;
}

export function allowedBy(n: CloseNode, l: string): boolean {
  if (n.open) return true;
  if (!n.closed && sealedKid(n)) {
    // The literal's declarations and its embeddings' at this path are one group.
    if (n.labels?.has(l)) return true;
    if (n.patterns) for (const p of n.patterns) if (labelMatches(p, l)) return true;
    const es = n.embeds;
    if (es) for (let i = 0; i < es.length; i++) if (isClosedNode(es[i]!) ? allowedBy(es[i]!, l) : declares(es[i]!, l)) return true;
    return false;
  }
  if (n.strict) {
    const closed = n.embeds?.filter(isClosedNode);
    if (closed?.length) return closed.every((e) => allowedBy(e, l));
  }
  if (n.labels?.has(l)) return true;
  if (n.patterns) for (const p of n.patterns) if (labelMatches(p, l)) return true;
  const us = n.unions;
  if (us) for (let i = 0; i < us.length; i++) if (allowedBy(us[i]!, l)) return true;
  // Fields declared by open embeddings belong to the enclosing literal;
  // closed embeddings are unified with each other, so each must allow it.
  // (Loops and a list made only when needed: this runs for every field of a closed struct.)
  const es = n.embeds;
  if (!es) return false;
  // The operands of `&` intersect; embeddings of one literal are one group
  // whose closed members allow what any of them allows (`{#A, #B}`).
  // (Without a list of the closed ones: this runs for every field of a closed struct.)
  let closed = false;
  for (let i = 0; i < es.length; i++) {
    const e = es[i]!;
    if (!isClosedNode(e)) {
      if (!n.and && declares(e, l)) return true;
      continue;
    }
    closed = true;
    const ok = allowedBy(e, l);
    if (n.and ? !ok : ok) return ok;
  }
  return closed && !!n.and;
}

function declares(n: CloseNode, l: string, opened = false): boolean {
  if (!opened && n.and && isClosedNode(n)) return allowedBy(n, l);
  if (n.open || n.labels?.has(l)) return true;
  if (n.patterns) for (const p of n.patterns) if (labelMatches(p, l)) return true;
  // Below `X...` every label of X counts as declared, closed or not.
  const inOpened = opened || !!n.opened;
  const es = n.embeds;
  if (es) for (let i = 0; i < es.length; i++) if ((inOpened || !isClosedNode(es[i]!)) && declares(es[i]!, l, inOpened)) return true;
  return false;
}

export function vertexAllows(v: Vertex, l: string): boolean {
  expand(v);
  if (v.disjuncts) return v.disjuncts.some((d) => vertexAllows(d, l));
  if (!isRegularLabel(l)) return true;
  const closed = closingRoots(v.roots);
  if (!closed) return true;
  return allowedByAll(closed, l);
}

/**
 * What the Value API's allows() answers, as CUE's Vertex.Accept does, which
 * is looser than the typo check evaluation makes: a struct that has `...` in
 * any of its literals accepts every label, and so does any pattern of it
 * (each alone, not their intersection); otherwise closedness decides.
 * `any` asks for every string label: only a `string` or `_` pattern allows it.
 */
export function vertexAccepts(v: Vertex, l: string, any: boolean): boolean {
  expand(v);
  if (v.disjuncts) return v.disjuncts.some((d) => vertexAccepts(d, l, any));
  if (!isRegularLabel(l)) return true;
  if (v.roots.some(hasEllipsis)) return true;
  if (any) return v.patterns.some((p) => matchesAnyString(p.pattern)) || !closingRoots(v.roots);
  if (v.arcs.has(l)) return true;
  if (v.patterns.some((p) => labelMatches(p.pattern, l))) return true;
  return vertexAllows(v, l);
}

function hasEllipsis(n: CloseNode): boolean {
  return n.open || (n.embeds?.some(hasEllipsis) ?? false);
}

function matchesAnyString(p: Val): boolean {
  if (p.t === 'vertex') {
    if (p.disjuncts) return p.disjuncts.some(matchesAnyString);
    return !p.err && !p.isStruct && !p.isList && matchesAnyString(p.base);
  }
  if (p.t === 'disj') return p.terms.some(matchesAnyString);
  return p.t === 'top' || (p.t === 'cons' && (p.kinds & STRING) !== 0 && p.bounds.length === 0 && p.validators.length === 0);
}

export function vertexClosed(v: Vertex): boolean {
  expand(v);
  if (v.disjuncts) return v.disjuncts.every(vertexClosed);
  // `close({x: int, ...})` still counts as closed, although it allows anything.
  const closedFlag = (n: CloseNode): boolean => n.closed || (n.embeds?.some(closedFlag) ?? false);
  return v.roots.some(closedFlag);
}

/**
 * Whether v refers to w from within the definition that declares w
 * (`#S: {f: {n: 3} & g, g: {}}`): closedness comes from referencing a
 * definition, so such a reference widens #S's group instead of closing f.
 */
export function sameDefinition(v: Vertex, w: Vertex): boolean {
  const up = new Set<Vertex>();
  for (let p: Vertex | undefined = v; p; p = p.parent) up.add(p);
  // The reference reaches w from the common ancestor without crossing a definition.
  for (let p: Vertex | undefined = w; p; p = p.parent) {
    if (up.has(p)) return p !== w;
    if (isDefLabel(p.label)) return false;
  }
  return false;
}

/**
 * Whether referencing w through `src` leaves w's declarations open, as CUE's
 * v3 typo check does: only a reference that names a definition somewhere in
 * its path (`#A`, `#A.b`, `x.#d`, `#L[0]`) or lands on a definition checks
 * the struct literals it brings. `r: a.b` with `a: #A` lifts b's literal out
 * of #A open (`r: c: 1` is allowed); a conjunct of b that itself refers to a
 * definition (`#A: b: #B`) still closes r through that reference.
 */
export function liftsOpen(src: Expr | undefined, w: Vertex): boolean {
  if (!src || isDefLabel(w.label) || w.label === '') return false;
  // (A disjunction's term keeps its parentheses: `(a.b) | int` lifts as `a.b | int` does.)
  const e = unparen(src);
  if (e.type !== 'Ident' && e.type !== 'SelectorExpr' && e.type !== 'IndexExpr') return false;
  return !namesDef(e);
}

/**
 * A field value that refers to a value without naming a definition (`s: X`,
 * `s: a.b`): what it declares is a group of its own per definition, as a
 * literal's declarations are (definitionGroup). A reference naming a
 * definition (`s: #X`) brings a value that closes by itself: no group.
 */
export function refersToPlainValue(e: Expr): boolean {
  if (e.type !== 'Ident' && e.type !== 'SelectorExpr' && e.type !== 'IndexExpr') return false;
  return !(e.type === 'Ident' && e.name === '_') && !namesDef(e);
}

/**
 * Whether an embedded expression names a definition (`#E`, `x.#E`, `#A & #B`,
 * `#A | #B`): a literal embedding one is closed at every depth (seals).
 */
export function embedsDefinition(e: Expr): boolean {
  const x = unparen(e);
  if (x.type === 'BinaryExpr') return (x.op === '&' || x.op === '|') && (embedsDefinition(x.x) || embedsDefinition(x.y));
  if (x.type === 'Ident' || x.type === 'SelectorExpr' || x.type === 'IndexExpr') return namesDef(x);
  return false;
}

function namesDef(e: Expr): boolean {
  switch (e.type) {
    case 'Ident':
      return isDefLabel(e.name);
    case 'SelectorExpr':
      return namesDef(e.x) || (e.sel.type === 'Ident' && isDefLabel(e.sel.name));
    case 'IndexExpr':
      return namesDef(e.x);
    case 'ParenExpr':
      return namesDef(e.expr);
    default:
      return false;
  }
}

/** A value that closes by itself when referenced: one declared in a definition, or a close() result (data never is). */
export function isDefValue(w: Vertex): boolean {
  for (const wc of w.conjuncts) if (wc.def || wc.closeAll) return true;
  return false;
}

/**
 * The group of v's declarations that came with no node of their own: a
 * definition's own declarations (Conjunct.inline) form one, the others
 * (declared in a definition reached by a reference, top-level values) another.
 */
export function groupNode(v: Vertex, c: Conjunct): CloseNode {
  return c.inline ? inlineGroup(v) : declGroup(v);
}

function inlineGroup(v: Vertex): CloseNode {
  if (!v.inlineNode) {
    v.inlineNode = newNode();
    v.inlineNode.inline = true;
    v.pushRoot(v.inlineNode);
  }
  return v.inlineNode;
}

/**
 * A definition's literal embedding `a & b` (`#E: {#A & #B, s: d: 1}`): the
 * operands' declarations of field arc `arc` are nodes below the `&` group
 * for the field, and that group is part of the group the literal's own
 * declarations of the field use (one node, the literal's kid for the label).
 * So the field allows what the literal declares for it, or what every
 * operand allows: #A's and #B's fields of s intersect, as CUE typo-checks the
 * operands of an embedded `&` against each other, while d, declared by the
 * literal outside the embedding, is allowed. Below the field the operands'
 * nodes are kids of these (kidOf), and each level is linked the same way.
 * Returns the node of the operand's declaration (its literal's node is n),
 * or undefined when n is no operand of such an `&`.
 */
export function andOperandKid(v: Vertex, arc: Vertex, n: CloseNode, name: string, value: Expr): CloseNode | undefined {
  let p = n;
  while (p.embedded && p.parent && !p.parent.and) p = p.parent;
  const and = p.embedded ? p.parent : undefined;
  const top = and?.embedded ? and.parent : undefined;
  // (A literal outside definitions, or a field below one, has its own groups per field: kidOf.)
  if (!top || top.mixed || top.sealable) return undefined;
  // An `&` embedded in a literal (embeddedAnd), not one operand of another
  // `&` (`(#X & #Y) & {...}`); below the field, the `&` group's kid in a
  // group linked here (no field node of a literal, which has an `up`).
  if (and!.up ? top.up !== undefined : !and!.embedding) return undefined;
  if (!top.kids?.has(name)) nodeKid(top, name, top === v.inlineNode ? inlineGroup(arc) : (definitionGroup(arc, top, value) ?? declGroup(arc)));
  return kidOf(n, name);
}

function declGroup(v: Vertex): CloseNode {
  if (!v.declNode) {
    v.declNode = newNode();
    v.pushRoot(v.declNode);
  }
  return v.declNode;
}

/**
 * The group of a definition's declarations of field arc `arc` made in the
 * literal whose node is n, or undefined for the arc's shared group (its
 * declNode). Declarations of one definition share a group, as repeated
 * declarations of a field union; another definition's declarations of the
 * field (`#A & #B`, `x: #A, x: #B`) are a group of their own, which the
 * field's value must satisfy as well: `#A: s: {}` with `#B: s: c: 1` gives
 * `s.c: field not allowed`, as each reference to a definition is typo
 * checked on its own in CUE. Lazily: the first definition keeps the shared
 * group, and only another one allocates (most fields have one).
 */
export function definitionGroup(arc: Vertex, n: CloseNode, value: Expr): CloseNode | undefined {
  const owner = ownerOf(n);
  const by = arc.declBy;
  if (by === undefined) {
    arc.declBy = owner;
    return undefined;
  }
  if (by === owner) return undefined;
  // Pairs of definition and its group (null: the shared one), in a list on
  // the arc rather than a map in its side record: a render keeps them all
  // until it ends.
  let pairs = Array.isArray(by) ? by : undefined;
  if (pairs) for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === owner) return pairs[i + 1] ?? undefined;
  let g: CloseNode | null | undefined;
  // The same declaration reached through another reference to its
  // definition (`#module: #Module` beside `#module: catalog.#Module`, itself
  // `#Module & {...}`) declares nothing the first did not: one group, which
  // this definition's other declarations of the field join as well (recorded
  // below: `#W: #M & {m: {}}` beside #M is one group for m, not #W's literal
  // alone, which would reject m's fields).
  // Only a declaration made as deep in embeddings below its definition's
  // literal as this one is the same declaration: #M's `m: {f: 1}` embedded
  // in `#W: {#M, m: g: 2}` met first is part of #W's group, which allows
  // more than a reference to #M does (joining it let #M's m take g, in one
  // order only); `#C` referred to twice makes each of its declarations at
  // the same depth (and `m: #OM` beside them, which has no group per
  // definition, stays in the shared group with them).
  const depth = embedDepth(n);
  const cs = arc.conjuncts;
  let deeper = false;
  for (let i = 0; i < cs.length && g === undefined; i++) {
    const c = cs[i]!;
    if (c.expr !== value || !c.def) continue;
    if (c.node === undefined) {
      if ((c.embedDepth ?? 0) === depth) g = null;
      else deeper = true;
    } else if (pairs) for (let j = 3; j < pairs.length; j += 2) if (pairs[j] === c.node) g = c.node;
  }
  // (Apart only when that group holds a literal's declaration of the field
  // this one's literal does not make: otherwise it allows nothing more.)
  if (g === undefined && deeper && !widerShared(cs, value)) g = null;
  pairs ??= arc.declBy = [by as CloseNode, null];
  // A definition referred to within another (`#C: #A & {s: c: 1}`, the
  // literal beside #A) declares the field in the same group as the other:
  // only definitions neither of which refers to the other intersect.
  for (let i = 0; i < pairs.length && g === undefined; i += 2) if (related(owner, pairs[i]!)) g = pairs[i + 1]!;
  if (g === undefined) g = newNode();
  pairs.push(owner, g);
  return g ?? undefined;
}

/** Whether the arc's shared group holds a definition's struct literal declaring it in another literal than the one declaring `value`. */
function widerShared(cs: readonly Conjunct[], value: Expr): boolean {
  let lit: unknown;
  for (let i = 0; i < cs.length; i++) if (cs[i]!.expr === value && cs[i]!.node === undefined) lit = cs[i]!.env.lit;
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    if (c.def && c.node === undefined && !c.inline && c.expr !== value && c.expr?.type === 'StructLit' && c.env.lit !== lit) return true;
  }
  return false;
}

/** How many embeddings deep below its definition's literal (ownerOf) the literal whose node is n is. */
export function embedDepth(n: CloseNode): number {
  let d = 0;
  while (n.embedded && n.parent && !n.parent.and) {
    if (n.embedding) d++;
    n = n.parent;
  }
  return d;
}

function related(a: CloseNode, b: CloseNode): boolean {
  return contains(a, b) || contains(b, a);
}

/** Whether n reaches m through the values it unions or embeds. */
function contains(n: CloseNode, m: CloseNode): boolean {
  const us = n.unions;
  if (us) for (let i = 0; i < us.length; i++) if (us[i] === m || contains(us[i]!, m)) return true;
  const es = n.embeds;
  if (es) for (let i = 0; i < es.length; i++) if (es[i] === m || contains(es[i]!, m)) return true;
  return false;
}

/**
 * The definition a literal's node belongs to: embeddings are part of the
 * literal that embeds them (`#D: {#A, s: c: 1}` declares s once), the
 * operands of `&` are not (they intersect).
 */
function ownerOf(n: CloseNode): CloseNode {
  while (n.embedded && n.parent && !n.parent.and) n = n.parent;
  return n;
}

/**
 * The closedness node for field `name` below node `n`. Below an embedding the
 * field's node is itself embedded in the enclosing literal's node for that
 * field, mirroring the struct structure.
 */
export function kidOf(n: CloseNode, name: string, fresh = false): CloseNode {
  if (fresh && n.mixed && !n.embedded) {
    // A literal with embeddings: its own declarations of the field (which
    // intersect, as separate declarations do) form one group with what the
    // embeddings declare for it (`{#A, a: b: 1}` with #A: a?: #B allows a.b,
    // as the embedding's closedness does not restrict the literal's fields).
    const p = kidOf(n, name);
    let own = p.own;
    if (!own) {
      own = newNode();
      own.and = true;
      embedNode(p, own);
      nodeOwn(p, own);
    }
    const k = newNode();
    k.up = n;
    return embedNode(own, k);
  }
  let k = fresh ? undefined : n.kids?.get(name);
  if (!k) {
    k = newNode();
    k.up = n;
    if (!fresh) k.sealable = true;
    // The fields of intersecting operands intersect as well.
    if (n.and) k.and = true;
    if (!fresh) nodeKid(n, name, k);
    if (n.embedded && n.parent) {
      // Several declarations of a field within one embedded value (`{X}` with
      // `X: f: a: 1` and `X: f: #F`) intersect, as they do in X itself; the
      // embedding's groups are then united with the enclosing literal's.
      let pk: CloseNode;
      if (fresh) {
        pk = kidOf(n, name);
        nodeFlag(pk, 'and');
      } else pk = kidOf(n.parent, name);
      embedNode(pk, k);
    }
  }
  return k;
}

/**
 * The group of an embedded `a & b` (`{(#A | #B) & {a: 1}}`) in the literal
 * node `embedIn`: one per expression, so that evaluating the literal again
 * (each disjunct clone does) adds to the group the first evaluation made
 * rather than beside it. Beside it, the first group, made before the
 * disjunction was split and so without the chosen #B, allowed `a` alone.
 * The group is found among embedIn's embeddings by its expression, not
 * through a table keyed by node: such a table kept every group, and all a
 * render attached to it, alive as long as its key survived in old space,
 * so each warm render promoted the last one's nodes.
 */
export function embeddedAnd(embedIn: CloseNode, e: Expr, embedding = true): CloseNode {
  // (A group a disjunct made was taken out again with that disjunct's changes.)
  const es = embedIn.embeds;
  if (es) for (let i = es.length - 1; i >= 0; i--) if (es[i]!.andOf === e) return es[i]!;
  const and = newNode();
  and.and = true;
  if (embedding) and.embedding = true;
  and.andOf = e;
  return embedNode(embedIn, and);
}

/** Makes n (a new node by default) one of parent's embeddings: a member of parent's group. */
export function embedNode(parent: CloseNode, n: CloseNode = newNode()): CloseNode {
  n.embedded = true;
  n.parent = parent;
  nodePush(parent, 'embeds', n);
  return n;
}

export function rootOf(n: CloseNode): CloseNode {
  while (n.embedded && n.parent) n = n.parent;
  return n;
}

/**
 * Checks a finished struct's regular fields against its closed roots: a
 * field no closed root allows is an error in the field and in the struct;
 * an optional one is dropped.
 */
export function checkClosed(v: Vertex): void {
  let closed: readonly CloseNode[] | undefined;
  // A shared struct's fields were checked where they are declared (see Share).
  if (v.isStruct && !v.borrow?.share) closed = closingRoots(v.roots);
  if (closed) {
    // An embedding still waiting for a cycle through v to close
    // (`{list.Repeat([int], len(self))}`) may yet be a list.
    const listLater = v.isList && !v.listEmbedded && v.incompletes?.some((x) => x.b.cycle && x.c?.embedIn);
    for (const l of v.arcs.keys()) {
      if (!isRegularLabel(l)) continue;
      // The elements of an embedded list (`{[1]}`) are no struct fields.
      if (v.isList && (v.listEmbedded || listLater) && isIndexLabel(l)) continue;
      if (!allowedByAll(closed, l)) {
        // An optional field a closed struct does not allow is a constraint
        // that can never apply: it is dropped, not an error (`#A & #B` with
        // `#A: {a?: int}`, `#B: {b: 1}` is `{b: 1}`, as in CUE).
        if (v.arcs.get(l)!.fieldKind === 'optional') {
          v.arcMap().delete(l);
          continue;
        }
        // Marks the arc: it must be v's own, not a borrowed data arc (the loop goes on over the keys of the map it started with).
        const a = v.arcMap().get(l)!;
        a.notAllowed = a.positions.length ? a.positions : v.positions;
        if (a.status >= 2) a.err = bottom('eval', 'field not allowed', a.notAllowed);
        // A struct with a field it does not allow is itself in error (as in CUE's v3 evaluator).
        if (!v.err) {
          v.err = bottom('eval', 'field not allowed', a.notAllowed);
          v.err.sub = [l];
        }
      }
    }
  }
}

function isIndexLabel(l: string): boolean {
  return /^\d+$/.test(l);
}
