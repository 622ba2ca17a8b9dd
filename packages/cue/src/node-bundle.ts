// Loading the single-file bundle of @opm/cue (dist/bundle/cue.cjs, written by
// scripts/bundle-cue.js) in Node; node-entry.ts decides whether to. Node 20
// keeps no compiled code between runs of ES modules: the bundle is CommonJS,
// compiled here with V8's code cache (cue.cjs.cache beside it, written by the
// build after a warm-up, so it holds the functions an evaluation runs). A
// missing cache, or one V8 rejects (another Node version, other V8 flags),
// means compiling as usual; it is never written here, as a library does not
// write files in its user's process.
// Built-ins through process.getBuiltinModule (Node >= 20.16): no module
// lookup, and no ES facades (node:fs's loads Node's streams).
import type * as Api from './index.js';
import type { Script } from 'node:vm';

const fs = () => process.getBuiltinModule('node:fs');

/** Modification time of a file in ms, or undefined when it is missing. */
function mtime(file: string): number | undefined {
  try {
    return fs().statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Whether dist/bundle/cue.cjs of the compiled package in `dist` is at least
 * as new as the compiled modules (tsc writes dist/.tsbuildinfo whenever it
 * rebuilds the package): after a plain `tsc -b` the bundle is stale.
 */
export function bundleIsFresh(dist: string): boolean {
  const bundled = mtime(`${dist}/bundle/cue.cjs`);
  const compiled = mtime(`${dist}/.tsbuildinfo`);
  return bundled !== undefined && compiled !== undefined && compiled <= bundled;
}

/** Runs the bundle `file`; `script` is the compiled script (the build writes its code cache). */
export function loadBundle(file: string): { api: typeof Api; script: Script } {
  const { readFileSync } = fs();
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined;
  }
  // The wrapper of Node's own CommonJS loader, so that stack traces keep the
  // bundle's line numbers. Read as latin1: the bundle is ASCII (bundle-cue.js
  // checks), which latin1 decodes as UTF-8 would, without Node 20's UTF-8
  // validation and transcoding of a 1 MB file.
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'latin1')}\n})`;
  const vm = process.getBuiltinModule('node:vm');
  const script = new vm.Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} };
  // The bundled yaml library requires Node's buffer and process.
  const require = process.getBuiltinModule('node:module').createRequire(file);
  const dir = file.slice(0, Math.max(0, file.lastIndexOf('/')));
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, require, module, file, dir);
  return { api: module.exports as typeof Api, script };
}
