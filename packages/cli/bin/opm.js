#!/usr/bin/env node
// Runs the bundled CLI (dist/bundle, made by `npm run build`: one file to
// load instead of ~200 modules) while it is at least as new as every
// package's compiled output; after a plain `tsc -b` it would be stale, so the
// compiled modules run instead.
//
// CommonJS (bin/package.json), as is the bundle's loader: an ES module entry
// first sets up Node's ES module loader (its resolver, fs/promises, readline),
// a cost on every start that `node -e 0` does not pay; the compiled modules
// (no bundle) are still imported as ES modules.
/* global require */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS (see above)
const fresh = require('./bundle-fresh.js').cliBundleIsFresh();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle's loader is CommonJS (see above)
const load = fresh ? Promise.resolve(require('../dist/bundle/opm.js')) : import('../dist/main.js');
// Output goes to file descriptors 1 and 2 directly (src/stdio.ts); a command
// may still use process.stdout or process.stderr (the cluster commands do),
// and then its output may still be queued in the stream when main returns.
let streams = false;
for (const name of ['stdout', 'stderr']) {
  const d = Object.getOwnPropertyDescriptor(process, name);
  if (d?.get && d.configurable) {
    Object.defineProperty(process, name, {
      ...d,
      get() {
        streams = true;
        return d.get.call(this);
      },
    });
  }
}
load
  .then(({ main }) => main(process.argv.slice(2), { directOutput: true }))
  .then((code) => {
    // Once main is done (it awaits all its work), exit as soon as everything
    // written has been taken (at once when nothing went through a stream): a
    // process left to wind down by itself first tears down its whole heap,
    // 20-40 ms of every cold run.
    process.exitCode = code;
    if (!streams) process.exit();
    process.stdout.write('', () => process.stderr.write('', () => process.exit()));
  });
