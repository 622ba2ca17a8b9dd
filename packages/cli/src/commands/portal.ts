// opm portal: the self-service portal (packages/portal) until SIGTERM/SIGINT.
import type { Command } from 'commander';
import { KubeConfigError, loadKubeConfig, parseDuration } from '@opm/kube';
import { Portal, inClusterConfig } from '@opm/portal';
import { UsageError, UserFacingError } from '../errors.js';
import { addRegistryOptions, registryAccess, type RegistryFlags } from './registry-flags.js';
import { catalogFor } from './release-build/common.js';

interface PortalFlags extends RegistryFlags {
  address: string;
  port: string;
  catalog?: string;
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
  authProxyHeader?: string;
  authProxyGroupsHeader?: string;
  timeout: string;
}

export function registerPortalCommand(program: Command): void {
  const cmd = program
    .command('portal')
    .description('serve the self-service portal: catalog, release form with live validation, deploy and watch releases (web app + JSON API)')
    .option('--address <ip>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '8080')
    .option('--catalog <dir|oci://...>', 'catalog (default: OPM_CATALOG, opm.yaml, bundled examples)')
    .option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('--in-cluster', "act for each caller: their bearer token, or the user named by --auth-proxy-header (Kubernetes impersonation), so RBAC decides what they see")
    .option('--auth-proxy-header <name>', 'with --in-cluster: the header an authenticating proxy sets to the user name (e.g. X-Forwarded-User)')
    .option('--auth-proxy-groups-header <name>', "with --auth-proxy-header: the header the proxy sets to the user's groups, comma-separated or repeated (e.g. X-Forwarded-Groups); they are impersonated too")
    .option('--timeout <duration>', 'bound on each deploy, rollback, scale or delete', '5m');
  addRegistryOptions(cmd).action(async (o: PortalFlags) => {
    const port = Number(o.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (got ${o.port})`);
    if (o.authProxyHeader && !o.inCluster) throw new UsageError('--auth-proxy-header needs --in-cluster');
    if (o.authProxyGroupsHeader && !o.authProxyHeader) throw new UsageError('--auth-proxy-groups-header needs --auth-proxy-header');
    if (!o.inCluster && o.address !== '127.0.0.1' && o.address !== 'localhost' && o.address !== '::1') {
      throw new UsageError(`local mode serves with your own cluster credentials: it listens on 127.0.0.1 only (got --address ${o.address}); use --in-cluster to serve others`);
    }
    let timeoutMs: number;
    try {
      timeoutMs = parseDuration(o.timeout);
    } catch (e) {
      throw new UsageError(`--timeout: ${(e as Error).message}`);
    }
    let kube;
    try {
      kube = o.inCluster && !o.kubeconfig && process.env.KUBERNETES_SERVICE_HOST ? inClusterConfig() : loadKubeConfig({ kubeconfig: o.kubeconfig, context: o.context });
    } catch (e) {
      if (e instanceof KubeConfigError) throw new UserFacingError(e.message, 3);
      throw e;
    }
    const catalog = await catalogFor(o.catalog, await registryAccess(o));
    const log = (l: string) => process.stderr.write(`${new Date().toISOString()} ${l}\n`);
    const portal = new Portal({ kube, catalog, address: o.address, port, inCluster: !!o.inCluster, ...(o.authProxyHeader ? { authProxyHeader: o.authProxyHeader } : {}), ...(o.authProxyGroupsHeader ? { authProxyGroupsHeader: o.authProxyGroupsHeader } : {}), timeoutMs, log });
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const stop = (why: string) => {
      log(`${why}: stopping`);
      void portal.close().then(done, done);
    };
    const { url } = await portal.start();
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    process.stdout.write(`opm portal (catalog ${catalog.location}, cluster ${kube.server}${o.inCluster ? ', acting for each caller' : `, context ${kube.context}`})\n`);
    process.stdout.write(o.inCluster ? `serving on ${url}\n` : `open this URL (the token works once):\n  ${url}\n`);
    await finished;
  });
}
