// Minimal POSIX path helpers: the loader must not depend on node:path so that it
// also runs in a browser. Node callers convert Windows paths at the boundary.

export function normalize(p: string): string {
  const abs = p.startsWith('/');
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length && parts[parts.length - 1] !== '..') parts.pop();
      else if (!abs) parts.push('..');
    } else parts.push(seg);
  }
  const s = parts.join('/');
  return abs ? `/${s}` : s || '.';
}

export function join(...parts: string[]): string {
  return normalize(parts.filter((p) => p !== '').join('/'));
}

export function isAbs(p: string): boolean {
  return p.startsWith('/');
}

export function resolve(cwd: string, p: string): string {
  return isAbs(p) ? normalize(p) : join(cwd, p);
}

export function dirname(p: string): string {
  const n = normalize(p);
  const i = n.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : n.slice(0, i);
}

export function basename(p: string): string {
  const n = normalize(p);
  return n.slice(n.lastIndexOf('/') + 1);
}

/** `to` relative to `from` (both absolute). */
export function relative(from: string, to: string): string {
  const a = normalize(from).split('/').filter(Boolean);
  const b = normalize(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = a.slice(i).map(() => '..');
  return [...up, ...b.slice(i)].join('/') || '.';
}

/** Whether `p` is `dir` or inside it. */
export function isWithin(dir: string, p: string): boolean {
  const d = normalize(dir);
  const n = normalize(p);
  return n === d || n.startsWith(d === '/' ? '/' : `${d}/`);
}
