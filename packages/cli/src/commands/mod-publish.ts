// `opm mod publish DIR oci://REGISTRY/REPO --version V`: pack a catalog module
// directory as an OCI artifact, push it, print its digest (stdout: the digest
// alone, so scripts can capture it; stderr: what was published).
import type { Command } from 'commander';
import { OciError, publish, type Credentials } from '@opm/oci';
import { UsageError, UserFacingError } from '../errors.js';
import { group } from './index.js';

/** Upper bound for a password read from stdin; anything larger is a mistake (a file piped by accident). */
const MAX_PASSWORD_BYTES = 64 * 1024;

/**
 * Reads a password from stdin (`--password-stdin`), dropping one trailing
 * newline as `docker login --password-stdin` does. Exported for the other
 * registry commands (catalog list/show) to reuse.
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

/** OciErrors the user can fix (bad input, existing version, changed artifact) exit 1; network/auth failures exit 3. */
export function toCliError(err: unknown): unknown {
  if (err instanceof OciError && (err.code === 'INVALID' || err.code === 'EXISTS' || err.code === 'DIGEST_MISMATCH')) {
    return new UserFacingError(err.message, 1);
  }
  return err;
}

interface PublishFlags extends RegistryFlags {
  version: string;
  force?: boolean;
  name?: string;
  source?: string;
}

export function registerModPublishCommand(program: Command): void {
  const mod = group(program, 'mod', 'work with catalog modules');
  const cmd = mod
    .command('publish')
    .description('pack a catalog module directory (<catalog>/<module>/<version>/) and push it to an OCI registry; prints the digest')
    .argument('<dir>', 'module directory: the Module and its ModuleDefinition CUE files')
    .argument('<ref>', 'target repository, oci://REGISTRY/REPO (the module is REPO:VERSION)')
    .requiredOption('--version <version>', 'semantic version to publish, e.g. 1.0.0-platform.1')
    .option('--force', 'replace the version if it already exists')
    .option('--name <name>', 'module name recorded in the artifact (default: last segment of REPO)')
    .option('--source <url>', 'source URL annotation (default: the git remote "origin" of DIR)');
  addRegistryOptions(cmd).action(async (dir: string, ref: string, flags: PublishFlags) => {
    if (!ref.startsWith('oci://')) throw new UsageError(`target must be oci://REGISTRY/REPO, got ${JSON.stringify(ref)}`);
    const credentials = await credentialsFromFlags(flags);
    try {
      const res = await publish(dir, ref, {
        version: flags.version,
        ...(flags.force ? { force: true } : {}),
        ...(flags.insecure ? { insecure: true } : {}),
        ...(credentials ? { credentials } : {}),
        ...(flags.name ? { name: flags.name } : {}),
        ...(flags.source ? { source: flags.source } : {}),
      });
      process.stderr.write(`published ${res.ref}${res.replaced ? ` (replaced ${res.replaced})` : ''}\n`);
      process.stdout.write(`${res.digest}\n`);
    } catch (err) {
      throw toCliError(err);
    }
  });
}
