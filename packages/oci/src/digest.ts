import { createHash } from 'node:crypto';
import { OciError } from './errors.js';

export function sha256Digest(data: Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Hashes `data` with the algorithm of `digest` and compares. */
export function digestMatches(data: Uint8Array, digest: string): boolean {
  const i = digest.indexOf(':');
  const alg = digest.slice(0, i);
  if (alg !== 'sha256' && alg !== 'sha512') throw new OciError(`not supported yet: digest algorithm ${alg}`, 'UNSUPPORTED');
  return `${alg}:${createHash(alg).update(data).digest('hex')}` === digest;
}
