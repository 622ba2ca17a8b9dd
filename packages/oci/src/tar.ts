// A minimal ustar writer and reader, enough for module content layers.
//
// Why our own: a module layer holds a handful of small text files, and the
// writer must be byte-for-byte deterministic (stable order, zeroed mtime, uid,
// gid, owner names) so the same content always gives the same digest. The
// reader accepts what common tools produce (ustar, GNU and PAX long names) but
// only regular files and directories: links and devices are refused, and so is
// any path that would escape the extraction directory.
import { OciError } from './errors.js';

export interface TarEntry {
  /** Forward-slash relative path, no leading `./`. */
  path: string;
  data: Uint8Array;
  /** Unix permission bits; the writer normalises to 0o644 or 0o755. */
  mode?: number;
}

const BLOCK = 512;

/** Checks that `p` is a safe relative path and returns it normalised (no `./`, no empty segments). */
export function safeRelativePath(p: string): string {
  const raw = p.replace(/\\/g, '/');
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) throw new OciError(`unsafe path in archive: ${JSON.stringify(p)} is absolute`);
  const parts = raw.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.some((s) => s === '..')) throw new OciError(`unsafe path in archive: ${JSON.stringify(p)} leaves the module directory`);
  if (parts.some((s) => s.includes('\0'))) throw new OciError(`unsafe path in archive: ${JSON.stringify(p)} contains NUL`);
  if (parts.length === 0) throw new OciError(`empty path in archive`);
  return parts.join('/');
}

function writeString(buf: Buffer, offset: number, len: number, s: string): void {
  const b = Buffer.from(s, 'utf8');
  if (b.length > len) throw new OciError(`internal: tar field overflow for ${JSON.stringify(s)}`);
  b.copy(buf, offset);
}

function writeOctal(buf: Buffer, offset: number, len: number, n: number): void {
  // len-1 octal digits, then NUL, as POSIX ustar specifies.
  const s = n.toString(8).padStart(len - 1, '0');
  if (s.length > len - 1) throw new OciError(`not supported yet: file of ${n} bytes is too large for a ustar archive`);
  writeString(buf, offset, len, s + '\0');
}

/** Splits a path into ustar (prefix, name) fields, or throws when it does not fit. */
function splitName(path: string): [string, string] {
  if (Buffer.byteLength(path) <= 100) return ['', path];
  // The prefix takes whole leading directories (up to 155 bytes), the name the rest (up to 100).
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') return [prefix, name];
  }
  throw new OciError(`not supported yet: path longer than the ustar limit (100 + 155 bytes): ${path}`);
}

function header(path: string, size: number, mode: number, type: '0' | '5'): Buffer {
  const h = Buffer.alloc(BLOCK);
  const [prefix, name] = splitName(path);
  writeString(h, 0, 100, name);
  writeOctal(h, 100, 8, mode);
  writeOctal(h, 108, 8, 0); // uid
  writeOctal(h, 116, 8, 0); // gid
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, 0); // mtime: zero, for reproducible digests
  h.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  // uname/gname stay empty; devmajor/devminor as zeros.
  writeOctal(h, 329, 8, 0);
  writeOctal(h, 337, 8, 0);
  writeString(h, 345, 155, prefix);
  let sum = 0;
  for (const b of h) sum += b;
  writeString(h, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

/**
 * Writes a deterministic ustar archive: entries sorted by path (byte order),
 * zeroed times and ids, modes normalised to 0644/0755, no directory entries
 * (the reader creates parents), two zero blocks at the end.
 */
export function writeTar(entries: readonly TarEntry[]): Buffer {
  const seen = new Set<string>();
  const norm = entries.map((e) => {
    const path = safeRelativePath(e.path);
    if (seen.has(path)) throw new OciError(`duplicate path in archive: ${path}`);
    seen.add(path);
    return { path, data: e.data, mode: (e.mode ?? 0o644) & 0o111 ? 0o755 : 0o644 };
  });
  norm.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  const chunks: Buffer[] = [];
  for (const e of norm) {
    chunks.push(header(e.path, e.data.length, e.mode, '0'));
    chunks.push(Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength));
    const pad = (BLOCK - (e.data.length % BLOCK)) % BLOCK;
    if (pad) chunks.push(Buffer.alloc(pad));
  }
  chunks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(chunks);
}

function readString(buf: Buffer, offset: number, len: number): string {
  const field = buf.subarray(offset, offset + len);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? len : end).toString('utf8');
}

function readOctal(buf: Buffer, offset: number, len: number): number {
  const field = buf.subarray(offset, offset + len);
  // GNU base-256 encoding for large numbers: high bit of the first byte set.
  if (field[0]! & 0x80) {
    let n = 0;
    for (let i = 1; i < len; i++) n = n * 256 + field[i]!;
    return n;
  }
  const s = field.toString('ascii').replace(/\0.*$/s, '').trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new OciError(`corrupt tar archive: bad number field ${JSON.stringify(s)}`);
  return parseInt(s, 8);
}

/** Parses PAX extended header records (`LEN key=value\n`). */
function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp === -1) break;
    const len = parseInt(data.subarray(i, sp).toString('ascii'), 10);
    if (!Number.isFinite(len) || len <= 0 || i + len > data.length) throw new OciError('corrupt tar archive: bad PAX record');
    const rec = data.subarray(sp + 1, i + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/**
 * Bounds on what an archive may hold: a module is a handful of small text
 * files, and a hostile layer must not turn 13 kB into half a million files or
 * a directory chain deep enough to exhaust the disk and the file system.
 */
export interface TarLimits {
  /** Headers of any kind (files, directories, PAX records). */
  maxEntries: number;
  /** Path segments of one entry. */
  maxDepth: number;
  /** Bytes of one path. */
  maxPathBytes: number;
  /** Bytes of all file data together. */
  maxTotalBytes: number;
}

export const DEFAULT_TAR_LIMITS: TarLimits = { maxEntries: 10_000, maxDepth: 16, maxPathBytes: 1024, maxTotalBytes: 64 * 1024 * 1024 };

/**
 * Reads a tar archive into its regular files. Directories are dropped (they
 * are implied by file paths); links, devices and unsafe paths are refused, and
 * so is an archive beyond the limits.
 */
export function readTar(buf: Buffer, limits: TarLimits = DEFAULT_TAR_LIMITS): TarEntry[] {
  const out: TarEntry[] = [];
  const seen = new Set<string>();
  let headers = 0;
  let total = 0;
  let off = 0;
  let longName: string | undefined;
  let pax: Record<string, string> = {};
  while (off + BLOCK <= buf.length) {
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break; // end of archive
    const stored = readOctal(h, 148, 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    if (sum !== stored) throw new OciError('corrupt tar archive: header checksum mismatch');
    if (++headers > limits.maxEntries) throw new OciError(`archive has more than ${limits.maxEntries} entries: not a module`, 'INVALID');
    const size = readOctal(h, 124, 12);
    const type = String.fromCharCode(h[156]!);
    const dataStart = off + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > buf.length) throw new OciError('corrupt tar archive: truncated entry');
    const data = buf.subarray(dataStart, dataEnd);
    off = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (type === 'x') { pax = parsePax(data); continue; }
    if (type === 'g') continue; // global PAX header: nothing we use
    if (type === 'L') { longName = readString(data, 0, data.length); continue; }

    const magic = h.subarray(257, 263).toString('ascii');
    const prefix = magic.startsWith('ustar') ? readString(h, 345, 155) : '';
    const short = readString(h, 0, 100);
    const rawPath = pax.path ?? longName ?? (prefix ? `${prefix}/${short}` : short);
    const paxSize = pax.size;
    longName = undefined;
    pax = {};
    if (paxSize !== undefined && Number(paxSize) !== size) throw new OciError('not supported yet: PAX size override in tar archive');

    if (Buffer.byteLength(rawPath) > limits.maxPathBytes) throw new OciError(`archive path longer than ${limits.maxPathBytes} bytes: not a module`, 'INVALID');
    if (rawPath.split('/').filter((x) => x && x !== '.').length > limits.maxDepth) {
      throw new OciError(`archive path deeper than ${limits.maxDepth} directories: not a module`, 'INVALID');
    }
    if (type === '5') continue;
    if (type !== '0' && type !== '\0' && type !== '7') {
      throw new OciError(`not supported yet: tar entry type ${JSON.stringify(type)} (links and devices) for ${rawPath}`);
    }
    const path = safeRelativePath(rawPath);
    if (seen.has(path)) throw new OciError(`duplicate path in archive: ${path}`);
    seen.add(path);
    total += size;
    if (total > limits.maxTotalBytes) throw new OciError(`archive holds more than ${limits.maxTotalBytes} bytes: not a module`, 'INVALID');
    out.push({ path, data: Buffer.from(data), mode: readOctal(h, 100, 8) & 0o7777 });
  }
  return out;
}
