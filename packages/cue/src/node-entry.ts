// The entry of @opm/cue in Node (package.json "exports", condition "node"):
// the single-file bundle (node-bundle.ts) while it is at least as new as the
// compiled modules, else the compiled modules (index.js, the entry
// everywhere else: browsers, bundlers, types). Imported as ~110 ES modules,
// the package spent more of a cold process in Node's ES module loader
// (resolving, reading, compiling each module) than in evaluating a
// 200-line document.
// A name exported by index.ts must be listed here too (node-entry.test.ts
// checks); only `@opm/cue` itself goes through the bundle: a module imported
// by its own path (@opm/cue/loader/node-fs) is the compiled one, so such a
// module must not share classes or state with the package index.
import type * as Api from './index.js';
import { bundleIsFresh, loadBundle } from './node-bundle.js';

const dist = process.getBuiltinModule('node:path').dirname(process.getBuiltinModule('node:url').fileURLToPath(import.meta.url));
const api: typeof Api = bundleIsFresh(dist) ? loadBundle(`${dist}/bundle/cue.cjs`).api : await import('./index.js');

export const {
  ANY_STRING,
  ContextImpl,
  CueError,
  CueErrorList,
  MemoryFileSystem,
  Scanner,
  Tok,
  ValueImpl,
  decodeFragments,
  defaultLimits,
  findModuleRoot,
  formatNode,
  formatPos,
  isBuiltinPath,
  loadFiles,
  loadInstance,
  newContext,
  parseExpr,
  parseFile,
  parseImportPath,
  parseNumberLiteral,
  quoteBytes,
  quoteString,
  readModule,
  scanHeader,
  setLimits,
  tokString,
  unquote,
} = api;
