// Windows path semantics for the path package (os: "windows"), as in CUE's
// path package (Go's path/filepath rules for Windows): both slashes separate,
// backslash is the canonical separator, drive letters and UNC shares form a
// volume name, and names compare case-insensitively in Rel.
import { fail } from './common.js';

const isSlash = (c: string | undefined) => c === '\\' || c === '/';

/** Length of the leading volume name: "C:" or a UNC "\\host\share". */
export function volumeNameLen(p: string): number {
  if (p.length < 2) return 0;
  const c = p[0]!;
  if (p[1] === ':' && /[A-Za-z]/.test(c)) return 2;
  const l = p.length;
  if (l >= 5 && isSlash(p[0]) && isSlash(p[1]) && !isSlash(p[2]) && p[2] !== '.') {
    // \\server\share: a server name, one separator, then a share name.
    for (let n = 3; n < l - 1; n++) {
      if (isSlash(p[n])) {
        n++;
        if (!isSlash(p[n])) {
          if (p[n] === '.') break;
          for (; n < l; n++) if (isSlash(p[n])) break;
          return n;
        }
        break;
      }
    }
  }
  return 0;
}

export const volumeName = (p: string) => p.slice(0, volumeNameLen(p));
export const fromSlash = (p: string) => p.replace(/\//g, '\\');
export const toSlash = (p: string) => p.replace(/\\/g, '/');
const isUNC = (p: string) => volumeNameLen(p) > 2;

/**
 * Go's lexical Clean on path elements (either OS): drops empty and `.`
 * elements and resolves `..` against the element before it; a rooted path
 * cannot go above its root.
 */
export function resolveDots(segments: string[], rooted: boolean): string[] {
  const parts: string[] = [];
  for (const seg of segments) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
      continue;
    }
    parts.push(seg);
  }
  return parts;
}

export function clean(p: string): string {
  const volLen = volumeNameLen(p);
  const vol = p.slice(0, volLen);
  const rest = p.slice(volLen);
  if (rest === '') {
    if (volLen > 1 && isSlash(p[0]) && isSlash(p[1])) return fromSlash(p); // UNC
    return p + '.';
  }
  const rooted = isSlash(rest[0]);
  let out = (rooted ? '\\' : '') + resolveDots(rest.split(/[\\/]/), rooted).join('\\');
  if (out === '') out = '.';
  return fromSlash(vol) + out;
}

const RESERVED = new Set(['CON', 'PRN', 'AUX', 'NUL', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((i) => [`COM${i}`, `LPT${i}`])]);

export function isAbs(p: string): boolean {
  if (p !== '' && RESERVED.has(p.toUpperCase())) return true;
  const l = volumeNameLen(p);
  if (l === 0) return false;
  const rest = p.slice(l);
  return rest !== '' && isSlash(rest[0]);
}

export function split(p: string): [string, string] {
  const vol = volumeName(p);
  let i = p.length - 1;
  while (i >= vol.length && !isSlash(p[i])) i--;
  return [p.slice(0, i + 1), p.slice(i + 1)];
}

export function join(elems: string[]): string {
  const first = elems.findIndex((e) => e !== '');
  if (first < 0) return '';
  const elem = elems.slice(first);
  if (elem[0]!.length === 2 && elem[0]![1] === ':') {
    // A bare drive letter stays relative to the current directory on that drive.
    let i = 1;
    while (i < elem.length && elem[i] === '') i++;
    return clean(elem[0] + elem.slice(i).join('\\'));
  }
  // Joining must not create a UNC path unless the first element is one.
  const p = clean(elem.join('\\'));
  if (!isUNC(p)) return p;
  const head = clean(elem[0]!);
  if (isUNC(head)) return p;
  const tail = clean(elem.slice(1).join('\\'));
  return head.endsWith('\\') ? head + tail : head + '\\' + tail;
}

export function base(p: string): string {
  if (p === '') return '.';
  p = p.replace(/[\\/]+$/, '');
  p = p.slice(volumeNameLen(p));
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  if (i >= 0) p = p.slice(i + 1);
  return p === '' ? '\\' : p;
}

export function dir(p: string): string {
  const vol = volumeName(p);
  let i = p.length - 1;
  while (i >= vol.length && !isSlash(p[i])) i--;
  const d = clean(p.slice(vol.length, i + 1));
  if (d === '.' && vol.length > 2) return vol; // UNC
  return vol + d;
}

export function ext(p: string): string {
  for (let i = p.length - 1; i >= 0 && !isSlash(p[i]); i--) if (p[i] === '.') return p.slice(i);
  return '';
}

export function splitList(p: string): string[] {
  if (p === '') return [];
  // Split on ';' outside double quotes, then drop the quotes.
  const list: string[] = [];
  let start = 0;
  let quo = false;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '"') quo = !quo;
    else if (p[i] === ';' && !quo) {
      list.push(p.slice(start, i));
      start = i + 1;
    }
  }
  list.push(p.slice(start));
  return list.map((s) => s.replace(/"/g, ''));
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function rel(basepath: string, targpath: string): string {
  const baseVol = volumeName(basepath);
  const targVol = volumeName(targpath);
  let b = clean(basepath);
  let t = clean(targpath);
  if (same(t, b)) return '.';
  b = b.slice(baseVol.length);
  t = t.slice(targVol.length);
  if (b === '.') b = '';
  else if (b === '' && volumeNameLen(baseVol) > 2) b = '\\';
  const bSlashed = b.length > 0 && b[0] === '\\';
  const tSlashed = t.length > 0 && t[0] === '\\';
  const cant = () => fail(`Rel: can't make ${targpath} relative to ${basepath}`);
  if (bSlashed !== tSlashed || !same(baseVol, targVol)) cant();
  const bl = b.length;
  const tl = t.length;
  let b0 = 0;
  let bi = 0;
  let t0 = 0;
  let ti = 0;
  for (;;) {
    while (bi < bl && b[bi] !== '\\') bi++;
    while (ti < tl && t[ti] !== '\\') ti++;
    if (!same(t.slice(t0, ti), b.slice(b0, bi))) break;
    if (bi < bl) bi++;
    if (ti < tl) ti++;
    b0 = bi;
    t0 = ti;
  }
  if (b.slice(b0, bi) === '..') cant();
  if (b0 !== bl) {
    const seps = b.slice(b0, bl).split('\\').length - 1;
    let out = '..' + '\\..'.repeat(seps);
    if (t0 !== tl) out += '\\' + t.slice(t0);
    return out;
  }
  return t.slice(t0);
}
