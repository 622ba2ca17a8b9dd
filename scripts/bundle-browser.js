// Bundles the browser entry of @opm/core (packages/core/dist/browser.js: the
// model and the CUE engine, no Node built-ins) into one minified ES module
// for web apps: `import { snapshotSession, validateValues } from './opm-core.browser.js'`.
// A Node built-in reaching the bundle fails the build.
//
// Usage: node scripts/bundle-browser.js [OUT_FILE]   (default packages/core/dist/bundle/opm-core.browser.js)
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const input = path.join(root, 'packages/core/dist/browser.js');
const outFile = path.resolve(process.argv[2] ?? path.join(root, 'packages/core/dist/bundle/opm-core.browser.js'));

export async function bundleBrowser(out = outFile) {
  if (!existsSync(input)) throw new Error(`bundle-browser: ${input} is missing; run tsc -b first`);
  rmSync(out, { force: true });
  const nodeBuiltins = [];
  const bundle = await rolldown({
    input,
    platform: 'browser',
    logLevel: 'warn',
    plugins: [
      {
        name: 'no-node-builtins',
        resolveId(id, importer) {
          if (id.startsWith('node:')) nodeBuiltins.push(`${id} (imported by ${importer})`);
          return null;
        },
      },
    ],
  });
  if (nodeBuiltins.length) throw new Error(`bundle-browser: Node built-ins reach the browser entry:\n  ${nodeBuiltins.join('\n  ')}`);
  await bundle.write({ file: out, format: 'esm', minify: true, comments: { legal: true, annotation: false, jsdoc: false } });
  await bundle.close();
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(await bundleBrowser());
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
