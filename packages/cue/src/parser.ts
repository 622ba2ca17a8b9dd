// The CUE parser: a recursive-descent parser over the Scanner's token stream,
// structured like Go's cue/parser so that it accepts the same language and
// reports errors at the same places. Labels are parsed as expressions first and
// reinterpreted when a `:` follows, which is how CUE's grammar is disambiguated.

import type {
  Alias,
  Attribute,
  BasicLit,
  BinaryExpr,
  BinaryOp,
  Clause,
  Comment,
  Comprehension,
  Decl,
  Ellipsis,
  Embed,
  Expr,
  Field,
  File,
  Ident,
  ImportSpec,
  Interpolation,
  Label,
  LetClause,
  ListLit,
  Node,
  Pos,
  PostfixAlias,
  StructLit,
  UnaryExpr,
  UnaryOp,
} from './ast.js';
import { CueError, CueErrorList } from './errors.js';
import { decodeFragments } from './literal.js';
import { Scanner } from './scanner.js';
import { Tok, binaryTokPrec, isKeywordTok, isLiteralTok, tokString } from './tokens.js';
import { isAsciiIdentChar } from './chars.js';

export interface ParseOptions {
  /** Attach comments to nodes (doc, line and trailing comments). */
  comments?: boolean;
  /**
   * Language experiments to enable, as named in `@experiment(...)`. Files also
   * enable them with that attribute before their first declaration; parseExpr
   * has no file, so callers pass them here. Supported: `explicitopen`.
   */
  experiments?: string[];
  /**
   * The module's language version (`language: version:` in cue.mod/module.cue),
   * e.g. `v0.16.0`. Before v0.17.0 `div`, `mod`, `quo` and `rem` are also infix
   * operators; @experiment(try) needs v0.16.0. Unknown: the current language.
   */
  languageVersion?: string;
}

/** Versions `vMAJOR.MINOR.PATCH[-pre]`: true if a is before b (pre-releases of a version count as that version). */
export function versionBefore(a: string, b: string): boolean {
  const nums = (v: string) => v.replace(/^v/, '').split(/[-+]/)[0]!.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const x = nums(a);
  const y = nums(b);
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  return false;
}

/** Experiments and the language version each needs. */
const EXPERIMENT_SINCE: Record<string, string> = { try: 'v0.16.0' };

/** Deeper nesting than this is rejected instead of overflowing the JS stack. */
const MAX_DEPTH = 400;
const MAX_ERRORS = 10;

class Bail extends Error {}

const unaryOps: Partial<Record<Tok, UnaryOp>> = {
  [Tok.ADD]: '+',
  [Tok.SUB]: '-',
  [Tok.NOT]: '!',
  [Tok.MUL]: '*',
  [Tok.NEQ]: '!=',
  [Tok.LSS]: '<',
  [Tok.LEQ]: '<=',
  [Tok.GTR]: '>',
  [Tok.GEQ]: '>=',
  [Tok.MAT]: '=~',
  [Tok.NMAT]: '!~',
};

const binaryOps: Partial<Record<Tok, BinaryOp>> = {
  [Tok.OR]: '|',
  [Tok.AND]: '&',
  [Tok.LOR]: '||',
  [Tok.LAND]: '&&',
  [Tok.EQL]: '==',
  [Tok.NEQ]: '!=',
  [Tok.LSS]: '<',
  [Tok.LEQ]: '<=',
  [Tok.GTR]: '>',
  [Tok.GEQ]: '>=',
  [Tok.MAT]: '=~',
  [Tok.NMAT]: '!~',
  [Tok.ADD]: '+',
  [Tok.SUB]: '-',
  [Tok.MUL]: '*',
  [Tok.QUO]: '/',
};

interface LabelResult {
  expr?: Expr;
  decl?: Decl;
  /** The expression may serve as a label if a `:` follows. */
  ok: boolean;
}

class Parser {
  private readonly sc: Scanner;
  private readonly filename: string;
  private readonly withComments: boolean;
  private readonly errors: CueError[] = [];
  private nScanErrors = 0;

  // Current token.
  private tok: Tok = Tok.ILLEGAL;
  /** The current token; a method so that TypeScript does not narrow it across next() calls. */
  private t(): Tok {
    return this.tok;
  }
  private off = 0;
  private lit = '';
  /** End offset of the last consumed token other than an inserted comma. */
  private prevEnd = 0;
  private tokEnd = 0;
  private depth = 0;
  private commentIdx = 0;
  private readonly experiments: Set<string>;
  private readonly languageVersion: string | undefined;
  /** `a div b` etc. are operators (language versions before v0.17.0). */
  private readonly infixIntOps: boolean;
  /** Inside a try clause's expression or struct-form body, where `a?` may be written. */
  private tryCtx = false;

  constructor(filename: string, src: string, opts: ParseOptions) {
    this.filename = filename;
    this.sc = new Scanner(filename, src);
    this.withComments = !!opts.comments;
    this.experiments = new Set(opts.experiments ?? []);
    this.languageVersion = opts.languageVersion;
    this.infixIntOps = !!opts.languageVersion && versionBefore(opts.languageVersion, 'v0.17.0');
  }

  /** Records the experiments an `@experiment(a, b)` file attribute enables. */
  private noteExperiments(a: Attribute): void {
    if (a.name !== 'experiment') return;
    for (let i = 0, xs = a.body.split(','); i < xs.length; i++) {
      const raw = xs[i];
      const name = raw.trim();
      if (!name) continue;
      const since = Object.hasOwn(EXPERIMENT_SINCE, name) ? EXPERIMENT_SINCE[name] : undefined;
      if (since && this.languageVersion && versionBefore(this.languageVersion, since)) {
        this.errf(a.pos.offset, `cannot use experiment ${name}: it requires language version ${since} or later (the module's is ${this.languageVersion})`);
      }
      this.experiments.add(name);
    }
  }

  /** Reads the first token; separate from the constructor so scan errors surface through run(). */
  start(): this {
    this.next();
    return this;
  }

  // ------------------------------------------------------------ infrastructure

  private pos(offset: number): Pos {
    return this.sc.pos(offset);
  }

  private next(): void {
    if (!(this.t() === Tok.COMMA && this.lit === '\n') && this.t() !== Tok.EOF) this.prevEnd = this.tokEnd;
    this.sc.scan();
    this.tok = this.sc.tok;
    this.off = this.sc.tokOffset;
    this.lit = this.sc.lit;
    this.tokEnd = this.sc.offset;
    this.drainScanErrors();
  }

  private drainScanErrors(): void {
    const errs = this.sc.errors;
    while (this.nScanErrors < errs.length) {
      const e = errs[this.nScanErrors++]!;
      this.errors.push(new CueError('syntax', e.msg, { positions: [this.pos(e.offset)] }));
      if (this.errors.length > MAX_ERRORS) throw new Bail();
    }
  }

  errf(offset: number, msg: string): void {
    const p = this.pos(offset);
    const n = this.errors.length;
    // Like Go: one error per line, as later ones on the same line are usually spurious.
    if (n > 0 && this.errors[n - 1]!.positions[0]!.line === p.line) return;
    this.errors.push(new CueError('syntax', msg, { positions: [p] }));
    if (this.errors.length > MAX_ERRORS) throw new Bail();
  }

  /** Experimental syntax Go accepts behind @experiment(...) flags; reported clearly instead of as garbage. */
  private notSupported(what: string): void {
    this.errf(this.off, `not supported yet: ${what}`);
  }

  private errorExpected(offset: number, what: string): void {
    if (offset !== this.off) return this.errf(offset, `expected ${what}`);
    if (this.t() === Tok.COMMA && this.lit === '\n') return this.errf(offset, `expected ${what}, found newline`);
    if (isLiteralTok(this.t())) return this.errf(offset, `expected ${what}, found ${this.lit}`);
    return this.errf(offset, `expected ${what}, found '${tokString(this.t())}'`);
  }

  private expect(t: Tok): number {
    const p = this.off;
    if (this.t() !== t) this.errorExpected(p, `'${tokString(t)}'`);
    this.next(); // make progress
    return p;
  }

  private expectClosing(t: Tok, context: string): number {
    if (this.t() !== t && this.t() === Tok.COMMA && this.lit === '\n') {
      this.errf(this.off, `missing ',' before newline in ${context}`);
      this.next();
    }
    return this.expect(t);
  }

  private expectComma(): void {
    if (this.t() === Tok.RPAREN || this.t() === Tok.RBRACE || this.t() === Tok.EOF) return;
    if (this.t() === Tok.COMMA) {
      this.next();
      return;
    }
    this.errorExpected(this.off, "','");
    this.syncToComma();
  }

  private syncToComma(): void {
    while (this.t() !== Tok.COMMA && this.t() !== Tok.EOF) this.next();
  }

  /** True if at a comma; otherwise reports a missing comma unless a follow token is next. */
  private atComma(context: string, ...follow: Tok[]): boolean {
    if (this.t() === Tok.COMMA) return true;
    if (follow.includes(this.t())) return false;
    this.errf(this.off, `missing ',' in ${context}`);
    return true; // "insert" a comma and continue
  }

  private consumeDeclComma(): void {
    if (this.atComma('struct literal', Tok.RBRACE, Tok.EOF)) this.next();
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      this.errors.push(new CueError('syntax', 'expression nesting too deep', { positions: [this.pos(this.off)] }));
      throw new Bail();
    }
  }

  private endPos(): Pos {
    return this.pos(this.prevEnd);
  }

  // ------------------------------------------------------------ comments

  /** Comments before the current token that no node has claimed yet. */
  private takeComments(before: number): Comment[] | undefined {
    if (!this.withComments) return undefined;
    const all = this.sc.comments;
    let i = this.commentIdx;
    while (i < all.length && all[i]!.pos.offset < before) i++;
    if (i === this.commentIdx) return undefined;
    const out = all.slice(this.commentIdx, i);
    this.commentIdx = i;
    return out;
  }

  private attachDoc(n: Node, doc: Comment[] | undefined): void {
    if (doc && doc.length) (n.comments ??= {}).doc = doc;
  }

  /** Claims a comment on the line where the node ended (call after its comma). */
  private attachLine(n: Node, endOffset: number): void {
    if (!this.withComments) return;
    const all = this.sc.comments;
    // A line comment has been scanned by now unless the current token precedes it.
    const c = all[this.commentIdx];
    if (!c || c.pos.offset < endOffset) return;
    if (c.pos.line !== this.pos(endOffset).line) return;
    (n.comments ??= {}).line = c;
    this.commentIdx++;
  }

  private attachTrailing(n: Node, before: number): void {
    const t = this.takeComments(before);
    if (t && t.length) (n.comments ??= {}).trailing = t;
  }

  // ------------------------------------------------------------ file

  /** Looks one token past the current one. */
  private peek(): Tok {
    const st = this.sc.save();
    const t = this.sc.scan();
    this.sc.restore(st);
    return t;
  }

  parseFile(): File {
    const file: File = { type: 'File', filename: this.filename, pos: this.pos(this.off), attrs: [], imports: [], decls: [] };
    const fileDoc = this.withComments ? this.off : -1;
    while (this.t() === Tok.ATTRIBUTE) {
      const a = this.parseAttribute();
      this.noteExperiments(a);
      file.attrs.push(a);
      this.consumeDeclComma();
    }
    if (this.t() === Tok.IDENT && this.lit === 'package' && !labelFollows(this.peek())) {
      if (fileDoc >= 0) this.attachDoc(file, this.takeComments(this.off));
      this.next();
      file.package = this.parseIdent();
      if (/^_?#/.test(file.package.name)) this.errf(file.package.pos.offset, `invalid package name ${file.package.name}`);
      this.expectComma();
      while (this.t() === Tok.ATTRIBUTE) {
        const a = this.parseAttribute();
        this.noteExperiments(a);
        file.decls.push(a);
        this.consumeDeclComma();
      }
    }
    while (this.t() === Tok.IDENT && this.lit === 'import') {
      if (labelFollows(this.peek())) break;
      this.parseImports(file.imports);
    }
    file.decls.push(...this.parseFieldList(Tok.EOF));
    if (this.t() !== Tok.EOF) this.errorExpected(this.off, "'EOF'");
    if (this.withComments) {
      this.attachTrailing(file, Number.MAX_SAFE_INTEGER);
    }
    file.end = this.pos(this.off);
    return file;
  }

  private parseImports(out: ImportSpec[]): void {
    this.next(); // import
    if (this.t() === Tok.LPAREN) {
      this.next();
      while (this.t() !== Tok.RPAREN && this.t() !== Tok.EOF) {
        const before = this.off;
        out.push(this.parseImportSpec());
        if (this.off === before) this.next();
      }
      this.expect(Tok.RPAREN);
      this.expectComma();
    } else {
      out.push(this.parseImportSpec());
    }
  }

  private parseImportSpec(): ImportSpec {
    const doc = this.takeComments(this.off);
    const start = this.off;
    let name: Ident | undefined;
    if (this.t() === Tok.IDENT) {
      name = this.parseIdent();
      if (/^_?#/.test(name.name)) this.errf(name.pos.offset, 'cannot import package as definition identifier');
    }
    const pathOff = this.off;
    let path = '';
    let end = pathOff;
    if (this.t() === Tok.STRING) {
      try {
        path = decodeFragments([this.lit]).values[0]!;
      } catch {
        path = this.lit;
      }
      if (!isValidImport(path)) this.errf(pathOff, `invalid import path: ${this.lit}`);
      this.next();
      end = this.prevEnd;
      this.expectComma();
    } else {
      this.expect(Tok.STRING);
      if (this.t() === Tok.COMMA) this.expectComma();
    }
    const spec: ImportSpec = { type: 'ImportSpec', path, pathPos: this.pos(pathOff), pos: this.pos(start) };
    if (name) spec.name = name;
    this.attachDoc(spec, doc);
    this.attachLine(spec, end);
    return spec;
  }

  // ------------------------------------------------------------ declarations

  private parseFieldList(closing: Tok): Decl[] {
    const list: Decl[] = [];
    while (this.t() !== closing && this.t() !== Tok.EOF && !(closing === Tok.EOF && this.t() === Tok.RBRACE)) {
      const start = this.off;
      const doc = this.takeComments(start);
      let d: Decl;
      if (this.t() === Tok.ATTRIBUTE) {
        d = this.parseAttribute();
      } else if (this.t() === Tok.ELLIPSIS) {
        d = { type: 'Ellipsis', pos: this.pos(this.off) } satisfies Ellipsis;
        this.next();
        if (this.t() !== Tok.COMMA && this.t() !== Tok.RBRACE && this.t() !== Tok.EOF) d.elem = this.parseRHS();
      } else {
        d = this.parseField();
      }
      const end = this.prevEnd;
      this.consumeDeclComma();
      this.attachDoc(d, doc);
      this.attachLine(d, end);
      list.push(d);
      if (this.off === start) this.next(); // guarantee progress on garbage
    }
    return list;
  }

  private parseAttribute(): Attribute {
    const text = this.lit;
    const p = this.pos(this.off);
    this.next();
    let i = 1;
    while (i < text.length && isAttributeNameChar(text, i)) i++;
    const name = text.slice(1, i);
    const open = text.indexOf('(', i);
    const body = open < 0 ? '' : text.slice(open + 1, text.endsWith(')') ? text.length - 1 : text.length);
    return { type: 'Attribute', name, body, text, pos: p, end: this.endPos() };
  }

  private parseLetDecl(letOff: number): LetClause {
    // `let` already consumed
    const ident = this.declIdent();
    this.expect(Tok.BIND);
    const expr = this.parseRHS();
    return { type: 'LetClause', ident, expr, pos: this.pos(letOff), end: this.endPos() };
  }

  /** At `try` (an identifier) starting a clause: `try {` or `try x = e` (@experiment(try)). */
  private atTry(): boolean {
    if (this.t() !== Tok.IDENT || this.lit !== 'try') return false;
    const n = this.peek();
    return n === Tok.LBRACE || n === Tok.IDENT;
  }

  /**
   * Parses the clauses of a comprehension whose first keyword (for/if/let, or
   * `try` given as Tok.IDENT) has been consumed. A struct-form `try` ends the
   * clauses: its body is parsed next, as the comprehension's body.
   */
  private parseClauses(firstTok: Tok, firstOff: number): Clause[] {
    const clauses: Clause[] = [];
    let t = firstTok;
    let at = firstOff;
    for (;;) {
      if (t === Tok.IDENT) {
        if (!this.experiments.has('try')) this.errf(at, "'try' clause requires @experiment(try)");
        if (this.t() === Tok.LBRACE) {
          clauses.push({ type: 'TryClause', pos: this.pos(at), end: this.pos(at + 3) });
          return clauses;
        }
        const ident = this.declIdent();
        this.expect(Tok.BIND);
        const outer = this.tryCtx;
        this.tryCtx = true;
        let expr: Expr;
        try {
          expr = this.parseRHS();
        } finally {
          this.tryCtx = outer;
        }
        clauses.push({ type: 'TryClause', ident, expr, pos: this.pos(at), end: this.endPos() });
      } else if (t === Tok.FOR) {
        let value = this.declIdent();
        let key: Ident | undefined;
        if (this.t() === Tok.COMMA) {
          this.next();
          key = value;
          value = this.declIdent();
        }
        this.expect(Tok.IN);
        const source = this.parseRHS();
        const end = this.endPos();
        clauses.push(key ? { type: 'ForClause', key, value, source, pos: this.pos(at), end } : { type: 'ForClause', value, source, pos: this.pos(at), end });
      } else if (t === Tok.IF) {
        clauses.push({ type: 'IfClause', condition: this.parseRHS(), pos: this.pos(at), end: this.endPos() });
      } else {
        clauses.push(this.parseLetDecl(at));
      }
      if (this.t() === Tok.COMMA) this.next();
      if (this.t() === Tok.FOR || this.t() === Tok.IF || this.t() === Tok.LET || this.atTry()) {
        t = this.t();
        at = this.off;
        this.next();
        continue;
      }
      return clauses;
    }
  }

  private parseComprehensionBody(clauses: Clause[], startOff: number): Comprehension {
    // Optional references (`a?`) belong to the innermost try: a struct-form
    // try's body has them; the body after an assignment-form try does not.
    const last = clauses[clauses.length - 1];
    const outer = this.tryCtx;
    if (last?.type === 'TryClause') this.tryCtx = !last.expr;
    let body: StructLit;
    try {
      body = this.parseStruct();
    } finally {
      this.tryCtx = outer;
    }
    const c: Comprehension = { type: 'Comprehension', clauses, body, pos: this.pos(startOff), end: body.end };
    if (this.t() === Tok.IDENT && (this.lit === 'else' || this.lit === 'fallback') && this.peek() === Tok.LBRACE) {
      const keyword = this.lit as 'else' | 'fallback';
      const p = this.pos(this.off);
      if (!this.experiments.has('try')) this.errf(this.off, `'${keyword}' clause requires @experiment(try)`);
      // `else` answers a condition (`if`, `try`), `fallback` a loop: a lone
      // `if` or `try` takes `else`, clauses with a `for` take `fallback`;
      // other chains of conditions (`if a if b`) take either.
      const hasFor = clauses.some((x) => x.type === 'ForClause');
      const single = clauses.length === 1 ? clauses[0]!.type : undefined;
      if (keyword === 'else' && hasFor) this.errf(this.off, "use 'fallback' with 'for' clauses");
      if (keyword === 'fallback' && (single === 'IfClause' || single === 'TryClause')) {
        this.errf(this.off, `use 'else' with '${single === 'IfClause' ? 'if' : 'try'}' clauses`);
      }
      this.next();
      const other = this.parseStruct();
      c.otherwise = { keyword, body: other, pos: p };
      c.end = other.end;
    }
    return c;
  }

  /** After `for`/`if`: these tokens mean the keyword is used as a label or reference. */
  private keywordIsIdent(): boolean {
    switch (this.t()) {
      case Tok.NOT:
        // `if!: x` is a required field named if; `if !x {` is a guard.
        return this.peek() === Tok.COLON;
      case Tok.COLON:
      case Tok.BIND:
      case Tok.OPTION:
      case Tok.COMMA:
      case Tok.EOF:
        return true;
    }
    return false;
  }

  private parseLabel(rhs: boolean): LabelResult {
    let expr: Expr | undefined;
    const t = this.t();
    switch (t) {
      case Tok.FOR:
      case Tok.IF:
      case Tok.LET: {
        if (rhs) {
          expr = this.parseExpr();
          break;
        }
        const at = this.off;
        this.next();
        if (t === Tok.LET ? this.t() !== Tok.IDENT : this.keywordIsIdent()) {
          expr = this.continueExpr({ type: 'Ident', name: tokString(t), pos: this.pos(at), end: this.pos(at + tokString(t).length) });
          break;
        }
        if (t === Tok.LET) return { decl: this.parseLetDecl(at), ok: false };
        return { decl: this.parseComprehensionBody(this.parseClauses(t, at), at), ok: false };
      }
      case Tok.IDENT:
      case Tok.STRING:
      case Tok.INTERPOLATION:
      case Tok.LPAREN:
      case Tok.NULL:
      case Tok.TRUE:
      case Tok.FALSE:
      case Tok.IN:
        expr = this.parseExpr();
        break;
      case Tok.LBRACK:
        expr = this.parseRHS();
        if (expr.type === 'ListLit') return { expr, ok: true };
        return { expr, ok: false };
      default:
        return { ok: false };
    }
    switch (expr.type) {
      case 'BasicLit':
        return { expr, ok: expr.kind === 'string' || expr.kind === 'bytes' || expr.kind === 'bool' || expr.kind === 'null' };
      case 'Interpolation':
      case 'ParenExpr':
        return { expr, ok: true };
      case 'Ident': {
        const a = this.parseAlias(expr);
        if (a.type === 'Alias') return { expr: a, ok: isLabelExpr(a.expr) };
        return { expr: a, ok: true };
      }
    }
    return { expr, ok: false };
  }

  /** Continues an expression whose first operand has been parsed already. */
  private continueExpr(x: Expr): Expr {
    return this.parseBinaryExprTail(1, this.parsePrimaryExprTail(x));
  }

  private parseField(): Decl {
    const start = this.off;
    const startTok = this.t();
    const first = this.parseLabel(false);
    if (first.decl) return first.decl;
    let expr = first.expr;
    if (!first.ok) {
      expr ??= this.parseRHS();
      return this.embed(expr);
    }
    expr = expr!;
    if (expr.type === 'Ident' && expr.name === 'try' && !expr.optional && (this.t() === Tok.LBRACE || (this.t() === Tok.IDENT && this.peek() === Tok.BIND))) {
      return this.parseComprehensionBody(this.parseClauses(Tok.IDENT, start), start);
    }
    const pa = this.t() === Tok.TILDE ? this.parsePostfixAlias() : undefined;
    let constraint: Field['constraint'] = '';
    if (this.t() === Tok.OPTION || this.t() === Tok.NOT) {
      constraint = this.t() === Tok.OPTION ? '?' : '!';
      this.next();
    }
    if (this.t() !== Tok.COLON) {
      if (constraint === '' && !pa && (this.t() === Tok.COMMA || this.t() === Tok.RBRACE || this.t() === Tok.EOF)) {
        switch (startTok) {
          case Tok.IDENT:
          case Tok.LBRACK:
          case Tok.LPAREN:
          case Tok.STRING:
          case Tok.INTERPOLATION:
          case Tok.NULL:
          case Tok.TRUE:
          case Tok.FALSE:
          case Tok.FOR:
          case Tok.IF:
          case Tok.LET:
          case Tok.IN:
            return this.embed(expr);
        }
      }
      this.errorExpected(this.off, "label or ':'");
      return this.embed(expr);
    }
    const outer: Field = { type: 'Field', label: this.toLabel(expr), constraint, value: placeholder(this.pos(this.off)), attrs: [], pos: this.pos(start) };
    if (pa) this.applyPostfixAlias(outer, pa);
    let m = outer;
    this.next(); // ':'
    for (;;) {
      const r = this.parseLabel(true);
      if (!r.ok || (this.t() !== Tok.COLON && this.t() !== Tok.OPTION && this.t() !== Tok.NOT && this.t() !== Tok.TILDE)) {
        m.value = r.expr ?? this.parseRHS();
        break;
      }
      const lp = r.expr!.pos;
      const field: Field = { type: 'Field', label: this.toLabel(r.expr!), constraint: '', value: placeholder(lp), attrs: [], pos: lp };
      // A shorthand struct has no braces, hence no `end`; the formatter relies on this.
      m.value = { type: 'StructLit', decls: [field], pos: lp } satisfies StructLit;
      m = field;
      if (this.t() === Tok.TILDE) this.applyPostfixAlias(m, this.parsePostfixAlias());
      if (this.t() === Tok.OPTION || this.t() === Tok.NOT) {
        m.constraint = this.t() === Tok.OPTION ? '?' : '!';
        this.next();
      }
      if (this.t() !== Tok.COLON) {
        this.errf(this.off, `expected ':'; found ${isLiteralTok(this.t()) ? this.lit : tokString(this.t())}`);
        break;
      }
      this.next();
    }
    while (this.t() === Tok.ATTRIBUTE) m.attrs.push(this.parseAttribute());
    // Nested shorthand structs and fields end where the outer one ends.
    const end = this.endPos();
    outer.end = end;
    for (let f: Field = outer; f.value.type === 'StructLit' && !f.value.end && f.value.decls.length === 1; ) {
      const inner = f.value.decls[0] as Field;
      if (inner.type !== 'Field') break;
      inner.end = end;
      f = inner;
    }
    return outer;
  }

  /** `~X` or `~(K,V)` after a label; the current token is `~`. */
  private parsePostfixAlias(): PostfixAlias {
    const p = this.pos(this.off);
    if (!this.experiments.has('aliasv2') && !this.experiments.has('aliasandself')) {
      this.errf(this.off, 'postfix alias syntax requires @experiment(aliasv2)');
    }
    this.next(); // '~'
    const named = (id: Ident): Ident | undefined => {
      if (id.name === '_') return undefined;
      this.checkReserved(id);
      return id;
    };
    let pa: PostfixAlias;
    if (this.t() === Tok.LPAREN) {
      this.next();
      const first = this.parseIdent();
      if (this.t() === Tok.RPAREN) {
        // `~(X)` is the simple form in parentheses.
        this.next();
        this.checkReserved(first);
        return { type: 'PostfixAlias', dual: false, field: first, pos: p, end: this.endPos() };
      }
      const label = named(first);
      this.expect(Tok.COMMA);
      const field = named(this.parseIdent());
      this.expect(Tok.RPAREN);
      pa = { type: 'PostfixAlias', dual: true, pos: p, end: this.endPos() };
      if (label) pa.label = label;
      if (field) pa.field = field;
    } else {
      const field = this.parseIdent();
      this.checkReserved(field);
      pa = { type: 'PostfixAlias', dual: false, field, pos: p, end: this.endPos() };
    }
    return pa;
  }

  /** Records a postfix alias on a field and desugars what the classic alias forms can express. */
  private applyPostfixAlias(f: Field, pa: PostfixAlias): void {
    f.postfixAlias = pa;
    if (f.label.type === 'AliasLabel') {
      this.errf(pa.pos.offset, 'a field cannot have both a prefix (X=) and a postfix (~X) alias');
      return;
    }
    if (pa.label && f.label.type === 'PatternLabel') {
      if (f.label.alias) this.errf(pa.pos.offset, 'pattern already has a label alias');
      else f.label.alias = { ...pa.label };
    }
    if (pa.field) f.label = { type: 'AliasLabel', alias: { ...pa.field }, label: f.label, pos: f.label.pos, end: f.label.end };
  }

  private embed(expr: Expr): Decl {
    if (expr.type === 'Alias') {
      this.errf(expr.pos.offset, 'old-style alias; use "let X = expr" instead');
    }
    const d: Embed = { type: 'Embed', expr, pos: expr.pos, end: this.endPos() };
    if (this.experiments.has('explicitopen')) d.explicitOpen = true;
    return d;
  }

  /** Converts a parsed expression into a label (the caller checked it may be one). */
  private toLabel(e: Expr): Label {
    switch (e.type) {
      case 'Ident':
        this.checkReserved(e);
        return e;
      case 'BasicLit':
      case 'Interpolation':
        return e;
      case 'ParenExpr':
        return { type: 'ParenLabel', expr: e.expr, pos: e.pos, end: e.end };
      case 'ListLit': {
        if (e.elts.length !== 1 || e.elts[0]!.type === 'Ellipsis' || e.elts[0]!.type === 'Comprehension') {
          this.errf(e.pos.offset, 'square bracket must have exactly one element');
        }
        const el = e.elts[0] ?? placeholder(e.pos);
        if (el.type === 'Alias') return { type: 'PatternLabel', alias: el.ident, expr: el.expr, pos: e.pos, end: e.end };
        return { type: 'PatternLabel', expr: el, pos: e.pos, end: e.end };
      }
      case 'Alias': {
        const inner = this.toLabel(e.expr);
        if (inner.type === 'AliasLabel') {
          this.errf(e.pos.offset, 'invalid label: double alias');
          return inner;
        }
        return { type: 'AliasLabel', alias: e.ident, label: inner, pos: e.pos };
      }
    }
    this.errf(e.pos.offset, 'invalid label');
    return { type: 'Ident', name: '_', pos: e.pos };
  }

  private parseAlias(lhs: Expr): Expr {
    if (this.t() !== Tok.BIND) return lhs;
    this.next();
    const expr = this.parseRHS();
    if (lhs.type === 'Ident') {
      this.checkReserved(lhs);
      return { type: 'Alias', ident: lhs, expr, pos: lhs.pos, end: this.endPos() } satisfies Alias;
    }
    this.errf(this.off, 'expected identifier for alias');
    return expr;
  }

  // ------------------------------------------------------------ expressions

  parseRHS(): Expr {
    return this.parseExpr();
  }

  parseExpr(): Expr {
    return this.parseBinaryExpr(1);
  }

  private parseBinaryExpr(prec1: number): Expr {
    return this.parseBinaryExprTail(prec1, this.parseUnaryExpr());
  }

  private parseBinaryExprTail(prec1: number, x: Expr): Expr {
    for (;;) {
      if (this.t() === Tok.IDENT && /^(div|mod|quo|rem)$/.test(this.lit)) {
        if (this.infixIntOps) {
          if (7 < prec1) return x;
          const op = this.lit as BinaryOp;
          this.next();
          const y = this.parseBinaryExpr(8);
          x = { type: 'BinaryExpr', op, x, y, pos: x.pos, end: this.endPos() } satisfies BinaryExpr;
          continue;
        }
        this.errf(this.off, `infix '${this.lit}' is an operator only before language version v0.17.0 (cue.mod/module.cue language: version:); use ${this.lit}(x, y)`);
      }
      const prec = binaryTokPrec(this.t());
      if (prec < prec1 || prec === 0) return x;
      const op = binaryOps[this.t()]!;
      this.next();
      const y = this.parseBinaryExpr(prec + 1);
      const b: BinaryExpr = { type: 'BinaryExpr', op, x, y, pos: x.pos, end: this.endPos() };
      if ((op === '&&' || op === '||') && this.experiments.has('shortcircuit')) b.shortCircuit = true;
      x = b;
    }
  }

  private parseUnaryExpr(): Expr {
    this.enter();
    try {
      let op = unaryOps[this.t()];
      if (this.t() === Tok.EQL) {
        if (!this.experiments.has('structcmp')) this.errf(this.off, "unary '==' requires @experiment(structcmp)");
        op = '==';
      }
      if (op) {
        const p = this.pos(this.off);
        this.next();
        const x = this.parseUnaryExpr();
        return { type: 'UnaryExpr', op, x, pos: p, end: this.endPos() } satisfies UnaryExpr;
      }
      return this.parsePrimaryExprTail(this.parseOperand());
    } finally {
      this.depth--;
    }
  }

  private parsePrimaryExprTail(x: Expr): Expr {
    for (;;) {
      switch (this.t()) {
        case Tok.PERIOD: {
          this.next();
          const p = this.pos(this.off);
          if (this.t() === Tok.IDENT || isKeywordTok(this.t())) {
            x = { type: 'SelectorExpr', x, sel: { type: 'Ident', name: this.lit, pos: p }, pos: x.pos };
            this.next();
          } else if (this.t() === Tok.STRING && this.lit.startsWith('"') && !this.lit.startsWith('""')) {
            x = { type: 'SelectorExpr', x, sel: this.basicLit(), pos: x.pos };
          } else {
            this.errorExpected(this.off, 'selector');
            if (this.t() !== Tok.EOF) this.next();
            x = { type: 'SelectorExpr', x, sel: { type: 'Ident', name: '_', pos: p }, pos: x.pos };
          }
          x.end = this.endPos();
          break;
        }
        case Tok.LBRACK: {
          this.next();
          let low: Expr | undefined;
          let high: Expr | undefined;
          let slice = false;
          if (this.t() !== Tok.COLON) low = this.parseRHS();
          if (this.t() === Tok.COLON) {
            slice = true;
            this.next();
            if (this.t() !== Tok.COLON && this.t() !== Tok.RBRACK && this.t() !== Tok.EOF) high = this.parseRHS();
          }
          // The spec allows a trailing comma in an index: `x[i,]`.
          if (!slice && low && this.t() === Tok.COMMA && this.lit === ',') this.next();
          this.expect(Tok.RBRACK);
          if (slice) {
            const s: Expr = { type: 'SliceExpr', x, pos: x.pos, end: this.endPos() };
            if (low) s.low = low;
            if (high) s.high = high;
            x = s;
          } else {
            x = { type: 'IndexExpr', x, index: low ?? placeholder(this.pos(this.off)), pos: x.pos, end: this.endPos() };
          }
          break;
        }
        case Tok.LPAREN: {
          this.next();
          const args: Expr[] = [];
          while (this.t() !== Tok.RPAREN && this.t() !== Tok.EOF) {
            const before = this.off;
            args.push(this.parseRHS());
            if (!this.atComma('argument list', Tok.RPAREN)) break;
            this.next();
            if (this.off === before) break;
          }
          this.expectClosing(Tok.RPAREN, 'argument list');
          x = { type: 'CallExpr', fun: x, args, pos: x.pos, end: this.endPos() };
          if (this.experiments.has('explicitopen')) x.explicitOpen = true;
          break;
        }
        case Tok.OPTION: {
          // `a?` (@experiment(try)): an optional reference. `a?:` stays an optional field's label.
          if (x.type !== 'Ident' && x.type !== 'SelectorExpr' && x.type !== 'IndexExpr') return x;
          if (x.optional) return x;
          const n = this.peek();
          if (n === Tok.COLON || n === Tok.NOT || n === Tok.TILDE) return x;
          if (!this.experiments.has('try')) this.errf(this.off, 'optional marker (?) requires @experiment(try)');
          else if (!this.tryCtx) this.errf(this.off, 'optional marker (?) is only valid within a try clause');
          this.next();
          x = { ...x, optional: true, end: this.endPos() } as Expr;
          break;
        }
        case Tok.ELLIPSIS:
          if (!this.experiments.has('explicitopen')) {
            this.errf(this.off, 'postfix ... operator requires @experiment(explicitopen)');
            this.next();
            break;
          }
          this.next();
          x = { type: 'Ellipsis', elem: x, postfix: true, pos: x.pos, end: this.endPos() } satisfies Ellipsis;
          break;
        default:
          return x;
      }
    }
  }

  private basicLit(): BasicLit {
    const p = this.pos(this.off);
    const raw = this.lit;
    const t = this.t();
    this.next();
    let lit: BasicLit;
    switch (t) {
      case Tok.INT:
        lit = { type: 'BasicLit', kind: 'int', raw, pos: p };
        break;
      case Tok.FLOAT:
        lit = { type: 'BasicLit', kind: 'float', raw, pos: p };
        break;
      case Tok.TRUE:
      case Tok.FALSE:
        lit = { type: 'BasicLit', kind: 'bool', raw, pos: p };
        break;
      case Tok.NULL:
        lit = { type: 'BasicLit', kind: 'null', raw, pos: p };
        break;
      default: {
        let value = '';
        let kind: 'string' | 'bytes' = 'string';
        try {
          const d = decodeFragments([raw]);
          value = d.values[0]!;
          kind = d.q.char === "'" ? 'bytes' : 'string';
        } catch (e) {
          // The scanner reported malformed literals already; only report what it did not.
          if (e instanceof CueError && this.sc.errors.length === 0) this.errf(p.offset, e.detail);
          kind = raw.replace(/^#+/, '').startsWith("'") ? 'bytes' : 'string';
        }
        lit = { type: 'BasicLit', kind, raw, value, pos: p };
      }
    }
    lit.end = this.endPos();
    return lit;
  }

  private parseOperand(): Expr {
    const p = this.pos(this.off);
    switch (this.t()) {
      case Tok.IDENT: {
        const id = this.parseIdent();
        if (id.name === 'self' && (this.experiments.has('aliasv2') || this.experiments.has('aliasandself'))) id.self = true;
        return id;
      }
      case Tok.LBRACE:
        return this.parseStruct();
      case Tok.LBRACK:
        return this.parseList();
      case Tok.BOTTOM:
        this.next();
        return { type: 'BottomLit', pos: p, end: this.endPos() };
      case Tok.NULL:
      case Tok.TRUE:
      case Tok.FALSE:
      case Tok.INT:
      case Tok.FLOAT:
      case Tok.STRING:
        return this.basicLit();
      case Tok.INTERPOLATION:
        return this.parseInterpolation();
      case Tok.LPAREN: {
        this.next();
        const x = this.parseRHS();
        this.expect(Tok.RPAREN);
        return { type: 'ParenExpr', expr: x, pos: p, end: this.endPos() };
      }
    }
    if (isKeywordTok(this.t())) {
      const name = this.lit;
      this.next();
      return { type: 'Ident', name, pos: p, end: this.endPos() };
    }
    this.errorExpected(this.off, 'operand');
    // Skip the offending token unless it can end an enclosing construct.
    switch (this.t()) {
      case Tok.COMMA:
      case Tok.EOF:
      case Tok.RBRACE:
      case Tok.RBRACK:
      case Tok.RPAREN:
        break;
      default:
        this.next();
    }
    return placeholder(p);
  }

  /** Reserved for builtins such as __no_sharing: referencing them is fine, declaring them is not. */
  private checkReserved(id: Ident): void {
    if (id.name.startsWith('__')) this.errf(id.pos.offset, "identifiers starting with '__' are reserved");
  }

  /** An identifier that declares a name (let, for, aliases). */
  private declIdent(): Ident {
    const id = this.parseIdent();
    this.checkReserved(id);
    return id;
  }

  private parseIdent(): Ident {
    const p = this.pos(this.off);
    if (this.t() === Tok.IDENT) {
      const name = this.lit;
      this.next();
      return { type: 'Ident', name, pos: p, end: this.endPos() };
    }
    this.expect(Tok.IDENT);
    return { type: 'Ident', name: '_', pos: p };
  }

  private parseInterpolation(): Interpolation {
    const p = this.pos(this.off);
    const frags = [this.lit];
    const exprs: Expr[] = [];
    let more = true;
    this.next();
    while (more && this.t() === Tok.LPAREN) {
      this.next();
      exprs.push(this.parseRHS());
      if (this.t() !== Tok.RPAREN) {
        this.errf(this.off, "expected ')' for string interpolation");
        throw new Bail(); // the string's remainder cannot be located reliably
      }
      const t = this.sc.resumeInterpolation();
      frags.push(this.sc.lit);
      more = t === Tok.INTERPOLATION;
      // The resumed fragment is the current token now; move past it.
      this.tok = t;
      this.lit = this.sc.lit;
      this.tokEnd = this.sc.offset;
      this.drainScanErrors();
      this.next();
    }
    let kind: 'string' | 'bytes' = 'string';
    const parts: (string | Expr)[] = [];
    try {
      const d = decodeFragments(frags);
      kind = d.q.char === "'" ? 'bytes' : 'string';
      d.values.forEach((v, i) => {
        parts.push(v);
        if (i < exprs.length) parts.push(exprs[i]!);
      });
    } catch (e) {
      if (e instanceof CueError && this.sc.errors.length === 0) this.errf(p.offset, e.detail);
    }
    return { type: 'Interpolation', kind, parts, pos: p, end: this.endPos() };
  }

  parseStruct(): StructLit {
    const p = this.pos(this.off);
    this.enter();
    try {
      this.expect(Tok.LBRACE);
      const decls = this.t() !== Tok.RBRACE ? this.parseFieldList(Tok.RBRACE) : [];
      const s: StructLit = { type: 'StructLit', decls, pos: p };
      this.attachTrailing(s, this.off);
      const close = this.expectClosing(Tok.RBRACE, 'struct literal');
      s.end = this.pos(close);
      return s;
    } finally {
      this.depth--;
    }
  }

  private parseList(): ListLit {
    const p = this.pos(this.off);
    this.enter();
    try {
      this.next(); // '['
      const elts: Expr[] = [];
      const list: ListLit = { type: 'ListLit', elts, pos: p };
      while (this.t() !== Tok.RBRACK && this.t() !== Tok.ELLIPSIS && this.t() !== Tok.EOF) {
        const before = this.off;
        const doc = this.takeComments(before);
        const [e, ok] = this.parseListElement();
        this.attachDoc(e, doc);
        elts.push(e);
        if (!ok || this.off === before) break;
      }
      if (this.t() === Tok.ELLIPSIS) {
        const doc = this.takeComments(this.off);
        const el: Ellipsis = { type: 'Ellipsis', pos: this.pos(this.off) };
        this.next();
        if (this.t() !== Tok.COMMA && this.t() !== Tok.RBRACK) el.elem = this.parseRHS();
        el.end = this.endPos();
        this.attachDoc(el, doc);
        elts.push(el);
        const end = this.prevEnd;
        if (this.atComma('list literal', Tok.RBRACK)) this.next();
        this.attachLine(el, end);
      }
      this.attachTrailing(list, this.off);
      const close = this.expectClosing(Tok.RBRACK, 'list literal');
      list.end = this.pos(close);
      return list;
    } finally {
      this.depth--;
    }
  }

  private parseListElement(): [Expr, boolean] {
    let expr: Expr;
    const isTry = this.experiments.has('try') && this.atTry();
    if (this.t() === Tok.FOR || this.t() === Tok.IF || isTry) {
      const t = this.t();
      const at = this.off;
      this.next();
      if (!isTry && this.keywordIsIdent()) {
        expr = this.parsePrimaryExprTail({ type: 'Ident', name: tokString(t), pos: this.pos(at) });
      } else {
        const c = this.parseComprehensionBody(this.parseClauses(t, at), at);
        const end = this.prevEnd;
        if (this.t() === Tok.COMMA) {
          this.next();
          this.attachLine(c, end);
          return [c, true];
        }
        if (this.t() === Tok.RBRACK) return [c, false];
        // Newer CUE lets list elements be separated by newlines only.
        if (this.t() === Tok.FOR || this.t() === Tok.IF) return [c, true];
        this.errf(this.off, "missing ',' in list literal");
        return [c, false];
      }
    } else {
      expr = this.parseUnaryExpr();
    }
    expr = this.parseBinaryExprTail(1, expr);
    expr = this.parseAlias(expr);
    // The AST would read a postfix-ellipsis element as the list's `...T`.
    if (expr.type === 'Ellipsis') this.errf(expr.pos.offset, "not supported yet: postfix '...' as a list element");
    const end = this.prevEnd;
    if (this.t() === Tok.COMMA) {
      this.next();
      this.attachLine(expr, end);
      return [expr, true];
    }
    if (this.t() === Tok.RBRACK) return [expr, false];
    this.errf(this.off, "missing ',' in list literal");
    return [expr, false];
  }

  finish<T>(node: T): T {
    if (this.errors.length) throw new CueErrorList(sortErrors(this.errors));
    return node;
  }

  fail(): never {
    throw new CueErrorList(sortErrors(this.errors));
  }

  atEOF(): boolean {
    return this.t() === Tok.EOF || (this.t() === Tok.COMMA && this.lit === '\n' && this.peek() === Tok.EOF);
  }

  currentOffset(): number {
    return this.off;
  }
}

/** Tokens after `package`/`import` that make it a field name or reference rather than the preamble keyword. */
function labelFollows(t: Tok): boolean {
  return t === Tok.COLON || t === Tok.OPTION || t === Tok.NOT || t === Tok.BIND || t === Tok.COMMA || t === Tok.EOF || binaryTokPrec(t) > 0;
}

function placeholder(p: Pos): Expr {
  // Only used while recovering from an error; the parse then fails as a whole.
  return { type: 'BottomLit', pos: p };
}

function isLabelExpr(e: Expr): boolean {
  switch (e.type) {
    case 'Ident':
    case 'Interpolation':
    case 'ParenExpr':
    case 'ListLit':
      return true;
    case 'BasicLit':
      return e.kind === 'string' || e.kind === 'bytes' || e.kind === 'bool' || e.kind === 'null';
  }
  return false;
}

const illegalImportChars = new Set('!"#$%&\'()*,:;<=>?[\\]^{|}`\uFFFD');

/**
 * White space or a Unicode "other" character (control, format, unassigned, ...).
 * ASCII by character code (controls and space); the property pattern only
 * for other characters: its first use compiles Unicode tables, a cost every
 * cold build paid for the import of an all-ASCII release file.
 */
function isSpaceOrOther(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 128) return c <= 32 || c === 127;
  return /[\s\p{C}]/u.test(ch);
}

function isValidImport(path: string): boolean {
  const i = path.lastIndexOf(':');
  const s = i >= 0 ? path.slice(0, i) : path;
  if (s === '') return false;
  for (const ch of s) {
    if (illegalImportChars.has(ch) || isSpaceOrOther(ch)) return false;
  }
  return true;
}

function sortErrors(errs: CueError[]): CueError[] {
  const seen = new Set<string>();
  return [...errs]
    .sort((a, b) => (a.positions[0]?.offset ?? 0) - (b.positions[0]?.offset ?? 0))
    .filter((e) => {
      const k = `${e.positions[0]?.offset}:${e.detail}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}

function run<T>(p: () => Parser, f: (p: Parser) => T): T {
  let parser: Parser | undefined;
  try {
    parser = p();
    return parser.finish(f(parser.start()));
  } catch (e) {
    if (e instanceof CueErrorList) throw e;
    if (e instanceof Bail && parser) parser.fail();
    if (e instanceof Bail || e instanceof RangeError) {
      // A stack overflow despite the depth limit (e.g. a tiny stack): still a syntax error.
      if (parser) {
        parser.errf(parser.currentOffset(), 'expression nesting too deep');
        parser.fail();
      }
      throw new CueErrorList([new CueError('syntax', 'expression nesting too deep')]);
    }
    throw e;
  }
}

/** Parses a CUE source file. Throws a CueErrorList of 'syntax' errors. */
export function parseFile(filename: string, text: string, opts: ParseOptions = {}): File {
  return run(
    () => new Parser(filename, text, opts),
    (p) => p.parseFile(),
  );
}

/** Parses a single CUE expression. */
export function parseExpr(text: string, filename = '-', opts: ParseOptions = {}): Expr {
  return run(
    () => new Parser(filename, text, opts),
    (p) => {
      const e = p.parseExpr();
      if (!p.atEOF()) p.errf(p.currentOffset(), 'unexpected token after expression');
      return e;
    },
  );
}

/** A letter, decimal digit, `_`, `$` or `#` (one UTF-16 unit, as before): ASCII by code, other characters by their Unicode property. */
function isAttributeNameChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return isAsciiIdentChar(c);
  return /[\p{L}\p{Nd}]/u.test(text[i]!);
}
