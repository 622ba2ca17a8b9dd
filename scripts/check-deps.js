// Enforces the one-way dependency rule between workspace packages:
// cli -> portal -> operator -> (kube, oci) -> core -> cue. A package may import only packages to its right.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const allowed = {
  cue: [],
  core: ['cue'],
  oci: [],
  kube: ['core', 'cue'],
  operator: ['kube', 'oci', 'core', 'cue'],
  portal: ['operator', 'kube', 'oci', 'core', 'cue'],
  cli: ['portal', 'operator', 'kube', 'oci', 'core', 'cue'],
  // Test infrastructure: imported only by tests, never by a package's src.
  'test-apiserver': [],
};
const importRe = /(?:from\s+|import\s*\(\s*|import\s+)['"]@opm\/([a-z-]+)/g;
let bad = 0;
function walk(dir, visit) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, visit);
    else if (p.endsWith('.ts')) visit(p);
  }
}
for (const [pkg, deps] of Object.entries(allowed)) {
  walk(join('packages', pkg, 'src'), (file) => {
    for (const m of readFileSync(file, 'utf8').matchAll(importRe)) {
      if (m[1] !== pkg && !deps.includes(m[1])) {
        console.error(`${file}: @opm/${pkg} must not import @opm/${m[1]}`);
        bad++;
      }
    }
  });
}
if (bad) process.exit(1);

// Browser entries: what they import (following value imports, not `import
// type`) must use no Node built-in, and no Node-only global (Buffer, process,
// require, __dirname), so the browser bundle runs in a page.
const browserEntries = ['packages/core/src/browser.ts', 'packages/cue/src/index.ts'];
const valueImportRe = /^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const nodeGlobalRe = /(?<![\w.$'"`])(Buffer|process|require|__dirname|__filename)\s*(?:\.|\(|\[)/;
function resolveBrowserImport(from, spec) {
  if (spec.startsWith('.')) return join(from, '..', spec.replace(/\.js$/, '.ts'));
  const m = /^@opm\/([a-z-]+)(?:\/(.+))?$/.exec(spec);
  if (m) return join('packages', m[1], 'src', `${m[2] ?? 'index'}.ts`);
  return undefined; // an npm package: the bundler's browser build of it
}
for (const entry of browserEntries) {
  const seen = new Set();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
    for (const m of code.matchAll(valueImportRe)) {
      const spec = m[1];
      if (spec.startsWith('node:')) {
        console.error(`${file}: imports ${spec}, yet ${entry} (a browser entry) reaches it`);
        bad++;
        continue;
      }
      const next = resolveBrowserImport(file, spec);
      if (next) todo.push(next);
    }
    const g = nodeGlobalRe.exec(code);
    if (g) {
      console.error(`${file}: uses the Node global ${g[1]}, yet ${entry} (a browser entry) reaches it`);
      bad++;
    }
  }
}
if (bad) process.exit(1);
