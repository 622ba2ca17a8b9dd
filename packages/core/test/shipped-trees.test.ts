// Build-time parse trees of opm's own CUE files (src/shipped-trees.ts): used
// only for the exact file they were made from and only while newer than the
// parser's build; what they build is what parsing the text builds.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newContext, type File, type Source } from '@opm/cue';
import { formatNode } from '@opm/cue/parser-index';
import { KUBERNETES_PROVIDER_DIR, SCHEMA_DIR } from '../src/shipped.js';
import { nodeFileSystem } from '../src/fs.js';
import { readCuePackage } from '../src/sources.js';
import { readShippedTrees, shippedTreesText, withShippedTrees } from '../src/shipped-trees.js';

const dir = mkdtempSync(path.join(tmpdir(), 'opm-trees-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const schema = await readCuePackage(nodeFileSystem, SCHEMA_DIR);
const provider = await readCuePackage(nodeFileSystem, KUBERNETES_PROVIDER_DIR);
const parse = (s: Source) => newContext().parse({ filename: s.filename, text: s.text });

/** An artifact of these sources and a parser build, with the artifact `age` seconds newer than the parser (negative: older). */
function artifact(name: string, sources: Source[], age: number): { file: string; parserBuild: string } {
  const file = path.join(dir, `${name}.jsonl`);
  const parserBuild = path.join(dir, `${name}.tsbuildinfo`);
  writeFileSync(file, shippedTreesText(sources, parse));
  writeFileSync(parserBuild, '{}');
  const t = Date.now() / 1000;
  utimesSync(parserBuild, t, t);
  utimesSync(file, t + age, t + age);
  return { file, parserBuild };
}

/** A parsed tree as the artifact holds it: end positions on structs and lists only (nothing else reads them outside the formatter). */
function endsOnStructsAndLists(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(endsOnStructsAndLists);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  const type = (node as { type?: string }).type;
  for (const [k, v] of Object.entries(node)) if (k !== 'end' || type === 'StructLit' || type === 'ListLit') out[k] = endsOnStructsAndLists(v);
  return out;
}

describe('shipped parse trees', () => {
  it('give each file the tree parsing its text gives (but for ends outside structs and lists), fresh on every call', () => {
    const { file, parserBuild } = artifact('fresh', [...schema, ...provider], 10);
    const trees = readShippedTrees(file, parserBuild);
    expect(trees).not.toBeNull();
    const withTrees = withShippedTrees([...schema, ...provider], trees);
    for (const s of withTrees) {
      expect(s.parsed, s.filename).toBeDefined();
      const a = s.parsed!();
      expect(a).toEqual(endsOnStructsAndLists(parse(s)));
      expect(s.parsed!()).not.toBe(a);
    }
  });

  it('build the same core schema and provider as the texts do (hidden names qualified per build)', async () => {
    const { file, parserBuild } = artifact('same', [...schema, ...provider], 10);
    const trees = readShippedTrees(file, parserBuild);
    const build = async (s: Source[], p: Source[]) => {
      const ctx = newContext();
      const core = await ctx.buildPackage({ id: 'core.opm.dev/v1', packageName: 'v1', files: s });
      const k8s = await ctx.buildPackage({ id: 'opm.dev/providers/kubernetes', packageName: 'kubernetes', files: p }, { resolver: { resolve: async (x) => (x === 'core.opm.dev/v1' ? { id: x, packageName: 'v1', files: s } : undefined) } });
      return [core.toCUE({ definitions: true, optional: true, hidden: true }), k8s.toCUE({ definitions: true, optional: true, hidden: true })];
    };
    const fromTrees = [withShippedTrees(schema, trees), withShippedTrees(provider, trees)] as const;
    expect(fromTrees[0].every((s) => s.parsed) && fromTrees[1].every((s) => s.parsed)).toBe(true);
    const [a, b] = await Promise.all([build(...fromTrees), build(...fromTrees)]);
    expect(a).toEqual(await build(schema, provider));
    expect(b).toEqual(a);
  });

  it('format a struct written with braces and the a: b: c shorthand each as written', () => {
    const src: Source = { filename: path.join(dir, 'shorthand.cue'), text: 'package p\n\n#A: {x: y: int}\n#B: {x: {y: int}}\n' };
    const { file, parserBuild } = artifact('shorthand', [src], 10);
    const [fromTree] = withShippedTrees([src], readShippedTrees(file, parserBuild));
    const decls = (f: File) => f.decls.map((d) => formatNode(d));
    expect(decls(parse(src))).toEqual(['#A: {\n\tx: y: int\n}', '#B: {\n\tx: {\n\t\ty: int\n\t}\n}']);
    expect(decls(fromTree!.parsed!())).toEqual(decls(parse(src)));
  });

  it('are not used for a file whose text changed, another file name, or another language version', () => {
    const { file, parserBuild } = artifact('edited', schema, 10);
    const trees = readShippedTrees(file, parserBuild);
    const [first, second, third] = schema;
    const given = withShippedTrees([{ ...first!, text: `${first!.text}\n// edited\n` }, { ...second!, filename: `${second!.filename}.copy` }, { ...third!, languageVersion: 'v0.9.0' }], trees);
    for (const s of given) expect(s.parsed, s.filename).toBeUndefined();
  });

  it('are not used when the artifact is older than the parser build, or missing', () => {
    const { file, parserBuild } = artifact('stale', schema, -10);
    expect(readShippedTrees(file, parserBuild)).toBeNull();
    expect(readShippedTrees(path.join(dir, 'missing.jsonl'), parserBuild)).toBeNull();
    expect(withShippedTrees(schema, null).every((s) => s.parsed === undefined)).toBe(true);
  });
});
