// Shared fixtures of the operator tests: a test API server with the
// ModuleRelease CRD installed, the examples catalog, and bounded polling.
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach } from 'vitest';
import { DirectoryCatalog } from '@opm/core';
import { KubeClient, loadKubeConfig, type KubeObject } from '@opm/kube';
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { API_VERSION, KIND, moduleReleaseCRD } from '../src/crd.js';
import { Operator, type OperatorOptions } from '../src/operator.js';
import type { ModuleReleaseObject } from '../src/resource.js';

export const CATALOG = fileURLToPath(new URL('../../../examples/catalog', import.meta.url));

export interface Env {
  api: TestApiServer;
  client: KubeClient;
  operators: Operator[];
  logs: string[];
}

export async function startEnv(opts: Parameters<typeof startTestApiServer>[0] = { controllers: true }): Promise<Env> {
  const api = await startTestApiServer(opts);
  const client = new KubeClient(loadKubeConfig({ kubeconfig: api.kubeconfigPath }));
  await client.create(moduleReleaseCRD() as unknown as KubeObject);
  await api.settle();
  return { api, client, operators: [], logs: [] };
}

export async function stopEnv(env: Env): Promise<void> {
  for (const o of env.operators) await o.stop();
  await env.api.close();
}

/**
 * A fresh test API server (with the given namespaces) for each test of the
 * calling suite, handed to `use`; stopped after the test, its operators with
 * it. OPM_TEST_LOG=1 prints the operators' log of each test.
 */
export function useEnv(use: (env: Env) => void, ...namespaces: string[]): void {
  let env: Env | undefined;
  beforeEach(async () => {
    env = await startEnv();
    for (const ns of namespaces) await ensureNamespace(env, ns);
    use(env);
  });
  afterEach(async () => {
    if (!env) return;
    if (process.env.OPM_TEST_LOG) console.log(env.logs.join('\n'));
    await stopEnv(env);
    env = undefined;
  });
}

export function startOperator(env: Env, extra: Partial<OperatorOptions> = {}): Operator {
  const op = new Operator({
    config: loadKubeConfig({ kubeconfig: env.api.kubeconfigPath }),
    catalog: new DirectoryCatalog(CATALOG),
    leaderElection: false,
    resyncMs: 3_600_000,
    backoff: { baseMs: 200, maxMs: 2_000 },
    log: (l) => env.logs.push(l),
    ...extra,
  });
  env.operators.push(op);
  return op;
}

export async function ensureNamespace(env: Env, name: string, labels: Record<string, string> = {}): Promise<void> {
  await env.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
}

export function webAppRelease(name: string, namespace: string, values: Record<string, unknown> = {}, extra: Partial<ModuleReleaseObject['spec']> = {}): ModuleReleaseObject {
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name, namespace },
    spec: {
      module: 'simple-web-app:1.0.0-platform.1',
      values: { replicas: 1, environment: 'development', image: { tag: '1.2.3' }, ...values },
      metadata: { labels: { environment: 'development', team: 'frontend', owner: 'jane' } },
      ...extra,
    },
  };
}

export const mrRef = (namespace: string, name: string) => ({ group: 'core.opm.dev', version: 'v1alpha1', kind: KIND, namespace, name });

export async function getRelease(env: Env, namespace: string, name: string): Promise<ModuleReleaseObject | undefined> {
  return (await env.client.get(mrRef(namespace, name))) as unknown as ModuleReleaseObject | undefined;
}

/** Polls `check` every 50 ms until it returns a value, at most `timeoutMs`; the last error is reported. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

export function condition(mr: ModuleReleaseObject | undefined, type: string) {
  return mr?.status?.conditions?.find((c) => c.type === type);
}

/** Waits until the ModuleRelease reports Ready=True for its current generation. */
export async function waitReady(env: Env, namespace: string, name: string, timeoutMs = 20_000): Promise<ModuleReleaseObject> {
  let last: ModuleReleaseObject | undefined;
  try {
    return await eventually(async () => {
      const mr = (last = await getRelease(env, namespace, name));
      const c = condition(mr, 'Ready');
      return c?.status === 'True' && mr?.status?.observedGeneration === mr?.metadata.generation ? mr : undefined;
    }, timeoutMs, `${namespace}/${name} Ready`);
  } catch (e) {
    throw new Error(`${(e as Error).message}; status: ${JSON.stringify(last?.status)}; log: ${env.logs.slice(-5).join(' | ')}`);
  }
}

/** A ModuleRelease of the example ecommerce-platform for staging, its database password from Secret shop-db. */
export function shop(name: string, ns: string, extra: Partial<ModuleReleaseObject['spec']> = {}): ModuleReleaseObject {
  return {
    apiVersion: 'core.opm.dev/v1alpha1',
    kind: 'ModuleRelease',
    metadata: { name, namespace: ns },
    spec: {
      module: 'ecommerce-platform:2.1.0-enterprise.3',
      values: {
        ingress: { host: 'shop.company.com' },
        environment: 'staging',
        frontend: { replicas: 1 },
        backend: { replicas: 1 },
        platform: { monitoring: { enabled: true, level: 'detailed' }, backup: { enabled: true, schedule: '0 4 * * *', retention: '7d', encryption: true } },
      },
      secretValues: [{ path: 'database.password', secretKeyRef: { name: 'shop-db', key: 'password' } }],
      metadata: { labels: { environment: 'staging', team: 'shop' } },
      ...extra,
    },
  };
}
