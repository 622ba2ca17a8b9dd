// The only way core reads files. Same shape as the CUE loader's FileSystem, so
// either can be passed; tests use an in-memory one.
import { promises as fsp } from 'node:fs';

export interface DirEntry {
  name: string;
  isDir: boolean;
}

export interface FileSystem {
  readFile(path: string): Promise<string>;
  readDir(path: string): Promise<DirEntry[]>;
  stat(path: string): Promise<'file' | 'dir' | undefined>;
}

export const nodeFileSystem: FileSystem = {
  readFile: (p) => fsp.readFile(p, 'utf8'),
  async readDir(p) {
    const ents = await fsp.readdir(p, { withFileTypes: true });
    return ents
      .map((e) => ({ name: e.name, isDir: e.isDirectory() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  },
  async stat(p) {
    try {
      const s = await fsp.stat(p);
      return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  },
};
