// Package encoding/csv: Go's encoding/csv writer and reader (comma
// separated, LF line endings, strict quotes).
import { type BuiltinPackage, type Concrete } from './types.js';
import { fail, fn, isSpace, list, str } from './common.js';
import { marshal } from './json.js';

function fieldNeedsQuotes(f: string): boolean {
  if (f === '') return false;
  if (f === '\\.') return true;
  if (/[",\r\n]/.test(f)) return true;
  return isSpace(f.codePointAt(0)!);
}

function encode(rows: Concrete[]): string {
  let out = '';
  for (const row of rows) {
    // Strings are written as is, other values as JSON (as CUE does).
    const fields = list(row).map((c) => (typeof c === 'string' ? c : marshal(c)));
    out += fields.map((f) => (fieldNeedsQuotes(f) ? '"' + f.replace(/"/g, '""') + '"' : f)).join(',') + '\n';
  }
  return out;
}

function decode(src: string): string[][] {
  const s = src.replace(/\r\n/g, '\n');
  const records: string[][] = [];
  let i = 0;
  let line = 1;
  let nfields = -1;
  const parseErr = (l: number, col: number, msg: string): never => fail(`parse error on line ${l}, column ${col}: ${msg}`);
  while (i < s.length) {
    if (s[i] === '\n') {
      // Empty lines are skipped.
      i++;
      line++;
      continue;
    }
    const startLine = line;
    const rec: string[] = [];
    let lineStart = i;
    for (;;) {
      let field = '';
      if (s[i] === '"') {
        i++;
        for (;;) {
          if (i >= s.length) {
            const msg = `extraneous or missing " in quoted-field`;
            if (startLine !== line) fail(`record on line ${startLine}; parse error on line ${line + 1}, column 0: ${msg}`);
            return parseErr(line, i - lineStart + 1, msg);
          }
          const c = s[i]!;
          if (c === '"') {
            if (s[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            if (i < s.length && s[i] !== ',' && s[i] !== '\n') parseErr(line, i - lineStart, `extraneous or missing " in quoted-field`);
            break;
          }
          if (c === '\n') {
            line++;
            lineStart = i + 1;
          }
          field += c;
          i++;
        }
      } else {
        const start = i;
        while (i < s.length && s[i] !== ',' && s[i] !== '\n') i++;
        field = s.slice(start, i);
        const q = field.indexOf('"');
        if (q >= 0) parseErr(line, start - lineStart + q + 1, 'bare " in non-quoted field');
      }
      rec.push(field);
      if (s[i] === ',') {
        i++;
        continue;
      }
      if (s[i] === '\n') {
        i++;
        line++;
      }
      break;
    }
    if (nfields < 0) nfields = rec.length;
    else if (rec.length !== nfields) fail(`record on line ${startLine}: wrong number of fields`);
    records.push(rec);
  }
  return records;
}

export const csvPackage: BuiltinPackage = {
  path: 'encoding/csv',
  funcs: {
    Encode: fn(['list'], ([x]) => encode(list(x))),
    Decode: fn(['stringOrBytes'], ([r]) => decode(str(r))),
  },
};
