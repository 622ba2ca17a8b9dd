// Token kinds of the CUE lexical grammar. `package` and `import` are scanned
// as identifiers (as Go does): they are only special in the file preamble and
// may be used as ordinary labels and references elsewhere.

export enum Tok {
  ILLEGAL,
  EOF,
  COMMA, // explicit `,` or inserted at a newline/EOF
  IDENT,
  INT,
  FLOAT,
  STRING,
  /** A string fragment that ends with `\(` (or `\#(`): an interpolation follows. */
  INTERPOLATION,
  ATTRIBUTE,
  BOTTOM, // _|_

  // keywords
  FOR,
  IN,
  IF,
  LET,
  TRUE,
  FALSE,
  NULL,

  // operators
  ADD, // +
  SUB, // -
  MUL, // *
  QUO, // /
  AND, // &
  OR, // |
  LAND, // &&
  LOR, // ||
  EQL, // ==
  NEQ, // !=
  LSS, // <
  LEQ, // <=
  GTR, // >
  GEQ, // >=
  MAT, // =~
  NMAT, // !~
  BIND, // =
  NOT, // !
  COLON, // :
  OPTION, // ?
  PERIOD, // .
  ELLIPSIS, // ...
  TILDE, // ~ (reserved; used by experimental postfix aliases)
  SEMICOLON, // ; (reserved)
  LPAREN,
  RPAREN,
  LBRACK,
  RBRACK,
  LBRACE,
  RBRACE,
}

export const keywords: ReadonlyMap<string, Tok> = new Map([
  ['for', Tok.FOR],
  ['in', Tok.IN],
  ['if', Tok.IF],
  ['let', Tok.LET],
  ['true', Tok.TRUE],
  ['false', Tok.FALSE],
  ['null', Tok.NULL],
]);

const tokText: Partial<Record<Tok, string>> = {
  [Tok.ILLEGAL]: 'ILLEGAL',
  [Tok.EOF]: 'EOF',
  [Tok.COMMA]: ',',
  [Tok.IDENT]: 'IDENT',
  [Tok.INT]: 'INT',
  [Tok.FLOAT]: 'FLOAT',
  [Tok.STRING]: 'STRING',
  [Tok.INTERPOLATION]: 'INTERPOLATION',
  [Tok.ATTRIBUTE]: 'ATTRIBUTE',
  [Tok.BOTTOM]: '_|_',
  [Tok.FOR]: 'for',
  [Tok.IN]: 'in',
  [Tok.IF]: 'if',
  [Tok.LET]: 'let',
  [Tok.TRUE]: 'true',
  [Tok.FALSE]: 'false',
  [Tok.NULL]: 'null',
  [Tok.ADD]: '+',
  [Tok.SUB]: '-',
  [Tok.MUL]: '*',
  [Tok.QUO]: '/',
  [Tok.AND]: '&',
  [Tok.OR]: '|',
  [Tok.LAND]: '&&',
  [Tok.LOR]: '||',
  [Tok.EQL]: '==',
  [Tok.NEQ]: '!=',
  [Tok.LSS]: '<',
  [Tok.LEQ]: '<=',
  [Tok.GTR]: '>',
  [Tok.GEQ]: '>=',
  [Tok.MAT]: '=~',
  [Tok.NMAT]: '!~',
  [Tok.BIND]: '=',
  [Tok.NOT]: '!',
  [Tok.COLON]: ':',
  [Tok.OPTION]: '?',
  [Tok.PERIOD]: '.',
  [Tok.ELLIPSIS]: '...',
  [Tok.TILDE]: '~',
  [Tok.SEMICOLON]: ';',
  [Tok.LPAREN]: '(',
  [Tok.RPAREN]: ')',
  [Tok.LBRACK]: '[',
  [Tok.RBRACK]: ']',
  [Tok.LBRACE]: '{',
  [Tok.RBRACE]: '}',
};

export function tokString(t: Tok): string {
  return tokText[t] ?? `token(${t})`;
}

/** Literal tokens carry their source text; error messages quote it. */
export function isLiteralTok(t: Tok): boolean {
  return t === Tok.IDENT || t === Tok.INT || t === Tok.FLOAT || t === Tok.STRING || t === Tok.INTERPOLATION || t === Tok.ATTRIBUTE;
}

export function isKeywordTok(t: Tok): boolean {
  return t >= Tok.FOR && t <= Tok.NULL;
}

/** Binary operator precedence by token (0: not a binary operator). Mirrors ast.binaryPrecedence. */
export function binaryTokPrec(t: Tok): number {
  switch (t) {
    case Tok.OR:
      return 1;
    case Tok.AND:
      return 2;
    case Tok.LOR:
      return 3;
    case Tok.LAND:
      return 4;
    case Tok.EQL:
    case Tok.NEQ:
    case Tok.LSS:
    case Tok.LEQ:
    case Tok.GTR:
    case Tok.GEQ:
    case Tok.MAT:
    case Tok.NMAT:
      return 5;
    case Tok.ADD:
    case Tok.SUB:
      return 6;
    case Tok.MUL:
    case Tok.QUO:
      return 7;
    default:
      return 0;
  }
}
