// Which cluster, user and namespace a command talks to, resolved like kubectl:
// --kubeconfig, then $KUBECONFIG (a path list, merged), then ~/.kube/config;
// --context overrides the current context; -n overrides the context namespace.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parseDocument } from 'yaml';
// From its own module, not the package index: keeps the CUE evaluator out of start-up (see scripts/bundle-cli.js).
import { stripUrlCredentials } from '@opm/core/redact';

export interface ConnectionOptions {
  kubeconfig?: string;
  context?: string;
}

export interface ResolvedConfig {
  kc: KubeConfig;
  /** Where the config came from, for error messages. */
  source: string;
  context: string;
  /** The namespace of the selected context, or 'default'. */
  contextNamespace: string;
  server: string;
}

export class KubeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeConfigError';
  }
}

export function loadKubeConfig(opts: ConnectionOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const kc = new KubeConfig();
  let source: string;
  try {
    if (opts.kubeconfig) {
      if (!existsSync(opts.kubeconfig)) throw new KubeConfigError(`kubeconfig ${opts.kubeconfig} not found`);
      loadFile(kc, opts.kubeconfig);
      source = opts.kubeconfig;
    } else if (env.KUBECONFIG) {
      const files = env.KUBECONFIG.split(process.platform === 'win32' ? ';' : ':').filter((f) => f && existsSync(f));
      if (files.length === 0) throw new KubeConfigError(`none of the files in KUBECONFIG (${env.KUBECONFIG}) exist`);
      // Merge in order like kubectl: the first file that defines a name (or the current context) wins.
      const parts = files.map((f) => {
        const k = new KubeConfig();
        loadFile(k, f);
        return k;
      });
      const pick = <T extends { name: string }>(get: (k: KubeConfig) => T[]): T[] => {
        const seen = new Map<string, T>();
        for (const k of parts) for (const x of get(k)) if (!seen.has(x.name)) seen.set(x.name, x);
        return [...seen.values()];
      };
      kc.loadFromOptions({
        clusters: pick((k) => k.getClusters()),
        users: pick((k) => k.getUsers()),
        contexts: pick((k) => k.getContexts()),
        currentContext: parts.map((k) => k.getCurrentContext()).find(Boolean) ?? '',
      });
      source = `KUBECONFIG=${env.KUBECONFIG}`;
    } else {
      const home = env.HOME ?? homedir();
      const file = join(home, '.kube', 'config');
      if (!existsSync(file)) {
        throw new KubeConfigError(`no kubeconfig: pass --kubeconfig, set KUBECONFIG, or create ${file}`);
      }
      loadFile(kc, file);
      source = file;
    }
  } catch (err) {
    if (err instanceof KubeConfigError) throw err;
    throw new KubeConfigError(`cannot read kubeconfig: ${(err as Error).message}`);
  }
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      const known = kc.getContexts().map((c) => c.name).join(', ') || 'none';
      throw new KubeConfigError(`context "${opts.context}" not found in ${source} (known: ${known})`);
    }
    kc.setCurrentContext(opts.context);
  }
  const context = kc.getCurrentContext();
  const ctx = context ? kc.getContextObject(context) : null;
  if (!ctx) throw new KubeConfigError(`${source} has no current context; pass --context`);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeConfigError(`context "${context}" in ${source} names no known cluster`);
  checkServer(cluster, source);
  return { kc, source, context, contextNamespace: ctx.namespace || 'default', server: cluster.server };
}

/**
 * Reads one kubeconfig file, saying in a sentence what is wrong with it (client-node's own
 * messages are JS errors, or YAML code frames that print a binary file's bytes to the terminal).
 */
function loadFile(kc: KubeConfig, file: string): void {
  const bytes = readFileSync(file);
  if (bytes.includes(0)) throw new KubeConfigError(`kubeconfig ${file} is not a text file (it holds binary data); a kubeconfig is YAML`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new KubeConfigError(`kubeconfig ${file} is not UTF-8 text; a kubeconfig is YAML`);
  }
  if (text.trim() === '') throw new KubeConfigError(`kubeconfig ${file} is empty: it defines no cluster, user or context`);
  const doc = parseDocument(text);
  const err = doc.errors[0];
  if (err) throw new KubeConfigError(`kubeconfig ${file} is not valid YAML (line ${err.linePos?.[0].line ?? '?'}): ${err.message.split('\n')[0]}`);
  const data = doc.toJS() as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new KubeConfigError(`kubeconfig ${file} is not a kubeconfig: expected a mapping with clusters, users and contexts`);
  try {
    kc.loadFromString(text);
  } catch (e) {
    throw new KubeConfigError(`kubeconfig ${file} is not a valid kubeconfig: ${(e as Error).message}`);
  }
}

/** The server must be a URL client-node can reach: say so now rather than fail on the first request. */
function checkServer(cluster: { name: string; server: string; skipTLSVerify?: boolean }, source: string): void {
  let url: URL | undefined;
  try {
    url = new URL(cluster.server);
  } catch {
    url = undefined;
  }
  const where = `cluster "${cluster.name}" in ${source}`;
  if (!url || !url.host || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new KubeConfigError(`${where}: server ${JSON.stringify(stripUrlCredentials(cluster.server))} is not a URL (expected https://HOST[:PORT])`);
  }
  if (url.protocol === 'http:' && !cluster.skipTLSVerify) {
    throw new KubeConfigError(`${where}: server ${stripUrlCredentials(cluster.server)} is plain HTTP, which needs insecure-skip-tls-verify: true on the cluster (or an https:// server)`);
  }
}

