// Blobs on disk: a download is streamed into a private temporary file in the
// cache while it is hashed and counted, checked against its digest (and the
// size its descriptor gives), and only then renamed into place. Memory holds
// one chunk at a time whatever the blob's size; a blob that is too large,
// truncated, or not what its digest says, and any failure, timeout or abort
// on the way, leaves no file behind.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assertDigest } from './reference.js';
import { OciError } from './errors.js';

type Algorithm = 'sha256' | 'sha512';

function algorithmOf(digest: string): Algorithm {
  const alg = digest.slice(0, digest.indexOf(':'));
  if (alg !== 'sha256' && alg !== 'sha512') throw new OciError(`not supported yet: digest algorithm ${alg}`, 'UNSUPPORTED');
  return alg;
}

/** `<cacheDir>/blobs/<alg>/<hex>`: where a verified blob lives. */
export function blobPath(cacheDir: string, digest: string): string {
  const [alg, hex] = assertDigest(digest).split(':') as [string, string];
  return join(cacheDir, 'blobs', alg, hex);
}

export interface BlobTarget {
  digest: string;
  /** The descriptor's size, when known: the blob must have exactly this many bytes. */
  size?: number;
  /** Bytes accepted at most (the body is cut off beyond). */
  max: number;
  /** Where the verified blob goes. */
  dest: string;
  /** Directory for the temporary file (same file system as dest, for the rename). */
  tmpDir: string;
  /** Words for messages: "blob sha256:… from cat/m". */
  what: string;
  /** Why a failed read failed, in words (a timeout, an abort, a closed connection). */
  why: (err: unknown) => string;
}

/** Streams `body` into `t.dest` through a temporary file; returns the size written. */
export async function writeVerifiedBlob(body: ReadableStream<Uint8Array> | null, t: BlobTarget): Promise<number> {
  const hash = createHash(algorithmOf(t.digest));
  await mkdir(t.tmpDir, { recursive: true, mode: 0o700 });
  const tmp = join(t.tmpDir, `blob-${t.digest.replace(':', '-')}.${process.pid}.${randomBytes(6).toString('hex')}`);
  // O_EXCL: never write through a file (or link) someone else put there.
  const fh = await open(tmp, 'wx', 0o600);
  let done = false;
  try {
    let total = 0;
    if (body) {
      const reader = body.getReader();
      try {
        for (;;) {
          let chunk: Awaited<ReturnType<typeof reader.read>>;
          try {
            chunk = await reader.read();
          } catch (err) {
            throw new OciError(`download of ${t.what} failed after ${total} bytes: ${t.why(err)}`, 'NETWORK');
          }
          if (chunk.done) break;
          total += chunk.value.length;
          if (t.size !== undefined && total > t.size) throw new OciError(`${t.what} sends more than the ${t.size} bytes its descriptor says`, 'INVALID');
          if (total > t.max) throw new OciError(`${t.what} is too large (more than ${t.max} bytes)`, 'INVALID');
          hash.update(chunk.value);
          await fh.write(chunk.value);
        }
      } finally {
        await reader.cancel().catch(() => undefined);
      }
    }
    if (t.size !== undefined && total !== t.size) {
      throw new OciError(`${t.what} has ${total} bytes, its descriptor says ${t.size}`, 'DIGEST_MISMATCH');
    }
    if (`${algorithmOf(t.digest)}:${hash.digest('hex')}` !== t.digest) throw new OciError(`${t.what} does not match its digest`, 'DIGEST_MISMATCH');
    await fh.sync();
    await fh.close();
    await mkdir(dirname(t.dest), { recursive: true, mode: 0o700 });
    await rename(tmp, t.dest);
    done = true;
    return total;
  } finally {
    if (!done) {
      await fh.close().catch(() => undefined);
      await rm(tmp, { force: true });
    }
  }
}

/** Whether the file holds exactly the blob `digest` names (hashed as a stream). A missing file is false. */
export async function fileMatchesDigest(file: string, digest: string, size?: number): Promise<boolean> {
  const hash = createHash(algorithmOf(digest));
  let total = 0;
  try {
    for await (const chunk of createReadStream(file)) {
      total += (chunk as Buffer).length;
      if (size !== undefined && total > size) return false;
      hash.update(chunk as Buffer);
    }
  } catch {
    return false;
  }
  return (size === undefined || total === size) && `${algorithmOf(digest)}:${hash.digest('hex')}` === digest;
}
