// Entry of the bundled CLI: scripts/bundle-cli.js copies this file to
// dist/bundle/opm.js, next to the bundle's CommonJS chunks (*.cjs). It is
// CommonJS too (dist/bundle/package.json), so that bin/opm.js runs without
// Node's ES module loader; ES modules may still import it (`main` is a named
// export).
/* global __dirname, exports */
//
// Node 20 keeps no compiled code between runs of ES modules, and compiling
// the bundle was a tenth of a cold `opm release build`. Chunks loaded here
// are compiled with V8's code cache instead (<chunk>.cache beside each; the
// build writes them after a warm-up run, so they hold the functions that
// run, not only the top level). A missing cache, or one V8 rejects (another
// Node version or V8 flags), is written again when the process exits; a
// read-only install just runs without it.
// Built-ins through process.getBuiltinModule (Node >= 20.16): no module
// lookup, and (were this an ES module) no ES facades, which for node:fs load
// all of Node's streams.
const { readFileSync, renameSync, rmSync, writeFileSync } = process.getBuiltinModule('node:fs');
const { createRequire } = process.getBuiltinModule('node:module');
const path = process.getBuiltinModule('node:path');
const vm = process.getBuiltinModule('node:vm');

// V8 hands a function to its optimizing compiler (TurboFan) after a budget
// of executed bytecode (--interrupt-budget, 66 KB). An opm run is short and
// its evaluator is large: in a cold five-release build most functions reach
// that budget while their type feedback is still changing, so TurboFan
// compiles them, deoptimizes and compiles again, about a third of the run's
// CPU time. A 16 times larger budget leaves that work to the few functions
// that stay hot; measured (CPU, same rounds) it also wins on a 300-release
// build, where no TurboFan at all (--no-opt) loses. Set before any chunk is
// compiled: V8's code caches record the flags, and the build's warm-up run
// (which writes them) comes through here too. node:v8 brings Node's stream
// module with it (~4 ms, no stream object is made: see src/stdio.ts).
//
// The young generation starts at 1 MB and V8 doubles it only after a
// scavenge in which more than its size survived; nearly everything an
// evaluation allocates survives (the evaluated values), so a cold build of
// the five examples ran 15 scavenges copying the same objects again. Growing
// it 4 times at a step leaves 11: 2.5% less CPU time (task-clock, all
// threads, median of 9 interleaved runs), one release unchanged. A factor of
// 16 (straight to the 16 MB maximum) saves more instructions but costs one
// release 2,400 more page faults and more CPU time than it saves. The size
// itself is read when the heap is made, before any script runs: only the
// growth factor can still be set here.
process.getBuiltinModule('node:v8').setFlagsFromString('--interrupt-budget=1081344 --semi-space-growth-factor=4');

const dir = __dirname;
const loaded = new Map();
const uncached = [];

function load(file) {
  const known = loaded.get(file);
  if (known) return known.exports;
  const module = { exports: {} };
  loaded.set(file, module);
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined;
  }
  // The same wrapper as Node's own CommonJS loader, so line numbers in stack
  // traces stay right. Read as latin1: the chunks are ASCII (bundle-cli.js
  // checks), which latin1 decodes as UTF-8 would, and Node 20's UTF-8 read
  // validates and transcodes: for the 1 MB CUE chunk ~13 ms of CPU against
  // ~6 ms (median of 21 fresh processes each).
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'latin1')}\n})`;
  const script = new vm.Script(source, { filename: file, cachedData, importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  if (cachedData === undefined || script.cachedDataRejected) uncached.push({ file, script });
  const nodeRequire = createRequire(file);
  // Chunks require each other as "./name-hash.cjs"; everything else (node: built-ins, the external Kubernetes client) is Node's.
  const require = Object.assign((id) => (id.startsWith('./') ? load(path.join(dir, id)) : nodeRequire(id)), { resolve: nodeRequire.resolve });
  script.runInThisContext().call(module.exports, module.exports, require, module, file, dir);
  return module.exports;
}

process.once('exit', () => {
  for (const { file, script } of uncached) {
    const tmp = `${file}.cache.${process.pid}`;
    try {
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, `${file}.cache`);
    } catch {
      // No cache this time (read-only install, full disk): the next run compiles again.
      rmSync(tmp, { force: true });
    }
  }
});

exports.main = load(path.join(dir, 'main.cjs')).main;
