// Shared fixtures of the lifecycle tests: a test API server, a client on it,
// a reporter that records lines, and small rendered releases.
import { startTestApiServer, type TestApiServer } from '@opm/test-apiserver';
import { KubeClient } from '../src/client.js';
import { loadKubeConfig } from '../src/kubeconfig.js';
import type { ReleaseContext } from '../src/session.js';
import type { DesiredRelease, KubeObject, Reporter } from '../src/types.js';

export interface Env {
  api: TestApiServer;
  client: KubeClient;
  lines: string[];
  ctx: ReleaseContext;
}

export async function startEnv(opts: Parameters<typeof startTestApiServer>[0] = { controllers: true }): Promise<Env> {
  const api = await startTestApiServer(opts);
  const client = new KubeClient(loadKubeConfig({ kubeconfig: api.kubeconfigPath }));
  const lines: string[] = [];
  const reporter: Reporter = { line: (t) => lines.push(t), progress: () => undefined };
  return { api, client, lines, ctx: { client, reporter } };
}

export function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function configMap(name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

export function secret(name: string, stringData: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'Opaque', stringData };
}

export function deployment(name: string, replicas: number, image = 'nginx:1.27'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image }] },
      },
    },
  };
}

export function service(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  };
}

export function release(name: string, ns: string, objects: KubeObject[], values: Record<string, unknown> = {}, version = '1.0.0'): DesiredRelease {
  return {
    name,
    namespace: ns,
    module: { name: 'simple-web-app', version, digest: 'sha256:0123456789abcdef' },
    userValues: values,
    finalValues: { ...values, image: { tag: '1.27' } },
    objects,
  };
}
