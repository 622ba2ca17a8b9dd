// The CUE lexer. It follows the Go implementation (cuelang.org/go/cue/scanner)
// closely so that the same inputs are accepted and errors land on the same
// positions: automatic comma insertion, longest-match tokens, lazily scanned
// interpolations (the parser resumes the string after the closing paren).

import type { Comment, Pos } from './ast.js';
import { Tok, keywords } from './tokens.js';
import { isAsciiLetter, isDecimal } from './chars.js';

export interface QuoteInfo {
  char: number; // '"' or "'"
  numChar: number; // 1 or 3
  numHash: number;
  startOffset: number;
  /** Shortest whitespace prefix of the non-empty content lines of a multi-line string. */
  minLineWS: string | null;
}

export interface ScanError {
  offset: number;
  msg: string;
}

const CH_NL = 10;
const CH_CR = 13;
const CH_TAB = 9;
const CH_SP = 32;
const CH_DQ = 34;
const CH_SQ = 39;
const CH_HASH = 35;
const CH_BSL = 92;
const BOM = 0xfeff;

const letterRe = /\p{L}/u;
const digitRe = /\p{Nd}/u;

function digitVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c === 95) return 0; // '_'
  if (c >= 97 && c <= 102) return c - 97 + 10;
  if (c >= 65 && c <= 70) return c - 65 + 10;
  return 16;
}

/** Formats a code point the way Go's %#U does, e.g. `U+0027 '''`. */
export function fmtCodePoint(c: number): string {
  const hex = c.toString(16).toUpperCase().padStart(4, '0');
  return c >= 0x20 && c !== 0x7f ? `U+${hex} '${String.fromCodePoint(c)}'` : `U+${hex}`;
}

export interface ScannerState {
  off: number;
  insertEOL: boolean;
  nextHasComma: boolean;
  quoteStack: QuoteInfo[];
  nComments: number;
  nErrors: number;
}

const NO_POS: Pos = { file: '', line: 0, col: 0, offset: -1 };

export class Scanner {
  readonly src: string;
  readonly file: string;
  readonly comments: Comment[] = [];
  readonly errors: ScanError[] = [];
  /** Offsets at which lines start; line n (1-based) starts at lineStarts[n-1]. */
  private readonly lineStarts: number[];
  /** The line (0-based) of the last position asked for. */
  private lastLine = 0;
  /** The last position made (pos); a placeholder until then. */
  private lastPos: Pos = NO_POS;
  private off = 0;
  private insertEOL = false;
  private quoteStack: QuoteInfo[] = [];

  // Result of the last scan.
  tok: Tok = Tok.ILLEGAL;
  tokOffset = 0;
  lit = '';

  constructor(file: string, src: string) {
    this.file = file;
    this.src = src;
    const starts = [0];
    for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
    if (src.charCodeAt(0) === BOM) this.off = 1;
  }

  /**
   * Position of a source offset (line and column are 1-based). The last one
   * is given again for the same offset: the parser asks for one offset
   * several times in a row (a field's position and its label's, an
   * expression's and its first operand's: 809 of 2,148 asks for a 200-line
   * file), and positions are never changed once made.
   */
  pos(offset: number): Pos {
    if (offset === this.lastPos.offset) return this.lastPos;
    return (this.lastPos = this.newPos(offset));
  }

  private newPos(offset: number): Pos {
    const ls = this.lineStarts;
    // Positions are mostly asked in source order: the line of the last one, or the next, before a search.
    const k = this.lastLine;
    if (ls[k]! <= offset && (k + 1 >= ls.length || offset < ls[k + 1]!)) return { file: this.file, line: k + 1, col: offset - ls[k]! + 1, offset };
    if (k + 1 < ls.length && ls[k + 1]! <= offset && (k + 2 >= ls.length || offset < ls[k + 2]!)) {
      this.lastLine = k + 1;
      return { file: this.file, line: k + 2, col: offset - ls[k + 1]! + 1, offset };
    }
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.lastLine = lo;
    return { file: this.file, line: lo + 1, col: offset - ls[lo]! + 1, offset };
  }

  line(offset: number): number {
    return this.pos(offset).line;
  }

  /** Current read offset: the end of the last scanned token. */
  get offset(): number {
    return this.off;
  }

  save(): ScannerState {
    return {
      off: this.off,
      insertEOL: this.insertEOL,
      nextHasComma: false,
      quoteStack: this.quoteStack.map((q) => ({ ...q })),
      nComments: this.comments.length,
      nErrors: this.errors.length,
    };
  }

  restore(s: ScannerState): void {
    this.off = s.off;
    this.insertEOL = s.insertEOL;
    this.quoteStack = s.quoteStack;
    this.comments.length = s.nComments;
    this.errors.length = s.nErrors;
  }

  private err(offset: number, msg: string): void {
    this.errors.push({ offset, msg });
  }

  private ch(): number {
    return this.off < this.src.length ? this.src.charCodeAt(this.off) : -1;
  }

  /** The code point at the current offset and its length in UTF-16 units. */
  private cp(): [number, number] {
    if (this.off >= this.src.length) return [-1, 0];
    const c = this.src.codePointAt(this.off)!;
    return [c, c > 0xffff ? 2 : 1];
  }

  private isLetterAt(): number {
    const c = this.ch();
    if (isAsciiLetter(c) || c === 95 || c === 36) return 1;
    if (c < 0x80) return 0;
    const [cp, w] = this.cp();
    return letterRe.test(String.fromCodePoint(cp)) ? w : 0;
  }

  private isDigitAt(): number {
    const c = this.ch();
    if (isDecimal(c)) return 1;
    if (c < 0x80) return 0;
    const [cp, w] = this.cp();
    return digitRe.test(String.fromCodePoint(cp)) ? w : 0;
  }

  private scanIdentChars(): void {
    const src = this.src;
    let i = this.off;
    // Fast path for ASCII identifier characters.
    for (;;) {
      const c = src.charCodeAt(i);
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36) i++;
      else break;
    }
    this.off = i;
    if (src.charCodeAt(i) < 0x80 || i >= src.length) return;
    for (;;) {
      const w = this.isLetterAt() || this.isDigitAt();
      if (!w) return;
      this.off += w;
    }
  }

  private scanFieldIdentifier(): string {
    const start = this.off;
    if (this.ch() === CH_HASH) {
      this.off++;
      if (this.isDigitAt()) return this.src.slice(start, this.off);
    }
    this.scanIdentChars();
    return this.src.slice(start, this.off);
  }

  private scanMantissa(base: number): void {
    let last = -1;
    while (digitVal(this.ch()) < base) {
      const c = this.ch();
      if (last === 95 && c === 95) this.err(this.off, "illegal '_' in number");
      last = c;
      this.off++;
    }
    if (last === 95) this.err(this.off - 1, "illegal '_' in number");
  }

  private scanNumber(seenDecimalPoint: boolean): Tok {
    let start = this.off;
    let tok = Tok.INT;
    const src = this.src;
    const exponent = (): void => {
      const c = this.ch();
      if (c === 75 || c === 77 || c === 71 || c === 84 || c === 80) {
        // K M G T P: SI/IEC multipliers make an integer
        tok = Tok.INT;
        this.off++;
        if (this.ch() === 105) this.off++; // 'i'
        return;
      }
      if (c === 101 || c === 69) {
        tok = Tok.FLOAT;
        this.off++;
        if (this.ch() === 45 || this.ch() === 43) this.off++;
        if (digitVal(this.ch()) >= 10) this.err(this.off, 'illegal exponent in number');
        this.scanMantissa(10);
      }
    };
    const fraction = (): void => {
      if (this.ch() === 46) {
        if (src.charCodeAt(this.off + 1) === 46) return; // `..`: not a fraction
        tok = Tok.FLOAT;
        this.off++;
        this.scanMantissa(10);
      }
      exponent();
    };

    if (seenDecimalPoint) {
      start--;
      tok = Tok.FLOAT;
      this.scanMantissa(10);
      exponent();
    } else if (this.ch() === 48) {
      const offs = this.off;
      this.off++;
      const c = this.ch();
      if (c === 120 || c === 88) {
        this.off++;
        this.scanMantissa(16);
        if (this.off - offs <= 2) this.err(offs, 'illegal hexadecimal number');
      } else if (c === 98) {
        this.off++;
        this.scanMantissa(2);
        if (this.off - offs <= 2) this.err(offs, 'illegal binary number');
      } else if (c === 111) {
        this.off++;
        this.scanMantissa(8);
        if (this.off - offs <= 2) this.err(offs, 'illegal octal number');
      } else {
        let seenDigits = false;
        if (isDecimal(this.ch())) {
          seenDigits = true;
          this.scanMantissa(10);
        }
        const d = this.ch();
        if (d === 46 && src.charCodeAt(this.off + 1) === 46) {
          if (seenDigits) this.err(offs, 'illegal integer number');
        } else if (d === 46 || d === 101 || d === 69) {
          fraction();
        } else {
          if (seenDigits) this.err(offs, 'illegal integer number');
          exponent(); // "0" may still carry a multiplier: 0Ki
        }
      }
    } else {
      this.scanMantissa(10);
      fraction();
    }
    this.lit = src.slice(start, this.off);
    return tok;
  }

  /** Scans an escape after the backslash. Returns 'interp' at `\(`. */
  private scanEscape(q: QuoteInfo): 'ok' | 'bad' | 'interp' {
    for (let i = 0; i < q.numHash; i++) {
      if (this.ch() !== CH_HASH) return 'ok'; // not an escape for this delimiter
      this.off++;
    }
    const offs = this.off;
    const c = this.ch();
    let n: number;
    let base: number;
    let max: number;
    switch (c) {
      case 40: // '('
        return 'interp';
      case 97:
      case 98:
      case 102:
      case 110:
      case 114:
      case 116:
      case 118:
      case CH_BSL:
      case 47:
        this.off++;
        return 'ok';
      case 48:
      case 49:
      case 50:
      case 51:
      case 52:
      case 53:
      case 54:
      case 55:
        if (q.char === CH_DQ) {
          this.err(offs, 'octal escape not allowed in string literal');
          return 'bad';
        }
        n = 3;
        base = 8;
        max = 255;
        break;
      case 120: // x
        if (q.char === CH_DQ) {
          this.err(offs, 'hexadecimal escape not allowed in string literal');
          return 'bad';
        }
        this.off++;
        n = 2;
        base = 16;
        max = 255;
        break;
      case 117: // u
        this.off++;
        n = 4;
        base = 16;
        max = 0x10ffff;
        break;
      case 85: // U
        this.off++;
        n = 8;
        base = 16;
        max = 0x10ffff;
        break;
      default:
        if (c === q.char) {
          this.off++;
          return 'ok';
        }
        this.err(offs, c < 0 ? 'escape sequence not terminated' : 'unknown escape sequence');
        return 'bad';
    }
    let x = 0;
    for (; n > 0; n--) {
      const ch = this.ch();
      const d = digitVal(ch);
      if (ch === 95 || d >= base) {
        if (ch < 0) this.err(this.off, 'escape sequence not terminated');
        else this.err(this.off, `illegal character ${fmtCodePoint(this.cp()[0])} in escape sequence`);
        return 'bad';
      }
      x = x * base + d;
      this.off++;
    }
    if (x > max) {
      this.err(offs, 'escape sequence is invalid Unicode code point');
      return 'bad';
    }
    return 'ok';
  }

  /** Tries to consume the rest of a closing delimiter whose first char `c` was just consumed. */
  private consumeStringClose(c: number, q: QuoteInfo): boolean {
    if (c !== q.char) return false;
    const n = q.numChar + q.numHash;
    let want = q.char;
    for (let i = 1; i < n; i++) {
      if (i === q.numChar) want = CH_HASH;
      if (this.ch() !== want) return false;
      this.off++;
    }
    return true;
  }

  private scanString(offs: number, q: QuoteInfo, continuation: boolean): Tok {
    const src = this.src;
    let tok = Tok.STRING;
    let extra = 0;
    let closeAllowed = false;
    if (!continuation) {
      q.startOffset = offs;
      closeAllowed = q.numChar === 3;
    }
    let lineStart = this.off;
    for (;;) {
      const c = this.ch();
      if ((q.numChar !== 3 && c === CH_NL) || c < 0) {
        this.err(offs, 'string literal not terminated');
        this.lit = src.slice(offs, this.off);
        return tok;
      }
      this.off++;
      if (q.numChar !== 3 || closeAllowed) {
        if (this.consumeStringClose(c, q)) break;
      }
      if (c === CH_CR && q.numChar === 3) continue;
      if (closeAllowed && c !== CH_SP && c !== CH_TAB) {
        const ws = src.slice(lineStart, this.off - 1);
        if (c !== CH_NL || ws.length > 0) {
          if (q.minLineWS === null) q.minLineWS = ws;
          else {
            let i = 0;
            const m = q.minLineWS;
            while (i < m.length && i < ws.length && m.charCodeAt(i) === ws.charCodeAt(i)) i++;
            q.minLineWS = m.slice(0, i);
          }
        }
      }
      if (c === CH_NL) {
        closeAllowed = true;
        lineStart = this.off;
      } else if (!(q.numChar === 3 && closeAllowed && (c === CH_SP || c === CH_TAB))) {
        closeAllowed = false;
      }
      if (c === CH_BSL) {
        if (this.scanEscape(q) === 'interp') {
          tok = Tok.INTERPOLATION;
          extra = 1;
          this.quoteStack.push(q);
          break;
        }
      }
    }
    this.lit = src.slice(offs, this.off + extra);
    if (tok === Tok.STRING && q.minLineWS !== null) {
      const closingWS = src.slice(lineStart, this.off - q.numChar - q.numHash);
      if (!q.minLineWS.startsWith(closingWS)) {
        this.err(q.startOffset, `non-matching whitespace for multiline string (expected ${JSON.stringify(closingWS)}, got ${JSON.stringify(q.minLineWS)})`);
      }
    }
    return tok;
  }

  private scanHashes(max: number): number {
    for (let i = 0; i < max; i++) {
      if (this.ch() !== CH_HASH) return i;
      this.off++;
    }
    return max;
  }

  private scanAttribute(): Tok {
    const offs = this.off - 1; // '@' already consumed
    const nComments = this.comments.length;
    this.scanIdentChars();
    if (this.scan() === Tok.LPAREN) {
      this.scanAttributeTokens(Tok.RPAREN);
    } else {
      this.err(this.off, "invalid attribute: expected '('");
    }
    this.lit = this.src.slice(offs, this.off);
    // Comments inside the body belong to the attribute text, not to the AST.
    this.comments.length = nComments;
    return Tok.ATTRIBUTE;
  }

  private scanAttributeTokens(close: Tok): void {
    for (;;) {
      const t = this.scan();
      switch (t) {
        case close:
          return;
        case Tok.EOF:
          this.err(this.off, `attribute missing '${close === Tok.RPAREN ? ')' : close === Tok.RBRACK ? ']' : '}'}'`);
          return;
        case Tok.INTERPOLATION:
          this.err(this.off, 'interpolation not allowed in attribute');
          this.quoteStack.pop();
          this.recoverParen(1);
          break;
        case Tok.LPAREN:
          this.scanAttributeTokens(Tok.RPAREN);
          break;
        case Tok.LBRACE:
          this.scanAttributeTokens(Tok.RBRACE);
          break;
        case Tok.LBRACK:
          this.scanAttributeTokens(Tok.RBRACK);
          break;
        case Tok.RPAREN:
          this.err(this.tokOffset, "unexpected ')'");
          break;
        case Tok.RBRACK:
          this.err(this.tokOffset, "unexpected ']'");
          break;
        case Tok.RBRACE:
          this.err(this.tokOffset, "unexpected '}'");
          break;
      }
    }
  }

  private recoverParen(open: number): void {
    for (;;) {
      const c = this.ch();
      if (c === CH_NL || c < 0) return;
      if (c === 40) open++;
      else if (c === 41 && --open === 0) return;
      this.off++;
    }
  }

  /** Skips blanks; stops at a newline when a comma is due there. */
  private skipWhitespace(): void {
    const src = this.src;
    for (;;) {
      const c = src.charCodeAt(this.off);
      if (c === CH_SP || c === CH_TAB || c === CH_CR) this.off++;
      else if (c === CH_NL) {
        if (this.insertEOL) return;
        this.off++;
      } else return;
    }
  }

  /**
   * Resumes a string after the `)` that closes an interpolated expression.
   * Returns STRING for the final fragment or INTERPOLATION if another `\(` follows;
   * the fragment text (starting with `)`) is in `lit`.
   */
  resumeInterpolation(): Tok {
    const q = this.quoteStack.pop();
    if (!q) {
      this.err(this.off, 'unexpected interpolation end');
      this.lit = ')';
      return Tok.STRING;
    }
    const t = this.scanString(this.off - 1, q, true);
    this.insertEOL = true;
    this.tok = t;
    return t;
  }

  /** Scans the next token into tok/tokOffset/lit. */
  scan(): Tok {
    const src = this.src;
    for (;;) {
      this.skipWhitespace();
      const offset = this.off;
      this.tokOffset = offset;
      this.lit = '';
      let insertEOL = false;
      let tok = Tok.ILLEGAL;
      let c = this.ch();
      let numHash = 0;
      let stringStart = false;

      if (isDecimal(c)) {
        tok = this.scanNumber(false);
        this.insertEOL = true;
        this.tok = tok;
        return tok;
      } else if (isAsciiLetter(c) || c === 36 || c === CH_HASH || (c >= 0x80 && c !== BOM && this.isLetterAt())) {
        const lit = this.scanFieldIdentifier();
        const nc = this.ch();
        if (lit.length > 1 || c !== CH_HASH || (nc !== CH_SQ && nc !== CH_DQ && nc !== CH_HASH)) {
          this.lit = lit;
          tok = lit.length > 1 ? (keywords.get(lit) ?? Tok.IDENT) : Tok.IDENT;
          insertEOL = true;
          this.insertEOL = insertEOL;
          this.tok = tok;
          return tok;
        }
        // `#"`, `#'` or `##`: a raw string delimiter.
        numHash = 1;
        c = nc;
        this.off++;
        if (c === CH_HASH) {
          numHash = 2;
          while (this.ch() === CH_HASH) {
            this.off++;
            numHash++;
          }
          c = this.ch();
          if (c !== CH_SQ && c !== CH_DQ) {
            this.err(offset, `illegal token ${JSON.stringify(src.slice(offset, this.off))}`);
            this.lit = src.slice(offset, this.off);
            this.insertEOL = false;
            this.tok = Tok.ILLEGAL;
            return Tok.ILLEGAL;
          }
          this.off++;
        }
        stringStart = true;
      } else {
        if (c < 0) {
          if (this.insertEOL) {
            this.insertEOL = false;
            this.lit = '\n';
            this.tok = Tok.COMMA;
            return Tok.COMMA;
          }
          this.tok = Tok.EOF;
          return Tok.EOF;
        }
        this.off++;
        if (c === CH_DQ || c === CH_SQ) stringStart = true;
      }

      if (stringStart) {
        insertEOL = true;
        const q: QuoteInfo = { char: c, numChar: 1, numHash, startOffset: 0, minLineWS: null };
        const offs = this.off - 1 - q.numHash;
        let n = 0;
        while (n < 2 && this.ch() === c) {
          this.off++;
          n++;
        }
        if (n === 0) {
          tok = this.scanString(offs, q, false);
        } else if (n === 1) {
          if (this.scanHashes(q.numHash) === q.numHash) {
            tok = Tok.STRING; // the empty string
            this.lit = src.slice(offs, this.off);
          } else {
            tok = this.scanString(offs, q, false);
          }
        } else {
          let done = false;
          if (q.numHash > 0) {
            const save = this.off;
            if (this.scanHashes(q.numHash) === q.numHash) {
              // #"""# is a single-line string holding one quote.
              tok = Tok.STRING;
              this.lit = src.slice(offs, this.off);
              done = true;
            } else {
              this.off = save;
            }
          }
          if (!done) {
            q.numChar = 3;
            const d = this.ch();
            if (d === CH_NL || (d === CH_CR && src.charCodeAt(this.off + 1) === CH_NL)) {
              this.off += d === CH_NL ? 1 : 2;
              tok = this.scanString(offs, q, false);
            } else {
              this.err(offs, `expected newline after multiline quote ${src.slice(offs, this.off)}`);
              tok = Tok.STRING;
              this.lit = src.slice(offs, this.off);
            }
          }
        }
        this.insertEOL = insertEOL;
        this.tok = tok;
        return tok;
      }

      switch (c) {
        case CH_NL:
          // Only reached when a comma is due at this newline.
          this.insertEOL = false;
          this.skipWhitespace();
          {
            const d = this.ch();
            // Keep JSON working: a newline before ',' or ':' is not a comma.
            if (d === 44 || d === 58) continue;
          }
          this.tokOffset = offset;
          this.lit = '\n';
          this.tok = Tok.COMMA;
          return Tok.COMMA;
        case 95: // '_'
          if (this.ch() === 124 && src.charCodeAt(this.off + 1) === 95) {
            this.off += 2;
            tok = Tok.BOTTOM;
            this.lit = '_|_';
          } else {
            tok = Tok.IDENT;
            this.lit = '_' + this.scanFieldIdentifier();
            if (this.lit === '__' && this.ch() === CH_HASH) {
              this.off++;
              this.scanIdentChars();
              this.lit = src.slice(offset, this.off);
              this.err(offset, `illegal token ${JSON.stringify(this.lit)}`);
              tok = Tok.ILLEGAL;
            }
          }
          insertEOL = true;
          break;
        case 64: // '@'
          tok = this.scanAttribute();
          this.tokOffset = offset;
          insertEOL = true;
          break;
        case 58:
          tok = Tok.COLON;
          break;
        case 59:
          tok = Tok.SEMICOLON;
          insertEOL = true;
          break;
        case 63:
          tok = Tok.OPTION;
          insertEOL = true;
          break;
        case 126:
          tok = Tok.TILDE;
          break;
        case 46: // '.'
          if (isDecimal(this.ch())) {
            insertEOL = true;
            tok = this.scanNumber(true);
          } else if (this.ch() === 46) {
            this.off++;
            if (this.ch() === 46) {
              this.off++;
              tok = Tok.ELLIPSIS;
              insertEOL = true;
            } else {
              this.err(offset, "illegal token '..'; expected '.'");
            }
          } else {
            tok = Tok.PERIOD;
          }
          break;
        case 44:
          tok = Tok.COMMA;
          this.lit = ',';
          break;
        case 40:
          tok = Tok.LPAREN;
          break;
        case 41:
          tok = Tok.RPAREN;
          insertEOL = true;
          break;
        case 91:
          tok = Tok.LBRACK;
          break;
        case 93:
          tok = Tok.RBRACK;
          insertEOL = true;
          break;
        case 123:
          tok = Tok.LBRACE;
          break;
        case 125:
          tok = Tok.RBRACE;
          insertEOL = true;
          break;
        case 43:
          tok = Tok.ADD;
          break;
        case 45:
          tok = Tok.SUB;
          break;
        case 42:
          tok = Tok.MUL;
          break;
        case 47: // '/'
          if (this.ch() === 47) {
            if (this.insertEOL) {
              // The comment ends the line: emit the due comma first, rescan the comment next.
              this.off = offset;
              this.insertEOL = false;
              this.lit = '\n';
              this.tok = Tok.COMMA;
              return Tok.COMMA;
            }
            let e = src.indexOf('\n', offset);
            if (e < 0) e = src.length;
            this.off = e;
            let text = src.slice(offset, e);
            if (text.includes('\r')) text = text.replace(/\r/g, '');
            this.comments.push({ text, pos: this.pos(offset) });
            this.insertEOL = false;
            continue;
          }
          tok = Tok.QUO;
          break;
        case 60:
          if (this.ch() === 61) {
            this.off++;
            tok = Tok.LEQ;
          } else tok = Tok.LSS;
          break;
        case 62:
          if (this.ch() === 61) {
            this.off++;
            tok = Tok.GEQ;
          } else tok = Tok.GTR;
          break;
        case 61: // '='
          if (this.ch() === 126) {
            this.off++;
            tok = Tok.MAT;
          } else if (this.ch() === 61) {
            this.off++;
            tok = Tok.EQL;
          } else tok = Tok.BIND;
          break;
        case 33: // '!'
          if (this.ch() === 126) {
            this.off++;
            tok = Tok.NMAT;
          } else if (this.ch() === 61) {
            this.off++;
            tok = Tok.NEQ;
          } else tok = Tok.NOT;
          break;
        case 38:
          if (this.ch() === 38) {
            this.off++;
            tok = Tok.LAND;
          } else tok = Tok.AND;
          break;
        case 124:
          if (this.ch() === 124) {
            this.off++;
            tok = Tok.LOR;
          } else tok = Tok.OR;
          break;
        default: {
          // Report whole code points, not surrogate halves.
          let cpv = c;
          if (c >= 0xd800 && c <= 0xdbff && this.off < src.length) {
            const lo = src.charCodeAt(this.off);
            if (lo >= 0xdc00 && lo <= 0xdfff) {
              cpv = ((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
              this.off++;
            }
          }
          if (c === 0) this.err(offset, 'illegal character NUL');
          else if (c === BOM) this.err(offset, 'illegal byte order mark');
          else this.err(offset, `illegal character ${fmtCodePoint(cpv)}`);
          insertEOL = this.insertEOL;
          tok = Tok.ILLEGAL;
          this.lit = src.slice(offset, this.off);
        }
      }
      this.insertEOL = insertEOL;
      this.tok = tok;
      return tok;
    }
  }
}
