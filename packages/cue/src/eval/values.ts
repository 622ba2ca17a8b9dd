// The evaluator's value domain. Scalars and scalar constraints are plain
// records; structs and lists are Vertex objects (see vertex.ts) so that they
// can be evaluated lazily per field.
import type { Decimal } from 'decimal.js';
import type { Pos } from '../ast.js';
import type { ErrorCode } from '../errors.js';
import type { BuiltinFunc, ParamKind } from '../builtins/types.js';
import { formatFloat } from './numbers.js';
import type { Vertex } from './vertex.js';

// Kind bit set.
export const NULL = 1;
export const BOOL = 2;
export const INT = 4;
export const FLOAT = 8;
export const STRING = 16;
export const BYTES = 32;
export const LIST = 64;
export const STRUCT = 128;
export const NUMBER = INT | FLOAT;
export const SCALARS = NULL | BOOL | NUMBER | STRING | BYTES;
export const ALL = SCALARS | LIST | STRUCT;

export interface Top {
  t: 'top';
  pos?: Pos;
}
export interface Bottom {
  t: 'bottom';
  code: ErrorCode;
  msg: string;
  pos: Pos[];
  /**
   * Where the error arose, below the vertex holding it (a struct that does
   * not allow its field `l` holds the error with `[l]`): relative, so that a
   * struct shared by two fields reports it below each.
   */
  sub?: string[];
  /** The whole path where the error arose, when it is reported for a value below it (Value.lookup). */
  at?: string[];
  /** An incomplete error caused by a reference cycle (may resolve through other conjuncts). */
  cycle?: boolean;
  /** Further errors reported together with this one (e.g. all failed disjuncts). */
  more?: Bottom[];
  /** A lookup of a field that does not exist (absent, optional, or required and not yet given). */
  missing?: boolean;
  /** @experiment(try): the lookup was an optional reference (`a?`): it discards its try clause. */
  optionalUndefined?: boolean;
}
export interface NullV {
  t: 'null';
  pos?: Pos;
}
export interface BoolV {
  t: 'bool';
  b: boolean;
  pos?: Pos;
}
export interface IntV {
  t: 'int';
  i: bigint;
  pos?: Pos;
}
export interface FloatV {
  t: 'float';
  d: Decimal;
  /** Source text of a float literal, whose digits CUE preserves when printing (`2.00`, `1E+2`). */
  raw?: string;
  pos?: Pos;
}
export interface StrV {
  t: 'string';
  s: string;
  pos?: Pos;
}
/** Bytes as a latin1 string of byte values. */
export interface BytesV {
  t: 'bytes';
  s: string;
  pos?: Pos;
}
export type BoundOp = '<' | '<=' | '>' | '>=' | '==' | '!=' | '=~' | '!~';
export interface Bound {
  op: BoundOp;
  v: Val; // concrete scalar (or, for !=, any concrete value)
  pos?: Pos;
}
/** A builtin used as a validator, e.g. strings.MinRunes(3), with its bound arguments. */
export interface ValidatorV {
  name: string;
  fn: BuiltinFunc | 'matchN' | 'matchIf';
  args: Val[];
  pos?: Pos;
  /** Written without a call (`a: json.Valid`): the value may still be called as the function. */
  bare?: boolean;
  /** The kinds of the value it validates (its builtin's first parameter): printed constraints leave them implied. */
  kinds?: number;
}
/** A non-concrete scalar constraint: a set of kinds, bounds and validators (e.g. `int & >=1`). */
export interface ConsV {
  t: 'cons';
  kinds: number;
  bounds: Bound[];
  validators: ValidatorV[];
  pos?: Pos;
}
export interface DisjV {
  t: 'disj';
  terms: Val[];
  /** Per term: marked as default. Meaningful only when `marked`. */
  marks: boolean[];
  marked: boolean;
  pos?: Pos;
  /**
   * Per term of a unification of marked disjunctions: which disjunctions it
   * chose from, marked term or not (disjunction.ts Alt); undefined for a
   * disjunction written as one (it is its own source).
   */
  srcs: Alt[][] | undefined;
}
/** One way a term of a disjunction came about: the marked disjunctions whose marked (`t`) or unmarked (`f`) term it chose. */
export interface Alt {
  t: readonly DisjV[];
  f: readonly DisjV[];
}
/** A builtin function value (len, strings.Join, ...). */
export interface FuncV {
  t: 'func';
  name: string;
  core?: string;
  fn?: BuiltinFunc;
  pos?: Pos;
}

export type Scalar = NullV | BoolV | IntV | FloatV | StrV | BytesV;
export type Val = Top | Bottom | Scalar | ConsV | DisjV | FuncV | Vertex;

export const TOP: Top = { t: 'top' };

export function bottom(code: ErrorCode, msg: string, pos: (Pos | undefined)[] = []): Bottom {
  return { t: 'bottom', code, msg, pos: pos.filter((p): p is Pos => !!p) };
}
export function incomplete(msg: string, pos: (Pos | undefined)[] = []): Bottom {
  return bottom('incomplete', msg, pos);
}
/** An incomplete lookup of a field that does not exist (yet); see Bottom.missing. */
export function missingField(msg: string, pos: (Pos | undefined)[] = []): Bottom {
  const b = bottom('incomplete', msg, pos);
  b.missing = true;
  return b;
}
export function isBottom(v: Val): v is Bottom {
  return v.t === 'bottom';
}
export function isScalar(v: Val): v is Scalar {
  switch (v.t) {
    case 'null':
    case 'bool':
    case 'int':
    case 'float':
    case 'string':
    case 'bytes':
      return true;
  }
  return false;
}

export function kindOf(v: Val): number {
  switch (v.t) {
    case 'null':
      return NULL;
    case 'bool':
      return BOOL;
    case 'int':
      return INT;
    case 'float':
      return FLOAT;
    case 'string':
      return STRING;
    case 'bytes':
      return BYTES;
    case 'cons':
      return v.kinds;
    case 'top':
      return ALL;
    case 'bottom':
      return 0;
    case 'disj': {
      let k = 0;
      for (let i = 0, xs = v.terms; i < xs.length; i++) {
        const t = xs[i];
        k |= kindOf(t);
      }
      return k;
    }
    case 'func':
      return 0;
    case 'vertex':
      return v.kindMask();
  }
}

export function kindName(k: number): string {
  const names: string[] = [];
  if (k === ALL) return '_';
  if ((k & NUMBER) === NUMBER) {
    names.push('number');
  } else {
    if (k & INT) names.push('int');
    if (k & FLOAT) names.push('float');
  }
  if (k & NULL) names.unshift('null');
  if (k & BOOL) names.push('bool');
  if (k & STRING) names.push('string');
  if (k & BYTES) names.push('bytes');
  if (k & LIST) names.push('list');
  if (k & STRUCT) names.push('struct');
  if (names.length === 0) return '_|_';
  return names.join('|');
}

export function quoteString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function quoteBytes(s: string): string {
  let out = "'";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x27) out += "\\'";
    else if (c === 0x5c) out += '\\\\';
    else if (c === 10) out += '\\n';
    else if (c === 9) out += '\\t';
    else if (c < 0x20 || c >= 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += s[i];
  }
  return out + "'";
}

/** Short CUE rendering of a value for error messages. */
export function show(v: Val): string {
  switch (v.t) {
    case 'top':
      return '_';
    case 'bottom':
      return '_|_';
    case 'null':
      return 'null';
    case 'bool':
      return String(v.b);
    case 'int':
      return v.i.toString();
    case 'float':
      return formatFloat(v.d);
    case 'string':
      return quoteString(v.s);
    case 'bytes':
      return quoteBytes(v.s);
    case 'cons': {
      const parts: string[] = [];
      if (v.kinds !== ALL || (v.bounds.length === 0 && v.validators.length === 0)) {
        // Bounds imply their kind; print the kind only when it adds information.
        let implied = v.bounds.reduce((k, b) => k & boundKinds(b), ALL);
        for (let i = 0, xs = v.validators; i < xs.length; i++) {
          const x = xs[i];
          implied &= x.kinds ?? ALL;
        }
        if (v.kinds !== implied || (v.bounds.length === 0 && v.validators.length === 0)) parts.push(kindName(v.kinds));
      }
      for (let i = 0, list = v.bounds; i < list.length; i++) {
        const b = list[i];
        parts.push(showBound(b));
      }
      for (let i = 0, items = v.validators; i < items.length; i++) {
        const x = items[i];
        parts.push(showValidator(x));
      }
      return parts.join(' & ');
    }
    case 'disj':
      return v.terms.map((t, i) => (v.marked && v.marks[i] ? '*' : '') + showInDisj(t)).join(' | ');
    case 'func':
      return v.name;
    case 'vertex':
      return v.t === 'vertex' ? v.shortString() : '';
  }
}

function showInDisj(v: Val): string {
  if (v.t === 'cons' && v.bounds.length + v.validators.length > 1) return `(${show(v)})`;
  return show(v);
}

export function showBound(b: Bound): string {
  return b.op + show(b.v);
}

export function showValidator(x: ValidatorV): string {
  return `${x.name}(${x.args.map(showArg).join(', ')})`;
}

/** A validator's argument: an empty closed list is `[]` (`[...]` is any list: `matchN(0, [])` is not `matchN(0, [...])`). */
function showArg(v: Val): string {
  if (v.t === 'vertex' && v.isList && !v.listOpen && !v.disjuncts && v.arcs.size === 0) return '[]';
  return show(v);
}

export function boundKinds(b: Bound): number {
  switch (b.op) {
    case '=~':
    case '!~':
      // As in CUE, a bound has its operand's kind: `=~"c"` is a string (as `!="b"` is, so `!="b" & =~"c"` is `=~"c"`).
      return kindOf(b.v);
    case '!=':
    case '==':
      // As in CUE, `!=x` takes x's kind as `==x` does (`!="a"` is a string other than "a"); only `!=null` admits every other kind.
      if (b.op === '!=' && b.v.t === 'null') return ALL & ~NULL;
      return b.v.t === 'int' || b.v.t === 'float' ? NUMBER : b.v.t === 'vertex' ? (b.v.isList ? LIST : STRUCT) : kindOf(b.v);
    default:
      return b.v.t === 'int' || b.v.t === 'float' ? NUMBER : kindOf(b.v);
  }
}

export function typeName(v: Val): string {
  return kindName(kindOf(v));
}
/** The kinds of value each parameter kind accepts (checkKind, as kind bits); 0: any, not checked. */
export const PARAM_KINDS: Record<ParamKind, number> = {
  any: 0,
  value: 0,
  string: STRING,
  bytes: BYTES | STRING,
  stringOrBytes: STRING | BYTES,
  int: INT,
  number: NUMBER,
  bool: BOOL,
  list: LIST,
  valueList: LIST,
  struct: STRUCT,
};

/** The kinds a builtin validates, as in CUE: those of its first parameter (`strings.ContainsAny("dd")` is a string). */
export function validatorKinds(fn: BuiltinFunc): number {
  return PARAM_KINDS[fn.params[0]!] || ALL;
}
