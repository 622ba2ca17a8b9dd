// `opm mod publish DIR oci://REGISTRY/REPO --version V`: pack a catalog module
// directory as an OCI artifact, push it, print its digest (stdout: the digest
// alone, so scripts can capture it; stderr: what was published).
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { group } from './index.js';
import { addRegistryOptions, credentialsFromFlags, toCliError, type RegistryFlags } from './registry-flags.js';

export { addRegistryOptions, credentialsFromFlags, readPasswordFromStdin, toCliError, type RegistryFlags } from './registry-flags.js';

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
      // Loaded here, not at start-up: every other command starts without the OCI client.
      const { publish } = await import('@opm/oci');
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
