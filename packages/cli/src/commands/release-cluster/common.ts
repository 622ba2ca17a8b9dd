// Shared plumbing of the cluster commands: connection flags, output, colour,
// progress, error mapping and how the offline renderer is obtained.
import { Option, type Command } from 'commander';
import { addValueOptions, readStdin, STDIN_LABEL, valueLayers } from '../release-build/inputs.js';
import {
  AdoptionError,
  ApiUnreachableError,
  AtomicRollbackError,
  CorruptRevisionError,
  DeleteCancelledError,
  ConflictError,
  Deadline,
  HistoryConflictError,
  KubeApiError,
  LockLostError,
  ObjectApiError,
  ReleaseRequestError,
  UnknownKindError,
  KubeClient,
  KubeConfigError,
  ModuleDigestChangedError,
  OwnershipError,
  ReleaseLockedError,
  ReleaseNotFoundError,
  WaitError,
  currentValueOverrides,
  loadKubeConfig,
  parseDuration,
  type DesiredRelease,
  type ReleaseContext,
  type RenderRelease,
  type Reporter,
  type RerenderRelease,
} from '@opm/kube';
import { UsageError, UserFacingError } from '../../errors.js';
import { toYaml } from '../../plain-yaml.js';
import { addRegistryOptions, registryAccess, type RegistryFlags } from '../registry-flags.js';
import { colourMark, escapeC1, safeText, terminalText } from '../../terminal.js';

export interface Output {
  write(s: string): unknown;
  isTTY?: boolean;
}

/** What the commands need from outside; tests pass fakes, the CLI uses the defaults. */
export interface ClusterDeps {
  render?: RenderRelease;
  rerender?: RerenderRelease;
  stdout?: Output;
  stderr?: Output;
  env?: NodeJS.ProcessEnv;
  /** Lock options (tests shorten the lease). */
  lockDurationSeconds?: number;
  /**
   * Asks the user a yes/no question on the terminal. Default: a prompt on stderr when stdin is a terminal;
   * undefined (no terminal) makes commands that need confirmation refuse without --yes.
   */
  confirm?: ((question: string) => Promise<boolean>) | null;
}

export interface ConnectionFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  /** --timeout: the command's deadline starts when it connects. */
  timeout?: unknown;
}

export function addConnectionFlags(cmd: Command, namespaceHelp = 'namespace of the release (default: the context namespace)'): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('-n, --namespace <ns>', namespaceHelp);
}

export function addOutputFlag(cmd: Command, dflt = 'table'): Command {
  return cmd.addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'yaml']).default(dflt));
}

/** Default --timeout of commands that only read (list, status, history, diff). */
export const READ_TIMEOUT = '30s';

/**
 * --timeout bounds the whole command: connecting, every request, every wait (one deadline,
 * see @opm/kube deadline.ts); clean-up after it passes gets a few seconds' grace.
 */
export function addTimeoutFlag(cmd: Command, dflt = '5m'): Command {
  return cmd.option('--timeout <duration>', 'bound on the whole command, waits and requests included (e.g. 30s, 5m)', dflt);
}

export function timeoutMs(v: string | undefined): number {
  try {
    return parseDuration(v ?? '5m');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function dryRunMode(v: unknown): 'client' | 'server' | undefined {
  if (v === undefined || v === false) return undefined;
  if (v === true || v === 'client') return 'client';
  if (v === 'server') return 'server';
  if (v === 'none') return undefined;
  throw new UsageError(`--dry-run must be client or server (got ${String(v)})`);
}

export function addDryRunFlag(cmd: Command): Command {
  return cmd.addOption(
    new Option('--dry-run [mode]', 'client: compare with what is live, write nothing; server: server-side dry run').preset('client'),
  );
}

export class Io {
  readonly out: Output;
  readonly err: Output;
  readonly color: boolean;
  private lastProgress = '';
  private lastProgressAt = 0;

  constructor(deps: ClusterDeps) {
    this.out = deps.stdout ?? process.stdout;
    this.err = deps.stderr ?? process.stderr;
    const env = deps.env ?? process.env;
    // https://no-color.org: any non-empty NO_COLOR disables colour.
    this.color = !!this.out.isTTY && !env.NO_COLOR && env.TERM !== 'dumb';
  }

  /** Every line goes out escaped (control characters from the cluster or a module shown as \xNN); colour is opm's own. */
  print(s: string): void {
    const t = terminalText(s, this.color);
    this.out.write(t.endsWith('\n') ? t : `${t}\n`);
  }

  paint(s: string, code: number): string {
    return colourMark(s, code);
  }

  reporter(quiet = false): Reporter {
    return {
      line: (t) => {
        if (!quiet) this.print(t);
      },
      progress: (t) => this.progress(t),
    };
  }

  /** On a terminal the line is rewritten in place; otherwise printed when it changes, at most every 2s. */
  private progress(t: string): void {
    if (this.err.isTTY) {
      this.err.write(`\r\x1b[K${safeText(t)}`);
      return;
    }
    if (!t || t === this.lastProgress || Date.now() - this.lastProgressAt < 2000) return;
    this.lastProgress = t;
    this.lastProgressAt = Date.now();
    this.err.write(`${safeText(t)}\n`);
  }

  emit(format: string, data: unknown, table: () => string): void {
    // JSON escapes C0 controls itself; C1 ones (a one-byte CSI) get \u escapes, so the output stays valid JSON.
    if (format === 'json') this.out.write(`${escapeC1(JSON.stringify(data, null, 2))}\n`);
    else if (format === 'yaml') this.print(toYaml(data));
    else this.print(table());
  }
}

export interface Connected {
  ctx: ReleaseContext;
  client: KubeClient;
  /** -n, else the namespace of the kubeconfig context. */
  namespace: string;
  explicitNamespace: boolean;
}

export function connect(flags: ConnectionFlags, deps: ClusterDeps, reporter: Reporter): Connected {
  let cfg;
  try {
    cfg = loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context }, deps.env ?? process.env);
  } catch (e) {
    if (e instanceof KubeConfigError) throw new UserFacingError(e.message, 3);
    throw e;
  }
  const deadline = flags.timeout === undefined ? undefined : new Deadline(timeoutMs(String(flags.timeout)), `--timeout ${String(flags.timeout)}`);
  const client = new KubeClient(cfg, deadline ? { deadline } : {});
  const ctx: ReleaseContext = {
    client,
    reporter,
    ...(deps.lockDurationSeconds ? { lock: { durationSeconds: deps.lockDurationSeconds } } : {}),
  };
  return { ctx, client, namespace: flags.namespace ?? cfg.contextNamespace, explicitNamespace: !!flags.namespace };
}

/**
 * The documented exit code of a cluster failure: 1 when it is the user's to fix (validation — a
 * 4xx answer of the API server such as 422 Invalid, 400, 403 or 404 —, policy, conflict, not ready,
 * nothing to roll back, the lock held or lost), 3 for connection and internal errors (5xx, 401,
 * 429, timeouts, unreachable server). undefined: not a cluster failure this knows.
 */
export function clusterExitCode(e: unknown): 1 | 3 | undefined {
  if (e instanceof AtomicRollbackError) return clusterExitCode(e.cause) ?? 3;
  if (e instanceof ApiUnreachableError) return 3;
  if (
    e instanceof ConflictError ||
    e instanceof AdoptionError ||
    e instanceof CorruptRevisionError ||
    e instanceof DeleteCancelledError ||
    e instanceof OwnershipError ||
    e instanceof ReleaseLockedError ||
    e instanceof ReleaseNotFoundError ||
    e instanceof WaitError ||
    e instanceof ModuleDigestChangedError ||
    e instanceof LockLostError ||
    e instanceof HistoryConflictError ||
    e instanceof ReleaseRequestError ||
    e instanceof UnknownKindError
  ) {
    return 1;
  }
  const status = e instanceof ObjectApiError ? e.status : e instanceof KubeApiError ? e.code : undefined;
  if (status !== undefined) return status >= 400 && status < 500 && ![401, 408, 429].includes(status) ? 1 : 3;
  if (e instanceof ObjectApiError) return clusterExitCode(e.cause) ?? 3;
  return undefined;
}

/** Known failures become one clear message with their documented exit code; anything else stays an internal error (3). */
export function userError(e: unknown): unknown {
  if (e instanceof UserFacingError) return e;
  // The API server did not answer in time or could not be reached: the message names the server.
  if (e instanceof ApiUnreachableError) return new UserFacingError(e.summary, 3);
  const code = clusterExitCode(e);
  if (code !== undefined) return new UserFacingError((e as Error).message, code);
  // node-fetch (client-node's HTTP) puts the system error code on the error itself; undici on `cause`.
  const sys = (e as { code?: string })?.code ?? (e as { cause?: { code?: string } })?.cause?.code;
  if (typeof sys === 'string' && ['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(sys)) {
    return new UserFacingError(`cannot reach the cluster (${sys}): ${(e as Error).message}`, 3);
  }
  return e;
}

/**
 * Renders a release file for apply/diff. A first render tells the release's
 * name and namespace; value overrides recorded on the cluster by `scale` are
 * then merged into a second render, so a scale survives the next apply and
 * still goes through the module's validation and policy. -n wins over the
 * namespace written in the release.
 */
export async function renderRelease(
  render: RenderRelease,
  client: KubeClient,
  file: string,
  namespace?: string,
  opts: { withOverrides?: boolean; onReset?: (was: string) => void } = {},
): Promise<DesiredRelease> {
  const nsOpt = namespace ? { namespace } : {};
  let desired = await render(file, nsOpt);
  const overrides = await currentValueOverrides(client, namespace ?? desired.namespace, desired.name).catch(() => ({}));
  if (opts.withOverrides === false) {
    const was = leaves(overrides);
    if (was.length) opts.onReset?.(was.join(', '));
    return namespace ? { ...desired, namespace } : desired;
  }
  if (Object.keys(overrides).length > 0) desired = await render(file, { ...nsOpt, valueOverrides: overrides });
  return namespace ? { ...desired, namespace } : desired;
}

/** `values.web.replicas=4` for each leaf of recorded overrides. */
function leaves(v: unknown, path: string[] = []): string[] {
  if (v && typeof v === 'object' && !Array.isArray(v)) return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]));
  return path.length ? [`values.${path.join('.')}=${JSON.stringify(v)}`] : [];
}

const NOT_SUPPORTED_RENDER = 'not supported yet: rendering (packages/core)';

export interface RenderFlags extends RegistryFlags {
  catalog?: string;
  secret?: string[];
  values?: string[];
  set?: string[];
  setString?: string[];
  /** false with --no-platform-rules. */
  platformRules?: boolean;
}

/** Render flags; `values` adds -f/--set/--set-string for commands that render a release file (apply, diff). */
export function addRenderFlags(cmd: Command, values = false): Command {
  cmd
    .option('--catalog <dir>', 'catalog directory or oci:// URL (default: OPM_CATALOG, opm.yaml, bundled examples)')
    .option('--secret <path=env:VAR|file:FILE>', 'supply a secret value at render time (repeatable)', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--no-platform-rules', 'render without the catalog platform rules (refused otherwise when the catalog has none; warns on every run)');
  if (values) addValueOptions(cmd);
  return addRegistryOptions(cmd);
}

/**
 * Core's render options for these flags: one session (CUE context + catalog,
 * directory or OCI, as `opm release build` selects it) reused across renders.
 */
async function renderOptions(flags: RenderFlags): Promise<Record<string, unknown>> {
  const rb = await import('../release-build/common.js');
  const session = await rb.sessionFor(flags.catalog, await registryAccess(flags), flags);
  const secrets = await rb.secretsFrom(flags.secret);
  const extraValues = await valueLayers(flags);
  return { session, ...(secrets ? { secrets } : {}), ...(extraValues.length ? { extraValues } : {}) };
}

/**
 * The offline renderer, from @opm/core's `renderReleaseFile(file, opts)`.
 * Loaded lazily so cluster-only commands (status, list, ...) never need it.
 */
export async function loadRenderer(deps: ClusterDeps, flags: RenderFlags = {}): Promise<RenderRelease> {
  if (deps.render) return deps.render;
  const core = await importCore();
  const fn = core?.renderReleaseFile as ((file: string, opts: object) => Promise<DesiredRelease>) | undefined;
  if (typeof fn !== 'function') throw new UserFacingError(`${NOT_SUPPORTED_RENDER}: @opm/core does not export renderReleaseFile`, 3);
  const base = await renderOptions(flags);
  const said = renderWarnings(deps);
  // `-` is a release read from stdin, once, however often it is rendered.
  let stdin: Promise<string> | undefined;
  return async (file, opts) => {
    if (file !== '-') return said(await fn(file, { ...base, ...opts }));
    stdin ??= readStdin();
    return said(await fn(STDIN_LABEL, { ...base, ...opts, text: await stdin }));
  };
}

/**
 * A render's warnings (OPM_PLATFORM replacing the published rules, a label
 * value rendered as an annotation, a secret written as a literal, ...) go to
 * stderr as `opm release build` prints them, each once per command however
 * often the command renders (apply renders again with recorded overrides).
 * Skipping the platform rules (--no-platform-rules) is one of them: said on every run that renders.
 */
function renderWarnings(deps: ClusterDeps): <R extends DesiredRelease>(r: R) => R {
  const seen = new Set<string>();
  const err = deps.stderr ?? process.stderr;
  return (r) => {
    const ws = (r as { warnings?: unknown }).warnings;
    for (const w of Array.isArray(ws) ? ws : []) {
      if (typeof w !== 'string' || seen.has(w)) continue;
      seen.add(w);
      err.write(`opm: warning: ${safeText(w)}\n`);
    }
    return r;
  };
}

/**
 * Re-rendering a stored release with new values (scale): @opm/core's
 * `renderRelease(parts, opts)`, which applies the same validation and policy as a render of the file.
 */
export async function loadRerenderer(deps: ClusterDeps, flags: RenderFlags = {}): Promise<RerenderRelease> {
  if (deps.rerender) return deps.rerender;
  const core = await importCore();
  const fn = (core?.rerenderRelease ?? core?.renderRelease) as ((parts: object, opts: object) => Promise<DesiredRelease>) | undefined;
  if (typeof fn !== 'function') {
    throw new UserFacingError('not supported yet: re-rendering a stored release (packages/core does not export renderRelease)', 3);
  }
  const base = await renderOptions(flags);
  const said = renderWarnings(deps);
  return async (input) => said(await fn(input, base));
}

async function importCore(): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import('@opm/core')) as unknown as Record<string, unknown>;
  } catch (e) {
    throw new UserFacingError(`${NOT_SUPPORTED_RENDER}: ${(e as Error).message}`, 3);
  }
}

/** `2 created, 1 configured, ...` for the summary line of apply and rollback. */
export function actionCounts(results: { action: string }[]): string {
  return ['created', 'configured', 'unchanged', 'pruned', 'kept', 'skipped']
    .map((a) => [a, results.filter((r) => r.action === a).length] as const)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${n} ${a}`)
    .join(', ');
}

/** A plain text table: columns padded to the widest cell. */
export function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  ').trimEnd();
  return [fmt(head), ...rows.map(fmt)].join('\n');
}

export function age(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

export function historyMax(v: string | undefined): number {
  const n = Number(v ?? 10);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--history-max must be a whole number ≥ 1 (got ${v})`);
  return n;
}

export function addTakeOwnershipFlag(cmd: Command): Command {
  return cmd.option('--take-ownership', 'take a release over from the opm operator: suspends its ModuleRelease first');
}

/**
 * The CLI does not fight the operator: a release with a (not suspended)
 * ModuleRelease of the same name is refused, naming who manages it, unless
 * --take-ownership (which suspends the ModuleRelease). Dry runs write nothing and pass.
 */
export async function guardOperator(client: KubeClient, namespace: string, name: string, o: Record<string, unknown>, io: Io): Promise<void> {
  if (o.dryRun !== undefined && o.dryRun !== false && o.dryRun !== 'none') return;
  const { guardOperatorOwnership, ManagedByOperatorError } = await import('@opm/operator');
  try {
    const note = await guardOperatorOwnership(client, namespace, name, !!o.takeOwnership);
    if (note) io.err.write(`opm: ${note}\n`);
  } catch (e) {
    if (e instanceof ManagedByOperatorError) throw new UserFacingError(e.message, 1);
    // The API server answered but would not say (e.g. Forbidden): do not go ahead blind.
    if (e instanceof KubeApiError) throw new UserFacingError(`cannot check whether the opm operator manages release ${name}: ${e.message}`, 3);
    // Not reachable: the command's own first call reports that (cannot reach the cluster, exit 3).
  }
}

export function addHistoryKeyFlag(cmd: Command): Command {
  return cmd.option(
    '--history-encryption-key <namespace/name>',
    "a Secret holding the platform's 32-byte key (its key `key`, or its only key): history stores secret data encrypted with it, so rollback restores it exactly",
  );
}

/** Reads the platform's history encryption key into the context (nothing when the flag is not given). */
export async function useHistoryKey(ctx: ReleaseContext, flag: unknown): Promise<void> {
  if (flag === undefined) return;
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/.exec(String(flag));
  if (!m) throw new UsageError(`--history-encryption-key must be NAMESPACE/NAME of a Secret (got ${String(flag)})`);
  const secret = (await ctx.client.get({ group: '', version: 'v1', kind: 'Secret', namespace: m[1]!, name: m[3]! })) as
    | { data?: Record<string, string> }
    | undefined;
  if (!secret) throw new UserFacingError(`--history-encryption-key: Secret ${m[1]}/${m[3]} not found`);
  const data = secret.data ?? {};
  const b64 = data.key ?? (Object.keys(data).length === 1 ? Object.values(data)[0] : undefined);
  if (b64 === undefined) throw new UserFacingError(`--history-encryption-key: Secret ${m[1]}/${m[3]} has no key "key" (and not exactly one key)`);
  const key = Buffer.from(b64, 'base64');
  if (key.length !== 32) throw new UserFacingError(`--history-encryption-key: the key in Secret ${m[1]}/${m[3]} must be 32 bytes (AES-256), it has ${key.length}`);
  ctx.historyKey = key;
}
