// The web app's sources share the server's API types (src/api-types.ts, which
// web/tsconfig.json includes) instead of copies that drift, and draw every
// table with the one Table component.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const WEB = dir('../web/');
const webFiles = readdirSync(WEB).filter((f) => /\.tsx?$/.test(f));
const read = (f: string) => readFileSync(`${WEB}${f}`, 'utf8');
const declared = (text: string) => [...text.matchAll(/^(?:export\s+)?(?:interface|type)\s+([A-Za-z_]\w*)/gm)].map((m) => m[1]!);

describe('web app sources', () => {
  it('declare none of the API answer types themselves: they import src/api-types.ts', () => {
    const shared = new Set(declared(readFileSync(dir('../src/api-types.ts'), 'utf8')));
    expect(shared.size).toBeGreaterThan(10);
    const copies = webFiles.flatMap((f) => declared(read(f)).filter((n) => shared.has(n)).map((n) => `${f}: ${n}`));
    expect(copies).toEqual([]);
    // …nor shapes of the API under other names: a release row, a status, a revision, a module, a schema leaf.
    const shapes = [/\brevision: number;[^}]*\bupdatedAt: string/s, /\bobjects: \{ ref:/, /\bkind: FieldKind/, /\brequiredLabels: string\[\]/, /\bversions: string\[\];\s*latest: string/];
    const redeclared = webFiles.flatMap((f) => [...read(f).matchAll(/^(?:export\s+)?interface\s+\w+\s*\{[^]*?^\}/gm)].filter((m) => shapes.some((s) => s.test(m[0]))).map((m) => `${f}: ${m[0].split('\n')[0]}`));
    expect(redeclared).toEqual([]);
    expect(webFiles.filter((f) => read(f).includes("from '../src/api-types.js'")).length).toBeGreaterThanOrEqual(4);
  });

  it('draw tables only with the Table component', () => {
    const withMarkup = webFiles.filter((f) => f !== 'table.tsx' && /<(table|thead|tbody|th)\b/.test(read(f)));
    expect(withMarkup).toEqual([]);
    expect(read('releases.tsx').match(/<Table\b/g)?.length).toBe(3);
  });
});
