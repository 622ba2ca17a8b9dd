// ASCII character classes by character code, shared by the scanner, the
// parser and the loader's header scan. Code tests rather than Unicode
// property patterns: the first use of a `\p{…}` pattern compiles Unicode
// tables (~9M instructions of a cold build), which all-ASCII text never needs.
// Callers test characters from 128 up by their Unicode property.

export function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

export function isDecimal(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A letter, decimal digit, `_`, `$` or `#`: the ASCII characters of identifiers and attribute names. */
export function isAsciiIdentChar(c: number): boolean {
  return isAsciiLetter(c) || isDecimal(c) || c === 95 || c === 36 || c === 35;
}
