// A package of several files is one struct (spec, "Blocks"): a field declared
// at the top level of any file is in scope in all of them (the package block),
// while a top-level let or alias stays in its file (the file block). Each file
// becomes a struct literal whose scope holds its own declarations and the
// fields of its sibling files, so a reference to a sibling's field resolves, as
// one to its own, within the vertex the file is evaluated into. When the package
// value is unified into another (`pkg & {#config: x}`, an embedded package),
// its conjuncts are evaluated there and every reference follows; a scope shared
// by the files would instead stay bound to the package's own root.
import type { File, StructLit } from '../ast.js';
import { addDeclToScope, presetScope } from './evaluator.js';
import type { Scope } from './vertex.js';

export function packageFileLits(files: File[]): StructLit[] {
  const fields: Scope = new Map();
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    const own: Scope = new Map();
    for (let j = 0, xs = f.decls; j < xs.length; j++) {
      const d = xs[j];
      addDeclToScope(own, d);
    }
    for (const [name, s] of own) if (s.kind === 'field') fields.set(name, s);
  }
  return files.map((f) => {
    const lit: StructLit = { type: 'StructLit', decls: f.decls, pos: f.pos };
    const scope: Scope = new Map(fields);
    for (let i = 0, xs = f.decls; i < xs.length; i++) {
      const d = xs[i];
      addDeclToScope(scope, d);
    }
    presetScope(lit, scope);
    return lit;
  });
}
