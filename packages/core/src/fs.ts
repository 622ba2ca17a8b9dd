// The only way core reads files: the CUE loader's FileSystem, so that one
// value serves both; tests use an in-memory one.
export type { DirEntry, FileSystem, PathInfo } from '@opm/cue/loader/fs';
export { nodeFileSystem } from '@opm/cue/loader/node-fs';
