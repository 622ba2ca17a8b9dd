// Compiling an expected expression (a leaf of `@test(eq, EXPR)`) on its own,
// as Go's runner does with InferBuiltins: references to builtin packages such
// as `struct.MaxFields(2)` get an implicit import.
import type { Context, Value } from '../api.js';
import type { Expr, File, ImportSpec, Node } from '../ast.js';

/** Builtin package identifiers → import paths (the last path element is the name). */
const BUILTIN_PACKAGES: Record<string, string> = {
  strings: 'strings',
  struct: 'struct',
  list: 'list',
  math: 'math',
  bits: 'math/bits',
  regexp: 'regexp',
  strconv: 'strconv',
  time: 'time',
  json: 'encoding/json',
  yaml: 'encoding/yaml',
  base64: 'encoding/base64',
  hex: 'encoding/hex',
  csv: 'encoding/csv',
  toml: 'encoding/toml',
  net: 'net',
  path: 'path',
  uuid: 'uuid',
  sha256: 'crypto/sha256',
  sha512: 'crypto/sha512',
  md5: 'crypto/md5',
  sha1: 'crypto/sha1',
  hmac: 'crypto/hmac',
  html: 'html',
  tabwriter: 'text/tabwriter',
  template: 'text/template',
  semver: 'semver',
};

// Not starting with `__`: such identifiers are reserved in CUE.
export const EXPECT_LABEL = 'opm_conformance_expect';

export async function compileLeaf(ctx: Context, expr: Expr): Promise<Value> {
  const used = new Set<string>();
  visit(expr, (n) => {
    if (n.type === 'SelectorExpr' && n.x.type === 'Ident' && BUILTIN_PACKAGES[n.x.name] !== undefined) used.add(n.x.name);
  });
  const imports: ImportSpec[] = [...used].map((name) => ({ type: 'ImportSpec', pos: expr.pos, path: BUILTIN_PACKAGES[name]!, pathPos: expr.pos }));
  const file: File = {
    type: 'File',
    pos: expr.pos,
    filename: expr.pos.file,
    attrs: [],
    imports,
    decls: [{ type: 'Field', pos: expr.pos, label: { type: 'Ident', pos: expr.pos, name: EXPECT_LABEL }, constraint: '', value: expr, attrs: [] }],
  };
  const v = await ctx.build([file]);
  return v.lookup(EXPECT_LABEL);
}

/** Visits every AST node below `n` (objects with a string `type`). */
export function visit(n: unknown, f: (n: Node) => void): void {
  if (Array.isArray(n)) {
    for (const x of n) visit(x, f);
    return;
  }
  if (!n || typeof n !== 'object') return;
  const o = n as Record<string, unknown>;
  if (typeof o.type === 'string') f(o as unknown as Node);
  for (const [k, v] of Object.entries(o)) {
    if (k === 'pos' || k === 'end' || k === 'comments') continue;
    if (v && typeof v === 'object') visit(v, f);
  }
}
