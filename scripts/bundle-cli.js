// Bundles the compiled CLI (packages/cli/dist/main.js and what it imports)
// into a few files, so that `opm` starts without resolving, reading and
// compiling ~200 separate ES modules (most of its cold start-up time).
// bin/opm.js runs the bundle only while it is newer than every package's
// compiled output; otherwise it runs the compiled modules.
//
// Usage: node scripts/bundle-cli.js [OUT_DIR]   (default packages/cli/dist/bundle)
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'packages/cli/dist/bundle'));
const input = path.join(root, 'packages/cli/dist/main.js');
if (!existsSync(input)) {
  console.error(`bundle-cli: ${input} is missing; run tsc -b first`);
  process.exit(1);
}

// Modules find their data files relative to themselves (core's schema and
// providers, the bundled catalog): keep import.meta.url pointing at the
// module's own file, relative to the bundle so the checkout may move.
const ownURL = {
  name: 'own-import-meta-url',
  transform(code, id) {
    if (!path.isAbsolute(id) || !code.includes('import.meta.url')) return null;
    const rel = path.relative(outDir, id).split(path.sep).join('/');
    return code.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
  },
};

rmSync(outDir, { recursive: true, force: true });
const bundle = await rolldown({
  input: { opm: input },
  platform: 'node',
  // Loaded only by the cluster commands, and large: it stays a package import.
  external: [/^@kubernetes\/client-node(\/|$)/],
  plugins: [ownURL],
  logLevel: 'warn',
});
await bundle.write({ dir: outDir, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' });
await bundle.close();
