// Package regexp: Go regexp (RE2 syntax and semantics) via re2js.
import { RE2JS } from 're2js';
import { type BuiltinPackage, type Concrete, type CStruct } from './types.js';
import { fail, fn, int, str } from './common.js';
import { regexTester } from './regex-test.js';

/** The compiled forms we use: re2js's Go-style RE2 object plus group names by index. */
interface Compiled {
  re2: {
    findSubmatchIndex(s: string): number[] | null;
    findAllSubmatchIndex(s: string, n: number): number[][] | null;
    match(s: string): boolean;
  };
  names: string[]; // index → name ('' when unnamed); index 0 is the whole match
}

const cache = new Map<string, Compiled>();

/** Compiles a pattern; errors read like Go's ("error parsing regexp: ..."). */
export function compileRegexp(pattern: string): Compiled {
  let c = cache.get(pattern);
  if (c) return c;
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    return fail((e as Error).message);
  }
  const names: string[] = new Array(re.groupCount() + 1).fill('');
  for (const [name, idx] of Object.entries(re.namedGroups())) names[idx] = name;
  c = { re2: re.re2() as unknown as Compiled['re2'], names };
  if (cache.size > 500) cache.clear();
  cache.set(pattern, c);
  return c;
}

const NO_MATCH = 'no match';

function groups(s: string, idx: number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < idx.length; i += 2) {
    const a = idx[i]!;
    const b = idx[i + 1]!;
    out.push(a < 0 ? '' : s.slice(a, b));
  }
  return out;
}

function named(c: Compiled, subs: string[]): CStruct {
  // A Go map becomes a CUE struct with sorted keys.
  const entries: [string, Concrete][] = [];
  c.names.forEach((name, i) => {
    if (name !== '') entries.push([name, subs[i] ?? '']);
  });
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return new Map(entries);
}

/** Go's Regexp.Expand template syntax: $1, ${1}, $name, ${name}, $$. */
function expand(template: string, c: Compiled, s: string, idx: number[]): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const j = template.indexOf('$', i);
    if (j < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, j);
    i = j + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    if (template[i] === '{') {
      const m = /^\{([A-Za-z0-9_]+)\}/.exec(template.slice(i));
      if (m) {
        name = m[1];
        i += m[0].length;
      }
    } else {
      const m = /^[A-Za-z0-9_]+/.exec(template.slice(i));
      if (m) {
        name = m[0];
        i += m[0].length;
      }
    }
    if (name === undefined) {
      // Malformed: Go copies the "$" literally.
      out += '$';
      continue;
    }
    let k = -1;
    if (/^\d+$/.test(name)) k = Number(name);
    else k = c.names.indexOf(name);
    if (k >= 0 && 2 * k + 1 < idx.length && idx[2 * k]! >= 0) out += s.slice(idx[2 * k], idx[2 * k + 1]);
  }
  return out;
}

function replaceAll(pattern: string, src: string, repl: string, literal: boolean): string {
  const c = compileRegexp(pattern);
  const matches = c.re2.findAllSubmatchIndex(src, -1) ?? [];
  let out = '';
  let last = 0;
  for (const idx of matches) {
    out += src.slice(last, idx[0]);
    out += literal ? repl : expand(repl, c, src, idx);
    last = idx[1]!;
  }
  return out + src.slice(last);
}

function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

export const regexpPackage: BuiltinPackage = {
  path: 'regexp',
  funcs: {
    Find: fn(['string', 'string'], ([p, s]) => {
      const x = str(s);
      const idx = compileRegexp(str(p)).re2.findSubmatchIndex(x);
      if (!idx) fail(NO_MATCH);
      return x.slice(idx[0], idx[1]);
    }),
    FindAll: fn(['string', 'string', 'int'], ([p, s, n]) => {
      const x = str(s);
      const all = compileRegexp(str(p)).re2.findAllSubmatchIndex(x, int(n));
      if (!all || all.length === 0) fail(NO_MATCH);
      return all.map((idx) => x.slice(idx[0], idx[1]));
    }),
    FindSubmatch: fn(['string', 'string'], ([p, s]) => {
      const x = str(s);
      const idx = compileRegexp(str(p)).re2.findSubmatchIndex(x);
      if (!idx) fail(NO_MATCH);
      return groups(x, idx);
    }),
    FindAllSubmatch: fn(['string', 'string', 'int'], ([p, s, n]) => {
      const x = str(s);
      const all = compileRegexp(str(p)).re2.findAllSubmatchIndex(x, int(n));
      if (!all || all.length === 0) fail(NO_MATCH);
      return all.map((idx) => groups(x, idx));
    }),
    FindNamedSubmatch: fn(['string', 'string'], ([p, s]) => {
      const x = str(s);
      const c = compileRegexp(str(p));
      const idx = c.re2.findSubmatchIndex(x);
      if (!idx) fail(NO_MATCH);
      return named(c, groups(x, idx));
    }),
    FindAllNamedSubmatch: fn(['string', 'string', 'int'], ([p, s, n]) => {
      const x = str(s);
      const c = compileRegexp(str(p));
      const all = c.re2.findAllSubmatchIndex(x, int(n));
      if (!all || all.length === 0) fail(NO_MATCH);
      return all.map((idx) => named(c, groups(x, idx)));
    }),
    ReplaceAll: fn(['string', 'string', 'string'], ([p, s, r]) => replaceAll(str(p), str(s), str(r), false)),
    ReplaceAllLiteral: fn(['string', 'string', 'string'], ([p, s, r]) => replaceAll(str(p), str(s), str(r), true)),
    // As a validator an invalid pattern fails with the parse error.
    Valid: fn(['string'], ([p]) => {
      compileRegexp(str(p));
      return true;
    }, { validator: true }),
    Match: fn(['string', 'string'], ([p, s]) => {
      const t = regexTester(str(p));
      return t instanceof Error ? compileRegexp(str(p)).re2.match(str(s)) : t.test(str(s));
    }, { validator: true }),
    QuoteMeta: fn(['string'], ([s]) => quoteMeta(str(s))),
  },
};
