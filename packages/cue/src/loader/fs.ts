// The loader reaches the file system only through this interface, so the same
// loader runs in Node (node-fs.ts) and in a browser or a test (MemoryFileSystem).
// Paths are absolute and '/'-separated (see paths.ts).

export interface DirEntry {
  name: string;
  isDir: boolean;
  /** A symbolic link (isDir is then false, whatever it points to). */
  isSymlink?: boolean;
}

/** What `lstat` says about a path: the link itself, not what it points to. */
export interface PathInfo {
  kind: 'file' | 'dir' | 'symlink' | 'other';
  /** Owner and permission bits, where the file system has them (Node). */
  uid?: number;
  mode?: number;
}

export interface FileSystem {
  readFile(path: string): Promise<string>;
  /** Entries of a directory; rejects if it does not exist. */
  readDir(path: string): Promise<DirEntry[]>;
  /** 'file', 'dir', or undefined when nothing exists at `path`. */
  stat(path: string): Promise<'file' | 'dir' | undefined>;
  /** Like stat without following a final symbolic link; undefined when nothing is there. */
  lstat?(path: string): Promise<PathInfo | undefined>;
  /** Reads a file, refusing a symbolic link as its last component (O_NOFOLLOW). */
  readFileNoFollow?(path: string): Promise<string>;
  /**
   * The bytes of a regular file, refusing a symbolic link as its last
   * component and anything but a regular file; rejects with `code: 'EFBIG'`
   * when it holds more than `maxBytes` (checked before reading it whole).
   */
  readFileBytes?(path: string, maxBytes: number): Promise<Uint8Array>;
}

/** An in-memory file system: a map from absolute path to content. Directories are implied by file paths. */
export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, string>();

  constructor(files: Record<string, string> = {}) {
    for (const [p, text] of Object.entries(files)) this.write(p, text);
  }

  write(path: string, text: string): void {
    this.files.set(normalizeAbs(path), text);
  }

  async readFile(path: string): Promise<string> {
    const text = this.files.get(normalizeAbs(path));
    if (text === undefined) throw Object.assign(new Error(`no such file: ${path}`), { code: 'ENOENT' });
    return text;
  }

  async readDir(path: string): Promise<DirEntry[]> {
    const dir = normalizeAbs(path);
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const seen = new Map<string, boolean>();
    for (const p of this.files.keys()) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) seen.set(rest, false);
      else seen.set(rest.slice(0, slash), true);
    }
    if (seen.size === 0 && !this.files.has(dir)) throw new Error(`no such directory: ${path}`);
    return [...seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, isDir]) => ({ name, isDir }));
  }

  async readFileBytes(path: string, maxBytes: number): Promise<Uint8Array> {
    const bytes = new TextEncoder().encode(await this.readFile(path));
    if (bytes.length > maxBytes) throw Object.assign(new Error(`${path}: larger than ${maxBytes} bytes`), { code: 'EFBIG' });
    return bytes;
  }

  async stat(path: string): Promise<'file' | 'dir' | undefined> {
    const p = normalizeAbs(path);
    if (this.files.has(p)) return 'file';
    const prefix = p === '/' ? '/' : `${p}/`;
    for (const k of this.files.keys()) if (k.startsWith(prefix)) return 'dir';
    return undefined;
  }
}

function normalizeAbs(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}
