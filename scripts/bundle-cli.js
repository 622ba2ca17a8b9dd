// Bundles the compiled CLI (packages/cli/dist/main.js and what it imports)
// into a few CommonJS chunks, so that `opm` starts without resolving,
// reading and compiling ~200 separate ES modules (most of its cold start-up
// time), and loads them with V8's code cache (see bundle-loader.js, copied to
// OUT_DIR/opm.js). bin/opm.js runs the bundle only while it is newer than
// every package's compiled output; otherwise it runs the compiled modules.
//
// Usage: node scripts/bundle-cli.js [OUT_DIR]   (default packages/cli/dist/bundle)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';
import { assertAscii } from './bundle-ascii.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'packages/cli/dist/bundle'));
const input = path.join(root, 'packages/cli/dist/main.js');
if (!existsSync(input)) {
  console.error(`bundle-cli: ${input} is missing; run tsc -b first`);
  process.exit(1);
}

// Modules find their data files relative to themselves (core's schema and
// providers, the bundled catalog): keep import.meta.url pointing at the
// module's own file, relative to the chunk (__filename, given by the loader)
// so the checkout may move.
const ownURL = {
  name: 'own-import-meta-url',
  transform(code, id) {
    if (!path.isAbsolute(id) || !code.includes('import.meta.url')) return null;
    const rel = path.relative(outDir, id).split(path.sep).join('/');
    return code.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, require("node:url").pathToFileURL(__filename)).href`);
  },
};

// commander requires node:child_process (and with it net, dgram and all of
// Node's streams) at load, for executable sub-commands only, which opm has
// none of: it is loaded when spawn is first called instead. A commander that
// no longer matches fails the build rather than silently losing this.
const lazyChildProcess = {
  name: 'lazy-child-process',
  transform(code, id) {
    if (!/[\\/]commander[\\/]lib[\\/]command\.js$/.test(id)) return null;
    const eager = "const childProcess = require('node:child_process');";
    if (!code.includes(eager) || (code.match(/childProcess\.(\w+)/g) ?? []).some((m) => m !== 'childProcess.spawn')) {
      this.error(`bundle-cli: commander's use of child_process changed (${id}); update lazyChildProcess`);
    }
    return code.replace(eager, "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };");
  },
};

// In Node, @opm/cue's package entry is its own single-file bundle while
// fresh (packages/cue/src/node-entry.ts); this bundle holds the compiled
// modules instead, as one copy of the engine beside everything else.
const cueModules = {
  name: 'cue-modules',
  resolveId(id) {
    return id === '@opm/cue' ? path.join(root, 'packages/cue/dist/index.js') : null;
  },
};

rmSync(outDir, { recursive: true, force: true });
const bundle = await rolldown({
  input: { main: input },
  platform: 'node',
  // @kubernetes/client-node is bundled too: loaded from node_modules it is
  // ~1,000 ES modules, 3-4x the start-up of a cluster command's own work.
  // Each command group is a dynamic import (commands/index.ts), so a cluster
  // command loads the client and not the CUE evaluator, and a build the
  // reverse; packages that import only one module of another do so by its
  // own path (@opm/core/redact), as a package index pulls in its whole chunk.
  plugins: [cueModules, ownURL, lazyChildProcess],
  logLevel: 'warn',
});
// ASCII without doc comments: less to read, and Node decodes pure ASCII
// sources on its fast path (loading the chunks ~15 ms faster).
await bundle.write({
  dir: outDir,
  format: 'cjs',
  entryFileNames: '[name].cjs',
  chunkFileNames: '[name]-[hash].cjs',
  charset: 'ascii',
  comments: { legal: true, annotation: false, jsdoc: false },
  // The YAML library in a chunk of its own: the cluster commands read
  // kubeconfigs and print YAML, and with it in the shared chunk of the CUE
  // evaluator and core (which also use it) they loaded and compiled all of
  // those too (1.1 MB) without running any of it.
  codeSplitting: { groups: [{ name: 'yaml', test: /[\\/]node_modules[\\/]yaml[\\/]/ }] },
});
await bundle.close();
assertAscii('bundle-cli', readdirSync(outDir).filter((f) => f.endsWith('.cjs')).map((f) => path.join(outDir, f)));
copyFileSync(path.join(root, 'scripts/bundle-loader.js'), path.join(outDir, 'opm.js'));
// The loader is CommonJS (see bundle-loader.js) in a package whose .js files are ES modules.
writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

// A warm-up run writes the code caches, holding every function that a
// release build compiles (caches written at a later first run would hold
// only what that command ran).
const examples = path.join(root, 'examples/releases');
const releases = readdirSync(examples).filter((f) => f.endsWith('.cue')).map((f) => path.join(examples, f));
const code = `const { main } = await import(${JSON.stringify(path.join(outDir, 'opm.js'))}); process.exitCode = await main(process.argv.slice(1));`;
const warm = spawnSync(process.execPath, ['--input-type=module', '-e', code, 'release', 'build', ...releases], { cwd: root, encoding: 'utf8' });
if (warm.status !== 0) console.error(`bundle-cli: warm-up run failed (the bundle works, without code caches until its first run):\n${warm.stderr}`);
