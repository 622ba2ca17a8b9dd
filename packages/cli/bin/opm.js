#!/usr/bin/env node
// Runs the bundled CLI (dist/bundle, made by `npm run build`: one file to
// load instead of ~200 modules) while it is at least as new as every
// package's compiled output; after a plain `tsc -b` it would be stale, so the
// compiled modules run instead.
// process.getBuiltinModule (Node >= 20.16), not `import`: an ES import of a
// built-in builds its ES facade, which for node:fs loads all of Node's
// streams (~6 ms of every start).
const { statSync } = process.getBuiltinModule('node:fs');

const mtime = (rel) => {
  try {
    return statSync(new URL(rel, import.meta.url)).mtimeMs;
  } catch {
    return undefined;
  }
};
const bundled = mtime('../dist/bundle/opm.js');
const fresh = bundled !== undefined && ['cli', 'cue', 'core', 'oci', 'kube'].every((p) => (mtime(`../../${p}/dist/.tsbuildinfo`) ?? Infinity) <= bundled);
const { main } = await import(fresh ? '../dist/bundle/opm.js' : '../dist/main.js');
// Once main is done (it awaits all its work), exit as soon as stdout and
// stderr have taken everything written to them: a process left to wind down
// by itself first tears down its whole heap, 20-40 ms of every cold run.
const code = await main(process.argv.slice(2));
process.exitCode = code;
process.stdout.write('', () => process.stderr.write('', () => process.exit()));
