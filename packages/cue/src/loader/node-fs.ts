// The FileSystem of the Node side of the loader. Synchronous calls behind the
// promise interface: CUE files are small, and a round trip through libuv's
// thread pool per file cost more than the read itself (about a tenth of
// rendering a small release).
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import type { DirEntry, FileSystem, PathInfo } from './fs.js';

export const nodeFileSystem: FileSystem = {
  async readFile(path: string): Promise<string> {
    return readFileSync(path, 'utf8');
  },
  async readDir(path: string): Promise<DirEntry[]> {
    return readdirSync(path, { withFileTypes: true })
      .map((e) => ({ name: e.name, isDir: e.isDirectory(), ...(e.isSymbolicLink() ? { isSymlink: true } : {}) }))
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
  async lstat(path: string): Promise<PathInfo | undefined> {
    try {
      const s = lstatSync(path);
      const kind = s.isSymbolicLink() ? 'symlink' : s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
      return { kind, uid: s.uid, mode: s.mode };
    } catch {
      return undefined;
    }
  },
  async readFileNoFollow(path: string): Promise<string> {
    // O_NOFOLLOW makes the open itself fail on a link (ELOOP), so a link swapped
    // in after a check is not followed either; a FIFO or device is refused too.
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      if (!fstatSync(fd).isFile()) throw Object.assign(new Error(`${path}: not a regular file`), { code: 'ENOTFILE' });
      return readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  },
  async readFileBytes(path: string, maxBytes: number): Promise<Uint8Array> {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw Object.assign(new Error(`${path}: not a regular file`), { code: 'ENOTFILE' });
      if (st.size > maxBytes) throw Object.assign(new Error(`${path}: larger than ${maxBytes} bytes`), { code: 'EFBIG' });
      // Read at most maxBytes + 1: a file that grew since fstat is still caught.
      const buf = new Uint8Array(Math.min(st.size, maxBytes) + 1);
      let n = 0;
      for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += r;
      if (n > maxBytes) throw Object.assign(new Error(`${path}: larger than ${maxBytes} bytes`), { code: 'EFBIG' });
      return buf.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  },
};
