// Whether a string matches a CUE regular expression (RE2 syntax), the
// question `=~`, `!~` and regexp.Match ask. re2js answers it in linear time
// for any pattern, but cold it runs ~60 µs a match: a cold `opm release
// build` of the examples matches ~1,000 strings (Kubernetes names, label
// keys, quantities) against 16 simple patterns, ~40 ms in all.
//
// Such patterns run as a JavaScript RegExp instead, when the translation is
// exact and its backtracking stays small: only syntax whose meaning is the
// same in both (classes, groups, alternation, repetition; \s and `.` spelled
// out as RE2 means them); no repetition of an alternation, nor unbounded
// repetition of a group that holds a repetition (exponential); and inputs
// short enough for the number of repeated atoms (see maxInput). Anything
// else is re2js's, which also reports invalid patterns.
import { RE2JS } from 're2js';

export interface RegexTester {
  test(s: string): boolean;
}

const MAX_STEPS = 1e6;
const MAX_REPEATED_ATOMS = 12;
const cache = new Map<string, RegexTester | Error>();

/** A tester for an RE2 pattern; Error (with re2js's message) when the pattern is invalid. */
export function regexTester(pattern: string): RegexTester | Error {
  let t = cache.get(pattern);
  if (t === undefined) {
    t = compile(pattern);
    if (cache.size > 500) cache.clear();
    cache.set(pattern, t);
  }
  return t;
}

function compile(pattern: string): RegexTester | Error {
  const js = toJsRegExp(pattern);
  let re2: RE2JS | undefined;
  const slow = (): RE2JS => (re2 ??= RE2JS.compile(pattern));
  if (js) {
    const { re, maxInput } = js;
    return { test: (s) => (s.length <= maxInput ? re.test(s) : slow().test(s)) };
  }
  try {
    slow();
  } catch (e) {
    return new Error(`invalid regexp ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
  return { test: (s) => slow().test(s) };
}

// Characters that JavaScript's u-mode lets (and needs) a backslash before, outside classes.
const SYNTAX = new Set('^$\\.*+?()[]{}|/');
const NOT_SPACE = '\\t\\n\\f\\r ';

function lit(c: string): string {
  return SYNTAX.has(c) ? `\\${c}` : c;
}

/** A JavaScript RegExp for the same language and the longest input it may be given; undefined outside the subset above. */
export function toJsRegExp(pattern: string): { re: RegExp; maxInput: number } | undefined {
  let i = 0;
  let out = '';
  // Per open group: its repeated atoms (a bounded repetition of a group counts as written out) and whether it holds an alternation.
  const groups: Frame[] = [{ atoms: 0, alt: false }];
  // What a quantifier here would repeat.
  let last: { kind: 'atom' } | { kind: 'group'; inner: Frame } | { kind: 'none' } = { kind: 'none' };
  const top = () => groups[groups.length - 1]!;

  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '(') {
      if (pattern[i + 1] === '?') {
        if (pattern[i + 2] !== ':') return undefined; // flags, named groups
        out += '(?:';
        i += 3;
      } else {
        out += '(';
        i++;
      }
      groups.push({ atoms: 0, alt: false });
      last = { kind: 'none' };
      continue;
    }
    if (c === ')') {
      if (groups.length === 1) return undefined;
      const g = groups.pop()!;
      top().atoms += g.atoms;
      top().alt ||= g.alt;
      out += ')';
      i++;
      last = { kind: 'group', inner: g };
      continue;
    }
    if (c === '|') {
      top().alt = true;
      out += '|';
      i++;
      last = { kind: 'none' };
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      let max = Infinity;
      let q = c;
      if (c === '{') {
        const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(pattern.slice(i));
        if (!m) return undefined; // RE2 reads a `{` that is no repetition as a literal: leave it to re2js
        const lo = Number(m[1]);
        max = m[2] === undefined ? lo : m[3] === '' ? Infinity : Number(m[3]);
        if (lo > 1000 || max < lo || (max !== Infinity && max > 1000)) return undefined;
        q = m[0];
      } else if (c === '?') {
        max = 1;
      }
      if (last.kind === 'none') return undefined; // nothing to repeat, or a repeated repetition
      if (max > 1) {
        if (last.kind === 'atom') top().atoms++;
        else {
          const g = last.inner;
          // Repeating an alternation, or a repetition without bound: exponential backtracking.
          if (g.alt || (g.atoms > 0 && max === Infinity)) return undefined;
          top().atoms += g.atoms === 0 ? 1 : (max - 1) * g.atoms;
        }
        if (top().atoms > MAX_REPEATED_ATOMS) return undefined;
      }
      out += q;
      i += q.length;
      if (pattern[i] === '?') {
        out += '?'; // non-greedy: the same answer for a test
        i++;
      }
      last = { kind: 'none' };
      continue;
    }
    if (c === '[') {
      const cls = classToJs(pattern, i);
      if (!cls) return undefined;
      out += cls.js;
      i = cls.end;
      last = { kind: 'atom' };
      continue;
    }
    if (c === '\\') {
      const e = escapeToJs(pattern[i + 1], false);
      if (e === undefined) return undefined;
      out += e;
      i += 2;
      last = e === '\\b' || e === '\\B' ? { kind: 'none' } : { kind: 'atom' };
      continue;
    }
    if (c === '^' || c === '$') {
      out += c;
      i++;
      last = { kind: 'none' };
      continue;
    }
    // Any other character (a whole code point) stands for itself; `.` is any character but a newline.
    const cp = String.fromCodePoint(pattern.codePointAt(i)!);
    out += c === '.' ? '[^\\n]' : lit(cp);
    i += cp.length;
    last = { kind: 'atom' };
  }
  if (groups.length !== 1) return undefined;
  try {
    return { re: new RegExp(out, 'u'), maxInput: maxInput(top().atoms) };
  } catch {
    return undefined;
  }
}

interface Frame {
  atoms: number;
  alt: boolean;
}

/**
 * Backtracking may try every way to share n characters among k repeated
 * atoms, from each of n + 1 starts: (n + 1)·C(n + k, k) steps (12 repeated
 * `a*` against 16 a's: ~5·10^8 steps, ~1 s). The longest input that keeps
 * this under MAX_STEPS.
 */
function maxInput(k: number): number {
  if (k === 0) return MAX_STEPS;
  for (let n = 0; ; n++) {
    let ways = 1;
    for (let j = 1; j <= k; j++) ways = (ways * (n + 1 + j)) / j;
    if ((n + 2) * ways > MAX_STEPS) return n;
  }
}

/** An escape outside (inClass false) or inside a class; undefined when not in the subset. */
function escapeToJs(e: string | undefined, inClass: boolean): string | undefined {
  if (e === undefined) return undefined;
  switch (e) {
    case 'd':
    case 'D':
    case 'w':
    case 'W':
    case 'n':
    case 't':
    case 'r':
    case 'f':
    case 'v':
      return `\\${e}`;
    case 'b':
    case 'B':
      return inClass ? undefined : `\\${e}`;
    // RE2's \s is ASCII whitespace without \v; JavaScript's holds Unicode spaces too.
    case 's':
      return inClass ? NOT_SPACE : `[${NOT_SPACE}]`;
    case 'S':
      return inClass ? undefined : `[^${NOT_SPACE}]`;
  }
  // An escaped punctuation character is that character.
  if (/^[!-/:-@[-`{-~]$/.test(e)) return inClass ? classLit(e) : lit(e);
  return undefined;
}

function classLit(c: string): string {
  return c === '\\' || c === ']' || c === '[' || c === '-' || c === '^' ? `\\${c}` : c === '/' ? '/' : c;
}

/** `[...]` at `start`: its JavaScript form and the index after it. */
function classToJs(pattern: string, start: number): { js: string; end: number } | undefined {
  let i = start + 1;
  let js = '[';
  if (pattern[i] === '^') {
    js += '^';
    i++;
  }
  const first = i;
  // One class item: a single character (code point, or escaped punctuation) or a class escape.
  const single = (): { ch?: string; js: string } | undefined => {
    const c = pattern[i];
    if (c === undefined) return undefined;
    if (c === '\\') {
      const e = pattern[i + 1];
      const j = escapeToJs(e, true);
      if (j === undefined) return undefined;
      i += 2;
      return /^[!-/:-@[-`{-~]$/.test(e!) ? { ch: e, js: j } : { js: j };
    }
    if (c === '[' || (c === ']' && i === first)) return undefined; // [:alpha:], a leading literal ]
    const cp = String.fromCodePoint(pattern.codePointAt(i)!);
    i += cp.length;
    return { ch: cp, js: classLit(cp) };
  };
  while (pattern[i] !== ']') {
    if (pattern[i] === '-') {
      // A literal '-' only first or last; anywhere else RE2 and JavaScript may disagree.
      if (i !== first && pattern[i + 1] !== ']') return undefined;
      js += '\\-';
      i++;
      continue;
    }
    const a = single();
    if (!a) return undefined;
    if (pattern[i] === '-' && pattern[i + 1] !== ']' && pattern[i + 1] !== undefined) {
      i++;
      const b = single();
      if (!b || a.ch === undefined || b.ch === undefined) return undefined;
      if (a.ch.codePointAt(0)! > b.ch.codePointAt(0)!) return undefined; // invalid: re2js says so
      js += `${a.js}-${b.js}`;
    } else {
      js += a.js;
    }
  }
  if (i === first) return undefined; // [] and [^]
  return { js: `${js}]`, end: i + 1 };
}
