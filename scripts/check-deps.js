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
