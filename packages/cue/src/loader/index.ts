// The package loader (browser-safe part). Node callers use ./node.js, which
// adds the Node file system and CUE_CACHE_DIR defaults.
export type { DirEntry, FileSystem } from './fs.js';
export { MemoryFileSystem } from './fs.js';
export { loadFiles, loadInstance, type LoadOptions, type LoadedInstance } from './loader.js';
export { findModuleRoot, readModule, type ModuleInfo } from './module.js';
export { parseImportPath, isBuiltinPath, type ImportPath } from './importpath.js';
export { scanHeader, type FileHeader } from './header.js';
