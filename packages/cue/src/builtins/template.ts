// Package text/template: a subset of Go's text/template over CUE data (decoded
// as Go would: structs as maps, ints as ints, floats as float64). Supported:
// text, {{.}}, field chains, $ and range/with variables, string/number/bool
// literals, parenthesised pipelines and '|', if/else if/else, range (lists and
// maps, sorted keys), with, comments, trim markers, and the functions and, or,
// not, len, index, eq, ne, lt, le, gt, ge, print, println, printf (flags, width,
// precision; verbs v s q t d x X o b c f e g), html, js, urlquery. Anything else (define, template, block, call,
// methods) is reported as not supported rather than evaluated wrongly.
import { type BuiltinPackage, type Concrete } from './types.js';
import { fail, fn, isDecimal, str } from './common.js';
import { formatFloatGo } from './gofmt.js';

type Tok = { t: 'text'; v: string } | { t: 'action'; v: string; line: number };

/** Splits a template into text and actions, applying trim markers. */
function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let line = 1;
  let trimNext = false;
  while (i < src.length) {
    const j = src.indexOf('{{', i);
    let text = j < 0 ? src.slice(i) : src.slice(i, j);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
    trimNext = false;
    if (j < 0) {
      if (text) out.push({ t: 'text', v: text });
      break;
    }
    let k = j + 2;
    if (src.startsWith('- ', k) || src.startsWith('-\t', k) || src.startsWith('-\n', k) || src.startsWith('-\r', k)) {
      text = text.replace(/[ \t\r\n]+$/, '');
      k += 1;
    }
    if (text) out.push({ t: 'text', v: text });
    line += (src.slice(i, j).match(/\n/g) ?? []).length;
    // Find the closing delimiter outside string literals and comments.
    let e = k;
    let body = '';
    const trimmed = src.slice(k).replace(/^\s*/, '');
    if (trimmed.startsWith('/*')) {
      const c = src.indexOf('*/', k);
      if (c < 0) fail(`template: :${line}: unclosed comment`);
      e = src.indexOf('}}', c + 2);
      if (e < 0) fail(`template: :${line}: unclosed action`);
      body = '';
    } else {
      let q = '';
      for (; e < src.length; e++) {
        const c = src[e]!;
        if (q) {
          if (c === '\\' && q !== '`') e++;
          else if (c === q) q = '';
          continue;
        }
        if (c === '"' || c === '`' || c === "'") q = c;
        else if (src.startsWith('}}', e)) break;
      }
      if (e >= src.length) fail(`template: :${line}: unclosed action`);
      body = src.slice(k, e);
    }
    // A " -}}" right trim marker.
    const raw = src.slice(k, e);
    if (/[ \t\r\n]-$/.test(raw)) {
      trimNext = true;
      if (body !== '') body = body.slice(0, -1);
    }
    if (!trimmed.startsWith('/*')) out.push({ t: 'action', v: body.trim(), line });
    line += (src.slice(j, e).match(/\n/g) ?? []).length;
    i = e + 2;
  }
  return out;
}

// ---- expressions ----

type Expr =
  | { k: 'dot' }
  | { k: 'field'; recv: Expr; names: string[] }
  | { k: 'var'; name: string }
  | { k: 'lit'; v: GoVal }
  | { k: 'call'; fn: string; args: Expr[] }
  | { k: 'pipe'; cmds: Expr[] };

/** Go values after decoding CUE data: maps, slices, strings, ints (bigint), float64 (number), bools, nil. */
type GoVal = null | boolean | string | bigint | number | GoVal[] | Map<string, GoVal> | undefined;

const FUNCS = new Set(['and', 'or', 'not', 'len', 'index', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'print', 'println', 'printf', 'html', 'js', 'urlquery']);

function tokenizeExpr(s: string, line: number): string[] {
  const toks: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === '`' || c === "'") {
      let j = i + 1;
      while (j < s.length && s[j] !== c) j += s[j] === '\\' && c !== '`' ? 2 : 1;
      toks.push(s.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if ('()|'.includes(c)) {
      toks.push(c);
      i++;
      continue;
    }
    if (s.startsWith(':=', i) || s.startsWith('=', i)) {
      const op = s.startsWith(':=', i) ? ':=' : '=';
      toks.push(op);
      i += op.length;
      continue;
    }
    if (c === ',') {
      toks.push(',');
      i++;
      continue;
    }
    const m = /^[^\s()|,"`']+/.exec(s.slice(i));
    if (!m) fail(`template: :${line}: unexpected ${JSON.stringify(c)} in command`);
    toks.push(m[0]);
    i += m[0].length;
  }
  return toks;
}

function parseUnquoted(tok: string): string {
  if (tok[0] === '`') return tok.slice(1, -1);
  try {
    return JSON.parse(tok.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string;
  } catch {
    return fail(`template: malformed string literal ${tok}`);
  }
}

class ExprParser {
  i = 0;
  constructor(
    private toks: string[],
    private line: number,
  ) {}
  peek(): string | undefined {
    return this.toks[this.i];
  }
  pipeline(): Expr {
    const cmds: Expr[] = [this.command()];
    while (this.peek() === '|') {
      this.i++;
      cmds.push(this.command());
    }
    return cmds.length === 1 ? cmds[0]! : { k: 'pipe', cmds };
  }
  command(): Expr {
    const first = this.operand();
    const args: Expr[] = [];
    while (this.i < this.toks.length && this.peek() !== '|' && this.peek() !== ')') args.push(this.operand());
    if (first.k === 'call' && first.args.length === 0) return { k: 'call', fn: first.fn, args };
    if (args.length > 0) fail(`template: :${this.line}: can't give argument to non-function`);
    return first;
  }
  operand(): Expr {
    const t = this.toks[this.i++];
    if (t === undefined) fail(`template: :${this.line}: missing value for command`);
    let e: Expr;
    if (t === '(') {
      e = this.pipeline();
      if (this.toks[this.i++] !== ')') fail(`template: :${this.line}: unclosed left paren`);
      const next = this.peek();
      if (next && next.startsWith('.') && next !== '.') {
        this.i++;
        e = { k: 'field', recv: e, names: next.slice(1).split('.') };
      }
      return e;
    }
    if (t === '.') return { k: 'dot' };
    if (t.startsWith('.')) return { k: 'field', recv: { k: 'dot' }, names: t.slice(1).split('.') };
    if (t.startsWith('$')) {
      const [name, ...rest] = t.split('.');
      const v: Expr = { k: 'var', name: name! };
      return rest.length ? { k: 'field', recv: v, names: rest } : v;
    }
    if (t[0] === '"' || t[0] === '`') return { k: 'lit', v: parseUnquoted(t) };
    if (t === 'true' || t === 'false') return { k: 'lit', v: t === 'true' };
    if (t === 'nil') return { k: 'lit', v: null };
    if (/^[-+]?(\d|\.\d)/.test(t)) {
      if (/^[-+]?(0[xXoObB])?[\d_a-fA-F]+$/.test(t) && !/[eE.]/.test(t.replace(/^[-+]?0[xX][\da-fA-F_]+$/, ''))) return { k: 'lit', v: BigInt(t.replace(/_/g, '')) };
      const x = Number(t.replace(/_/g, ''));
      if (Number.isNaN(x)) fail(`template: :${this.line}: bad number syntax: ${JSON.stringify(t)}`);
      return { k: 'lit', v: x };
    }
    if (/^[A-Za-z_]\w*$/.test(t)) {
      if (!FUNCS.has(t)) fail(`template: :${this.line}: function ${JSON.stringify(t)} not ${['call', 'slice'].includes(t) ? 'supported yet' : 'defined'}`);
      return { k: 'call', fn: t, args: [] };
    }
    return fail(`template: :${this.line}: unexpected ${JSON.stringify(t)} in operand`);
  }
}

// ---- tree ----

type Node =
  | { k: 'text'; v: string }
  | { k: 'action'; e: Expr; decl?: string[]; line: number }
  | { k: 'if' | 'with'; e: Expr; decl?: string[]; body: Node[]; els: Node[]; line: number }
  | { k: 'range'; e: Expr; decl: string[]; body: Node[]; els: Node[]; line: number };

/** Parses "$x :=" / "$k, $v :=" declarations and the pipeline. */
function parsePipe(src: string, line: number): { e: Expr; decl: string[] } {
  const toks = tokenizeExpr(src, line);
  const decl: string[] = [];
  const assign = toks.findIndex((t) => t === ':=' || t === '=');
  let rest = toks;
  if (assign > 0 && toks.slice(0, assign).every((t) => t.startsWith('$') || t === ',')) {
    for (const t of toks.slice(0, assign)) if (t !== ',') decl.push(t);
    rest = toks.slice(assign + 1);
  }
  const p = new ExprParser(rest, line);
  const e = p.pipeline();
  if (p.i !== rest.length) fail(`template: :${line}: unexpected ${JSON.stringify(rest[p.i])} in operand`);
  return { e, decl };
}

function parseTree(toks: Tok[]): Node[] {
  let pos = 0;
  const parseList = (stop: Set<string>): [Node[], string | undefined] => {
    const nodes: Node[] = [];
    while (pos < toks.length) {
      const tk = toks[pos++]!;
      if (tk.t === 'text') {
        nodes.push({ k: 'text', v: tk.v });
        continue;
      }
      const word = /^\w+/.exec(tk.v)?.[0] ?? '';
      if (stop.has(word) && (word === 'end' || word === 'else')) return [nodes, tk.v];
      if (word === 'if' || word === 'with' || word === 'range') {
        nodes.push(parseControl(word, tk.v.slice(word.length), tk.line));
        continue;
      }
      if (word === 'end' || word === 'else') fail(`template: :${tk.line}: unexpected {{${word}}}`);
      if (['define', 'template', 'block', 'break', 'continue'].includes(word)) fail(`template: :${tk.line}: {{${word}}} is not supported yet`);
      const { e, decl } = parsePipe(tk.v, tk.line);
      nodes.push({ k: 'action', e, decl, line: tk.line });
    }
    if (stop.size > 0) fail('template: unexpected EOF');
    return [nodes, undefined];
  };
  const parseControl = (kind: 'if' | 'with' | 'range', rest: string, line: number): Node => {
    const { e, decl } = parsePipe(rest, line);
    const [body, term] = parseList(new Set(['end', 'else']));
    let els: Node[] = [];
    if (term !== undefined && term.startsWith('else')) {
      const after = term.slice(4).trim();
      if (after.startsWith('if') && kind === 'if') els = [parseControl('if', after.slice(2), line)];
      else if (after.startsWith('with') && kind === 'with') els = [parseControl('with', after.slice(4), line)];
      else {
        const [eb, term2] = parseList(new Set(['end']));
        if (term2 !== 'end') fail(`template: :${line}: expected end; found ${term2}`);
        els = eb;
      }
    }
    if (kind === 'range') return { k: 'range', e, decl, body, els, line };
    return { k: kind, e, decl, body, els, line };
  };
  return parseList(new Set())[0];
}

// ---- execution ----

function fromCUE(v: Concrete): GoVal {
  if (v === null || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'bigint') return v;
  if (isDecimal(v)) return v.toNumber();
  if (v instanceof Uint8Array) return Array.from(v, (b) => BigInt(b));
  if (Array.isArray(v)) return v.map(fromCUE);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, fromCUE(x)]));
  return undefined;
}

/** Go's fmt %v. */
function sprintV(v: GoVal): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return formatFloatGo(v, 'g', -1, 64)!;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return '[' + v.map(sprintV).join(' ') + ']';
  return 'map[' + [...v.keys()].sort().map((k) => `${k}:${sprintV(v.get(k))}`).join(' ') + ']';
}

function truth(v: GoVal): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0 || v === 0n) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  return true;
}

/** Go's type names for fmt's error annotations. */
function goType(v: GoVal): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** Pads to a width counted in runes, as fmt does. */
function pad(s: string, width: number | undefined, minus: boolean, zero: boolean): string {
  const n = Array.from(s).length;
  if (width === undefined || n >= width) return s;
  if (minus) return s + ' '.repeat(width - n);
  if (zero) {
    const sign = /^[+-]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(width - n) + s.slice(sign.length);
  }
  return ' '.repeat(width - n) + s;
}

/** A subset of Go's fmt.Sprintf: flags + - 0, width, precision and the common verbs. */
function printf(format: string, args: GoVal[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const c = format[i]!;
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    const m = /^%([-+# 0]*)(\d+)?(?:\.(\d*))?(.)?/s.exec(format.slice(i))!;
    i += m[0].length;
    const flags = m[1]!;
    const width = m[2] !== undefined ? Number(m[2]) : undefined;
    const prec = m[3] !== undefined ? Number(m[3] || '0') : undefined;
    const verb = m[4];
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const a = args[argi++];
    const minus = flags.includes('-');
    const zero = flags.includes('0') && !minus;
    const plus = flags.includes('+');
    const bad = () => `%!${verb}(${goType(a)}=${sprintV(a)})`;
    let s: string;
    switch (verb) {
      case 'v':
        s = sprintV(a);
        break;
      case 's':
        s = typeof a === 'string' ? a : bad();
        if (typeof a === 'string' && prec !== undefined) s = Array.from(a).slice(0, prec).join('');
        break;
      case 'q':
        s = typeof a === 'string' ? JSON.stringify(a) : typeof a === 'bigint' ? `'${String.fromCodePoint(Number(a))}'` : bad();
        break;
      case 't':
        s = typeof a === 'boolean' ? String(a) : bad();
        break;
      case 'd':
      case 'x':
      case 'X':
      case 'o':
      case 'b':
        if (typeof a === 'bigint') {
          const base = verb === 'd' ? 10 : verb === 'o' ? 8 : verb === 'b' ? 2 : 16;
          let digits = (a < 0n ? -a : a).toString(base);
          if (verb === 'X') digits = digits.toUpperCase();
          if (prec !== undefined) digits = digits.padStart(prec, '0');
          s = (a < 0n ? '-' : plus ? '+' : '') + digits;
        } else if (typeof a === 'string' && (verb === 'x' || verb === 'X')) {
          s = Array.from(new TextEncoder().encode(a), (b) => b.toString(16).padStart(2, '0')).join('');
          if (verb === 'X') s = s.toUpperCase();
        } else s = bad();
        break;
      case 'c':
        s = typeof a === 'bigint' ? String.fromCodePoint(Number(a)) : bad();
        break;
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G': {
        const x = typeof a === 'number' ? a : undefined;
        if (x === undefined) {
          s = bad();
          break;
        }
        const f = verb === 'F' ? 'f' : verb;
        s = formatFloatGo(x, f, prec ?? (f === 'g' || f === 'G' ? -1 : 6), 64)!;
        if (plus && x >= 0) s = '+' + s;
        break;
      }
      default:
        s = bad();
    }
    out += pad(s, width, minus, zero && verb !== 's' && verb !== 'v' && verb !== 'q');
  }
  if (argi < args.length) out += '%!(EXTRA ' + args.slice(argi).map((a) => `${goType(a)}=${sprintV(a)}`).join(', ') + ')';
  return out;
}

function compare(a: GoVal, b: GoVal, name: string): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean' && (name === 'eq' || name === 'ne')) return a === b ? 0 : 1;
  return fail(`error calling ${name}: incompatible types for comparison`);
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\ufffd', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if (ch === '<') out += '\\u003C';
    else if (ch === '>') out += '\\u003E';
    else if (ch === '&') out += '\\u0026';
    else if (ch === '=') out += '\\u003D';
    else if (cp < 0x20) out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
    else out += ch;
  }
  return out;
}

class Exec {
  out = '';
  vars: [string, GoVal][] = [];
  constructor(root: GoVal) {
    this.vars.push(['$', root]);
  }
  lookupVar(name: string): GoVal {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]![0] === name) return this.vars[i]![1];
    return fail(`template: undefined variable: ${name}`);
  }
  field(recv: GoVal, names: string[]): GoVal {
    let v = recv;
    for (const n of names) {
      if (v instanceof Map) v = v.has(n) ? v.get(n) : undefined;
      else if (v === null || v === undefined) fail(`template: nil pointer evaluating interface {}.${n}`);
      else fail(`template: can't evaluate field ${n} in type ${Array.isArray(v) ? '[]interface {}' : typeof v === 'bigint' ? 'int' : typeof v}`);
    }
    return v;
  }
  eval(e: Expr, dot: GoVal, final?: GoVal, hasFinal = false): GoVal {
    switch (e.k) {
      case 'dot':
        return dot;
      case 'lit':
        return e.v;
      case 'var':
        return this.lookupVar(e.name);
      case 'field':
        return this.field(this.eval(e.recv, dot), e.names);
      case 'pipe': {
        let v: GoVal = undefined;
        e.cmds.forEach((c, i) => (v = i === 0 ? this.eval(c, dot) : this.eval(c, dot, v, true)));
        return v;
      }
      case 'call': {
        const args = e.args.map((a) => this.eval(a, dot));
        if (hasFinal) args.push(final);
        return this.call(e.fn, args, e.args, dot);
      }
    }
  }
  call(name: string, args: GoVal[], exprs: Expr[], dot: GoVal): GoVal {
    void exprs;
    void dot;
    switch (name) {
      case 'and':
        for (const a of args) if (!truth(a)) return a;
        return args[args.length - 1];
      case 'or':
        for (const a of args) if (truth(a)) return a;
        return args[args.length - 1];
      case 'not':
        return !truth(args[0]);
      case 'len': {
        const a = args[0];
        if (typeof a === 'string') return BigInt(new TextEncoder().encode(a).length);
        if (Array.isArray(a)) return BigInt(a.length);
        if (a instanceof Map) return BigInt(a.size);
        return fail(`error calling len: len of type ${typeof a}`);
      }
      case 'index': {
        let v = args[0];
        for (const k of args.slice(1)) {
          if (Array.isArray(v) && typeof k === 'bigint') {
            if (k < 0n || k >= BigInt(v.length)) fail(`error calling index: index out of range: ${k}`);
            v = v[Number(k)];
          } else if (v instanceof Map && typeof k === 'string') v = v.has(k) ? v.get(k) : undefined;
          else fail(`error calling index: cannot index ${sprintV(v)} with ${sprintV(k)}`);
        }
        return v;
      }
      case 'eq':
        return args.slice(1).some((b) => compare(args[0], b, 'eq') === 0);
      case 'ne':
        return compare(args[0], args[1], 'ne') !== 0;
      case 'lt':
        return compare(args[0], args[1], 'lt') < 0;
      case 'le':
        return compare(args[0], args[1], 'le') <= 0;
      case 'gt':
        return compare(args[0], args[1], 'gt') > 0;
      case 'ge':
        return compare(args[0], args[1], 'ge') >= 0;
      case 'print': {
        // Sprint adds spaces between operands when neither side is a string.
        let s = '';
        args.forEach((a, i) => {
          if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') s += ' ';
          s += sprintV(a);
        });
        return s;
      }
      case 'println':
        return args.map(sprintV).join(' ') + '\n';
      case 'printf':
        return printf(typeof args[0] === 'string' ? args[0] : sprintV(args[0]), args.slice(1));
      case 'html':
        return htmlEscape(args.map(sprintV).join(''));
      case 'js':
        return jsEscape(args.map(sprintV).join(''));
      case 'urlquery':
        return encodeURIComponent(args.map(sprintV).join('')).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
    }
    return fail(`function ${JSON.stringify(name)} not defined`);
  }
  run(nodes: Node[], dot: GoVal): void {
    for (const n of nodes) {
      switch (n.k) {
        case 'text':
          this.out += n.v;
          break;
        case 'action': {
          const v = this.eval(n.e, dot);
          if (n.decl && n.decl.length) this.vars.push([n.decl[0]!, v]);
          // A nil interface (CUE null or a missing key) prints as <no value> at the top level.
          else this.out += v === null ? '<no value>' : sprintV(v);
          break;
        }
        case 'if':
        case 'with': {
          const v = this.eval(n.e, dot);
          const mark = this.vars.length;
          if (n.decl && n.decl.length) this.vars.push([n.decl[0]!, v]);
          if (truth(v)) this.run(n.body, n.k === 'with' ? v : dot);
          else this.run(n.els, dot);
          this.vars.length = mark;
          break;
        }
        case 'range': {
          const v = this.eval(n.e, dot);
          const entries: [GoVal, GoVal][] = Array.isArray(v)
            ? v.map((x, i) => [BigInt(i), x])
            : v instanceof Map
              ? [...v.keys()].sort().map((k) => [k, v.get(k)])
              : typeof v === 'bigint'
                ? Array.from({ length: Number(v) }, (_, i) => [BigInt(i), BigInt(i)])
                : v === null || v === undefined
                  ? []
                  : fail(`template: :${n.line}: range can't iterate over ${sprintV(v)}`);
          if (entries.length === 0) {
            this.run(n.els, dot);
            break;
          }
          for (const [k, x] of entries) {
            const mark = this.vars.length;
            if (n.decl.length === 1) this.vars.push([n.decl[0]!, x]);
            else if (n.decl.length === 2) this.vars.push([n.decl[0]!, k], [n.decl[1]!, x]);
            this.run(n.body, x);
            this.vars.length = mark;
          }
          break;
        }
      }
    }
  }
}

export function execute(templ: string, data: Concrete): string {
  const tree = parseTree(lex(templ));
  const root = fromCUE(data);
  const ex = new Exec(root);
  ex.run(tree, root);
  return ex.out;
}

export const templatePackage: BuiltinPackage = {
  path: 'text/template',
  funcs: {
    Execute: fn(['string', 'any'], ([t, d]) => execute(str(t), d as Concrete)),
    HTMLEscape: fn(['string'], ([s]) => htmlEscape(str(s))),
    JSEscape: fn(['string'], ([s]) => jsEscape(str(s))),
  },
};
