// Prints CUE ASTs as canonical source: tab indentation, one declaration per
// line, `label: value` with a single space, binary operators spaced, and
// parentheses added only where precedence requires them. Literals are printed
// from their raw text, so re-parsing the output yields an equivalent AST.

import type { Attribute, Clause, Comment, Decl, Expr, Field, File, ImportSpec, Interpolation, Label, ListLit, Node, StructLit } from './ast.js';
import { binaryPrecedence } from './ast.js';
import { quoteBytes, quoteString } from './literal.js';

export interface FormatOptions {
  /**
   * Follow the source layout as `cue fmt` does (for `opm cue fmt`): keep one blank line where the source had any,
   * keep structs and lists that were written on one line inline, and align the values of consecutive one-line
   * fields. Off for synthesized ASTs (export, conformance), whose positions mean nothing.
   */
  source?: boolean;
}

/** Formats any AST node. Files end with a newline; other nodes do not. */
export function formatNode(node: Node, opts: FormatOptions = {}): string {
  const p = new Printer(!!opts.source);
  switch (node.type) {
    case 'File':
      return p.file(node);
    case 'ImportSpec':
      return p.importSpec(node);
    case 'Field':
    case 'Embed':
    case 'LetClause':
    case 'Comprehension':
    case 'Ellipsis':
    case 'Attribute':
      return p.decl(node, 0);
    case 'ParenLabel':
    case 'PatternLabel':
    case 'AliasLabel':
      return p.label(node, 0);
    case 'ForClause':
    case 'IfClause':
    case 'TryClause':
      return p.clause(node, 0);
    default:
      return p.expr(node, 0);
  }
}

function tabs(n: number): string {
  return '\t'.repeat(n);
}

function escapeInString(s: string, quote: '"' | "'"): string {
  const q = quote === '"' ? quoteString(s) : quoteBytes(s);
  return q.slice(1, -1);
}

/** One output line for alignment: tab-separated cells (aligned per column block, as Go's tabwriter) and the rest. */
interface Row {
  cells: string[];
  rest: string;
}

/** Pads cell k of each run of consecutive rows having a cell k to the run's widest cell plus one space. */
function alignRows(rows: Row[]): string[] {
  const width = (s: string) => [...s].length;
  const out = rows.map((r) => ({ ...r, cells: [...r.cells] }));
  const maxCols = Math.max(0, ...rows.map((r) => r.cells.length));
  for (let k = 0; k < maxCols; k++) {
    for (let i = 0; i < out.length; ) {
      if (out[i]!.cells.length <= k) {
        i++;
        continue;
      }
      let j = i;
      let w = 0;
      for (; j < out.length && out[j]!.cells.length > k; j++) w = Math.max(w, width(out[j]!.cells[k]!));
      for (let m = i; m < j; m++) out[m]!.cells[k] = out[m]!.cells[k]! + ' '.repeat(w + 1 - width(out[m]!.cells[k]!));
      i = j;
    }
  }
  return out.map((r) => r.cells.join('') + r.rest);
}

/** Whether a field value forces a line break after it in `cue fmt` (and so takes no part in alignment). */
function breaksAlignment(e: Expr): boolean {
  switch (e.type) {
    case 'StructLit':
    case 'ListLit':
      return true;
    case 'ParenExpr':
      return breaksAlignment(e.expr);
    case 'UnaryExpr':
      return breaksAlignment(e.x);
    case 'BinaryExpr':
      return breaksAlignment(e.x) || breaksAlignment(e.y);
    case 'IndexExpr':
    case 'SelectorExpr':
      return breaksAlignment(e.x);
    case 'CallExpr':
      return e.args.some(breaksAlignment);
  }
  return false;
}

/** `cue fmt`'s nesting depth of a field: 1 plus that of the single field of a shorthand struct value; 0 otherwise. */
function nestDepth(d: Decl): number {
  if (d.type !== 'Field') return 0;
  const v = d.value;
  if (v.type !== 'StructLit') return 1;
  if (v.decls.length !== 1) return 0;
  const inner = v.decls[0]!;
  return inner.type === 'Field' ? 1 + nestDepth(inner) : 1;
}

/** The field of a brace-less single-field struct value: it came from the `a: b: c` shorthand, kept as written. */
function shorthandField(f: Field): Field | undefined {
  const v = f.value;
  if (v.type !== 'StructLit' || v.end || f.attrs.length !== 0 || v.decls.length !== 1 || v.comments) return undefined;
  const d = v.decls[0]!;
  return d.type === 'Field' && !d.comments ? d : undefined;
}

function startLine(n: Node): number {
  return n.comments?.doc?.[0]?.pos.line ?? n.pos.line;
}

function endLine(n: Node): number {
  return Math.max(n.comments?.line?.pos.line ?? 0, n.end?.line ?? n.pos.line);
}

class Printer {
  constructor(private readonly source = false) {}

  file(f: File): string {
    const sections: string[] = [];
    if (f.attrs.length) sections.push(f.attrs.map((a) => a.text).join('\n'));
    if (f.package) {
      sections.push(this.docs(f.comments?.doc, 0) + `package ${f.package.name}`);
    } else if (f.comments?.doc?.length) {
      sections.push(f.comments.doc.map((c) => c.text).join('\n'));
    }
    if (f.imports.length) {
      if (f.imports.length === 1 && !f.imports[0]!.comments) sections.push(`import ${this.importSpec(f.imports[0]!)}`);
      else sections.push(`import (\n${f.imports.map((s) => '\t' + this.docs(s.comments?.doc, 1) + this.importSpec(s) + this.lineComment(s.comments?.line)).join('\n')}\n)`);
    }
    const body = this.declLines(f.decls, 0, f.comments?.trailing);
    if (body) sections.push(body);
    return sections.length ? sections.join('\n\n') + '\n' : '';
  }

  importSpec(s: ImportSpec): string {
    return (s.name ? `${s.name.name} ` : '') + JSON.stringify(s.path);
  }

  private docs(doc: Comment[] | undefined, ind: number): string {
    if (!doc?.length) return '';
    return doc.map((c) => c.text).join('\n' + tabs(ind)) + '\n' + tabs(ind);
  }

  private lineComment(c: Comment | undefined): string {
    return c ? ` ${c.text}` : '';
  }

  /** Declarations one per line at indentation `ind` (the first line carries its own indentation too). */
  private declLines(decls: Decl[], ind: number, trailing: Comment[] | undefined): string {
    if (this.source) return this.sourceDeclLines(decls, ind, trailing);
    const out: string[] = [];
    for (const d of decls) {
      out.push(tabs(ind) + this.docs(d.comments?.doc, ind) + this.decl(d, ind) + this.lineComment(d.comments?.line));
    }
    for (const c of trailing ?? []) out.push(tabs(ind) + c.text);
    return out.join('\n');
  }

  /**
   * Source mode: a blank line where the source had one or more, and the values of consecutive one-line fields
   * aligned. A run of alignment ends at a blank or comment line, a multi-line field or value, a struct or list
   * value, a non-field declaration, and where the shorthand nesting depth (`a: b: 1`) changes.
   */
  private sourceDeclLines(decls: Decl[], ind: number, trailing: Comment[] | undefined): string {
    const rows: Row[] = [];
    const pad = tabs(ind);
    const breakRow = (text: string) => rows.push({ cells: [], rest: text });
    let prevEnd = -1;
    let prevDepth = -1;
    for (const d of decls) {
      if (prevEnd >= 0 && startLine(d) - prevEnd > 1) breakRow('');
      for (const c of d.comments?.doc ?? []) {
        if (prevEnd >= 0 && c.pos.line - prevEnd > 1 && rows[rows.length - 1]?.rest !== '') breakRow('');
        breakRow(pad + c.text);
        prevEnd = c.pos.line;
      }
      if (d.comments?.doc?.length && d.pos.line - prevEnd > 1) breakRow('');
      const depth = nestDepth(d);
      if (depth !== prevDepth) breakRow('\u0000');
      prevDepth = depth;
      prevEnd = endLine(d);
      const comment = d.comments?.line?.text;
      const split = d.type === 'Field' ? this.fieldCells(d, ind) : undefined;
      if (split && !split.value.includes('\n')) {
        // Columns: label, value, attributes; a trailing comment is aligned as the last column.
        const cells = [pad + split.head];
        let rest = split.value;
        if (split.attrs) {
          cells.push(rest);
          rest = split.attrs;
        }
        if (comment) {
          cells.push(rest);
          rest = comment;
        }
        rows.push({ cells, rest });
        continue;
      }
      const line = this.lineComment(d.comments?.line);
      breakRow(pad + this.decl(d, ind) + line);
      prevDepth = -1;
    }
    for (const c of trailing ?? []) {
      if (prevEnd >= 0 && c.pos.line - prevEnd > 1) breakRow('');
      breakRow(pad + c.text);
      prevEnd = c.pos.line;
    }
    // '\u0000' rows only end alignment runs; they print nothing.
    return alignRows(rows)
      .filter((l) => l !== '\u0000')
      .join('\n');
  }

  /** An alignable field split into `label:` (with shorthand labels), value and attributes; undefined if not alignable. */
  private fieldCells(f: Field, ind: number): { head: string; value: string; attrs: string } | undefined {
    let head = '';
    let cur = f;
    for (;;) {
      head += this.fieldLabel(cur, ind) + cur.constraint + ':';
      const inner = shorthandField(cur);
      if (!inner) break;
      cur = inner;
      head += ' ';
    }
    if (breaksAlignment(cur.value)) return undefined;
    return { head, value: this.expr(cur.value, ind), attrs: cur.attrs.map((a) => a.text).join(' ') };
  }

  decl(d: Decl, ind: number): string {
    switch (d.type) {
      case 'Field':
        return this.field(d, ind);
      case 'Embed':
        return this.expr(d.expr, ind);
      case 'LetClause':
        return `let ${d.ident.name} = ${this.expr(d.expr, ind)}`;
      case 'Comprehension':
        return this.expr(d, ind);
      case 'Ellipsis':
        return this.expr(d, ind);
      case 'Attribute':
        return d.text;
    }
  }

  private attrs(attrs: Attribute[]): string {
    return attrs.map((a) => ' ' + a.text).join('');
  }

  private field(f: Field, ind: number): string {
    let s = this.fieldLabel(f, ind) + f.constraint + ': ';
    const inner = shorthandField(f);
    if (inner) s += this.field(inner, ind);
    else s += this.expr(f.value, ind) + this.attrs(f.attrs);
    return s;
  }

  /** A field's label, printing an @experiment(aliasv2) postfix alias back in its written form. */
  private fieldLabel(f: Field, ind: number): string {
    const pa = f.postfixAlias;
    if (!pa) return this.label(f.label, ind);
    // Undo the parser's desugaring into AliasLabel / PatternLabel.alias.
    let base: Label = f.label;
    if (pa.field && base.type === 'AliasLabel' && base.alias.name === pa.field.name) base = base.label;
    if (pa.label && base.type === 'PatternLabel' && base.alias?.name === pa.label.name) base = { ...base, alias: undefined };
    const suffix = pa.dual ? `~(${pa.label?.name ?? '_'},${pa.field?.name ?? '_'})` : `~${pa.field?.name ?? '_'}`;
    return this.label(base, ind) + suffix;
  }

  label(l: Label, ind: number): string {
    switch (l.type) {
      case 'Ident':
        return l.name;
      case 'BasicLit':
      case 'Interpolation':
        return this.expr(l, ind);
      case 'ParenLabel':
        return `(${this.expr(l.expr, ind)})`;
      case 'PatternLabel':
        return `[${l.alias ? l.alias.name + '=' : ''}${l.alias ? this.spaceIfEq(this.expr(l.expr, ind)) : this.expr(l.expr, ind)}]`;
      case 'AliasLabel':
        return `${l.alias.name}=${this.label(l.label, ind)}`;
    }
  }

  clause(c: Clause, ind: number): string {
    switch (c.type) {
      case 'ForClause':
        return `for ${c.key ? c.key.name + ', ' : ''}${c.value.name} in ${this.expr(c.source, ind)}`;
      case 'IfClause':
        return `if ${this.expr(c.condition, ind)}`;
      case 'LetClause':
        return `let ${c.ident.name} = ${this.expr(c.expr, ind)}`;
      case 'TryClause':
        return c.ident && c.expr ? `try ${c.ident.name} = ${this.expr(c.expr, ind)}` : 'try';
    }
  }

  private struct(s: StructLit, ind: number): string {
    if (s.decls.length === 0 && !s.comments?.trailing?.length) return '{}';
    if (this.source && this.writtenInline(s, s.decls)) return `{${s.decls.map((d) => this.decl(d, ind)).join(', ')}}`;
    return `{\n${this.declLines(s.decls, ind + 1, s.comments?.trailing)}\n${tabs(ind)}}`;
  }

  /** Source mode: the elements start on the opening line and the closing token follows the last one on its line. */
  private writtenInline(n: StructLit | ListLit, elts: Node[]): boolean {
    if (n.comments || !n.end || elts.some((e) => e.comments)) return false;
    return elts.every((e) => e.pos.line === n.pos.line) && n.end.line === (elts[elts.length - 1]!.end?.line ?? n.pos.line);
  }

  /**
   * Source mode: an element goes on a new line where the source had one before it, as does the closing bracket
   * (then after a trailing comma); lines inside the list are indented one level once it has broken a line.
   */
  private sourceList(l: ListLit, ind: number, closeLine: number): string {
    let out = '[';
    let prevLine = l.pos.line;
    let inner = ind;
    l.elts.forEach((e, i) => {
      if (i > 0) out += ',';
      if (startLine(e) > prevLine) {
        inner = ind + 1;
        out += '\n' + tabs(inner);
      } else if (i > 0) out += ' ';
      out += this.expr(e, inner);
      prevLine = endLine(e);
    });
    return closeLine > prevLine ? `${out},\n${tabs(ind)}]` : `${out}]`;
  }

  /** Source mode, a list with comments: one element per line, blank lines kept, trailing comments aligned. */
  private commentedList(l: ListLit, ind: number): string {
    const pad = tabs(ind + 1);
    const rows: Row[] = [];
    const breakRow = (text: string) => rows.push({ cells: [], rest: text });
    let prevEnd = -1;
    const gap = (line: number) => {
      if (prevEnd >= 0 && line - prevEnd > 1) breakRow('');
    };
    for (const e of l.elts) {
      for (const c of e.comments?.doc ?? []) {
        gap(c.pos.line);
        breakRow(pad + c.text);
        prevEnd = c.pos.line;
      }
      gap(e.pos.line);
      const text = pad + this.expr(e, ind + 1) + ',';
      const comment = e.comments?.line;
      if (comment && !text.includes('\n')) rows.push({ cells: [text], rest: comment.text });
      else breakRow(text + this.lineComment(comment));
      prevEnd = endLine(e);
    }
    for (const c of l.comments?.trailing ?? []) {
      gap(c.pos.line);
      breakRow(pad + c.text);
      prevEnd = c.pos.line;
    }
    return `[\n${alignRows(rows).join('\n')}\n${tabs(ind)}]`;
  }

  private list(l: ListLit, ind: number): string {
    const multiline = !!l.comments?.trailing?.length || l.elts.some((e) => e.comments);
    if (this.source && !multiline && l.end && l.elts.length > 0) return this.sourceList(l, ind, l.end.line);
    if (!multiline) return `[${l.elts.map((e) => this.expr(e, ind)).join(', ')}]`;
    if (this.source) return this.commentedList(l, ind);
    const lines = l.elts.map((e) => tabs(ind + 1) + this.docs(e.comments?.doc, ind + 1) + this.expr(e, ind + 1) + ',' + this.lineComment(e.comments?.line));
    for (const c of l.comments?.trailing ?? []) lines.push(tabs(ind + 1) + c.text);
    return `[\n${lines.join('\n')}\n${tabs(ind)}]`;
  }

  private interpolation(n: Interpolation, ind: number): string {
    if (n.parts.some((p) => typeof p === 'string' && p.includes('\n'))) return this.multilineInterpolation(n, ind);
    const q = n.kind === 'bytes' ? "'" : '"';
    let s = q;
    for (const p of n.parts) s += typeof p === 'string' ? escapeInString(p, q) : `\\(${this.expr(p, ind)})`;
    return s + q;
  }

  /** Keeps text with newlines readable: a triple-quoted literal indented one level deeper. */
  private multilineInterpolation(n: Interpolation, ind: number): string {
    const q = n.kind === 'bytes' ? "'" : '"';
    const pad = tabs(ind + 1);
    // Quotes need escaping only where three in a row would close the literal.
    const esc = new RegExp(`\\\\${q}`, 'g');
    const triple = new RegExp(q.repeat(3), 'g');
    let out = q.repeat(3) + '\n';
    let atLineStart = true;
    for (const p of n.parts) {
      if (typeof p !== 'string') {
        // Interpolated expressions are code, not content: their own line breaks are not padded.
        if (atLineStart) out += pad;
        atLineStart = false;
        out += `\\(${this.expr(p, ind + 1)})`;
        continue;
      }
      p.split('\n').forEach((line, i) => {
        if (i > 0) {
          out += '\n';
          atLineStart = true;
        }
        if (line === '') return;
        if (atLineStart) out += pad;
        atLineStart = false;
        out += escapeInString(line, q).replace(esc, q).replace(triple, `\\${q.repeat(3)}`);
      });
    }
    return `${out}\n${pad}${q.repeat(3)}`;
  }

  /** After `=`, an operand starting with `=` (as in `=~`) would lex as `==`. */
  private spaceIfEq(s: string): string {
    return s.startsWith('=') ? ' ' + s : s;
  }

  /** Operands of selectors, calls and indexing must be primary expressions. */
  private primary(e: Expr, ind: number): string {
    const s = this.expr(e, ind);
    switch (e.type) {
      case 'UnaryExpr':
      case 'BinaryExpr':
      case 'Alias':
      case 'Comprehension':
      case 'Ellipsis':
        return `(${s})`;
    }
    return s;
  }

  expr(e: Expr, ind: number): string {
    switch (e.type) {
      case 'Ident':
        return e.optional ? `${e.name}?` : e.name;
      case 'BasicLit':
        if (e.raw) return e.raw;
        if (e.kind === 'string') return quoteString(e.value ?? '');
        if (e.kind === 'bytes') return quoteBytes(e.value ?? '');
        return e.value ?? (e.kind === 'null' ? 'null' : '');
      case 'Interpolation':
        return this.interpolation(e, ind);
      case 'StructLit':
        return this.struct(e, ind);
      case 'ListLit':
        return this.list(e, ind);
      case 'BottomLit':
        return '_|_';
      case 'ParenExpr':
        return `(${this.expr(e.expr, ind)})`;
      case 'SelectorExpr': {
        // A number before the dot would take it as its own (`1 . a` printed `1.a` reads as `1.` then `a`).
        const num = e.x.type === 'BasicLit' && (e.x.kind === 'int' || e.x.kind === 'float');
        const x = num ? `(${this.expr(e.x, ind)})` : this.primary(e.x, ind);
        return `${x}.${e.sel.type === 'Ident' ? e.sel.name : this.expr(e.sel, ind)}${e.optional ? '?' : ''}`;
      }
      case 'IndexExpr':
        return `${this.primary(e.x, ind)}[${this.expr(e.index, ind)}]${e.optional ? '?' : ''}`;
      case 'SliceExpr':
        return `${this.primary(e.x, ind)}[${e.low ? this.expr(e.low, ind) : ''}:${e.high ? this.expr(e.high, ind) : ''}]`;
      case 'CallExpr':
        return `${this.primary(e.fun, ind)}(${e.args.map((a) => this.expr(a, ind)).join(', ')})`;
      case 'UnaryExpr': {
        let x = this.expr(e.x, ind);
        if (e.x.type === 'BinaryExpr' || e.x.type === 'Alias') x = `(${x})`;
        // `!` followed by `=~` would lex as `!=` `~`; likewise `<`/`>` before `=`.
        else if (e.x.type === 'UnaryExpr' && x.startsWith('=')) x = ' ' + x;
        return e.op + x;
      }
      case 'BinaryExpr': {
        const prec = binaryPrecedence[e.op];
        let l = this.expr(e.x, ind);
        let r = this.expr(e.y, ind);
        if ((e.x.type === 'BinaryExpr' && binaryPrecedence[e.x.op] < prec) || e.x.type === 'Alias') l = `(${l})`;
        if ((e.y.type === 'BinaryExpr' && binaryPrecedence[e.y.op] <= prec) || e.y.type === 'Alias') r = `(${r})`;
        return `${l} ${e.op} ${r}`;
      }
      case 'Comprehension': {
        // Source mode keeps a clause on its own line where the source had it there, indented one level.
        let head = '';
        let inner = ind;
        e.clauses.forEach((c, i) => {
          if (i > 0 && this.source && c.pos.line > endLine(e.clauses[i - 1]!)) {
            inner = ind + 1;
            head += '\n' + tabs(inner);
          } else if (i > 0) head += ' ';
          head += this.clause(c, inner);
        });
        const s = `${head} ${this.struct(e.body, inner)}`;
        return e.otherwise ? `${s} ${e.otherwise.keyword} ${this.struct(e.otherwise.body, inner)}` : s;
      }
      case 'Ellipsis':
        if (e.postfix && e.elem) return `${this.primary(e.elem, ind)}...`;
        return e.elem ? `...${this.expr(e.elem, ind)}` : '...';
      case 'Alias':
        return `${e.ident.name}=${this.spaceIfEq(this.expr(e.expr, ind))}`;
    }
  }
}
