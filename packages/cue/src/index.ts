// Public surface of @opm/cue. Browser-safe: Node-only helpers live at
// '@opm/cue/loader/node' (real file system, CUE_CACHE_DIR).
export type * from './ast.js';
export type * from './api.js';
export { CueError, CueErrorList, formatPos } from './errors.js';
export type { ErrorCode } from './errors.js';
export * from './parser-index.js';
export * from './loader/index.js';
export * from './engine-index.js';
