// The CUE abstract syntax tree. Modelled on Go's cue/ast so that the spec and
// the Go evaluator's behaviour map onto it one to one. Every node carries the
// position of its first token (and `end` where a span is useful for errors).

export interface Pos {
  file: string;
  line: number; // 1-based
  col: number; // 1-based, in UTF-16 code units
  offset: number; // 0-based offset into the source text
}

export interface Comment {
  text: string; // including the leading //
  pos: Pos;
}

/** Comments attached to a node: those on lines before it and the one trailing it on its last line. */
export interface Comments {
  doc?: Comment[];
  line?: Comment;
  /** Comments after the last element of a struct, list or file, before its closing token (parser addition). */
  trailing?: Comment[];
}

interface NodeBase {
  pos: Pos;
  end?: Pos;
  comments?: Comments;
}

// ---------------------------------------------------------------- files

export interface File extends NodeBase {
  type: 'File';
  filename: string;
  /** Attributes before the package clause, e.g. `@if(prod)`. */
  attrs: Attribute[];
  package?: Ident; // absent for package-less files
  imports: ImportSpec[];
  /** Top-level declarations in source order (fields, embeddings, let, comprehensions, ellipsis, attributes). */
  decls: Decl[];
}

export interface ImportSpec extends NodeBase {
  type: 'ImportSpec';
  name?: Ident; // explicit local name
  /** The import path exactly as written, unquoted, e.g. `strings`, `mod.example/x@v1:pkg`. */
  path: string;
  pathPos: Pos;
}

// ---------------------------------------------------------------- declarations

export type Decl =
  | Field
  | Embed
  | LetClause
  | Comprehension
  | Ellipsis
  | Attribute;

/** `label: value`; `label?: value`; `label!: value`; also `[pattern]: value` via PatternLabel. */
export interface Field extends NodeBase {
  type: 'Field';
  label: Label;
  /** '' for a regular field, '?' optional, '!' required. */
  constraint: '' | '?' | '!';
  value: Expr;
  attrs: Attribute[];
  /** Parser addition: the @experiment(aliasv2) alias written after the label, see PostfixAlias. */
  postfixAlias?: PostfixAlias;
}

/**
 * Parser addition for @experiment(aliasv2): `label~X` (simple form) or
 * `label~(K,V)` (dual form; `_` omits a name). X and V name the field, K its
 * label. To keep existing consumers working the parser ALSO desugars what the
 * classic syntax can say: the field name becomes an AliasLabel around the
 * label (like `X=label`), and K on a pattern becomes PatternLabel.alias (like
 * `[K=pattern]`). Only K on a non-pattern label exists solely here.
 */
export interface PostfixAlias extends NodeBase {
  type: 'PostfixAlias';
  dual: boolean;
  /** K of the dual form. */
  label?: Ident;
  /** X of the simple form, V of the dual form. */
  field?: Ident;
}

/** An expression embedded in a struct or file (not a field). */
export interface Embed extends NodeBase {
  type: 'Embed';
  expr: Expr;
  /**
   * Parser addition: written in a file with @experiment(explicitopen), where
   * embedding a closed value keeps it closed (use `X...` to open it).
   */
  explicitOpen?: boolean;
}

/** `let x = expr` as a declaration or as a comprehension clause. */
export interface LetClause extends NodeBase {
  type: 'LetClause';
  ident: Ident;
  expr: Expr;
}

/** `...` or `...T` inside a struct or list. */
export interface Ellipsis extends NodeBase {
  type: 'Ellipsis';
  elem?: Expr;
  /**
   * Parser addition for @experiment(explicitopen): `X...` (postfix) embeds X
   * but leaves it open. Then `elem` is X and the node only occurs in
   * expression position (e.g. inside an Embed or BinaryExpr), never as a
   * struct declaration or list element; it does NOT mean `...X`.
   */
  postfix?: boolean;
}

/** `@name(body)`; `body` is the raw text between the parentheses. */
export interface Attribute extends NodeBase {
  type: 'Attribute';
  name: string;
  body: string;
  /** Raw source text including `@` and parentheses. */
  text: string;
}

// ---------------------------------------------------------------- labels

/**
 * An Interpolation label (`"\(k)": v`) is dynamic, exactly like a ParenLabel
 * holding that interpolation (added by the parser; Go's AST has it too).
 */
export type Label = Ident | BasicLit | Interpolation | ParenLabel | PatternLabel | AliasLabel;

/** `(expr): v` — a dynamic label. */
export interface ParenLabel extends NodeBase {
  type: 'ParenLabel';
  expr: Expr;
}

/** `[expr]: v` — a pattern constraint; `[X=expr]: v` binds X to the label. */
export interface PatternLabel extends NodeBase {
  type: 'PatternLabel';
  alias?: Ident;
  expr: Expr;
}

/** `X=label: v` — an alias for the field. */
export interface AliasLabel extends NodeBase {
  type: 'AliasLabel';
  alias: Ident;
  label: Ident | BasicLit | Interpolation | ParenLabel | PatternLabel;
}

// ---------------------------------------------------------------- expressions

export type Expr =
  | Ident
  | BasicLit
  | Interpolation
  | StructLit
  | ListLit
  | BottomLit
  | ParenExpr
  | SelectorExpr
  | IndexExpr
  | SliceExpr
  | CallExpr
  | UnaryExpr
  | BinaryExpr
  | Comprehension
  | Ellipsis
  | Alias;

/**
 * An identifier. `name` is the identifier as written, including a leading `#`,
 * `_` or `_#` (definitions and hidden fields), or a quoted form such as `#"x"`.
 */
export interface Ident extends NodeBase {
  type: 'Ident';
  name: string;
  /**
   * Parser addition for @experiment(aliasv2): this `self` reference means the
   * innermost enclosing struct or list (unless a declaration named `self`
   * shadows it). Set by the parser so that files without the experiment keep
   * treating `self` as an ordinary identifier.
   */
  self?: boolean;
  /** @experiment(try): written `a?`, an optional reference (see OptionalMark). */
  optional?: boolean;
}

export type LitKind = 'int' | 'float' | 'string' | 'bytes' | 'bool' | 'null';

export interface BasicLit extends NodeBase {
  type: 'BasicLit';
  kind: LitKind;
  /** Raw source text, e.g. `0x1F`, `1.5Ki`, `"a\nb"`, `#"raw"#`, `'bytes'`, `true`. */
  raw: string;
  /**
   * Decoded value for strings and bytes (bytes: a latin1 string of the byte
   * values). For numbers the evaluator decodes `raw` itself (exact).
   */
  value?: string;
}

/** A string or bytes literal with `\(expr)` interpolations. */
export interface Interpolation extends NodeBase {
  type: 'Interpolation';
  kind: 'string' | 'bytes';
  /** Alternating literal fragments and expressions; fragments are decoded already (bytes: latin1). */
  parts: (string | Expr)[];
}

export interface StructLit extends NodeBase {
  type: 'StructLit';
  decls: Decl[];
}

/** `[a, b, ...T]` — an Ellipsis can only be the last element. Comprehensions allowed as elements. */
export interface ListLit extends NodeBase {
  type: 'ListLit';
  elts: Expr[];
}

/** `_|_` */
export interface BottomLit extends NodeBase {
  type: 'BottomLit';
}

export interface ParenExpr extends NodeBase {
  type: 'ParenExpr';
  expr: Expr;
}

/** `x.sel` where sel is an identifier or (quoted) string label. */
export interface SelectorExpr extends NodeBase {
  type: 'SelectorExpr';
  x: Expr;
  sel: Ident | BasicLit;
  /** @experiment(try): written `x.sel?`, an optional reference. */
  optional?: boolean;
}

export interface IndexExpr extends NodeBase {
  type: 'IndexExpr';
  x: Expr;
  index: Expr;
  /** @experiment(try): written `x[i]?`, an optional reference. */
  optional?: boolean;
}

export interface SliceExpr extends NodeBase {
  type: 'SliceExpr';
  x: Expr;
  low?: Expr;
  high?: Expr;
}

export interface CallExpr extends NodeBase {
  type: 'CallExpr';
  fun: Expr;
  args: Expr[];
  /** Parser addition: written in a file with @experiment(explicitopen) (where __closeAll and __reclose may be used). */
  explicitOpen?: boolean;
}

/** Prefix operators, including the unary bound/comparison forms and the default marker. */
/** `==` (a validator: equal to the operand) needs @experiment(structcmp). */
export type UnaryOp = '+' | '-' | '!' | '*' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~' | '!~';

export interface UnaryExpr extends NodeBase {
  type: 'UnaryExpr';
  op: UnaryOp;
  x: Expr;
}

export type BinaryOp =
  | '|'
  | '&'
  | '||'
  | '&&'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '=~'
  | '!~'
  | '+'
  | '-'
  | '*'
  | '/'
  /** Integer division, infix before language version v0.17.0 (`m div 1000`); the builtins div(x, y) etc. otherwise. */
  | 'div'
  | 'mod'
  | 'quo'
  | 'rem';

export interface BinaryExpr extends NodeBase {
  type: 'BinaryExpr';
  op: BinaryOp;
  x: Expr;
  y: Expr;
  /** Parser addition: `&&`/`||` under @experiment(shortcircuit) skip `y` when `x` decides the result. */
  shortCircuit?: boolean;
}

/** `X=expr` in an expression position (e.g. inside a struct embedding or list element). */
export interface Alias extends NodeBase {
  type: 'Alias';
  ident: Ident;
  expr: Expr;
}

// ---------------------------------------------------------------- comprehensions

export interface ForClause extends NodeBase {
  type: 'ForClause';
  key?: Ident;
  value: Ident;
  source: Expr;
}

export interface IfClause extends NodeBase {
  type: 'IfClause';
  condition: Expr;
}

/**
 * `try` (@experiment(try)). Struct form (`try { b: a? + 1 }`, always the last
 * clause): yields the body once, unless one of the body's optional references
 * (`a?`, `x.y?`, `l[i]?`) names a field that does not exist. Assignment form
 * (`try x = a? + 1`): binds `x` to the expression, or yields nothing when one
 * of its optional references is missing.
 */
export interface TryClause extends NodeBase {
  type: 'TryClause';
  ident?: Ident;
  expr?: Expr;
}

export type Clause = ForClause | IfClause | LetClause | TryClause;

/** `for k, v in x if c let y = e { ... }` — the body is always a struct literal. */
export interface Comprehension extends NodeBase {
  type: 'Comprehension';
  clauses: Clause[];
  body: StructLit;
  /**
   * @experiment(try): `if c {...} else {...}` or `for x in s {...} fallback {...}`:
   * the struct yielded when the clauses yield nothing (but not when they fail).
   */
  otherwise?: { keyword: 'else' | 'fallback'; body: StructLit; pos: Pos };
}

export type Node = File | ImportSpec | Decl | Label | Expr | Clause;

/** Operator precedence used by the parser and by the formatter (higher binds tighter). */
export const binaryPrecedence: Record<BinaryOp, number> = {
  '|': 1,
  '&': 2,
  '||': 3,
  '&&': 4,
  '==': 5,
  '!=': 5,
  '<': 5,
  '<=': 5,
  '>': 5,
  '>=': 5,
  '=~': 5,
  '!~': 5,
  '+': 6,
  '-': 6,
  '*': 7,
  '/': 7,
  div: 7,
  mod: 7,
  quo: 7,
  rem: 7,
};
