// Finds every `@test(...)` attribute of a parsed file, as Go's inline runner
// does: field attributes (at any depth, following struct literal values,
// including inside definitions), declaration attributes inside a field's
// struct literal (they apply to that field), and file-level declaration
// attributes (they apply to the whole package value).
import type { Selector } from '../api.js';
import type { Attribute, Decl, File, Label, StructLit } from '../ast.js';
import { unparen } from '../syntax.js';
import { fieldLabel } from '../eval/vertex.js';
import { parseTestDirective, type TestDirective } from './directive.js';

export interface TestRecord {
  /** Path of the field the attribute belongs to ([] for file level). */
  path: Selector[];
  directive?: TestDirective;
  /** Set when the attribute does not parse. */
  parseError?: string;
  attr: Attribute;
  /** Line that relative `pos=` specs count from: the field's line, a struct's `{` line, or the attribute's own line at file level. */
  baseLine: number;
  file: string;
  /** The struct literal this attribute is a declaration of (for `@test(permute)`), or the parent struct of the field. */
  struct?: StructLit | File;
  /** For a field attribute: the field's declaration (a permute participant). */
  decl?: Decl;
  isDeclAttr: boolean;
}

export function extractTests(file: File): TestRecord[] {
  const out: TestRecord[] = [];
  const add = (a: Attribute, path: Selector[], baseLine: number, extra: Partial<TestRecord>) => {
    if (a.name !== 'test') return;
    const rec: TestRecord = { path, attr: a, baseLine, file: file.filename, isDeclAttr: false, ...extra };
    try {
      rec.directive = parseTestDirective(a.body, a.text);
    } catch (err) {
      rec.parseError = (err as Error).message;
    }
    out.push(rec);
  };

  const walkStruct = (s: StructLit | File, path: Selector[], baseLine: number) => {
    for (const d of s.decls) {
      if (d.type === 'Attribute') add(d, path, s.type === 'File' ? d.pos.line : baseLine, { struct: s, isDeclAttr: true });
      else if (d.type === 'Field') {
        const sel = labelSelector(d.label);
        if (sel === undefined) continue; // dynamic or pattern label: no static path
        const p = [...path, sel];
        for (const a of d.attrs) add(a, p, d.pos.line, { struct: s, decl: d });
        const v = unparen(d.value);
        if (v.type === 'StructLit') walkStruct(v, p, v.pos.line);
      }
    }
  };
  walkStruct(file, [], 0);
  return out;
}

/** The selector of a static label; undefined for dynamic and pattern labels. */
export function labelSelector(l: Label): Selector | undefined {
  switch (l.type) {
    case 'Ident':
      return l.name;
    case 'BasicLit':
      // A quoted label is a regular field, even `"#a"` or `"_x"`.
      return l.kind === 'string' ? fieldLabel(l.value ?? l.raw) : undefined;
    case 'AliasLabel':
      return labelSelector(l.label);
    default:
      return undefined;
  }
}

export function formatPath(path: Selector[]): string {
  if (path.length === 0) return '(file level)';
  return path
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[#_]*[A-Za-z_$][\w$]*$/.test(s) ? `${i ? '.' : ''}${s}` : `${i ? '.' : ''}${JSON.stringify(s)}`))
    .join('');
}
