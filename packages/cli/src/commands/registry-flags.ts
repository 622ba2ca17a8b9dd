// The flags of every command that talks to a registry (mod publish, catalog
// list/show, release build/apply/rollback with an oci:// catalog), and how
// registry failures become CLI errors. Only types come from @opm/oci, so the
// cluster commands can add these flags without loading the registry client.
import type { Command } from 'commander';
import type { Credentials, OciErrorCode, RegistryOptions } from '@opm/oci';
import { UsageError, UserFacingError } from '../errors.js';

/** Upper bound for a password read from stdin; anything larger is a mistake (a file piped by accident). */
const MAX_PASSWORD_BYTES = 64 * 1024;

/**
 * Reads a password from stdin (`--password-stdin`), dropping one trailing
 * newline as `docker login --password-stdin` does.
 */
export async function readPasswordFromStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    total += b.length;
    if (total > MAX_PASSWORD_BYTES) throw new UsageError(`--password-stdin: more than ${MAX_PASSWORD_BYTES} bytes on stdin`);
    chunks.push(b);
  }
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (!password) throw new UsageError('--password-stdin: stdin was empty');
  return password;
}

export interface RegistryFlags {
  registryUsername?: string;
  passwordStdin?: boolean;
  insecure?: boolean;
}

/** Adds the registry flags shared by commands that talk to a registry. */
export function addRegistryOptions(cmd: Command): Command {
  return cmd
    .option('--registry-username <user>', 'registry user name (the password comes from --password-stdin)')
    .option('--password-stdin', 'read the registry password from stdin')
    .option('--insecure', 'allow plain http to a registry that is not on this machine');
}

/**
 * Explicit credentials from the flags, or undefined to use
 * REGISTRY_AUTH_FILE / ~/.docker/config.json. Passwords are never accepted as
 * arguments: they would end up in shell history and `ps`.
 */
export async function credentialsFromFlags(flags: RegistryFlags): Promise<Credentials | undefined> {
  if (flags.passwordStdin && !flags.registryUsername) throw new UsageError('--password-stdin needs --registry-username');
  if (flags.registryUsername && !flags.passwordStdin) throw new UsageError('--registry-username needs --password-stdin (passwords are not taken as arguments)');
  if (!flags.registryUsername) return undefined;
  return { username: flags.registryUsername, password: await readPasswordFromStdin() };
}

/** How to reach a registry: explicit credentials (--registry-username/--password-stdin) and --insecure. */
export type RegistryAccess = Pick<RegistryOptions, 'credentials' | 'insecure'>;

/** Credentials and --insecure as the catalog/OCI code takes them (reads stdin for --password-stdin). */
export async function registryAccess(flags: RegistryFlags): Promise<RegistryAccess> {
  const credentials = await credentialsFromFlags(flags);
  return { ...(credentials ? { credentials } : {}), ...(flags.insecure ? { insecure: true } : {}) };
}

/**
 * OciErrors the user can fix (bad input, a module or version that is not
 * there, an existing version, a changed artifact): as a directory catalog's
 * "has no module", they exit 1. Network and auth failures exit 3.
 */
export function isUserOciError(err: unknown): boolean {
  const e = err as { name?: string; code?: OciErrorCode } | undefined;
  const isOci = e?.name === 'OciError' || e?.name === 'DigestMismatchError';
  return isOci && (e.code === 'INVALID' || e.code === 'NOT_FOUND' || e.code === 'EXISTS' || e.code === 'DIGEST_MISMATCH');
}

export function toCliError(err: unknown): unknown {
  if (isUserOciError(err)) return new UserFacingError((err as Error).message ?? String(err), 1);
  return err;
}
