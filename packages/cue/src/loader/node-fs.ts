// The FileSystem of the Node side of the loader.
import { readFile, readdir, stat } from 'node:fs/promises';
import type { DirEntry, FileSystem } from './fs.js';

export const nodeFileSystem: FileSystem = {
  async readFile(path: string): Promise<string> {
    return readFile(path, 'utf8');
  },
  async readDir(path: string): Promise<DirEntry[]> {
    const entries = await readdir(path, { withFileTypes: true });
    return entries
      .map((e) => ({ name: e.name, isDir: e.isDirectory() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  },
  async stat(path: string): Promise<'file' | 'dir' | undefined> {
    try {
      const s = await stat(path);
      return s.isDirectory() ? 'dir' : 'file';
    } catch {
      return undefined;
    }
  },
};
