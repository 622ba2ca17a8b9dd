// opm operator manifests: what a platform team applies to install the operator.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { operatorManifests } from '@opm/operator';
import { UsageError } from '../../errors.js';
import { json, outputFormat, yamlStream } from '../release-build/common.js';

export function registerOperatorManifests(op: Command): void {
  op.command('manifests')
    .description('print the install manifests: CRD, namespace, RBAC, Deployment, Service, ValidatingWebhookConfiguration, tenant roles')
    .option('--namespace <ns>', 'namespace of the operator', 'opm-system')
    .option('--image <ref>', 'operator image')
    .option('--catalog <dir|oci://...>', 'catalog as the operator sees it (a directory in the image, or oci://)', '/catalog')
    .option('--platform <file|oci://...>', 'platform.cue in the image, or oci://REGISTRY/PREFIX (published rules) (default: the catalog\'s own)')
    .option('--ca-bundle <file>', 'PEM CA of the webhook certificate (default: cert-manager issues it and injects the CA)')
    .option('--replicas <n>', 'operator replicas (one leads)', '2')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .action((o: { namespace: string; image?: string; catalog: string; platform?: string; caBundle?: string; replicas: string; output: string }) => {
      const format = outputFormat(o.output);
      const replicas = Number(o.replicas);
      if (!Number.isInteger(replicas) || replicas < 1) throw new UsageError(`--replicas must be a whole number ≥ 1 (got ${o.replicas})`);
      let caBundle: string | undefined;
      if (o.caBundle) {
        try {
          caBundle = readFileSync(o.caBundle, 'utf8');
        } catch (e) {
          throw new UsageError(`--ca-bundle ${o.caBundle}: ${(e as Error).message}`);
        }
        if (!caBundle.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca-bundle ${o.caBundle}: not a PEM certificate`);
      }
      const objects = operatorManifests({
        namespace: o.namespace,
        catalog: o.catalog,
        replicas,
        ...(o.image ? { image: o.image } : {}),
        ...(o.platform ? { platform: o.platform } : {}),
        ...(caBundle ? { caBundle } : {}),
      });
      process.stdout.write(format === 'json' ? json({ apiVersion: 'v1', kind: 'List', items: objects }) : yamlStream(objects));
    });
}
