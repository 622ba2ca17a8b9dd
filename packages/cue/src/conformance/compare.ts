// `@test(eq, EXPR)`: compares the expected expression's syntax tree against an
// evaluated Value, like Go's inline runner (astcmp.go). Structs and lists are
// walked field by field (definitions, hidden, optional and required fields
// included; unexpected fields fail); disjunctions are matched disjunct by
// disjunct when the engine exposes them (Value.disjuncts); other leaves are
// compiled on their own and compared with Value.equals. Closedness is not
// part of eq (the corpus asserts it with @test(closed)).
import type { Context, FieldInfo, Value } from '../api.js';
import type { Attribute, Expr, Field, StructLit } from '../ast.js';
import { unparen } from '../syntax.js';
import { formatNode } from '../format.js';
import { parseTestDirective } from './directive.js';
import { checkErr, oneLine, parseErrSpec, show } from './errcheck.js';
import { labelSelector } from './extract.js';
import { compileLeaf } from './leaf.js';
import { expand } from '../eval/sched.js';
import { structValidators } from '../eval/finish.js';
import { showValidator, type ValidatorV, type Val } from '../eval/values.js';

export interface CompareEnv {
  ctx: Context;
  /** Base line for relative `pos=` of nested `@test(err)`. */
  baseLine: number;
  /** Source the expected expression was parsed from (for messages). */
  text: string;
  /** Secondary mismatches (error text, positions). */
  notes: string[];
  /** Go-internal checks met inside the expected value (final, shareID): reported as unsupported. */
  unsupported: string[];
}

type Result = string | undefined; // undefined: equal; else why not

/**
 * An embedded value of an expected struct (`{_a: [1], 1}`): the struct's own
 * fields are checked by the struct comparison, so the embedded scalar or list
 * is compared without rejecting them.
 */
async function compareEmbed(env: CompareEnv, expr: Expr, val: Value, path: string): Promise<Result> {
  const e = unparen(expr);
  if (e.type === 'ListLit') return compareList(env, e, val, path);
  if (e.type === 'Ident' && e.name === '_') return undefined; // embedding top adds nothing
  if (e.type === 'CallExpr' || e.type === 'SelectorExpr') {
    const r = await compareEmbeddedValidator(env, e, val, path);
    if (r !== NOT_A_VALIDATOR) return r;
  }
  return compare(env, e, val, path, true);
}

const NOT_A_VALIDATOR = 'not a validator';

/**
 * A validator embedded in an expected struct (`{matchN(0, []), a?: int}`):
 * the struct is not the validator, it carries it beside its fields. So each
 * of the expected validators must be one the struct keeps (finish.ts
 * structValidators), compared as printed; the fields are the struct
 * comparison's. Anything that does not compile to validators alone is
 * compared as any embedded value.
 */
async function compareEmbeddedValidator(env: CompareEnv, e: Expr, val: Value, path: string): Promise<Result> {
  let expected: Value;
  try {
    expected = await compileLeaf(env.ctx, e);
  } catch {
    return NOT_A_VALIDATOR;
  }
  const want = validatorsOf(internal(expected));
  if (!want?.length) return NOT_A_VALIDATOR;
  const actual = internal(val);
  if (actual.t !== 'vertex' || !actual.isStruct) return NOT_A_VALIDATOR;
  const have = (structValidators(actual) ?? []).map(showValidator);
  for (const x of want) if (!have.includes(showValidator(x))) return at(path, `expected the struct to carry ${showValidator(x)}, it has ${have.length ? have.join(' & ') : 'no validator'}`);
  return undefined;
}

/** The value behind the API's Value (the runner is part of the engine's package). */
function internal(v: Value): Val {
  const x = (v as unknown as { __val: Val }).__val;
  if (x.t === 'vertex') expand(x);
  return x;
}

/** The validators a compiled expected value consists of, or undefined when it has anything else (kinds, bounds, fields). */
function validatorsOf(x: Val): readonly ValidatorV[] | undefined {
  if (x.t === 'vertex') {
    if (x.arcs.size || x.err || x.disjuncts) return undefined;
    if (x.isStruct) return structValidators(x);
    x = x.base;
  }
  if (x.t !== 'cons' || x.bounds.length || !x.validators.length) return undefined;
  return x.validators;
}

export async function compare(env: CompareEnv, expr: Expr, val: Value, path: string, embedded = false): Promise<Result> {
  const e = unparen(expr);
  if (e.type !== 'StructLit' && !val.isConcrete() && val.disjuncts) {
    const dj = val.disjuncts();
    if (dj && !isDisjunction(e)) return at(path, `value is a disjunction (${dj.length} disjuncts) but the expected expression is not`);
  }
  switch (e.type) {
    case 'StructLit':
      return compareStruct(env, e, val, path);
    case 'ListLit':
      return (embedded ? undefined : await noExtraFields(val, path)) ?? compareList(env, e, val, path);
    case 'BinaryExpr':
      if (e.op === '|') return compareDisjunction(env, e, val, path);
      break;
    case 'BottomLit':
      return val.err() || val.kind() === 'bottom' ? undefined : at(path, `expected _|_, got${show(val) || ' a non-error value'}`);
    case 'BasicLit':
    case 'Ident':
      return (embedded ? undefined : await noExtraFields(val, path)) ?? compareLeaf(env, e, val, path);
    default:
      break;
  }
  return compareLeaf(env, e, val, path);
}

async function compareLeaf(env: CompareEnv, e: Expr, val: Value, path: string): Promise<Result> {
  let expected: Value;
  try {
    expected = await compileLeaf(env.ctx, e);
  } catch (err) {
    return at(path, `cannot compile expected ${src(env, e)}: ${oneLine((err as Error).message)}`);
  }
  // An expected value that is itself an error (e.g. an undefined reference) could only match by accident.
  const cerr = expected.err();
  if (cerr) return at(path, `cannot compile expected ${src(env, e)}: ${oneLine(cerr.message)}`);
  if (val.equals(expected)) return undefined;
  return at(path, `expected ${src(env, e)}, got${show(val) || ' a different value'}`);
}

async function compareList(env: CompareEnv, l: Extract<Expr, { type: 'ListLit' }>, val: Value, path: string): Promise<Result> {
  // Open lists (`[...int]`) have no element-wise form: compare them whole.
  if (l.elts.some((x) => x.type === 'Ellipsis' || x.type === 'Comprehension')) return compareLeaf(env, l, val, path);
  if (val.kind() !== 'list' && !val.incompleteKinds().includes('list')) return at(path, `expected a list, got ${val.kind()}${show(val)}`);
  const elems = val.elements();
  if (elems.length !== l.elts.length) return at(path, `list: expected ${l.elts.length} elements, value has ${elems.length}`);
  for (let i = 0; i < elems.length; i++) {
    const r = await compare(env, l.elts[i]!, elems[i]!, `${path}[${i}]`);
    if (r) return r;
  }
  return undefined;
}

async function compareDisjunction(env: CompareEnv, e: Expr, val: Value, path: string): Promise<Result> {
  if (!val.disjuncts) return compareLeaf(env, e, val, path);
  const dj = val.disjuncts();
  if (!dj) return at(path, `expected a disjunction ${src(env, e)}, got${show(val) || ' a non-disjunction'}`);
  const want = flattenDisjunction(e, false);
  for (const isDefault of [true, false]) {
    const w = want.filter((d) => d.isDefault === isDefault);
    const g = dj.filter((d) => d.isDefault === isDefault);
    const kind = isDefault ? 'default' : 'non-default';
    if (w.length !== g.length) return at(path, `disjunction: expected ${w.length} ${kind} disjunct(s), got ${g.length}${show(val)}`);
    const used = new Set<number>();
    for (const d of w) {
      let found = false;
      for (let j = 0; j < g.length && !found; j++) {
        if (used.has(j)) continue;
        const sub: CompareEnv = { ...env, notes: [], unsupported: [] };
        if ((await compare(sub, d.expr, g[j]!.value, path)) === undefined) {
          used.add(j);
          found = true;
          env.notes.push(...sub.notes);
          env.unsupported.push(...sub.unsupported);
        }
      }
      if (!found) return at(path, `no matching ${kind} disjunct for ${src(env, d.expr)} in${show(val)}`);
    }
  }
  return undefined;
}

interface ExpectedField {
  name: string;
  constraint: Field['constraint'];
  field: Field;
  final: boolean;
  ignore: boolean;
  err?: Attribute;
  attrs: Attribute[];
}

async function compareStruct(env: CompareEnv, s: StructLit, val: Value, path: string): Promise<Result> {
  const fields: ExpectedField[] = [];
  let hasEmbed = false;
  let embedBottom = false;
  let structErr: Attribute | undefined;
  let allFinal = false;
  const shareIDs = new Set<string>();
  for (const d of s.decls) {
    if (d.type === 'Attribute' && d.name === 'test') {
      const t = safeDirective(d);
      if (t?.name === 'final') {
        allFinal = true;
        env.unsupported.push(`${path || '.'}: @test(final) inside eq`);
      } else if (t?.name === 'err') structErr = d;
    } else if (d.type === 'Field') {
      const name = labelSelector(d.label);
      if (typeof name !== 'string') {
        // The Value API cannot list pattern constraints: say so rather than pass silently.
        env.notes.push(at(path, 'pattern constraints of the expected struct are not compared'));
        continue;
      }
      // `_x$pkg` names a hidden field of package pkg; `$` is otherwise an identifier character.
      const ef: ExpectedField = { name: name.startsWith('_') ? name.replace(/\$.*$/, '') : name, constraint: d.constraint, field: d, final: false, ignore: false, attrs: [] };
      for (const a of d.attrs) {
        if (a.name !== 'test') {
          ef.attrs.push(a);
          continue;
        }
        const t = safeDirective(a);
        if (!t) continue;
        if (t.name === 'final') {
          ef.final = true;
          env.unsupported.push(`${path}.${ef.name}: @test(final) inside eq`);
        } else if (t.name === 'ignore') ef.ignore = true;
        else if (t.name === 'err') ef.err = a;
        else if (t.name === 'shareID' || t.name === 'share') {
          env.unsupported.push(`${path}.${ef.name}: ${a.text}`);
          const id = t.firstValue ?? '';
          if (shareIDs.has(id)) ef.ignore = true;
          shareIDs.add(id);
        }
      }
      fields.push(ef);
    } else if (d.type === 'LetClause') {
      env.notes.push(at(path, `let ${d.ident.name} of the expected struct is not compared`));
    } else if (d.type === 'Embed') {
      hasEmbed = true;
      if (unparen(d.expr).type === 'BottomLit') embedBottom = true;
      const r = await compareEmbed(env, d.expr, val, path);
      if (r) return r;
    }
  }

  let actual: FieldInfo[] = [];
  try {
    actual = val.fields({ optional: true, definitions: true, hidden: true });
  } catch {
    actual = [];
  }
  if (!hasEmbed) {
    const err = val.err();
    if (err && actual.length === 0) return at(path, `value is an error (${oneLine(err.message)}) but the expected struct has no embedded _|_`);
    const kinds = val.kind() === 'incomplete' ? val.incompleteKinds() : [val.kind()];
    if (!err && !kinds.includes('struct')) return at(path, `expected a struct, got ${kinds.join('|')}${show(val)}`);
  }
  if (structErr) {
    const out = checkErr(val, parseErrSpec(safeDirective(structErr)?.args ?? []), env.baseLine);
    env.notes.push(...out.notes.map((n) => at(path, n)));
    if (out.failure) return at(path, out.failure);
  }
  if (embedBottom) return undefined; // the struct is asserted to be an error; its fields are informative

  const seen = new Set<FieldInfo>();
  for (const ef of fields) {
    const info = actual.find((f) => f.label === ef.name && !seen.has(f));
    const fpath = `${path}.${ef.name}`;
    if (ef.ignore) {
      if (info) seen.add(info);
      if (info && ef.err) {
        const out = checkErr(info.value, parseErrSpec(safeDirective(ef.err)?.args ?? []), env.baseLine);
        if (out.failure) return at(fpath, out.failure);
      }
      continue;
    }
    if (!info) return at(path, `field ${JSON.stringify(ef.name + ef.constraint)} not found in value`);
    seen.add(info);
    const gotConstraint = info.required ? '!' : info.optional ? '?' : '';
    if (gotConstraint !== ef.constraint) return at(fpath, `expected a${constraintName(ef.constraint)} field, value has a${constraintName(gotConstraint)} field`);
    if (ef.err) {
      const out = checkErr(info.value, parseErrSpec(safeDirective(ef.err)?.args ?? []), env.baseLine);
      env.notes.push(...out.notes.map((n) => at(fpath, n)));
      if (out.failure) return at(fpath, out.failure);
      continue;
    }
    const r = ef.final || allFinal ? await compareLeaf(env, ef.field.value, info.value.default(), fpath) : await compare(env, ef.field.value, info.value, fpath);
    if (r) return r;
    const ar = compareAttrs(ef.attrs, info.attrs);
    if (ar) return at(fpath, ar);
  }
  const closed = val.isClosed();
  for (const f of actual) {
    if (seen.has(f)) continue;
    // A closed struct may carry disallowed optional fields as errors: not part of its shape.
    if (closed && f.optional && f.value.err()) continue;
    return at(path, `unexpected field ${JSON.stringify(f.label + (f.optional ? '?' : f.required ? '!' : ''))} in value`);
  }
  return undefined;
}

function compareAttrs(expected: Attribute[], actual: { name: string; body: string }[]): string | undefined {
  const got = actual.filter((a) => a.name !== 'test');
  const used = new Set<number>();
  for (const e of expected) {
    const j = got.findIndex((g, k) => !used.has(k) && g.name === e.name && g.body === e.body);
    if (j < 0) return `expected attribute @${e.name}(${e.body}), not found in value`;
    used.add(j);
  }
  const extra = got.find((_, k) => !used.has(k));
  return extra ? `unexpected attribute @${extra.name}(${extra.body}) in value` : undefined;
}

/** Hidden fields and definitions are invisible in a scalar or list expected value: reject them (Go's checkNoExtraFields). */
async function noExtraFields(val: Value, path: string): Promise<Result> {
  let infos: FieldInfo[];
  try {
    infos = val.fields({ definitions: true, hidden: true });
  } catch {
    return undefined;
  }
  const extra = infos.find((f) => f.definition || f.hidden);
  return extra ? at(path, `value has field ${JSON.stringify(extra.label)} not present in the non-struct expected expression`) : undefined;
}

function constraintName(c: string): string {
  return c === '?' ? 'n optional' : c === '!' ? ' required' : ' regular';
}

function flattenDisjunction(e: Expr, isDefault: boolean): { expr: Expr; isDefault: boolean }[] {
  const u = unparen(e);
  if (u.type === 'BinaryExpr' && u.op === '|') return [...flattenDisjunction(u.x, isDefault), ...flattenDisjunction(u.y, isDefault)];
  if (u.type === 'UnaryExpr' && u.op === '*') return flattenDisjunction(u.x, true);
  return [{ expr: u, isDefault }];
}

function isDisjunction(e: Expr): boolean {
  const u = unparen(e);
  return u.type === 'BinaryExpr' && u.op === '|';
}

function safeDirective(a: Attribute) {
  try {
    return parseTestDirective(a.body, a.text);
  } catch {
    return undefined;
  }
}

/** An expected sub-expression as CUE text, for messages. */
function src(env: CompareEnv, e: Expr): string {
  try {
    return oneLine(formatNode(e));
  } catch {
    if (e.end && e.end.offset > e.pos.offset) return oneLine(env.text.slice(e.pos.offset, e.end.offset));
    return `(expression at ${e.pos.line}:${e.pos.col})`;
  }
}

function at(path: string, msg: string): string {
  return path ? `${path}: ${msg}` : msg;
}
