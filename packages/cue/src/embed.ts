// `@embed(file=...)` / `@embed(glob=...)` fields (`@extern(embed)`) take their
// value from files next to the package. Not supported yet: such a field is
// an error at the attribute instead of silently keeping its declared type.
import type { Field, File } from './ast.js';
import { CueError } from './errors.js';
import { eachField } from './tags.js';

export function embedErrors(files: File[]): CueError[] {
  const errs: CueError[] = [];
  eachField(files, (field: Field) => {
    for (const a of field.attrs) {
      if (a.name === 'embed') errs.push(new CueError('eval', `not supported yet: file embedding (${a.text})`, { positions: [a.pos] }));
    }
  });
  return errs;
}
