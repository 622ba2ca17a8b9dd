// Bundles the portal's web app (packages/portal/web, Preact + TSX) for the
// browser into packages/portal/dist/web: app.js (minified, with the CUE engine
// used for live validation), app.css and index.html. The portal serves these
// files itself; nothing is loaded from a CDN.
//
// Usage: node scripts/bundle-portal.js [OUT_DIR]
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = path.join(root, 'packages/portal/web');
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'packages/portal/dist/web'));

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const bundle = await rolldown({
  input: path.join(web, 'main.tsx'),
  platform: 'browser',
  tsconfig: path.join(web, 'tsconfig.json'),
  // @opm/cue resolves to its compiled dist/ (tsc -b runs first).
  logLevel: 'warn',
});
await bundle.write({ file: path.join(outDir, 'app.js'), format: 'esm', minify: true, sourcemap: false });
await bundle.close();
for (const f of ['index.html', 'app.css']) copyFileSync(path.join(web, f), path.join(outDir, f));
