// Public surface of the CUE front end (lexer, parser, printer). The package
// index re-exports from here.

export { parseFile, parseExpr } from './parser.js';
export type { ParseOptions } from './parser.js';
export { formatNode } from './format.js';
export { parseNumberLiteral, unquote, quoteString, quoteBytes, decodeFragments } from './literal.js';
export type { NumberLiteral } from './literal.js';
export { Scanner } from './scanner.js';
export { Tok, tokString } from './tokens.js';
