// The public value API of the CUE engine, as TypeScript callers (opm core, the
// CLI, the conformance runner) see it. Modelled on Go's cue.Value. The
// evaluator implements these interfaces; callers depend only on this file.
import type { Attribute, File, Pos } from './ast.js';
import type { CueError, ErrorCode } from './errors.js';

export type Kind =
  | 'bottom'
  | 'null'
  | 'bool'
  | 'int'
  | 'float'
  | 'string'
  | 'bytes'
  | 'struct'
  | 'list'
  /** Not yet a single kind: top, a disjunction of kinds, `number`, a bound, ... */
  | 'incomplete';

/** A path selector: a field label (regular, `#Def`, `_hidden`) or a list index. */
export type Selector = string | number;

/** For Value.allows: stands for any string label (Go's cue.AnyString); no real label equals it. */
export const ANY_STRING: Selector = '\u0001any-string\u0001';

export interface FieldInfo {
  label: string;
  value: Value;
  optional: boolean; // `x?:`
  required: boolean; // `x!:`
  definition: boolean; // `#x`
  hidden: boolean; // `_x`
  attrs: Attribute[];
}

export interface FieldsOptions {
  /** Include optional and required (not yet set) fields. Default false. */
  optional?: boolean;
  /** Include definitions. Default false. */
  definitions?: boolean;
  /** Include hidden fields. Default false. */
  hidden?: boolean;
}

export interface ValidateOptions {
  /** Require every regular field to be concrete (like `cue vet -c` / export). */
  concrete?: boolean;
  /** Also check definitions. */
  definitions?: boolean;
  /** Report every error, not only the first. Default true. */
  all?: boolean;
}

export interface Value {
  /** The kind of the value after default selection is NOT applied; see `default()`. */
  kind(): Kind;
  /** Possible kinds (e.g. `int | string` → ['int','string']). */
  incompleteKinds(): Kind[];
  /** The value's first source position, if any. */
  pos(): Pos | undefined;
  /** All source positions that contributed conjuncts. */
  positions(): Pos[];
  /** The path from the root of its instance. */
  path(): Selector[];

  /** Follows a path. A missing field yields a bottom Value with an `incomplete`/`eval` error, never throws. */
  lookup(...path: Selector[]): Value;
  /** Parses a CUE path expression like `a.b[0]."c-d".#Def` and looks it up. */
  lookupPath(path: string): Value;
  exists(): boolean;

  fields(opts?: FieldsOptions): FieldInfo[];
  /** List elements (only for lists). */
  elements(): Value[];
  /** Field attributes of this value's field (e.g. `@secret()`, `@test(...)`). */
  attrs(): Attribute[];

  /** The default value if the value has one (`*1 | int` → 1), else the value itself. */
  default(): Value;
  hasDefault(): boolean;

  /** Unifies with another value (lattice meet). */
  unify(other: Value): Value;
  /** Returns a new value with `x` unified in at `path`. `x` may be a Value or plain JS data. */
  fill(x: Value | unknown, ...path: Selector[]): Value;

  /** The first error of this value, if it is (or contains, when `deep`) bottom. */
  err(): CueError | undefined;
  /** Validates the whole value; an empty array means valid. */
  validate(opts?: ValidateOptions): CueError[];
  isConcrete(): boolean;
  isClosed(): boolean;
  /**
   * Whether a field with this label may be added (closedness and pattern
   * constraints). ANY_STRING asks whether every string label is allowed.
   */
  allows(label: Selector): boolean;
  /** The labels of this struct's pattern constraints as CUE prints them (`[string]`, `[=~"^x-"]`), aliases left out. */
  patterns(): string[];

  /** Structural equality of two (evaluated) values. */
  equals(other: Value): boolean;
  /** Subsumption: every instance of `other` is an instance of this. */
  subsumes(other: Value): boolean;

  /** Concrete data as plain JS: ints as number when safe else bigint, floats as number, structs as objects. Throws CueErrorList when not concrete. */
  toJS(): unknown;
  /**
   * toJS of a value that must pass validate({ concrete: true, all: true }):
   * one walk instead of validate() then toJS(). Throws CueErrorList with
   * exactly the errors validate() reports.
   */
  toJSChecked(): unknown;
  /** Export as JSON (CUE field order, defaults selected). Throws CueErrorList naming each non-concrete path. */
  toJSON(indent?: number): string;
  /** Export as YAML. Throws like toJSON. */
  toYAML(): string;
  /** CUE source of the (possibly non-concrete) evaluated value, like `cue eval`. */
  /** `imports`: the text starts with the imports of the builtin packages it refers to, as a file of its own needs (`cue def`). */
  toCUE(opts?: { definitions?: boolean; optional?: boolean; hidden?: boolean; attributes?: boolean; imports?: boolean }): string;

  /**
   * Optional introspection for test tooling (the conformance runner compares
   * `@test(eq, *1 | int)` disjunct by disjunct): the disjuncts of a value that
   * is an unresolved disjunction, defaults first and marked; undefined when
   * the value is not a disjunction. Evaluators may leave it unimplemented.
   */
  disjuncts?(): { value: Value; isDefault: boolean }[] | undefined;

  /** Direct scalar access; throws if not of that kind. */
  string(): string;
  int(): bigint;
  number(): number;
  bool(): boolean;
}

/** A source file given as text. */
export interface Source {
  filename: string;
  text: string;
  /** Language experiments enabled besides the file's own `@experiment(...)` attributes. */
  experiments?: string[];
  /** The language version of the file's module (`language: version:` in cue.mod/module.cue); set by the loader. */
  languageVersion?: string;
  /**
   * The files this file may embed (`@embed`), set by the loader for files of a
   * CUE module; without it `@embed` fails as outside a module.
   */
  embed?: EmbedFiles;
  /**
   * The tree parsing `text` (under this source's options) makes, when made
   * ahead of time (a build artifact, as opm's core schema ships): used
   * instead of parsing. Called for each parse; it must return a fresh tree
   * every time (a package's hidden names are qualified in place).
   */
  parsed?: () => File;
}

/** One entry of an embed directory listing. */
export interface EmbedEntry {
  name: string;
  kind: 'file' | 'dir' | 'symlink' | 'other';
}

/**
 * Read access for `@embed`, scoped to the directory of one file and confined
 * to its module. Paths are relative to that directory, '/'-separated and
 * clean (`.` for the directory itself; never absolute, never `..`): the
 * engine checks them before asking. An implementation refuses symbolic links
 * and anything that is not a regular file or directory, and files larger than
 * `maxBytes`, rejecting with an Error whose message says why.
 */
export interface EmbedFiles {
  /** Entries of a directory, sorted by name. */
  readDir(dir: string): Promise<EmbedEntry[]>;
  /** The bytes of a regular file. */
  readFile(path: string, maxBytes: number): Promise<Uint8Array>;
  /** What is at `path` (not following a link), undefined when nothing is. */
  kind(path: string): Promise<EmbedEntry['kind'] | undefined>;
}

/** Resolves an import path to the files of one package (the loader and opm core provide these). */
export interface ImportResolver {
  /**
   * Returns the package's files for an import path such as
   * `platform.company.com/catalog/simple-web-app:1.0.0-platform.1`, or undefined if this
   * resolver does not serve it. Builtin packages (`strings`, ...) never reach the resolver.
   */
  resolve(importPath: string, fromFile: string): Promise<ResolvedPackage | undefined> | ResolvedPackage | undefined;
}

export interface ResolvedPackage {
  /** Identity for caching (same id → same instance). */
  id: string;
  /** The package name the files must declare (derived from the path if absent). */
  packageName?: string;
  files: Source[];
}

export interface BuildOptions {
  /** Extra packages by import path, already built (e.g. opm's core schema). */
  imports?: Record<string, Value>;
  resolver?: ImportResolver;
  /** Declarations made visible in the package scope of the built files as if declared there (e.g. `#ModuleRelease`). */
  scope?: Value;
  /** Tags for `@if(tag)` attributes and `@tag()` injection. */
  tags?: Record<string, string | boolean>;
}

export interface Context {
  /** Parses source text; throws CueErrorList with file:line:col on syntax errors. */
  parse(source: Source): File;
  /** Evaluates the files of one package (all must declare the same package). */
  build(files: Source[] | File[], opts?: BuildOptions): Promise<Value>;
  /**
   * Builds a package as an import of it is built, cached by its id: imports
   * resolved to the same id later get this value instead of building again.
   */
  buildPackage(pkg: ResolvedPackage, opts?: BuildOptions): Promise<Value>;
  /** Synchronous variant for sources without non-builtin imports. */
  compile(source: string | Source | Source[], opts?: Omit<BuildOptions, 'resolver'>): Value;
  /** Converts plain JS data (JSON-like; bigint allowed) into a Value. */
  encode(x: unknown): Value;
}

export type { CueError, ErrorCode };
