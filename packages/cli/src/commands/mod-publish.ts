// `opm mod publish DIR oci://REGISTRY/REPO --version V`: pack a catalog module
// directory as an OCI artifact, push it, print its digest (stdout: the digest
// alone, so scripts can capture it; stderr: what was published).
import type { Command } from 'commander';
import { UsageError, UserFacingError } from '../errors.js';
import { group } from './index.js';
import { addRegistryOptions, credentialsFromFlags, toCliError, type RegistryFlags } from './registry-flags.js';

export { addRegistryOptions, credentialsFromFlags, readPasswordFromStdin, toCliError, type RegistryFlags } from './registry-flags.js';

interface PublishFlags extends RegistryFlags {
  version: string;
  force?: boolean;
  name?: string;
  source?: string;
  catalog?: string;
  platformRules?: boolean;
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
    .option('--source <url>', 'source URL annotation (default: the git remote "origin" of DIR)')
    .option('--catalog <dir>', 'catalog whose schema, platform rules and providers the module is vetted against')
    .option('--no-platform-rules', 'vet without the catalog platform rules (warns)');
  addRegistryOptions(cmd).action(async (dir: string, ref: string, flags: PublishFlags) => {
    if (!ref.startsWith('oci://')) throw new UsageError(`target must be oci://REGISTRY/REPO, got ${JSON.stringify(ref)}`);
    // Vetted first, as every release of it would be; and published only under the name and version it declares.
    const { vetModuleDir } = await import('@opm/core');
    const { catalogWithOrigin, warn } = await import('./release-build/common.js');
    const { failureError } = await import('./release-build/build.js');
    let vet;
    try {
      // Platform rules as for `opm mod vet`: those given, or the catalog's the directory lies in (core's moddir.ts).
      const { catalog, given } = await catalogWithOrigin(flags.catalog);
      vet = await vetModuleDir(dir, { catalog, catalogGiven: given, noPlatformRules: flags.platformRules === false });
    } catch (err) {
      throw failureError([{ file: dir, err }]);
    }
    warn(vet.notes);
    const m = vet.module;
    const repo = ref.slice('oci://'.length).replace(/\/+$/, '').split('/').pop()!.replace(/[:@].*$/, '');
    const problems = [
      ...(flags.version !== m.version ? [`--version ${flags.version} does not match the module's #metadata.version ${m.version}`] : []),
      ...((flags.name ?? repo) !== m.name ? [`${flags.name ? `--name ${flags.name}` : `repository ${repo}`} does not match the module's #metadata.name ${m.name}`] : []),
    ];
    if (problems.length) throw new UserFacingError(`${dir}: refusing to publish: ${problems.join('; ')}`, 1);
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
