// Package strings: CUE's strings package (Go's strings semantics; indices are
// UTF-8 byte offsets as in Go, case mapping is per rune with simple mappings).
import { type BuiltinPackage } from './types.js';
import { bytes, fail, fn, int, isSpace, runes, str, stringList, utf8Len } from './common.js';

/**
 * Greek letters with ypogegrammeni: JS upper-cases them to two letters (full
 * case mapping), Go to the single title-case letter (simple mapping).
 */
function greekIotaUpper(cp: number): number | undefined {
  if ((cp >= 0x1f80 && cp <= 0x1f87) || (cp >= 0x1f90 && cp <= 0x1f97) || (cp >= 0x1fa0 && cp <= 0x1fa7)) return cp + 8;
  if (cp === 0x1fb3 || cp === 0x1fc3 || cp === 0x1ff3) return cp + 9;
  return undefined;
}

/** Go's unicode.ToUpper/ToLower are simple one-rune mappings; JS's may expand (ß → SS), which Go never does. */
function mapRune(ch: string, upper: boolean): string {
  const cp = ch.codePointAt(0)!;
  if (!upper && cp === 0x130) return 'i'; // Go: unicode.ToLower('İ') == 'i'
  if (upper) {
    const g = greekIotaUpper(cp);
    if (g !== undefined) return String.fromCodePoint(g);
  }
  const m = upper ? ch.toUpperCase() : ch.toLowerCase();
  return Array.from(m).length === 1 ? m : ch;
}

export function toUpper(s: string): string {
  let out = '';
  for (const ch of s) out += mapRune(ch, true);
  return out;
}

export function toLower(s: string): string {
  let out = '';
  for (const ch of s) out += mapRune(ch, false);
  return out;
}

// Title case differs from upper case only for a few digraphs.
const TITLE: Record<number, number> = {
  0x1c4: 0x1c5, 0x1c5: 0x1c5, 0x1c6: 0x1c5,
  0x1c7: 0x1c8, 0x1c8: 0x1c8, 0x1c9: 0x1c8,
  0x1ca: 0x1cb, 0x1cb: 0x1cb, 0x1cc: 0x1cb,
  0x1f1: 0x1f2, 0x1f2: 0x1f2, 0x1f3: 0x1f2,
};

function toTitleRune(ch: string): string {
  const t = TITLE[ch.codePointAt(0)!];
  return t !== undefined ? String.fromCodePoint(t) : mapRune(ch, true);
}

/** CUE's ToTitle/ToCamel: map the first rune of every space-separated word. */
function mapWordStarts(s: string, f: (ch: string) => string): string {
  let prevSpace = true;
  let out = '';
  for (const ch of s) {
    out += prevSpace ? f(ch) : ch;
    prevSpace = isSpace(ch.codePointAt(0)!);
  }
  return out;
}

/** Byte offset of the UTF-16 index i in s. */
function byteOffset(s: string, i: number): number {
  return i < 0 ? -1 : utf8Len(s.slice(0, i));
}

function indexAny(s: string, chars: string, last: boolean): number {
  if (chars === '') return -1;
  const set = new Set(runes(chars));
  let found = -1;
  let i = 0;
  for (const ch of s) {
    if (set.has(ch)) {
      found = i;
      if (!last) break;
    }
    i += ch.length;
  }
  return byteOffset(s, found);
}

/** Go's genSplit: sepSave is the number of separator bytes kept in each piece (SplitAfter). */
function genSplit(s: string, sep: string, after: boolean, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    // Split into runes (at most n pieces, the last holding the rest).
    const rs = runes(s);
    if (n < 0 || n > rs.length) n = rs.length;
    const out = rs.slice(0, n - 1);
    if (n > 0) out.push(rs.slice(n - 1).join(''));
    return out;
  }
  if (n < 0) n = count(s, sep) + 1;
  const out: string[] = [];
  let start = 0;
  while (out.length < n - 1) {
    const m = s.indexOf(sep, start);
    if (m < 0) break;
    out.push(s.slice(start, after ? m + sep.length : m));
    start = m + sep.length;
  }
  out.push(s.slice(start));
  return out;
}

function count(s: string, sub: string): number {
  if (sub === '') return runes(s).length + 1;
  let n = 0;
  let i = 0;
  for (;;) {
    const j = s.indexOf(sub, i);
    if (j < 0) return n;
    n++;
    i = j + sub.length;
  }
}

function fields(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inField = false;
  for (const ch of s) {
    if (isSpace(ch.codePointAt(0)!)) {
      if (inField) out.push(cur);
      cur = '';
      inField = false;
    } else {
      cur += ch;
      inField = true;
    }
  }
  if (inField) out.push(cur);
  return out;
}

function trimLeftFn(s: string, drop: (ch: string) => boolean): string {
  const rs = runes(s);
  let i = 0;
  while (i < rs.length && drop(rs[i]!)) i++;
  return rs.slice(i).join('');
}

function trimRightFn(s: string, drop: (ch: string) => boolean): string {
  const rs = runes(s);
  let j = rs.length;
  while (j > 0 && drop(rs[j - 1]!)) j--;
  return rs.slice(0, j).join('');
}

function cutset(chars: string): (ch: string) => boolean {
  const set = new Set(runes(chars));
  return (ch) => set.has(ch);
}

const spaceFn = (ch: string) => isSpace(ch.codePointAt(0)!);

function replace(s: string, old: string, nw: string, n: number): string {
  if (old === nw || n === 0) return s;
  const m = count(s, old);
  if (m === 0) return s;
  if (n < 0 || m < n) n = m;
  let out = '';
  let start = 0;
  if (old === '') {
    // Insert before every rune (and at the end), n times.
    const rs = runes(s);
    let k = 0;
    for (; k < rs.length && k < n; k++) out += nw + rs[k];
    if (k < n) return out + nw;
    return out + rs.slice(k).join('');
  }
  for (let i = 0; i < n; i++) {
    const j = s.indexOf(old, start);
    out += s.slice(start, j) + nw;
    start = j + old.length;
  }
  return out + s.slice(start);
}

/** Go's byte-wise string comparison, which equals code point order. */
function compare(a: string, b: string): number {
  const ra = runes(a);
  const rb = runes(b);
  const n = Math.min(ra.length, rb.length);
  for (let i = 0; i < n; i++) {
    const x = ra[i]!.codePointAt(0)!;
    const y = rb[i]!.codePointAt(0)!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return ra.length === rb.length ? 0 : ra.length < rb.length ? -1 : 1;
}

/** CUE rejects Repeat counts above this rather than allocating without bound. */
export const REPEAT_LIMIT = 1_000_000;

export const stringsPackage: BuiltinPackage = {
  path: 'strings',
  funcs: {
    ByteAt: fn(['stringOrBytes', 'int'], ([b, i]) => {
      const bs = bytes(b);
      const k = int(i);
      if (k < 0 || k >= bs.length) fail('index out of range');
      return BigInt(bs[k]!);
    }),
    ByteSlice: fn(['stringOrBytes', 'int', 'int'], ([b, s, e]) => {
      const bs = bytes(b);
      const start = int(s);
      const end = int(e);
      if (start < 0 || start > end || end > bs.length) fail('index out of range');
      return bs.slice(start, end);
    }),
    Runes: fn(['string'], ([s]) => runes(str(s)).map((r) => BigInt(r.codePointAt(0)!))),
    Repeat: fn(['string', 'int'], ([s, n]) => {
      const x = str(s);
      const c = int(n);
      if (c < 0) fail('negative count');
      if (c > REPEAT_LIMIT) fail(`count ${c} exceeds limit of ${REPEAT_LIMIT}`);
      return x.repeat(c);
    }),
    MinRunes: fn(['string', 'int'], ([s, m]) => runes(str(s)).length >= int(m), { validator: true }),
    MaxRunes: fn(['string', 'int'], ([s, m]) => runes(str(s)).length <= int(m), { validator: true }),
    ToTitle: fn(['string'], ([s]) => mapWordStarts(str(s), toTitleRune)),
    ToCamel: fn(['string'], ([s]) => mapWordStarts(str(s), (ch) => mapRune(ch, false))),
    SliceRunes: fn(['string', 'int', 'int'], ([s, a, b]) => {
      const rs = runes(str(s));
      const start = int(a);
      const end = int(b);
      if (start < 0 || start > end || end > rs.length) fail('index out of range');
      return rs.slice(start, end).join('');
    }),
    Compare: fn(['string', 'string'], ([a, b]) => BigInt(compare(str(a), str(b)))),
    Count: fn(['string', 'string'], ([s, sub]) => BigInt(count(str(s), str(sub)))),
    // Functions returning bool are validators too, as in CUE: `strings.HasPrefix("web-")` constrains a string.
    Contains: fn(['string', 'string'], ([s, sub]) => str(s).includes(str(sub)), { validator: true }),
    ContainsAny: fn(['string', 'string'], ([s, chars]) => indexAny(str(s), str(chars), false) >= 0, { validator: true }),
    Index: fn(['string', 'string'], ([s, sub]) => {
      const x = str(s);
      return BigInt(byteOffset(x, x.indexOf(str(sub))));
    }),
    LastIndex: fn(['string', 'string'], ([s, sub]) => {
      const x = str(s);
      return BigInt(byteOffset(x, x.lastIndexOf(str(sub))));
    }),
    IndexAny: fn(['string', 'string'], ([s, chars]) => BigInt(indexAny(str(s), str(chars), false))),
    LastIndexAny: fn(['string', 'string'], ([s, chars]) => BigInt(indexAny(str(s), str(chars), true))),
    Split: fn(['string', 'string'], ([s, sep]) => genSplit(str(s), str(sep), false, -1)),
    SplitN: fn(['string', 'string', 'int'], ([s, sep, n]) => genSplit(str(s), str(sep), false, int(n))),
    SplitAfter: fn(['string', 'string'], ([s, sep]) => genSplit(str(s), str(sep), true, -1)),
    SplitAfterN: fn(['string', 'string', 'int'], ([s, sep, n]) => genSplit(str(s), str(sep), true, int(n))),
    Fields: fn(['string'], ([s]) => fields(str(s))),
    Join: fn(['list', 'string'], ([l, sep]) => stringList(l, 0).join(str(sep)), { listElems: { 0: 'string' } }),
    HasPrefix: fn(['string', 'string'], ([s, p]) => str(s).startsWith(str(p)), { validator: true }),
    HasSuffix: fn(['string', 'string'], ([s, p]) => str(s).endsWith(str(p)), { validator: true }),
    ToUpper: fn(['string'], ([s]) => toUpper(str(s))),
    ToLower: fn(['string'], ([s]) => toLower(str(s))),
    Trim: fn(['string', 'string'], ([s, c]) => {
      const drop = cutset(str(c));
      return trimRightFn(trimLeftFn(str(s), drop), drop);
    }),
    TrimLeft: fn(['string', 'string'], ([s, c]) => trimLeftFn(str(s), cutset(str(c)))),
    TrimRight: fn(['string', 'string'], ([s, c]) => trimRightFn(str(s), cutset(str(c)))),
    TrimSpace: fn(['string'], ([s]) => trimRightFn(trimLeftFn(str(s), spaceFn), spaceFn)),
    TrimPrefix: fn(['string', 'string'], ([s, p]) => {
      const x = str(s);
      const pre = str(p);
      return x.startsWith(pre) ? x.slice(pre.length) : x;
    }),
    TrimSuffix: fn(['string', 'string'], ([s, p]) => {
      const x = str(s);
      const suf = str(p);
      return suf !== '' && x.endsWith(suf) ? x.slice(0, x.length - suf.length) : x;
    }),
    Replace: fn(['string', 'string', 'string', 'int'], ([s, o, n, k]) => replace(str(s), str(o), str(n), int(k))),
  },
};
