// Printing an evaluated value as CUE source, like `cue eval`: concrete data,
// constraints (`int`, `>=1`), disjunctions with defaults, and, on request,
// definitions, hidden and optional fields.
import { detachedConstraint, expand } from '../eval/evaluator.js';
import { structValidators } from '../eval/finish.js';
import { patternGroups } from '../eval/equality.js';
import { quoteBytes, quoteString, show, showValidator, type Val } from '../eval/values.js';
import { isDefLabel, isRegularLabel, labelName, listElems, type Vertex } from '../eval/vertex.js';
import { formatFloat } from '../eval/numbers.js';
import { formatNode } from '../format.js';
import { type Expr } from '../ast.js';
import { unparen } from '../syntax.js';

export interface CueOpts {
  definitions?: boolean;
  optional?: boolean;
  hidden?: boolean;
  attributes?: boolean;
}

const identRe = /^[#_]*[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatLabel(l: string): string {
  if (l !== labelName(l)) return quoteString(labelName(l));
  return identRe.test(l) && !['if', 'for', 'in', 'let', 'true', 'false', 'null'].includes(l) ? l : quoteString(l);
}

export function valToCUE(v: Val, opts: CueOpts, indent = '', depth = 0): string {
  if (depth > 100) return '_|_ // structural cycle';
  switch (v.t) {
    case 'vertex':
      return vertexToCUE(v, opts, indent, depth);
    case 'float':
      return formatFloat(v.d);
    case 'string':
      return v.s.includes('\n') ? multiline(v.s, indent) : quoteString(v.s);
    case 'bytes':
      return quoteBytes(v.s);
    case 'bottom':
      return `_|_ // ${v.msg.split('\n')[0]}`;
    default:
      return show(v);
  }
}

/** An element that is an error, printed with its comment (`_|_ // msg`, `..._|_ // msg`). */
const ERR_COMMENT = /^(\.\.\.)?_\|_ \/\/ [^\n]*$/;

function multiline(s: string, indent: string): string {
  const inner = indent + '\t';
  const lines = s.split('\n').map((l) => (l ? inner + JSON.stringify(l).slice(1, -1).replace(/\\"/g, '"').replace(/"""/g, '\\"""') : ''));
  return `"""\n${lines.join('\n')}\n${inner}"""`;
}

function vertexToCUE(v: Vertex, opts: CueOpts, indent: string, depth: number): string {
  expand(v);
  const incompleteExpr = printIncomplete(v);
  if (incompleteExpr) return incompleteExpr;
  if (v.err) return `_|_ // ${v.err.msg.split('\n')[0]}`;
  if (v.incompleteErr) return `_|_ // ${v.incompleteErr.msg.split('\n')[0]}`;
  if (v.disjuncts) {
    return v.disjuncts
      .map((d, i) => (v.disjMarked && v.disjMarks![i] ? '*' : '') + vertexToCUE(d, opts, indent, depth + 1))
      .join(' | ');
  }
  const inner = indent + '\t';
  if (v.isList) {
    const items = listElems(v).map((a) => valToCUE(a, opts, inner, depth + 1));
    if (v.listOpen) {
      // `[...T]` prints T as it evaluates (`[...string & =~"^a"]`), as `cue eval` does.
      const elem = v.listElem.length ? valToCUE(detachedConstraint(v, String(items.length), v.listElem), opts, inner, depth + 1) : '_';
      items.push(elem === '_' ? '...' : `...${elem}`);
    }
    if (items.length === 0) return '[]';
    const flat = `[${items.join(', ')}]`;
    // An element ending in an error's comment (`_|_ // msg`) would comment out what follows it on its line.
    if (flat.length < 60 && !flat.includes('\n') && !items.some((x) => ERR_COMMENT.test(x))) return flat;
    return `[\n${items.map((x) => inner + (ERR_COMMENT.test(x) ? x.replace(' // ', ', // ') : `${x},`)).join('\n')}\n${indent}]`;
  }
  const lines: string[] = [];
  const hasArcs = v.arcs.size > 0;
  if (!v.isStruct && !hasArcs) return valToCUE(v.base, opts, indent, depth);
  if (v.base.t !== 'top') lines.push(valToCUE(v.base, opts, inner, depth + 1));
  const validators = structValidators(v);
  if (validators) for (const x of validators) lines.push(showValidator(x));
  // Pattern constraints (`[string]: int`), with their value as it evaluates.
  // (Equal patterns print once, with their constraints together: equality.ts patternGroups.)
  for (const p of patternGroups(v.patterns)) {
    const label = valToCUE(p.pattern, opts, inner, depth + 1);
    if (label.includes('\n')) continue;
    // Its aliases are written back: the constraint, printed unevaluated where it uses them, refers to them.
    // `[Id= =~"x"]`: written together, `Id==~"x"` would read as `Id ==` and a stray `~`.
    const alias = p.alias ? (label.startsWith('=') ? `${p.alias}= ` : `${p.alias}=`) : '';
    const fieldAlias = p.fieldAlias ? `${p.fieldAlias}=` : '';
    lines.push(`${fieldAlias}[${alias}${label}]: ${valToCUE(detachedConstraint(v, '_', p.conjs), opts, inner, depth + 1)}`);
  }
  for (const kv of v.arcs) {
    const l = kv[0];
    const a = kv[1];
    if (isDefLabel(l) && !opts.definitions) continue;
    if (!isRegularLabel(l) && !isDefLabel(l) && !opts.hidden) continue;
    if (a.fieldKind !== 'regular' && !opts.optional && !isDefLabel(l)) {
      if (a.fieldKind === 'optional') continue;
    }
    const mark = a.fieldKind === 'optional' ? '?' : a.fieldKind === 'required' ? '!' : '';
    let line = `${formatLabel(l)}${mark}: ${valToCUE(a, opts, inner, depth + 1)}`;
    if (opts.attributes && a.attrs.length) line += ' ' + a.attrs.map((x) => x.text).join(' ');
    lines.push(line);
  }
  if (lines.length === 0) return v.base.t === 'top' ? '{}' : valToCUE(v.base, opts, indent, depth);
  // Only the embedded scalar is left (`{1}`, a comprehension's `{e}` in a list): it prints as that scalar, as `cue eval` does.
  if (lines.length === 1 && v.base.t !== 'top') return lines[0]!;
  return `{\n${lines.map((x) => inner + x).join('\n')}\n${indent}}`;
}

/**
 * The labels of a struct's pattern constraints (`[string]`, `[=~"^x-"]`) as
 * valToCUE prints them, without their aliases: what a caller would otherwise
 * read back out of the printed struct. None for anything that does not print
 * as a struct (a scalar, list, disjunction, error or incomplete value).
 */
export function patternLabels(v: Val): string[] {
  if (v.t !== 'vertex') return [];
  expand(v);
  if (printIncomplete(v) || v.err || v.incompleteErr || v.disjuncts || v.isList) return [];
  if (!v.isStruct && v.arcs.size === 0) return [];
  const out: string[] = [];
  for (const p of patternGroups(v.patterns)) {
    const label = valToCUE(p.pattern, {}, '\t', 1);
    if (!label.includes('\n')) out.push(`[${label}]`);
  }
  return out;
}

/**
 * An incomplete value prints as the expression it is waiting on (`a + 1`),
 * like `cue eval` does.
 */
function printIncomplete(v: Vertex): string | undefined {
  const b = v.err ?? (v.base.t === 'bottom' ? v.base : undefined);
  if (!b || b.code !== 'incomplete' || v.isStruct || v.isList) return undefined;
  // A disjunct (a clone of the field) prints the term it took in place of
  // the disjunction it took it from: `a: *b | int` is `*b | int`, not
  // `**b | int | int`.
  const chosen = v.chosenTerms;
  const exprs = v.conjuncts.filter((c) => c.expr).map((c) => formatNode(chosen ? withChosen(c.expr!, chosen) : c.expr!));
  if (!exprs.length || exprs.some((e) => e.includes('\n'))) return undefined;
  return exprs.join(' & ');
}

/** e with each disjunction the clone chose a term of (in e's operands of `&`, `|`, parentheses) replaced by that term. */
function withChosen(e: Expr, chosen: Map<Expr, Expr>): Expr {
  const t = chosen.get(unparen(e));
  if (t) return t;
  if (e.type === 'ParenExpr') {
    const x = withChosen(e.expr, chosen);
    return x === e.expr ? e : { ...e, expr: x };
  }
  if (e.type === 'BinaryExpr') {
    const x = withChosen(e.x, chosen);
    const y = withChosen(e.y, chosen);
    return x === e.x && y === e.y ? e : { ...e, x, y };
  }
  return e;
}

/** Top-level printing: a struct prints its fields without braces, like `cue eval`. */
export function toCUEFile(v: Val, opts: CueOpts): string {
  const s = valToCUE(v, opts, '', 0);
  if (v.t === 'vertex' && !v.isList && !v.disjuncts && s.startsWith('{\n') && s.endsWith('\n}')) {
    return s
      .slice(2, -2)
      .split('\n')
      .map((l) => (l.startsWith('\t') ? l.slice(1) : l))
      .join('\n');
  }
  return s;
}
