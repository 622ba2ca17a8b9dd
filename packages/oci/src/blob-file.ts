// Blobs on disk: a download is streamed into a private temporary file in the
// cache while it is hashed and counted, checked against its digest (and the
// size its descriptor gives), and only then renamed into place. Memory holds
// one chunk at a time whatever the blob's size; a blob that is too large,
// truncated, or not what its digest says, and any failure, timeout or abort
// on the way, leaves no file behind.
import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tempName } from './cache-temp.js';
import { OciError } from './errors.js';

type Algorithm = 'sha256' | 'sha512';

function algorithmOf(digest: string): Algorithm {
  const alg = digest.slice(0, digest.indexOf(':'));
  if (alg !== 'sha256' && alg !== 'sha512') throw new OciError(`not supported yet: digest algorithm ${alg}`, 'UNSUPPORTED');
  return alg;
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
  // A name that tells the next run whose file this is, should this process be killed (cache-temp.ts).
  const tmp = join(t.tmpDir, tempName('blob', t.digest));
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
