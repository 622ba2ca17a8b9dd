// `@embed(file=...)` / `@embed(glob=...)` fields (`@extern(embed)`) take their
// value from files next to the package. Not supported yet: such a field is
// an error at the attribute instead of silently keeping its declared type.
import type { Field, File } from './ast.js';
import { CueError } from './errors.js';

export function embedErrors(files: File[]): CueError[] {
  const errs: CueError[] = [];
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    if (!n || typeof n !== 'object') return;
    const o = n as { type?: unknown };
    if (o.type === 'Field') {
      for (const a of (o as Field).attrs) {
        if (a.name === 'embed') errs.push(new CueError('eval', `not supported yet: file embedding (${a.text})`, { positions: [a.pos] }));
      }
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'pos' && k !== 'end' && k !== 'comments' && k !== 'attrs' && v && typeof v === 'object') visit(v);
  };
  for (const f of files) visit(f.decls);
  return errs;
}
