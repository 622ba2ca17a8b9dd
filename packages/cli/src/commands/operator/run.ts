// opm operator run: the controller and admission webhook until SIGTERM/SIGINT.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { KubeConfigError, loadKubeConfig, parseDuration } from '@opm/kube';
import { Operator } from '@opm/operator';
import { UsageError, UserFacingError } from '../../errors.js';
import { addRegistryOptions, registryAccess, type RegistryFlags } from '../registry-flags.js';
import { catalogFor } from '../release-build/common.js';
import { withPlatform } from './platform.js';

interface RunFlags extends RegistryFlags {
  kubeconfig?: string;
  context?: string;
  catalog?: string;
  platform?: string;
  namespace: string;
  workers: string;
  resync: string;
  timeout: string;
  historyMax: string;
  webhookPort?: string;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  defaultServiceAccount?: string;
  leaderElect: boolean;
}

function duration(flag: string, v: string): number {
  try {
    return parseDuration(v);
  } catch (e) {
    throw new UsageError(`${flag}: ${(e as Error).message}`);
  }
}

function positive(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number ≥ 1 (got ${v})`);
  return n;
}

export function registerOperatorRun(op: Command): void {
  const cmd = op
    .command('run')
    .description('run the ModuleRelease controller (and the admission webhook with --webhook-port) until SIGTERM')
    .option('--kubeconfig <file>', 'kubeconfig (default: in-cluster via $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('--catalog <dir|oci://...>', 'the platform catalog (required: tenants never choose it)')
    .option('--platform <file|oci://...>', 'platform rules: a platform.cue, or oci://REGISTRY/PREFIX[:VERSION][@sha256:DIGEST] (the rules `opm catalog publish` pushed there: that version or digest, else the newest; pinned by digest at start); default: the catalog\'s own')
    .option('--namespace <ns>', 'namespace of the leader-election Lease', 'opm-system')
    .option('--workers <n>', 'releases reconciled in parallel', '4')
    .option('--resync <duration>', 'reconcile every release this often (drift detection)', '10m')
    .option('--timeout <duration>', 'progress deadline: how long a new revision\'s objects may take to be ready before it is recorded failed and the release Stalled', '5m')
    .option('--history-max <n>', 'revisions to keep per release', '10')
    .option('--webhook-port <port>', 'serve the admission webhook (HTTPS) on this port')
    .option('--tls-cert-file <file>', 'webhook serving certificate (PEM)')
    .option('--tls-key-file <file>', 'webhook serving key (PEM)')
    .option('--default-service-account <name>', 'apply as this ServiceAccount of the release namespace when a ModuleRelease names none')
    .option('--no-leader-elect', 'reconcile without leader election (a single replica)');
  addRegistryOptions(cmd).action(async (o: RunFlags) => {
    if (!o.catalog) throw new UsageError('--catalog is required: the operator renders only from the platform\'s catalog');
    let webhook: { port: number; cert: Buffer; key: Buffer } | undefined;
    if (o.webhookPort !== undefined) {
      const port = Number(o.webhookPort);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--webhook-port must be a port number (got ${o.webhookPort})`);
      if (!o.tlsCertFile || !o.tlsKeyFile) throw new UsageError('--webhook-port needs --tls-cert-file and --tls-key-file (the API server calls webhooks over HTTPS only)');
      webhook = { port, cert: readFileSync(o.tlsCertFile), key: readFileSync(o.tlsKeyFile) };
    }
    let config;
    try {
      config = loadKubeConfig({ kubeconfig: o.kubeconfig, context: o.context });
    } catch (e) {
      if (e instanceof KubeConfigError) throw new UserFacingError(e.message, 3);
      throw e;
    }
    const access = await registryAccess(o);
    const platform = await withPlatform(await catalogFor(o.catalog, access), o.platform, access);
    const catalog = platform.catalog;
    const log = (l: string) => process.stderr.write(`${new Date().toISOString()} ${l}\n`);
    let lost = false;
    const operator = new Operator({
      config,
      catalog,
      ...(platform.pin ? { platform: platform.pin } : {}),
      workers: positive('--workers', o.workers),
      resyncMs: duration('--resync', o.resync),
      timeoutMs: duration('--timeout', o.timeout),
      historyMax: positive('--history-max', o.historyMax),
      leaderElection: o.leaderElect ? { namespace: o.namespace } : false,
      ...(o.defaultServiceAccount ? { defaultServiceAccount: o.defaultServiceAccount } : {}),
      ...(webhook ? { webhook } : {}),
      log,
      onLostLeadership: () => {
        lost = true;
        stop('lost leadership');
      },
    });
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    let stopping = false;
    const stop = (why: string) => {
      if (stopping) return;
      stopping = true;
      log(`${why}: stopping`);
      void operator.stop().then(done, done);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    await operator.start();
    log(`opm operator started (catalog ${catalog.location}; platform rules ${platform.describe})`);
    await finished;
    if (lost) throw new UserFacingError('lost leadership; exiting so the pod restarts', 3);
  });
}
