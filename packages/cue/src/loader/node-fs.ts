// The FileSystem of the Node side of the loader. Synchronous calls behind the
// promise interface: CUE files are small, and a round trip through libuv's
// thread pool per file cost more than the read itself (about a tenth of
// rendering a small release).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import type { DirEntry, FileSystem } from './fs.js';

export const nodeFileSystem: FileSystem = {
  async readFile(path: string): Promise<string> {
    return readFileSync(path, 'utf8');
  },
  async readDir(path: string): Promise<DirEntry[]> {
    return readdirSync(path, { withFileTypes: true })
      .map((e) => ({ name: e.name, isDir: e.isDirectory() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  },
  async stat(path: string): Promise<'file' | 'dir' | undefined> {
    try {
      const s = statSync(path);
      return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  },
};
