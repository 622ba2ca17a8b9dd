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
  /**
   * A 'valueList' element that is an unresolved disjunction with a concrete
   * default (`*"." | string`): compared as that default, passed on as the
   * disjunction (list.Concat keeps it, as CUE does).
   */
  readonly dflt?: Concrete;
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
  | 'stringOrBytes'
  /**
   * A list whose elements are passed through without being made concrete:
   * each element is a Concrete when it is concrete, a (nested) array when it
   * is a list, and an Opaque otherwise. Used by functions that only move
   * elements around or compare them (list.Concat, Repeat, FlattenN, Take, Drop,
   * Slice, Reverse, Sort, SortStable, IsSorted, Contains): CUE allows e.g.
   * list.Repeat([int], 3). Their list results are
   * arrays of the same elements (typed as Concrete[]; elements may be Opaque).
   */
  | 'valueList';

/** Services the evaluator offers to builtins that need evaluation (list.Sort, json.Validate, ...). */
export interface BuiltinContext {
  /** Evaluates a comparator like list.Ascending: unify {x: a, y: b} and read `less`. */
  less(comparator: Opaque, a: Concrete, b: Concrete): boolean;
  // Note: for list.Sort over a 'valueList', a and b may be Opaque elements.
  /** Unifies a concrete value with a schema; returns undefined on success or an error message. */
  validate(value: Concrete, schema: Opaque): string | undefined;
  /**
   * Optional: like validate, but only reports errors of constraints that are
   * violated, accepting values that are merely incomplete against the schema
   * (yaml.ValidatePartial). When absent, validate is used.
   */
  validatePartial?(value: Concrete, schema: Opaque): string | undefined;
  /** Turns a concrete value into an Opaque (e.g. to return an evaluated schema). */
  toOpaque(value: Concrete): Opaque;
}

export interface BuiltinFunc {
  /** Parameter kinds in order. The last may be variadic. */
  params: ParamKind[];
  variadic?: boolean;
  /**
   * Fewest arguments accepted when trailing parameters are optional (e.g.
   * path.Clean(path, os="unix")); absent means all params are required.
   * Omitted arguments are simply not passed (args.length < params.length).
   */
  minArgs?: number;
  /**
   * Element kinds of 'list' parameters, by argument index (e.g. strings.Join:
   * {0: 'string'}, list.Sum: {0: 'number'}). Lets the evaluator report CUE's
   * errors before making elements concrete: "non-concrete value string for
   * element 0 of string list argument 0" (incomplete) or "invalid list element
   * 0 in argument 0 to call: cannot use value int (int) as string" (eval). The
   * builtins check concrete elements themselves, so an evaluator may ignore it.
   */
  listElems?: Record<number, 'string' | 'number'>;
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

export interface BuiltinErrorOptions {
  /**
   * 'incomplete' when the error could go away once more is known (e.g. a
   * validator on an open value); defaults to a permanent 'eval' error.
   */
  code?: 'eval' | 'incomplete';
  /**
   * For validators: the failure is incomplete (not permanent) when the
   * validated value is an open list/struct that may still grow (list.MinItems,
   * struct.MinFields). The evaluator knows openness; builtins do not.
   */
  incompleteIfOpen?: boolean;
  /**
   * A validation failure ("the value does not satisfy F", CUE's
   * pkg.ValidationError) rather than a failed call. Used as a validator, the
   * evaluator reports "invalid value X (does not satisfy F(args)): <message>";
   * called as a plain function the result is false, as in CUE
   * (list.MinItems([1, 2, 3, 4], 5) is false).
   */
  validation?: boolean;
}

/**
 * A failed call. For a validator the message is the detail CUE appends after
 * "invalid value X (does not satisfy pkg.F(args)): ", e.g.
 * "len(list) < MinItems(1) (0 < 1)".
 */
export class BuiltinError extends Error {
  readonly code: 'eval' | 'incomplete';
  readonly incompleteIfOpen: boolean;
  readonly validation: boolean;
  constructor(message: string, options: BuiltinErrorOptions = {}) {
    super(message);
    this.name = 'BuiltinError';
    this.code = options.code ?? 'eval';
    this.incompleteIfOpen = options.incompleteIfOpen ?? false;
    this.validation = options.validation ?? false;
  }
}
