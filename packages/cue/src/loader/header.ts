// A small scanner for the head of a CUE file: file attributes, the package
// clause and the import declarations. The loader needs only these to select
// files and walk the import graph, so it does not run the full parser (which
// the evaluator runs later anyway) and keeps working on files whose bodies do
// not parse (their syntax errors are reported by the build, with positions).
import type { Pos } from '../ast.js';
import { isAsciiIdentChar, isDecimal } from '../chars.js';

export interface HeaderImport {
  /** The import path as written, e.g. `x.example/m/sub:pkg`. */
  path: string;
  /** Explicit local name, if any. */
  name?: string;
  /** Position of the quoted path. */
  pos: Pos;
}

export interface FileHeader {
  /** Package name, or undefined for a file without a package clause. */
  package?: string;
  imports: HeaderImport[];
  /** `@if(...)`-style attributes before the package clause, raw bodies keyed by name. */
  attrs: { name: string; body: string }[];
}

export class HeaderSyntaxError extends Error {
  constructor(message: string, readonly pos: Pos) {
    super(message);
    this.name = 'HeaderSyntaxError';
  }
}

export function scanHeader(file: string, text: string): FileHeader {
  const s = new Scanner(file, text);
  const header: FileHeader = { imports: [], attrs: [] };
  s.skipSpace();
  // Attributes may precede the package clause (`@if(prod)`, `@extern(embed)`).
  while (s.peek() === '@') {
    header.attrs.push(s.attribute());
    s.skipSpace();
  }
  if (s.keyword('package')) {
    s.skipSpace();
    header.package = s.ident();
    s.skipSpace();
  }
  while (s.keyword('import')) {
    s.skipSpace();
    if (s.peek() === '(') {
      s.advance(1);
      s.skipSpace();
      while (s.peek() !== ')') {
        if (s.eof()) throw s.error('unterminated import block');
        header.imports.push(s.importSpec());
        s.skipSpace();
        if (s.peek() === ',' || s.peek() === ';') {
          s.advance(1);
          s.skipSpace();
        }
      }
      s.advance(1);
    } else {
      header.imports.push(s.importSpec());
    }
    s.skipSpace();
  }
  return header;
}

class Scanner {
  private i = 0;
  private line = 1;
  private lineStart = 0;

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  eof(): boolean {
    return this.i >= this.text.length;
  }

  peek(): string {
    return this.text[this.i] ?? '';
  }

  pos(): Pos {
    return { file: this.file, line: this.line, col: this.i - this.lineStart + 1, offset: this.i };
  }

  error(msg: string): HeaderSyntaxError {
    return new HeaderSyntaxError(msg, this.pos());
  }

  advance(n: number): void {
    for (let k = 0; k < n && this.i < this.text.length; k++) {
      if (this.text[this.i] === '\n') {
        this.line++;
        this.lineStart = this.i + 1;
      }
      this.i++;
    }
  }

  /** Skips white space (newlines included: the header does not care about them) and comments. */
  skipSpace(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\uFEFF') this.advance(1);
      else if (c === '/' && this.text[this.i + 1] === '/') {
        while (!this.eof() && this.peek() !== '\n') this.advance(1);
      } else return;
    }
  }

  /** Consumes `word` if it follows as a whole identifier. */
  keyword(word: string): boolean {
    if (!this.text.startsWith(word, this.i)) return false;
    const next = this.text[this.i + word.length] ?? '';
    const c = next.charCodeAt(0);
    if (next !== '' && (c < 128 ? isAsciiIdentChar(c) : /[\p{L}\p{N}]/u.test(next))) return false;
    // `import: 1` or `package: x` are fields, not clauses.
    let j = this.i + word.length;
    while (this.text[j] === ' ' || this.text[j] === '\t') j++;
    if (this.text[j] === ':' || this.text[j] === '?' || this.text[j] === '!') return false;
    this.advance(word.length);
    return true;
  }

  ident(): string {
    const start = this.i;
    const end = Math.min(this.text.length, start + 256);
    let j = start;
    while (j < end) {
      const c = this.text.charCodeAt(j);
      if (c < 128) {
        if (!(isAsciiIdentChar(c) && (j > start || !isDecimal(c)))) break;
        j++;
        continue;
      }
      // A code point as the u-flag pattern it replaces read it: a letter, or after the first a number too.
      const cp = this.text.codePointAt(j)!;
      const len = cp > 0xffff ? 2 : 1;
      if (j + len > end || !(j > start ? /[\p{L}\p{N}]/u : /\p{L}/u).test(String.fromCodePoint(cp))) break;
      j += len;
    }
    if (j === start) throw this.error('expected identifier');
    const name = this.text.slice(start, j);
    this.advance(name.length);
    return name;
  }

  attribute(): { name: string; body: string } {
    this.advance(1); // @
    const name = this.ident();
    if (this.peek() !== '(') throw this.error('expected ( after attribute name');
    const start = this.i + 1;
    let depth = 0;
    for (;;) {
      if (this.eof()) throw this.error('unterminated attribute');
      const c = this.peek();
      if (c === '"' || c === "'") this.string();
      else {
        if (c === '(' || c === '[' || c === '{') depth++;
        else if (c === ')' || c === ']' || c === '}') depth--;
        this.advance(1);
        if (depth === 0) break;
      }
    }
    return { name, body: this.text.slice(start, this.i - 1) };
  }

  importSpec(): HeaderImport {
    let name: string | undefined;
    if (this.peek() !== '"') {
      name = this.ident();
      this.skipSpace();
    }
    if (this.peek() !== '"') throw this.error('expected import path string');
    const pos = this.pos();
    const path = this.string();
    return name === undefined ? { path, pos } : { path, name, pos };
  }

  /** A simple quoted string; escapes are kept as written except `\"` and `\\`. */
  string(): string {
    const q = this.peek();
    this.advance(1);
    let out = '';
    for (;;) {
      if (this.eof() || this.peek() === '\n') throw this.error('unterminated string');
      const c = this.peek();
      if (c === q) {
        this.advance(1);
        return out;
      }
      if (c === '\\') {
        out += this.text[this.i + 1] ?? '';
        this.advance(2);
      } else {
        out += c;
        this.advance(1);
      }
    }
  }
}
