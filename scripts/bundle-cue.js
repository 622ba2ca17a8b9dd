// Bundles the compiled @opm/cue (packages/cue/dist/index.js and what it
// imports, its npm dependencies included) into one CommonJS file, the
// package's entry in Node while it is fresh (src/node-entry.ts), and writes
// V8's code cache for it after a warm-up evaluation (src/node-bundle.ts).
//
// Usage: node scripts/bundle-cue.js [OUT_DIR]   (default packages/cue/dist/bundle)
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rolldown } from 'rolldown';
import { assertAscii } from './bundle-ascii.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'packages/cue/dist');
const outDir = path.resolve(process.argv[2] ?? path.join(dist, 'bundle'));
const input = path.join(dist, 'index.js');
if (!existsSync(input)) {
  console.error(`bundle-cue: ${input} is missing; run tsc -b first`);
  process.exit(1);
}

const out = path.join(outDir, 'cue.cjs');
rmSync(outDir, { recursive: true, force: true });
const bundle = await rolldown({ input, platform: 'node', logLevel: 'warn' });
// ASCII (read as latin1 by node-bundle.ts) without doc comments: less to read and compile.
await bundle.write({ file: out, format: 'cjs', charset: 'ascii', comments: { legal: true, annotation: false, jsdoc: false } });
await bundle.close();
assertAscii('bundle-cue', [out]);
// The bundle is loaded by node-bundle.ts, not required: mark it CommonJS anyway for tools that look.
writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

// Warm-up: opm's own CUE (packages/core: the core schema, the Kubernetes
// provider; the example catalog's modules), evaluated and exported, so that
// the code cache holds the functions an evaluation compiles, not only the
// bundle's top level.
const { loadBundle } = await import(pathToFileURL(path.join(dist, 'node-bundle.js')).href);
const { nodeFileSystem } = await import(pathToFileURL(path.join(dist, 'loader/node-fs.js')).href);
const { api, script } = loadBundle(out);
const cueFiles = (dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.cue'))
    .sort()
    .map((f) => ({ filename: path.join(dir, f), text: readFileSync(path.join(dir, f), 'utf8') }));
const schema = { id: 'core.opm.dev/v1', files: cueFiles(path.join(root, 'packages/core/schema')) };
const resolver = { resolve: (importPath) => (importPath === schema.id ? schema : undefined) };
const dirs = [path.join(root, 'packages/core/schema'), path.join(root, 'packages/core/providers/kubernetes')];
const catalog = path.join(root, 'examples/catalog');
for (const m of readdirSync(catalog, { withFileTypes: true }).filter((e) => e.isDirectory())) {
  for (const v of readdirSync(path.join(catalog, m.name))) dirs.push(path.join(catalog, m.name, v));
}
let evaluated = 0;
for (const dir of dirs) {
  try {
    (await api.loadInstance(dir, { fs: nodeFileSystem, cwd: dir, resolver })).toJSON();
    evaluated++;
  } catch (err) {
    console.error(`bundle-cue: warm-up: ${dir}: ${String(err).split('\n')[0]}`);
  }
}
const tmp = `${out}.cache.${process.pid}`;
writeFileSync(tmp, script.createCachedData());
renameSync(tmp, `${out}.cache`);
if (evaluated === 0) console.error('bundle-cue: no example catalog module evaluated in the warm-up; the code cache holds the top level only');
