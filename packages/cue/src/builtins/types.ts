// The contract between the evaluator and the builtin packages (strings, list,
// math, ...). Builtins are pure functions over concrete values; the evaluator
// checks arity, makes arguments concrete (an incomplete argument makes the call
// incomplete without calling the builtin) and turns thrown BuiltinErrors into
// bottom values with the call's position.
import type { Decimal } from 'decimal.js';

/** A struct as seen by builtins: fields in CUE field order (regular, non-hidden, non-definition fields). */
export type CStruct = Map<string, Concrete>;

/**
 * Concrete CUE values crossing the builtin boundary.
 * int → bigint; float → Decimal (kept distinct so kinds survive); bytes → Uint8Array.
 */
export type Concrete = null | boolean | string | bigint | Decimal | Uint8Array | Concrete[] | CStruct;

/** An unevaluated/non-concrete CUE value passed through to builtins that take schemas or comparators. */
export interface Opaque {
  readonly opaque: true;
}

export type Arg = Concrete | Opaque;

export type ParamKind =
  | 'any' // any concrete value
  | 'value' // passed as Opaque, not made concrete (schemas, comparators)
  | 'string'
  | 'bytes'
  | 'int'
  | 'number'
  | 'bool'
  | 'list'
  | 'struct'
  | 'stringOrBytes';

/** Services the evaluator offers to builtins that need evaluation (list.Sort, json.Validate, ...). */
export interface BuiltinContext {
  /** Evaluates a comparator like list.Ascending: unify {x: a, y: b} and read `less`. */
  less(comparator: Opaque, a: Concrete, b: Concrete): boolean;
  /** Unifies a concrete value with a schema; returns undefined on success or an error message. */
  validate(value: Concrete, schema: Opaque): string | undefined;
  /** Turns a concrete value into an Opaque (e.g. to return an evaluated schema). */
  toOpaque(value: Concrete): Opaque;
}

export interface BuiltinFunc {
  /** Parameter kinds in order. The last may be variadic. */
  params: ParamKind[];
  variadic?: boolean;
  /**
   * The function. Throw BuiltinError for a failed call. For validators (e.g.
   * strings.MinRunes(3) used as a constraint), the evaluator passes the value
   * being validated as the first argument; return true to accept, false or throw to reject.
   */
  impl: (args: Arg[], ctx: BuiltinContext) => Concrete | Opaque;
  /** True when the function can be used as a validator with its first argument missing. */
  validator?: boolean;
}

/** A builtin package: functions and constant values (e.g. math.Pi, time.Second, list.Ascending as CUE source). */
export interface BuiltinPackage {
  /** Import path, e.g. `strings`, `encoding/json`. */
  path: string;
  funcs: Record<string, BuiltinFunc>;
  /** Constants as concrete values. */
  consts?: Record<string, Concrete>;
  /** Declarations given as CUE source (e.g. `Ascending: {T: number|string, x: T, y: T, less: x < y}`). */
  cue?: string;
}

export class BuiltinError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuiltinError';
  }
}
