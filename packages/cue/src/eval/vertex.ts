// Vertices: the nodes of an evaluated CUE value tree. A vertex collects
// conjuncts (expressions with the environment they were written in) and is
// expanded lazily: first when someone needs its kind or arcs, then per arc.
import type { Attribute, Expr, ListLit, Pos, StructLit } from '../ast.js';
import { ALL, type Bottom, LIST, STRUCT, TOP, type Val, kindOf, show } from './values.js';
import { nodeBirth } from './closetrail.js';
import { grow as countValue } from './limits.js';
import type { LitOrder } from './order.js';

export type FieldKind = 'regular' | 'optional' | 'required';

/** Static declarations of one struct literal (or file set), for lexical lookup. */
export interface ScopeEntry {
  /** `label`: the K of an @experiment(aliasv2) `field~(K,V)` alias, bound to the field's label. */
  kind: 'field' | 'let' | 'alias' | 'label';
  label: string;
  expr?: Expr;
  /** For aliases of dynamic/pattern labels: the declaration. */
  pos?: Pos;
}
export type Scope = Map<string, ScopeEntry>;

export interface Binding {
  val?: Val;
  vertex?: Vertex;
}

export interface Env {
  up?: Env;
  vertex: Vertex;
  scope?: Scope;
  binds?: Map<string, Binding>;
  /** Memoised let values for this instantiation of the literal. */
  lets?: Map<string, Val>;
  /** Imports visible in this file (root env only). */
  imports?: Map<string, Binding | (() => Binding)>;
  lit?: StructLit;
  /** The elements of a list literal: `self` (@experiment(aliasv2)) stops here, as at a struct literal. */
  list?: boolean;
}

/**
 * An Env with every field present in one fixed order (newEnv): resolveIdent
 * reads binds, scope, imports and up of every env on its way out, which the
 * many shapes of env literals made megamorphic.
 */
class EnvRec implements Env {
  up?: Env;
  vertex: Vertex;
  scope?: Scope = undefined;
  binds?: Map<string, Binding> = undefined;
  lets?: Map<string, Val> = undefined;
  imports?: Map<string, Binding | (() => Binding)> = undefined;
  lit?: StructLit = undefined;
  list?: boolean = undefined;
  constructor(vertex: Vertex, up: Env | undefined) {
    this.up = up;
    this.vertex = vertex;
  }
}

/** A new environment for vertex v, inside `up`; the other fields are set by the caller. */
export function newEnv(v: Vertex, up?: Env): Env {
  return new EnvRec(v, up);
}

/**
 * Closedness: a node per struct-literal group. A label is allowed by a node if
 * the node declares it, a pattern matches it, the node has `...`, or an
 * embedded node allows it. A vertex allows a label if every closed root node does.
 */
export interface CloseNode {
  closed: boolean;
  /** The literal has `...`: it allows any label. */
  open: boolean;
  /**
   * `X...` (@experiment(explicitopen)): X's closedness is dropped, but it
   * declares only its own labels (an enclosing definition stays closed).
   */
  opened?: boolean;
  /** Its embeddings were written under @experiment(explicitopen): closed ones restrict the literal's own fields too. */
  strict?: boolean;
  /** Allocated on first declaration: most nodes belong to fields whose value is no struct. */
  labels?: Set<string>;
  patterns?: Val[];
  embeds?: CloseNode[];
  /** Per field label: the node of that field's value declared in this group (shared by repeated declarations). */
  kids?: Map<string, CloseNode>;
  /** Attached below another node (an embedding), not a root of its vertex. */
  embedded?: boolean;
  /** Made for an embedding (`{X}`), not for an operand of `&`. */
  embedding?: boolean;
  parent?: CloseNode;
  /** Values declared for the same field in this group (`x: #S, x: {...}` in a definition): they widen what the group allows, never restrict it. */
  unions?: CloseNode[];
  /** The operands of an embedded `a & b`: each closed operand must allow a label. */
  and?: boolean;
  /** For the group of an embedded `a & b`: that expression (closed.ts embeddedAnd finds the group by it). */
  andOf?: Expr;
  /**
   * A non-definition value referenced in a definition (`#Y: #Z & X`): it only
   * widens the definition's group of declarations and does not restrict the
   * vertex by itself (a reference to a definition would).
   */
  member?: boolean;
  /** The literal also embeds values or comprehensions: its own fields join the embedded ones' groups (kidOf). */
  mixed?: boolean;
  /** For a field's node in a mixed literal: the group of the literal's own declarations of the field (they intersect). */
  own?: CloseNode;
  /**
   * The group of a definition's own declarations at a vertex (its declNode),
   * not reached through a reference to a definition: `#D: {...}` at the top
   * of a file, `x: {#d: v: b: 1}`, and what they declare below. They union
   * (every declaration of a definition is one definition) and restrict the
   * vertex only when nothing else closes it: a reference to a definition
   * (`#d: #D`) checks the fields against what #D declares, recursively, as
   * CUE's typo check does (inline structs are not typo checked there).
   */
  inline?: boolean;
  /** Closed by a definition's literal (not close()): its closedness reaches the fields below (sealing). */
  deep?: boolean;
  /** For a field's node made by kidOf: the node of the struct that declares the field. */
  up?: CloseNode;
  /** A field's shared node (kidOf, not fresh): closed when an enclosing literal seals (closed.ts sealedKid). */
  sealable?: boolean;
  /** Creation stamp: which disjunct evaluation it belongs to (closetrail.ts). */
  born: number;
}

/** The fields of a closedness node that few nodes set, behind one pointer (Node.x). */
class NodeRare {
  opened?: boolean = undefined;
  strict?: boolean = undefined;
  patterns?: Val[] = undefined;
  unions?: CloseNode[] = undefined;
  member?: boolean = undefined;
  mixed?: boolean = undefined;
  own?: CloseNode = undefined;
  inline?: boolean = undefined;
  embedding?: boolean = undefined;
  andOf?: Expr = undefined;
}

// Bits of Node.f, one per common flag.
const CLOSED = 1;
const OPEN = 2;
const EMBEDDED = 4;
const AND = 8;
const DEEP = 16;
const SEALABLE = 32;

/**
 * A CloseNode of one fixed shape (newNode): nodes are made for most vertices
 * and read all over closed.ts, where literals growing optional fields made
 * every property read polymorphic. To keep that shape small, the common
 * flags are bits of `f` and the fields few nodes set live in a record of
 * their own (`x`), both behind the CloseNode accessors: a node with every
 * field as a property of its own took 192 bytes, about twice what the
 * object literals it replaced took (bench/cue-large's retained heap).
 */
class Node implements CloseNode {
  f: number;
  born: number;
  labels?: Set<string> = undefined;
  embeds?: CloseNode[] = undefined;
  kids?: Map<string, CloseNode> = undefined;
  parent?: CloseNode = undefined;
  up?: CloseNode = undefined;
  x?: NodeRare = undefined;
  constructor(closed: boolean) {
    this.f = closed ? CLOSED : 0;
    this.born = nodeBirth();
  }
  private bit(b: number, on: boolean | undefined): void {
    this.f = on ? this.f | b : this.f & ~b;
  }
  private rare(): NodeRare {
    return (this.x ??= new NodeRare());
  }
  get closed(): boolean {
    return (this.f & CLOSED) !== 0;
  }
  set closed(b: boolean) {
    this.bit(CLOSED, b);
  }
  get open(): boolean {
    return (this.f & OPEN) !== 0;
  }
  set open(b: boolean) {
    this.bit(OPEN, b);
  }
  get embedded(): boolean {
    return (this.f & EMBEDDED) !== 0;
  }
  set embedded(b: boolean | undefined) {
    this.bit(EMBEDDED, b);
  }
  get and(): boolean {
    return (this.f & AND) !== 0;
  }
  set and(b: boolean | undefined) {
    this.bit(AND, b);
  }
  get deep(): boolean {
    return (this.f & DEEP) !== 0;
  }
  set deep(b: boolean | undefined) {
    this.bit(DEEP, b);
  }
  get sealable(): boolean {
    return (this.f & SEALABLE) !== 0;
  }
  set sealable(b: boolean | undefined) {
    this.bit(SEALABLE, b);
  }
  get opened(): boolean | undefined {
    return this.x?.opened;
  }
  set opened(b: boolean | undefined) {
    if (b || this.x) this.rare().opened = b;
  }
  get strict(): boolean | undefined {
    return this.x?.strict;
  }
  set strict(b: boolean | undefined) {
    if (b || this.x) this.rare().strict = b;
  }
  get patterns(): Val[] | undefined {
    return this.x?.patterns;
  }
  set patterns(p: Val[] | undefined) {
    if (p || this.x) this.rare().patterns = p;
  }
  get unions(): CloseNode[] | undefined {
    return this.x?.unions;
  }
  set unions(u: CloseNode[] | undefined) {
    if (u || this.x) this.rare().unions = u;
  }
  get member(): boolean | undefined {
    return this.x?.member;
  }
  set member(b: boolean | undefined) {
    if (b || this.x) this.rare().member = b;
  }
  get mixed(): boolean | undefined {
    return this.x?.mixed;
  }
  set mixed(b: boolean | undefined) {
    if (b || this.x) this.rare().mixed = b;
  }
  get own(): CloseNode | undefined {
    return this.x?.own;
  }
  set own(o: CloseNode | undefined) {
    if (o || this.x) this.rare().own = o;
  }
  get inline(): boolean | undefined {
    return this.x?.inline;
  }
  set inline(b: boolean | undefined) {
    if (b || this.x) this.rare().inline = b;
  }
  get andOf(): Expr | undefined {
    return this.x?.andOf;
  }
  set andOf(e: Expr | undefined) {
    if (e || this.x) this.rare().andOf = e;
  }
  get embedding(): boolean | undefined {
    return this.x?.embedding;
  }
  set embedding(b: boolean | undefined) {
    if (b || this.x) this.rare().embedding = b;
  }
}

export function newNode(closed = false): CloseNode {
  return new Node(closed);
}

export interface Conjunct {
  expr?: Expr;
  /** An already evaluated value (disjunct choice, plain data from fill/encode). */
  val?: Val;
  env: Env;
  /** Inside a definition: struct literals close recursively. */
  def: boolean;
  /** The closedness node this conjunct's struct declarations join. */
  node?: CloseNode;
  /** Set when the conjunct is an embedding: its struct nodes attach below this one. */
  embedIn?: CloseNode;
  /** A disjunction of already evaluated terms (from `or([...])`). */
  disj?: { key: Expr; terms: { v: Val; mark: boolean }[]; marked: boolean };
  /** A comprehension body: its fields belong to the enclosing literal's group, which is not closed by the body itself. */
  noClose?: boolean;
  /** A reference operand of `&` beside a struct literal in a definition (`#A & {...}`): if it is `_`, the literal closes after all. */
  besideLit?: boolean;
  /** `X...`: the value's top level is opened. */
  openAll?: boolean;
  /** `close()`: the struct declarations of this conjunct form a closed group. */
  closeAll?: boolean;
  /** Field attributes, kept for Value.attrs(). */
  attrs?: Attribute[];
  pos?: Pos;
  /** Reached v through an optional field or a pattern constraint: a repeat of it is fed by data or ends (cycle.ts). */
  opt?: boolean;
  /** Derived from a repeat that was let through because other conjuncts fed it (cycle.ts): it feeds no repeat itself. */
  cyc?: boolean;
  /** A definition's own declaration, not reached through a reference to a definition: it joins its vertex's inlineNode (CloseNode.inline). */
  inline?: boolean;
  /** For a definition's declaration of a field in the arc's shared group: how many embeddings deep below its definition's literal it was made (closed.ts definitionGroup). */
  embedDepth?: number;
  /** The struct-valued references this conjunct was reached through, latest first (cycle.ts). */
  refs?: RefChain;
}

/** One reference of a conjunct's chain (Conjunct.refs): shared by every conjunct reached through it. */
export interface RefChain {
  readonly src: object;
  readonly next: RefChain | undefined;
}

/** The fields of a conjunct that few conjuncts set, behind one pointer (Conj.x). */
class ConjRare {
  embedIn?: CloseNode = undefined;
  cyc?: boolean = undefined;
  disj?: Conjunct['disj'] = undefined;
  noClose?: boolean = undefined;
  besideLit?: boolean = undefined;
  openAll?: boolean = undefined;
  closeAll?: boolean = undefined;
  inline?: boolean = undefined;
  embedDepth?: number = undefined;
  /**
   * Kept on the conjunct itself and never copied by cloneConj (order.ts
   * setSlot, arcs.ts applyPattern): in WeakMaps keyed by conjuncts, which
   * mostly die young, every entry cost a scavenge ephemeron work.
   */
  slot?: { rec: LitOrder; idx: number } = undefined;
  fromPattern?: boolean = undefined;
}

/**
 * A conjunct of one fixed shape: copies made while evaluating (a referenced
 * value's conjuncts, the operands of `&`) all share one object shape, which
 * V8 handles much faster than object spreads of the many shapes conjunct
 * literals have. The fields few conjuncts set live in a record of their own
 * (`x`, behind the Conjunct accessors), which keeps the shape small.
 */
export class Conj implements Conjunct {
  expr?: Expr = undefined;
  val?: Val = undefined;
  env: Env;
  def: boolean;
  node?: CloseNode = undefined;
  attrs?: Attribute[] = undefined;
  pos?: Pos = undefined;
  opt?: boolean = undefined;
  refs?: RefChain = undefined;
  x?: ConjRare = undefined;
  constructor(env: Env, def: boolean) {
    this.env = env;
    this.def = def;
  }
  private rare(): ConjRare {
    return (this.x ??= new ConjRare());
  }
  /** The declaration slot of a comprehension or dynamic field (order.ts: read and set there only). */
  get slot(): ConjRare['slot'] {
    return this.x?.slot;
  }
  set slot(s: ConjRare['slot']) {
    if (s || this.x) this.rare().slot = s;
  }
  /** Given to an arc by a pattern constraint (arcs.ts: read and set there only). */
  get fromPattern(): boolean | undefined {
    return this.x?.fromPattern;
  }
  set fromPattern(b: boolean | undefined) {
    if (b || this.x) this.rare().fromPattern = b;
  }
  get cyc(): boolean | undefined {
    return this.x?.cyc;
  }
  set cyc(b: boolean | undefined) {
    if (b || this.x) this.rare().cyc = b;
  }
  get embedIn(): CloseNode | undefined {
    return this.x?.embedIn;
  }
  set embedIn(n: CloseNode | undefined) {
    if (n || this.x) this.rare().embedIn = n;
  }
  get disj(): Conjunct['disj'] {
    return this.x?.disj;
  }
  set disj(d: Conjunct['disj']) {
    if (d || this.x) this.rare().disj = d;
  }
  get noClose(): boolean | undefined {
    return this.x?.noClose;
  }
  set noClose(b: boolean | undefined) {
    if (b || this.x) this.rare().noClose = b;
  }
  get besideLit(): boolean | undefined {
    return this.x?.besideLit;
  }
  set besideLit(b: boolean | undefined) {
    if (b || this.x) this.rare().besideLit = b;
  }
  get openAll(): boolean | undefined {
    return this.x?.openAll;
  }
  set openAll(b: boolean | undefined) {
    if (b || this.x) this.rare().openAll = b;
  }
  get closeAll(): boolean | undefined {
    return this.x?.closeAll;
  }
  set closeAll(b: boolean | undefined) {
    if (b || this.x) this.rare().closeAll = b;
  }
  get inline(): boolean | undefined {
    return this.x?.inline;
  }
  set inline(b: boolean | undefined) {
    if (b || this.x) this.rare().inline = b;
  }
  get embedDepth(): number | undefined {
    return this.x?.embedDepth;
  }
  set embedDepth(d: number | undefined) {
    if (d || this.x) this.rare().embedDepth = d;
  }
}

/** A new conjunct of expression e (a Conj: see above); the other fields are set by the caller. */
export function mkConj(env: Env, def: boolean, expr?: Expr, pos?: Pos): Conj {
  const c = new Conj(env, def);
  c.expr = expr;
  c.pos = pos;
  return c;
}

/** A conjunct of an already evaluated value (a disjunct choice, plain data, an operand of unification). */
export function valConj(env: Env, def: boolean, val: Val): Conj {
  const c = new Conj(env, def);
  c.val = val;
  return c;
}

/** A copy of c (to change some fields of), as a Conj. */
export function cloneConj(c: Conjunct): Conj {
  const x = new Conj(c.env, c.def);
  x.expr = c.expr;
  x.val = c.val;
  x.node = c.node;
  x.attrs = c.attrs;
  x.pos = c.pos;
  x.opt = c.opt;
  x.refs = c.refs;
  if (c instanceof Conj) {
    // The rare fields are copied as a record (the copy's changes must not reach c).
    if (c.x) {
      x.x = Object.assign(new ConjRare(), c.x);
      // Neither is copied: each belonged to c alone (as entries of the WeakMaps they replace).
      x.x.slot = undefined;
      x.x.fromPattern = undefined;
    }
    return x;
  }
  x.embedIn = c.embedIn;
  x.cyc = c.cyc;
  x.disj = c.disj;
  x.noClose = c.noClose;
  x.besideLit = c.besideLit;
  x.openAll = c.openAll;
  x.closeAll = c.closeAll;
  x.inline = c.inline;
  x.embedDepth = c.embedDepth;
  return x;
}

export interface ListPart {
  n: number;
  open: boolean;
  elem?: Conjunct;
  pos?: Pos;
}

export interface PatternC {
  pattern: Val;
  conj: Conjunct;
  /** `[X=pattern]` (or `[pattern]~(X,_)`): X is the matched label. */
  alias?: string;
  /** `X=[pattern]` (or `[pattern]~X`): X is the matched field. */
  fieldAlias?: string;
  /** The node of the literal that declares it, below a literal with embeddings: what it brings joins that group (kidOf). */
  node?: CloseNode;
}

export interface PendingDisj {
  key: Expr;
  terms: { v: Val; mark: boolean; src?: Expr }[];
  marked: boolean;
  c: Conjunct;
  /** The disjunction value referenced (its disjuncts are the terms). */
  from?: Vertex;
  /** The chain of the conjunct that referenced it, ending in that reference (cycle.ts disjunctionRef): kept by each disjunct as Vertex.viaChains. */
  via?: RefChain;
}

/**
 * Structure sharing of evaluated structs (as CUE's v3 evaluator does): a
 * field whose only value is a reference to a struct (`#in: IN`, `a: b`) is
 * that struct, so instead of copying its conjuncts and evaluating them again
 * the field reads the struct's arcs and state (Vertex.borrow.share). Any
 * change (a field, pattern, closedness node or list part added) first undoes
 * the sharing: the field then gets the struct's conjuncts, as without sharing.
 */
export interface Share {
  w: Vertex;
  c: Conjunct;
  src: Expr | undefined;
}

/** Set by the evaluator, which knows how to add a value's conjuncts (vertex.ts cannot import it). */
export const sharing: { unshare: (v: Vertex) => void } = {
  unshare: () => {
    throw new Error('internal: evaluator not loaded');
  },
};

/** The arcs of a vertex that has none; read-only, so that no one adds to it by mistake. */
class NoArcs extends Map<string, Vertex> {
  override set(): this {
    throw new Error('internal: arcs added without Vertex.arcMap()');
  }
  override delete(): boolean {
    throw new Error('internal: arcs changed without Vertex.arcMap()');
  }
  override clear(): void {
    throw new Error('internal: arcs changed without Vertex.arcMap()');
  }
}
const NO_ARCS: Map<string, Vertex> = new NoArcs();
/** The initial value of a vertex's lists; frozen, so that a stray push fails loudly. */
const EMPTY = Object.freeze([]) as unknown as never[];

/** `list` with `xs` appended: a fresh array (`xs` itself) in place of the shared EMPTY, which is never pushed onto. */
function grow<T>(list: T[], xs: T[]): T[] {
  if (xs.length === 0) return list;
  if (list === EMPTY) return xs;
  // (Most adds bring one element: a spread push is a call through the iterator protocol in the baseline tiers.)
  if (xs.length === 1) list.push(xs[0]!);
  else list.push(...xs);
  return list;
}

/**
 * The fields of a vertex that few vertices set (disjunctions, cycles,
 * embedded scalars, sharing, ...), behind one pointer (Vertex.x) and read
 * through Vertex's accessors of the same names: an evaluation makes
 * thousands of vertices, and with every field a property of its own a
 * vertex took 500 bytes.
 */
class VertexRare {
  /** Disjunction choices made for this clone (disjunction expr → term index). */
  choices?: Map<Expr, number> = undefined;
  /** Choices by referenced disjunction value: every reference to it takes the same term. */
  choiceFrom?: Map<Vertex, number> = undefined;
  /**
   * Further terms of a disjunction in `choices`, from a value that chose
   * another one (two disjuncts of one field unified through Value.unify):
   * the clone is the unification of all the terms chosen.
   */
  moreChoices?: Map<Expr, number[]> = undefined;
  /** The chains of the references through which this clone was given the disjunctions it chose from (PendingDisj.via; cycle.ts reachedThroughOwnChoice). */
  viaChains?: RefChain[] = undefined;
  /**
   * The term, as written, that this clone took for each disjunction
   * (disjunction expr → term expr): an incomplete disjunct prints as its own
   * term, not as the field's whole disjunction (export/cue.ts).
   */
  chosenTerms?: Map<Expr, Expr> = undefined;
  /** Values of conjuncts that were a reference cycle in a first pass, computed once the vertex was known. */
  cycleVals?: Map<Expr, { env: Env; val: Val }[]> = undefined;
  /** Incomplete conjunct results set aside while other conjuncts may decide the value. */
  incompletes?: { b: Bottom; c?: Conjunct }[] = undefined;
  /** Cyclic conjuncts of a scalar that were still part of an open cycle when it was computed (see recheckCycles). */
  cycleWait?: { b: Bottom; c?: Conjunct }[] = undefined;
  /** Disjunctions of structs/lists met while expanding; resolved by splitting the vertex. */
  pending?: PendingDisj[] = undefined;
  /** Set by the parent when closedness rejects this field. */
  notAllowed?: Pos[] = undefined;
  /** An incomplete error that does not make the value bottom (e.g. a comprehension over incomplete data). */
  incompleteErr?: Bottom = undefined;
  /** Which of `disjuncts` are defaults (when disjMarked). */
  disjMarks?: boolean[] = undefined;
  disjMarked: boolean = false;
  /**
   * Some disjunct was eliminated by a structural cycle (`d: int | {b: d}`):
   * which disjuncts fail depends on where the disjunction is evaluated, so a
   * reference elsewhere adds the conjuncts again instead of these disjuncts.
   */
  disjCyclic: boolean = false;
  /** Vertices with disjCyclic whose conjuncts this vertex was given again (see cycle.ts, checkAgain). */
  againOf?: Set<Vertex> = undefined;
  /**
   * The disjuncts combine several marked disjunctions: which default survives
   * depends on each disjunction separately, so a reference re-splits them.
   */
  disjMulti?: boolean = undefined;
  /** A scalar was embedded in a struct literal (`{0}`), which makes the struct that scalar. */
  scalarEmbedded?: boolean = undefined;
  /** An empty struct literal (`{#y, {}}`, or `a: {}` beside `a: {1}`): v is a struct, so an embedded scalar conflicts. */
  structEmbedded?: boolean = undefined;
  /**
   * v is a struct only by literals with embeddings and no regular field
   * (`{_}`, `{let x = 1, _}`): CUE's addStruct does not make such a literal a
   * struct, its embeddings decide. Cleared by anything else that makes v a
   * struct (a literal with a regular field or no embeddings, a struct value).
   */
  embedOnlyStruct?: boolean = undefined;
  /** An embedding contributed `_` (not a cycle contributing nothing): with embedOnlyStruct, v is `_`. */
  topEmbedded?: boolean = undefined;
  /** A list was embedded in a struct literal (`{[1]}`): the struct is that list, its indices are no fields. */
  listEmbedded?: boolean = undefined;
  /**
   * Comprehensions that yielded nothing (`{if false {...}}`): v is a struct
   * only if nothing else gives it a kind (`null & {if false {}}` is null).
   */
  structLater?: boolean = undefined;
  /** How often this vertex was reset for re-evaluation after a reference cycle. */
  resets?: number = undefined;
  /** List literals with comprehensions, added after v's other conjuncts (see addList). */
  deferredLists?: { lit: ListLit; c: Conjunct }[] = undefined;
  /** The regular labels v had when a comprehension of its own evaluation ranged over it: it may not get more (see frozenFieldError). */
  frozen?: Set<string> = undefined;
  /** Labels that `x.f == _|_` found missing while v was still being evaluated: v may not get them later (see noteMissed in operators.ts). */
  missed?: Set<string> = undefined;
  /** An anonymous value that is selected or indexed into (`{a: x}.a`): no part of the structure of the vertex it hangs below. */
  inline?: boolean = undefined;
  /**
   * An anonymous value made for a disjunct or `&` operand of the vertex whose
   * conjunct it is (`c: (c & {z: 2}) | {z: 3}`): it stands at that vertex's
   * level, not below it (conjuncts.ts, operandOf).
   */
  operand?: boolean = undefined;
  /** An anonymous value found to be part of an expression cycle. */
  cyclic?: boolean = undefined;
  /**
   * Structure sharing: `arcs` is the map of a plainData vertex, borrowed
   * (with the environment and definition flag of the conjunct that brought
   * it) instead of one copied arc per label at every level. Reads see the
   * data's own arcs; arcMap(), the way to every change, first replaces
   * them with the arcs a copy would have had.
   */
  borrow?: { env: Env; def: boolean; share?: Share } = undefined;
  /** The group of the definition's own declarations at v (CloseNode.inline). */
  inlineNode?: CloseNode = undefined;
  /** Struct literals with lets that v's value includes (equality.ts sameLets). */
  letLits?: Set<StructLit> = undefined;
  /**
   * A conjunct of v is a value alias (`r: L=L.a`): L is the vertex the
   * conjunct is evaluated in, so a reference to v evaluates v's conjuncts
   * again where it stands rather than taking v's value (conjuncts.ts addVal).
   */
  valueAlias?: boolean = undefined;
  /** Vertex-level disjunction result: several surviving struct/list disjuncts. */
  disjuncts?: Vertex[] = undefined;
  /** Struct conjuncts of re-occurring references, waiting for evidence that v is not a structural cycle (cycle.ts). */
  cyclicConjs?: { c: Conjunct; w: Vertex; src: Expr; seen: number; again?: boolean; regular?: boolean }[] = undefined;
  ahead?: { conjs: Set<Conjunct>; keys: Map<string, number>; seen: number } = undefined;
  /** Values of v's own fields to add once v's conjuncts are in (addVal), or embedded already (`seen`: to add again if they grow; ahead.ts). */
  later?: { w: Vertex; c: Conjunct; src: Expr | undefined; at: number; seen?: Set<unknown> }[] = undefined;
  /** Pending comprehension conjuncts. */
  comprehensions: { conj: Conjunct; expr: Expr }[] = EMPTY;
}

export class Vertex {
  /** On the prototype (see below): one field less per vertex. */
  declare readonly t: 'vertex';
  parent?: Vertex;
  label: string;
  fieldKind: FieldKind = 'regular';
  // Lists start as one shared frozen empty array and are replaced on the
  // first add (the add* and push* methods, through grow): most vertices are
  // leaves that never need most of them, an evaluation makes thousands of
  // vertices, and pushing onto a fresh empty array would allocate room for 16.
  conjuncts: Conjunct[] = EMPTY;
  positions: Pos[] = EMPTY;
  attrs: Attribute[] = EMPTY;
  listParts: ListPart[] = EMPTY;
  listElem: Conjunct[] = EMPTY;
  roots: CloseNode[] = EMPTY;
  patterns: PatternC[] = EMPTY;

  // ---- state filled by expansion
  /** 0 new, 1 expanding, 2 expanded, 3 finalized (all arcs evaluated). */
  status = 0;
  /** Set when evaluation ran into a reference cycle through an ancestor still being evaluated. */
  tainted = false;
  /** A list, and a struct literal of fields only, met as values of their own (not embedded): `[...] & {}` conflicts. */
  listDirect?: boolean = undefined;
  structDirect?: boolean = undefined;
  /** The last validate walk that visited this vertex (see value.ts). */
  walk = 0;
  /** Being expanded (on the evaluation stack): a flag rather than a set, which churned on every expansion. */
  onStack = false;
  /** Most vertices are leaves: they share one empty, read-only map until their first arc (arcMap). */
  arcs: Map<string, Vertex> = NO_ARCS;
  /**
   * Built from plain data (encode, fill, builtin results): complete and
   * concrete, with no references and nothing left to evaluate, so a copy may
   * borrow its arcs instead of copying them (see `borrow`).
   */
  plainData = false;
  /**
   * While the vertex's conjuncts are added: a referenced struct it may share
   * (see Share) once all are in; `null` once sharing was undone, so that
   * re-evaluating it copies instead.
   */
  shareable?: Share | null = undefined;
  clearArcs(): void {
    this.arcs = NO_ARCS;
    this.borrow = undefined;
  }
  /** The arcs map, for adding arcs or changing them (or sharing it). */
  arcMap(): Map<string, Vertex> {
    // Borrowed arcs first, even none (a shared `{}`): unsharing also gives back the shared closedness.
    if (this.borrow) {
      if (this.borrow.share) sharing.unshare(this);
      else this.ownArcs(this.borrow);
    }
    if (this.arcs === NO_ARCS) this.arcs = new Map();
    return this.arcs;
  }
  /** Borrowed arcs become own arcs, each holding the data arc as its value (what copying would have made). */
  private ownArcs(b: { env: Env; def: boolean }): void {
    const own = new Map<string, Vertex>();
    for (const kv of this.arcs) {
      const l = kv[0];
      const a = kv[1];
      const arc = new Vertex(this, l);
      arc.fieldKind = a.fieldKind;
      arc.addConjunct(valConj(b.env, b.def, dataArcValue(a)));
      own.set(l, arc);
    }
    this.arcs = own;
    this.borrow = undefined;
  }
  base: Val = TOP;
  isStruct = false;
  isList = false;
  listOpen = false;
  declNode?: CloseNode;
  /**
   * The definition (its closedness node, closed.ts ownerOf) whose field
   * declarations of this arc use the arc's declNode; once another
   * definition declares the arc, pairs of each definition and the group of
   * its declarations, null for the declNode (closed.ts definitionGroup).
   */
  declBy?: CloseNode | (CloseNode | null)[] = undefined;
  err?: Bottom;
  /** A scalar came from unification rather than embedding (so it cannot coexist with a struct). */
  scalarDirect?: boolean;
  /** Values whose conjuncts were already added here, with where and how (embedded, unified, closed, opened): one record, or a map once there are several. */
  added?: { w: Vertex; where: object; mode: string } | Map<Vertex, { where: object; mode: string }[]>;
  /**
   * References whose struct conjuncts were added here, with the vertex each
   * resolved to (cycle.ts): one expression and its vertex (refTo), or a map
   * once there are several.
   */
  refs?: Expr | Map<Expr, Vertex>;
  refTo?: Vertex;
  /**
   * While doExpand adds v's conjuncts: the index of the one being added;
   * those added ahead of their turn (declareAhead) or values set aside for
   * later (addVal), with the index of the conjunct that created each arc,
   * to put the arcs back in the order they would have had (restoreOrder).
   */
  cursor?: number = undefined;

  /** The rare fields (VertexRare), made on the first write of one. */
  x?: VertexRare = undefined;
  private rare(): VertexRare {
    return (this.x ??= new VertexRare());
  }
  get choices(): Map<Expr, number> | undefined {
    return this.x?.choices;
  }
  set choices(x: Map<Expr, number> | undefined) {
    if (x !== undefined || this.x) this.rare().choices = x;
  }
  get moreChoices(): Map<Expr, number[]> | undefined {
    return this.x?.moreChoices;
  }
  set moreChoices(x: Map<Expr, number[]> | undefined) {
    if (x !== undefined || this.x) this.rare().moreChoices = x;
  }
  get choiceFrom(): Map<Vertex, number> | undefined {
    return this.x?.choiceFrom;
  }
  set choiceFrom(x: Map<Vertex, number> | undefined) {
    if (x !== undefined || this.x) this.rare().choiceFrom = x;
  }
  get viaChains(): RefChain[] | undefined {
    return this.x?.viaChains;
  }
  set viaChains(x: RefChain[] | undefined) {
    if (x !== undefined || this.x) this.rare().viaChains = x;
  }
  get chosenTerms(): Map<Expr, Expr> | undefined {
    return this.x?.chosenTerms;
  }
  set chosenTerms(x: Map<Expr, Expr> | undefined) {
    if (x !== undefined || this.x) this.rare().chosenTerms = x;
  }
  get cycleVals(): Map<Expr, { env: Env; val: Val }[]> | undefined {
    return this.x?.cycleVals;
  }
  set cycleVals(x: Map<Expr, { env: Env; val: Val }[]> | undefined) {
    if (x !== undefined || this.x) this.rare().cycleVals = x;
  }
  get incompletes(): { b: Bottom; c?: Conjunct }[] | undefined {
    return this.x?.incompletes;
  }
  set incompletes(x: { b: Bottom; c?: Conjunct }[] | undefined) {
    if (x !== undefined || this.x) this.rare().incompletes = x;
  }
  get cycleWait(): { b: Bottom; c?: Conjunct }[] | undefined {
    return this.x?.cycleWait;
  }
  set cycleWait(x: { b: Bottom; c?: Conjunct }[] | undefined) {
    if (x !== undefined || this.x) this.rare().cycleWait = x;
  }
  get pending(): PendingDisj[] | undefined {
    return this.x?.pending;
  }
  set pending(x: PendingDisj[] | undefined) {
    if (x !== undefined || this.x) this.rare().pending = x;
  }
  get notAllowed(): Pos[] | undefined {
    return this.x?.notAllowed;
  }
  set notAllowed(x: Pos[] | undefined) {
    if (x !== undefined || this.x) this.rare().notAllowed = x;
  }
  get incompleteErr(): Bottom | undefined {
    return this.x?.incompleteErr;
  }
  set incompleteErr(x: Bottom | undefined) {
    if (x !== undefined || this.x) this.rare().incompleteErr = x;
  }
  get disjMarks(): boolean[] | undefined {
    return this.x?.disjMarks;
  }
  set disjMarks(x: boolean[] | undefined) {
    if (x !== undefined || this.x) this.rare().disjMarks = x;
  }
  get disjMarked(): boolean {
    return this.x?.disjMarked ?? false;
  }
  set disjMarked(b: boolean) {
    if (b || this.x) this.rare().disjMarked = b;
  }
  get disjCyclic(): boolean {
    return this.x?.disjCyclic ?? false;
  }
  set disjCyclic(b: boolean) {
    if (b || this.x) this.rare().disjCyclic = b;
  }
  get againOf(): Set<Vertex> | undefined {
    return this.x?.againOf;
  }
  set againOf(x: Set<Vertex> | undefined) {
    if (x !== undefined || this.x) this.rare().againOf = x;
  }
  get disjMulti(): boolean | undefined {
    return this.x?.disjMulti;
  }
  set disjMulti(b: boolean | undefined) {
    if (b || this.x) this.rare().disjMulti = b;
  }
  get scalarEmbedded(): boolean | undefined {
    return this.x?.scalarEmbedded;
  }
  set scalarEmbedded(b: boolean | undefined) {
    if (b || this.x) this.rare().scalarEmbedded = b;
  }
  get valueAlias(): boolean | undefined {
    return this.x?.valueAlias;
  }
  set valueAlias(b: boolean | undefined) {
    if (b || this.x) this.rare().valueAlias = b;
  }
  get embedOnlyStruct(): boolean | undefined {
    return this.x?.embedOnlyStruct;
  }
  set embedOnlyStruct(b: boolean | undefined) {
    if (b || this.x) this.rare().embedOnlyStruct = b;
  }
  get topEmbedded(): boolean | undefined {
    return this.x?.topEmbedded;
  }
  set topEmbedded(b: boolean | undefined) {
    if (b || this.x) this.rare().topEmbedded = b;
  }
  get structEmbedded(): boolean | undefined {
    return this.x?.structEmbedded;
  }
  set structEmbedded(b: boolean | undefined) {
    if (b || this.x) this.rare().structEmbedded = b;
  }
  get listEmbedded(): boolean | undefined {
    return this.x?.listEmbedded;
  }
  set listEmbedded(b: boolean | undefined) {
    if (b || this.x) this.rare().listEmbedded = b;
  }
  get structLater(): boolean | undefined {
    return this.x?.structLater;
  }
  set structLater(b: boolean | undefined) {
    if (b || this.x) this.rare().structLater = b;
  }
  get resets(): number | undefined {
    return this.x?.resets;
  }
  set resets(x: number | undefined) {
    if (x !== undefined || this.x) this.rare().resets = x;
  }
  get deferredLists(): { lit: ListLit; c: Conjunct }[] | undefined {
    return this.x?.deferredLists;
  }
  set deferredLists(x: { lit: ListLit; c: Conjunct }[] | undefined) {
    if (x !== undefined || this.x) this.rare().deferredLists = x;
  }
  get frozen(): Set<string> | undefined {
    return this.x?.frozen;
  }
  set frozen(x: Set<string> | undefined) {
    if (x !== undefined || this.x) this.rare().frozen = x;
  }
  get missed(): Set<string> | undefined {
    return this.x?.missed;
  }
  set missed(x: Set<string> | undefined) {
    if (x !== undefined || this.x) this.rare().missed = x;
  }
  get inline(): boolean | undefined {
    return this.x?.inline;
  }
  set inline(b: boolean | undefined) {
    if (b || this.x) this.rare().inline = b;
  }
  get operand(): boolean | undefined {
    return this.x?.operand;
  }
  set operand(b: boolean | undefined) {
    if (b || this.x) this.rare().operand = b;
  }
  get cyclic(): boolean | undefined {
    return this.x?.cyclic;
  }
  set cyclic(b: boolean | undefined) {
    if (b || this.x) this.rare().cyclic = b;
  }
  get borrow(): { env: Env; def: boolean; share?: Share } | undefined {
    return this.x?.borrow;
  }
  set borrow(x: { env: Env; def: boolean; share?: Share } | undefined) {
    if (x !== undefined || this.x) this.rare().borrow = x;
  }
  get inlineNode(): CloseNode | undefined {
    return this.x?.inlineNode;
  }
  set inlineNode(x: CloseNode | undefined) {
    if (x !== undefined || this.x) this.rare().inlineNode = x;
  }
  get letLits(): Set<StructLit> | undefined {
    return this.x?.letLits;
  }
  set letLits(x: Set<StructLit> | undefined) {
    if (x !== undefined || this.x) this.rare().letLits = x;
  }
  get disjuncts(): Vertex[] | undefined {
    return this.x?.disjuncts;
  }
  set disjuncts(x: Vertex[] | undefined) {
    if (x !== undefined || this.x) this.rare().disjuncts = x;
  }
  get cyclicConjs(): { c: Conjunct; w: Vertex; src: Expr; seen: number; again?: boolean; regular?: boolean }[] | undefined {
    return this.x?.cyclicConjs;
  }
  set cyclicConjs(x: { c: Conjunct; w: Vertex; src: Expr; seen: number; again?: boolean; regular?: boolean }[] | undefined) {
    if (x !== undefined || this.x) this.rare().cyclicConjs = x;
  }
  get ahead(): { conjs: Set<Conjunct>; keys: Map<string, number>; seen: number } | undefined {
    return this.x?.ahead;
  }
  set ahead(x: { conjs: Set<Conjunct>; keys: Map<string, number>; seen: number } | undefined) {
    if (x !== undefined || this.x) this.rare().ahead = x;
  }
  get later(): { w: Vertex; c: Conjunct; src: Expr | undefined; at: number; seen?: Set<unknown> }[] | undefined {
    return this.x?.later;
  }
  set later(x: { w: Vertex; c: Conjunct; src: Expr | undefined; at: number; seen?: Set<unknown> }[] | undefined) {
    if (x !== undefined || this.x) this.rare().later = x;
  }
  get comprehensions(): { conj: Conjunct; expr: Expr }[] {
    return this.x ? this.x.comprehensions : EMPTY;
  }
  set comprehensions(xs: { conj: Conjunct; expr: Expr }[]) {
    if (xs.length || this.x) this.rare().comprehensions = xs;
  }

  addConjunct(...cs: Conjunct[]): void {
    this.conjuncts = grow(this.conjuncts, cs);
  }
  addPosition(...ps: Pos[]): void {
    this.positions = grow(this.positions, ps);
  }
  addComprehension(x: { conj: Conjunct; expr: Expr }): void {
    this.comprehensions = grow(this.comprehensions, [x]);
  }
  /** Adds field attributes; one written the same way twice (`a & b`, both `@foo()`) is kept once, as in CUE. */
  pushAttrs(...xs: Attribute[]): void {
    const fresh = this.attrs.length ? xs.filter((x) => !this.attrs.some((a) => a === x || a.text === x.text)) : xs;
    if (fresh.length) this.attrs = grow(this.attrs, fresh);
  }
  pushListPart(x: ListPart): void {
    if (this.borrow?.share) sharing.unshare(this);
    this.listParts = grow(this.listParts, [x]);
  }
  pushListElem(x: Conjunct): void {
    if (this.borrow?.share) sharing.unshare(this);
    this.listElem = grow(this.listElem, [x]);
  }
  pushRoot(x: CloseNode): void {
    if (this.borrow?.share) sharing.unshare(this);
    this.roots = grow(this.roots, [x]);
  }
  pushPattern(x: PatternC): void {
    if (this.borrow?.share) sharing.unshare(this);
    this.patterns = grow(this.patterns, [x]);
  }

  constructor(parent: Vertex | undefined, label: string) {
    // Counted as allocated, so that the size limit trips before the heap runs out (limits.ts).
    countValue();
    this.parent = parent;
    this.label = label;
  }


  path(): string[] {
    const out: string[] = [];
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walks up the parent chain
    for (let v: Vertex | undefined = this; v && v.parent; v = v.parent) out.push(v.label);
    return out.reverse();
  }

  depth(): number {
    let d = 0;
    for (let v = this.parent; v; v = v.parent) d++;
    return d;
  }

  kindMask(): number {
    if (this.err) return 0;
    if (this.disjuncts) {
      let k = 0;
      for (let i = 0, xs = this.disjuncts; i < xs.length; i++) {
        const d = xs[i];
        k |= d.kindMask();
      }
      return k;
    }
    if (this.isList) return LIST;
    if (this.isStruct && this.base.t === 'top') return STRUCT;
    if (this.base.t === 'top' && this.arcs.size > 0) return STRUCT;
    return this.base.t === 'top' ? ALL : kindOf(this.base);
  }

  shortString(): string {
    if (this.disjuncts) return this.disjuncts.map((d) => d.shortString()).join(' | ');
    if (this.isList) return '[...]';
    if (this.isStruct) return '{...}';
    return show(this.base);
  }
}

Object.defineProperty(Vertex.prototype, 't', { value: 'vertex' });

/** What a copy of data arc `a` holds: the arc itself, or the scalar of a conjunct-less leaf. */
export function dataArcValue(a: Vertex): Val {
  return a.conjuncts.length || a.arcs.size || a.isStruct || a.isList ? a : a.base;
}

/**
 * A quoted label that reads like a definition or hidden field (`"#Foo"`,
 * `"_x"`) is a regular field. Internally it carries this prefix, so that
 * every check of `#` and `_` prefixes sees a regular label; labelName gives
 * the name back wherever a label leaves the evaluator (JSON keys, printed
 * labels, loop keys, paths).
 */
export const QUOTED_MARK = '\u0002';

// The label predicates below read character codes: they run at nearly every
// step, and in a cold process (V8's interpreter and baseline tiers) each
// startsWith was a builtin call of its own, two or three per predicate.
const HASH = 35;
const UNDERSCORE = 95;

/** The internal label of a field named by a string (a quoted or dynamic label, an index, data). */
export function fieldLabel(name: string): string {
  const c = name.charCodeAt(0);
  return c === HASH || c === UNDERSCORE ? QUOTED_MARK + name : name;
}

/** The name of a field label as the user writes it (without the quoted-label mark). */
export function labelName(l: string): string {
  return l.charCodeAt(0) === 2 ? l.slice(1) : l;
}

export function isDefLabel(l: string): boolean {
  const c = l.charCodeAt(0);
  return c === HASH || (c === UNDERSCORE && l.charCodeAt(1) === HASH);
}
/** `_x` and `_#x`. */
export function isHiddenLabel(l: string): boolean {
  return l.charCodeAt(0) === UNDERSCORE;
}
/** Whether v has a regular (not definition, not hidden) field. */
export function hasRegularLabel(v: Vertex): boolean {
  for (const l of v.arcs.keys()) if (isRegularLabel(l)) return true;
  return false;
}

/**
 * The elements of a list vertex, in order: its index arcs. A list embedded in
 * a struct literal (`{[1, 2], #foo: 1}`) also carries that literal's
 * definitions and hidden fields, which are no elements.
 */
export function listElems(v: Vertex): Vertex[] {
  const out: Vertex[] = [];
  for (const kv of v.arcs) {
    const l = kv[0];
    const a = kv[1];
    if (isRegularLabel(l)) out.push(a);
  }
  return out;
}

export function isRegularLabel(l: string): boolean {
  const c = l.charCodeAt(0);
  return c !== HASH && c !== UNDERSCORE;
}

/** Whether a struct enclosing v is still being evaluated (and may still add fields to v). */
export function ancestorInProgress(v: Vertex): boolean {
  for (let p = v.parent; p; p = p.parent) if (p.onStack) return true;
  return false;
}
