// Whether the CLI bundle (dist/bundle, made by `npm run build`) may run: it
// exists and is at least as new as every package's compiled output. After a
// plain `tsc -b` it is stale and the compiled modules must run instead.
// bin/opm.js decides with it, and the benches say which of the two they
// measured. CommonJS, like bin/opm.js (see there).
// process.getBuiltinModule (Node >= 20.16): built-ins without `require`'s
// module lookup, as the bundle's loader does.
/* global __dirname, exports */
const { statSync } = process.getBuiltinModule('node:fs');
const path = process.getBuiltinModule('node:path');

// Every package the bundle holds (its dist/.tsbuildinfo is written by tsc -b).
const BUNDLED = ['cli', 'cue', 'core', 'oci', 'kube'];

const mtime = (rel) => {
  try {
    return statSync(path.join(__dirname, rel)).mtimeMs;
  } catch {
    return undefined;
  }
};

exports.cliBundleIsFresh = () => {
  const bundled = mtime('../dist/bundle/opm.js');
  return bundled !== undefined && BUNDLED.every((p) => (mtime(`../../${p}/dist/.tsbuildinfo`) ?? Infinity) <= bundled);
};
