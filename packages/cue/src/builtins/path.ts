// Package path: CUE's OS-aware path functions: Go's path/filepath semantics
// for a slash-separated OS (unix and the other names, plan9 with its own list
// separator) and for Windows (pathwin.ts).
import { type Arg, type BuiltinPackage } from './types.js';
import { fail, fn, str, stringList } from './common.js';
import * as win from './pathwin.js';

const OS_LIST = ['unix', 'windows', 'plan9', 'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd', 'openbsd', 'solaris', 'zos'];
const OS_NAMES = new Set(OS_LIST);

/** The os argument (default unix); rejects unknown names with CUE's parameter-type message. */
function checkOS(a: Arg | undefined, fnName: string, argNo: number, dflt = 'unix'): string {
  const os = a === undefined ? dflt : str(a);
  if (!OS_NAMES.has(os)) {
    const type = OS_LIST.map((o) => (o === dflt ? '*' : '') + JSON.stringify(o)).join(' | ');
    fail(`cannot use ${JSON.stringify(os)} as ${type} in argument ${argNo} to path.${fnName}`);
  }
  return os;
}

/** Go's path.Clean. */
export function clean(p: string): string {
  if (p === '') return '.';
  const rooted = p[0] === '/';
  const out = (rooted ? '/' : '') + win.resolveDots(p.split('/'), rooted).join('/');
  return out === '' ? '.' : out;
}

function split(p: string): [string, string] {
  const i = p.lastIndexOf('/');
  return [p.slice(0, i + 1), p.slice(i + 1)];
}

function join(elems: string[]): string {
  const nonEmpty = elems.filter((e) => e !== '');
  return nonEmpty.length === 0 ? '' : clean(nonEmpty.join('/'));
}

function base(p: string): string {
  if (p === '') return '.';
  p = p.replace(/\/+$/, '');
  if (p === '') return '/';
  return p.slice(p.lastIndexOf('/') + 1);
}

function dir(p: string): string {
  return clean(split(p)[0]);
}

function ext(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

/** Go's filepath.Rel for slash-separated paths. */
function rel(basepath: string, targpath: string): string {
  const b = clean(basepath);
  const t = clean(targpath);
  if (t === b) return '.';
  const bAbs = b[0] === '/';
  const tAbs = t[0] === '/';
  if (bAbs !== tAbs) fail(`Rel: can't make ${targpath} relative to ${basepath}`);
  const bs = b === '.' ? [] : b.split('/').filter((x, i) => !(i === 0 && x === ''));
  const ts = t === '.' ? [] : t.split('/').filter((x, i) => !(i === 0 && x === ''));
  let i = 0;
  while (i < bs.length && i < ts.length && bs[i] === ts[i]) i++;
  if (bs.slice(i).includes('..')) fail(`Rel: can't make ${targpath} relative to ${basepath}`);
  const up = bs.slice(i).map(() => '..');
  const rest = [...up, ...ts.slice(i)];
  return rest.length === 0 ? '.' : rest.join('/');
}

// ---- Match (Go's path.Match) ----

const BAD_PATTERN = 'syntax error in pattern';

/** Matches a character class or single char at the start of `chunk` against rune `c`; returns [rest, ok]. */
function matchChunk(chunk: string, s: string, win = false): [string, boolean] {
  const sep = win ? '\\' : '/';
  let failed = false;
  const cs = Array.from(chunk);
  const ss = Array.from(s);
  let ci = 0;
  let si = 0;
  while (ci < cs.length) {
    if (!failed && si >= ss.length) failed = true;
    const c = cs[ci]!;
    if (c === '[') {
      let r = '';
      if (!failed) r = ss[si++]!;
      ci++;
      let negated = false;
      if (cs[ci] === '^') {
        negated = true;
        ci++;
      }
      let match = false;
      let nrange = 0;
      for (;;) {
        if (ci < cs.length && cs[ci] === ']' && nrange > 0) {
          ci++;
          break;
        }
        const [lo, ci2] = getEsc(cs, ci, win);
        ci = ci2;
        let hi = lo;
        if (cs[ci] === '-') {
          const [h, ci3] = getEsc(cs, ci + 1, win);
          hi = h;
          ci = ci3;
        }
        if (!failed && lo.codePointAt(0)! <= r.codePointAt(0)! && r.codePointAt(0)! <= hi.codePointAt(0)!) match = true;
        nrange++;
      }
      if (match === negated) failed = true;
    } else if (c === '?') {
      if (!failed) {
        if (ss[si] === sep) failed = true;
        si++;
      }
      ci++;
    } else if (c === '\\' && !win) {
      ci++;
      if (ci >= cs.length) fail(BAD_PATTERN);
      if (!failed && cs[ci] !== ss[si]) failed = true;
      si++;
      ci++;
    } else {
      if (!failed && c !== ss[si]) failed = true;
      si++;
      ci++;
    }
  }
  if (failed) return ['', false];
  return [ss.slice(si).join(''), true];
}

function getEsc(cs: string[], ci: number, win = false): [string, number] {
  if (ci >= cs.length || cs[ci] === '-' || cs[ci] === ']') fail(BAD_PATTERN);
  if (cs[ci] === '\\' && !win) {
    ci++;
    if (ci >= cs.length) fail(BAD_PATTERN);
  }
  const r = cs[ci]!;
  ci++;
  if (ci >= cs.length) fail(BAD_PATTERN);
  return [r, ci];
}

/** Splits off the leading star run and the chunk up to the next unescaped star outside a class. */
function scanChunk(pattern: string, win = false): [boolean, string, string] {
  let star = false;
  while (pattern[0] === '*') {
    pattern = pattern.slice(1);
    star = true;
  }
  let inrange = false;
  let i = 0;
  scan: for (; i < pattern.length; i++) {
    switch (pattern[i]) {
      case '\\':
        // Windows uses backslash as the separator, not as an escape.
        if (!win && i + 1 < pattern.length) i++;
        break;
      case '[':
        inrange = true;
        break;
      case ']':
        inrange = false;
        break;
      case '*':
        if (!inrange) break scan;
    }
  }
  return [star, pattern.slice(0, i), pattern.slice(i)];
}

export function match(pattern: string, name: string, win = false): boolean {
  const sep = win ? '\\' : '/';
  pattern: while (pattern.length > 0) {
    const [star, chunk, rest] = scanChunk(pattern, win);
    pattern = rest;
    if (star && chunk === '') return !name.includes(sep);
    const [t, ok] = matchChunk(chunk, name, win);
    if (ok && (t.length === 0 || pattern.length > 0)) {
      name = t;
      continue;
    }
    if (star) {
      const rs = Array.from(name);
      for (let i = 0; i < rs.length && rs[i] !== sep; i++) {
        const [t2, ok2] = matchChunk(chunk, rs.slice(i + 1).join(''), win);
        if (ok2) {
          if (pattern.length === 0 && t2.length > 0) continue;
          name = t2;
          continue pattern;
        }
      }
    }
    // Before returning false, Go checks the rest of the pattern for syntax errors.
    while (pattern.length > 0) {
      const [, c2, r2] = scanChunk(pattern, win);
      pattern = r2;
      matchChunk(c2, '', win);
    }
    return false;
  }
  return name.length === 0;
}

export const pathPackage: BuiltinPackage = {
  path: 'path',
  funcs: {
    Match: fn(['string', 'string', 'string'], ([p, n, os]) => match(str(p), str(n), checkOS(os, 'Match', 3) === 'windows'), { minArgs: 2 }),
    Clean: fn(['string', 'string'], ([p, os]) => (checkOS(os, 'Clean', 2) === 'windows' ? win.clean(str(p)) : clean(str(p))), { minArgs: 1 }),
    ToSlash: fn(['string', 'string'], ([p, os]) => (checkOS(os, 'ToSlash', 2) === 'windows' ? win.toSlash(str(p)) : str(p))),
    FromSlash: fn(['string', 'string'], ([p, os]) => (checkOS(os, 'FromSlash', 2) === 'windows' ? win.fromSlash(str(p)) : str(p))),
    SplitList: fn(['string', 'string'], ([p, os]) => {
      const sys = checkOS(os, 'SplitList', 2);
      const x = str(p);
      if (sys === 'windows') return win.splitList(x);
      return x === '' ? [] : x.split(sys === 'plan9' ? '\0' : ':');
    }),
    Split: fn(['string', 'string'], ([p, os]) => (checkOS(os, 'Split', 2) === 'windows' ? win.split(str(p)) : split(str(p))), { minArgs: 1 }),
    Join: fn(
      ['list', 'string'],
      ([l, os]) => (checkOS(os, 'Join', 2) === 'windows' ? win.join(stringList(l)) : join(stringList(l))),
      { minArgs: 1, listElems: { 0: 'string' } },
    ),
    Ext: fn(['string', 'string'], ([p, os]) => (checkOS(os, 'Ext', 2) === 'windows' ? win.ext(str(p)) : ext(str(p))), { minArgs: 1 }),
    Resolve: fn(['string', 'string', 'string'], ([d, s, os]) => {
      const sub = str(s);
      if (checkOS(os, 'Resolve', 3) === 'windows') return win.isAbs(sub) ? win.clean(sub) : win.join([str(d), sub]);
      return sub.startsWith('/') ? clean(sub) : join([str(d), sub]);
    }, { minArgs: 2 }),
    Rel: fn(['string', 'string', 'string'], ([b, t, os]) => (checkOS(os, 'Rel', 3) === 'windows' ? win.rel(str(b), str(t)) : rel(str(b), str(t))), { minArgs: 2 }),
    Base: fn(['string', 'string'], ([p, os]) => (checkOS(os, 'Base', 2) === 'windows' ? win.base(str(p)) : base(str(p))), { minArgs: 1 }),
    Dir: fn(['string', 'string'], ([p, os]) => (checkOS(os, 'Dir', 2) === 'windows' ? win.dir(str(p)) : dir(str(p))), { minArgs: 1 }),
    // Plan 9 also treats '#' paths (device names) as absolute.
    IsAbs: fn(['string', 'string'], ([p, os]) => {
      const sys = checkOS(os, 'IsAbs', 2);
      const x = str(p);
      if (sys === 'windows') return win.isAbs(x);
      return x.startsWith('/') || (sys === 'plan9' && x.startsWith('#'));
    }, { minArgs: 1 }),
    // Only Windows has volume names; it is the default OS here, as in CUE.
    VolumeName: fn(['string', 'string'], ([p, os]) => (checkOS(os, 'VolumeName', 2, 'windows') === 'windows' ? win.volumeName(str(p)) : ''), { minArgs: 1 }),
  },
  consts: { Unix: 'unix', Windows: 'windows', Plan9: 'plan9' },
};
