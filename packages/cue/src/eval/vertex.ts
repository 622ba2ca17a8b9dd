// Vertices: the nodes of an evaluated CUE value tree. A vertex collects
// conjuncts (expressions with the environment they were written in) and is
// expanded lazily: first when someone needs its kind or arcs, then per arc.
import type { Attribute, Expr, Pos, StructLit } from '../ast.js';
import { ALL, type Bottom, LIST, STRUCT, TOP, type Val, kindOf, show } from './values.js';

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
  labels: Set<string>;
  patterns: Val[];
  embeds: CloseNode[];
  /** Per field label: the node of that field's value declared in this group (shared by repeated declarations). */
  kids?: Map<string, CloseNode>;
  /** Attached below another node (an embedding), not a root of its vertex. */
  embedded?: boolean;
  parent?: CloseNode;
  /** Values declared for the same field in this group (`x: #S, x: {...}` in a definition): they widen what the group allows, never restrict it. */
  unions?: CloseNode[];
  /** The operands of an embedded `a & b`: each closed operand must allow a label. */
  and?: boolean;
  /**
   * A non-definition value referenced in a definition (`#Y: #Z & X`): it only
   * widens the definition's group of declarations and does not restrict the
   * vertex by itself (a reference to a definition would).
   */
  member?: boolean;
}

export function newNode(closed = false): CloseNode {
  return { closed, open: false, labels: new Set(), patterns: [], embeds: [] };
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
  /** A struct literal operand of `&` in a definition: not closed by itself. */
  noClose?: boolean;
  /** `X...`: the value's top level is opened. */
  openAll?: boolean;
  /** `close()`: the struct declarations of this conjunct form a closed group. */
  closeAll?: boolean;
  /** Field attributes, kept for Value.attrs(). */
  attrs?: Attribute[];
  pos?: Pos;
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
}

export interface PendingDisj {
  key: Expr;
  terms: { v: Val; mark: boolean; src?: Expr }[];
  marked: boolean;
  c: Conjunct;
}

let vertexIds = 0;

export class Vertex {
  readonly t = 'vertex' as const;
  readonly id = ++vertexIds;
  parent?: Vertex;
  label: string;
  fieldKind: FieldKind = 'regular';
  conjuncts: Conjunct[] = [];
  positions: Pos[] = [];

  // ---- state filled by expansion
  /** 0 new, 1 expanding, 2 expanded, 3 finalized (all arcs evaluated). */
  status = 0;
  arcs = new Map<string, Vertex>();
  base: Val = TOP;
  isStruct = false;
  isList = false;
  listOpen = false;
  declNode?: CloseNode;
  err?: Bottom;
  /** Vertex-level disjunction result: several surviving struct/list disjuncts. */
  disjuncts?: Vertex[];
  disjMarks?: boolean[];
  disjMarked = false;
  /** Disjunction choices made for this clone (disjunction expr → term index). */
  choices?: Map<Expr, number>;
  /** Set when evaluation ran into a reference cycle through an ancestor still being evaluated. */
  tainted = false;
  /** Whether some conjunct is a definition context (for isClosed). */
  closedCache?: boolean;
  /** Close arcs recursively (set by conjuncts in definition context). */
  hasDef = false;
  /** Disjunctions of structs/lists met while expanding; resolved by splitting the vertex. */
  pending?: PendingDisj[];
  /** An incomplete error that does not make the value bottom (e.g. a comprehension over incomplete data). */
  incompleteErr?: Bottom;
  /** Incomplete conjunct results set aside while other conjuncts may decide the value. */
  incompletes?: { b: Bottom; c?: Conjunct }[];
  /** A scalar came from unification rather than embedding (so it cannot coexist with a struct). */
  scalarDirect?: boolean;
  /** A scalar was embedded in a struct literal (`{0}`), which makes the struct that scalar. */
  scalarEmbedded?: boolean;
  /** How often this vertex was reset for re-evaluation after a reference cycle. */
  resets?: number;
  /** Values of conjuncts that were a reference cycle in a first pass, computed once the vertex was known. */
  cycleVals?: Map<Expr, { env: Env; val: Val }[]>;
  /** Values whose conjuncts were already added here (bit set of how: embedded, unified, closed, opened). */
  added?: Map<Vertex, { where: object; mode: string }[]>;
  /** Reference expressions whose struct conjuncts were added here (structural cycle detection). */
  refs?: Set<Expr>;
  /** An anonymous value found to be part of an expression cycle. */
  cyclic?: boolean;
  /** Set by the parent when closedness rejects this field. */
  notAllowed?: Pos[];
  /** Pending comprehension conjuncts. */
  comprehensions: { conj: Conjunct; expr: Expr }[] = [];

  constructor(parent: Vertex | undefined, label: string) {
    this.parent = parent;
    this.label = label;
  }

  // Most vertices are leaves that never need these lists: they are allocated
  // on first use (an evaluation makes thousands of vertices; fewer objects
  // per vertex means less garbage collection).
  private _attrs?: Attribute[];
  private _listParts?: ListPart[];
  private _listElem?: Conjunct[];
  private _roots?: CloseNode[];
  private _patterns?: PatternC[];
  get attrs(): Attribute[] {
    return (this._attrs ??= []);
  }
  set attrs(x: Attribute[]) {
    this._attrs = x;
  }
  get listParts(): ListPart[] {
    return (this._listParts ??= []);
  }
  set listParts(x: ListPart[]) {
    this._listParts = x;
  }
  get listElem(): Conjunct[] {
    return (this._listElem ??= []);
  }
  set listElem(x: Conjunct[]) {
    this._listElem = x;
  }
  get roots(): CloseNode[] {
    return (this._roots ??= []);
  }
  set roots(x: CloseNode[]) {
    this._roots = x;
  }
  get patterns(): PatternC[] {
    return (this._patterns ??= []);
  }
  set patterns(x: PatternC[]) {
    this._patterns = x;
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
      for (const d of this.disjuncts) k |= d.kindMask();
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

export function isDefLabel(l: string): boolean {
  return l.startsWith('#') || l.startsWith('_#');
}
export function isHiddenLabel(l: string): boolean {
  return l.startsWith('_') && !l.startsWith('_#') ? true : l.startsWith('_#');
}
export function isRegularLabel(l: string): boolean {
  return !l.startsWith('#') && !l.startsWith('_');
}
