import { describe, expect, it } from 'vitest';
import { environmentFor, type PlatformRules } from '../src/platform.js';
import { checkObjectPolicy, checkReleasePolicy } from '../src/policy.js';
import { checkSecretLeaks, sortObjects, stampObjects, type KubeObject } from '../src/render.js';

const rules: PlatformRules = {
  file: 'platform.cue',
  security: { runAsNonRoot: true, allowPrivileged: false, requireLimits: true, allowedRegistries: ['registry.company.com/'] },
  environments: [
    { name: 'development', tier: 'development', namespaces: ['development', 'dev-*'], createNamespace: false, requiredLabels: ['team', 'owner'], requiredAnnotations: [], ceilings: { replicas: 3, cpu: '2', memory: '4Gi', storage: '20Gi' }, immutable: {} },
    { name: 'production', tier: 'production', namespaces: ['production'], createNamespace: false, requiredLabels: ['team'], requiredAnnotations: ['deployment.company.com/change-request', 'deployment.company.com/approved-by'], ceilings: { replicas: 20 }, immutable: {} },
    { name: 'staging', tier: 'staging', namespaces: ['*-staging'], createNamespace: false, requiredLabels: [], requiredAnnotations: [], ceilings: {}, immutable: {} },
  ],
};

const goodContainer = {
  name: 'app',
  image: 'registry.company.com/app:1',
  resources: { limits: { cpu: '500m', memory: '256Mi' } },
  securityContext: { privileged: false, allowPrivilegeEscalation: false },
};
const deployment = (containers: object[], replicas = 1, podSC: object = { runAsNonRoot: true }) => ({
  kind: 'Deployment',
  metadata: { name: 'd' },
  spec: { replicas, template: { spec: { securityContext: podSC, containers } } },
});

describe('environments', () => {
  it('finds the environment by exact namespace, then by pattern', () => {
    expect(environmentFor(rules, 'development')?.name).toBe('development');
    expect(environmentFor(rules, 'dev-alice')?.name).toBe('development');
    expect(environmentFor(rules, 'ecommerce-staging')?.name).toBe('staging');
    expect(environmentFor(rules, 'default')).toBeUndefined();
  });

  it('requires labels and annotations and reports every missing one', () => {
    const r = checkReleasePolicy(rules, { name: 'x', namespace: 'production', labels: {}, annotations: {} }, {});
    expect(r.violations).toEqual([
      'environment production requires label team in #metadata.labels',
      'environment production requires annotation deployment.company.com/change-request in #metadata.annotations',
      'environment production requires annotation deployment.company.com/approved-by in #metadata.annotations',
    ]);
  });

  it('accepts a compliant production release', () => {
    const meta = {
      name: 'x',
      namespace: 'production',
      labels: { team: 't', environment: 'production' },
      annotations: { 'deployment.company.com/change-request': 'CR-1', 'deployment.company.com/approved-by': 'p@c.com' },
    };
    expect(checkReleasePolicy(rules, meta, { environment: 'production' }).violations).toEqual([]);
  });

  it('rejects a namespace no environment covers and a tier mismatch', () => {
    expect(checkReleasePolicy(rules, { name: 'x', namespace: 'default', labels: {}, annotations: {} }, {}).violations[0]).toMatch(/namespace default is not covered by any environment/);
    const v = checkReleasePolicy(rules, { name: 'x', namespace: 'dev-a', labels: { team: 't', owner: 'o', environment: 'production' }, annotations: {} }, { environment: 'production' }).violations;
    expect(v).toEqual([
      'label environment: production does not match the development tier of environment development (namespace dev-a)',
      'values.environment: production does not match the development tier of environment development (namespace dev-a)',
    ]);
  });
});

describe('security policy and ceilings on rendered objects', () => {
  const dev = rules.environments[0]!;
  it('passes a compliant workload', () => {
    expect(checkObjectPolicy(rules, dev, [deployment([goodContainer])])).toEqual([]);
  });

  it('reports all violations, not only the first', () => {
    const bad = { name: 'bad', image: 'docker.io/library/nginx:latest', securityContext: { privileged: true } };
    const v = checkObjectPolicy(rules, dev, [deployment([bad], 5, {})]);
    expect(v).toEqual([
      'Deployment d: container bad: securityContext.privileged must not be true (Pod Security "baseline")',
      'Deployment d: container bad must run as non-root (securityContext.runAsNonRoot: true)',
      'Deployment d: container bad must not be privileged or allow privilege escalation',
      'Deployment d: container bad: image docker.io/library/nginx:latest is not from an allowed registry (registry.company.com/)',
      'Deployment d: container bad must set resource limits for cpu and memory',
      'Deployment d: replicas 5 exceeds the development ceiling 3',
    ]);
  });

  it('checks cpu, memory, storage and HPA ceilings, and CronJob pods', () => {
    const big = { ...goodContainer, resources: { limits: { cpu: '4', memory: '8Gi' } } };
    const objs = [
      deployment([big]),
      { kind: 'PersistentVolumeClaim', metadata: { name: 'p' }, spec: { resources: { requests: { storage: '50Gi' } } } },
      { kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { maxReplicas: 10 } },
      { kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'x', image: 'registry.company.com/x', resources: { limits: { cpu: '1' } } }] } } } } } },
    ];
    expect(checkObjectPolicy(rules, dev, objs)).toEqual([
      'Deployment d: container app: cpu limit 4 exceeds the development ceiling 2',
      'Deployment d: container app: memory limit 8Gi exceeds the development ceiling 4Gi',
      'PersistentVolumeClaim p: storage 50Gi exceeds the development ceiling 20Gi',
      'HorizontalPodAutoscaler h: maxReplicas 10 exceeds the development ceiling 3',
      'CronJob c: container x must run as non-root (securityContext.runAsNonRoot: true)',
      'CronJob c: container x must set resource limits for cpu and memory',
    ]);
  });
});

describe('requests', () => {
  const dev = rules.environments[0]!;
  it('a request above its limit, or above a ceiling, is a violation (the API server would answer 422 at apply)', () => {
    const c = { ...goodContainer, resources: { requests: { cpu: '3', memory: '300Mi' }, limits: { cpu: '500m', memory: '256Mi' } } };
    expect(checkObjectPolicy(rules, dev, [deployment([c])], { source: (q) => (q === '3' ? ' (from values.cpu)' : '') })).toEqual([
      'Deployment d: container app: cpu request 3 exceeds the development ceiling 2 (from values.cpu)',
      'Deployment d: container app: cpu request 3 exceeds its limit 500m (resources.requests.cpu must be ≤ resources.limits.cpu) (from values.cpu)',
      'Deployment d: container app: memory request 300Mi exceeds its limit 256Mi (resources.requests.memory must be ≤ resources.limits.memory)',
    ]);
    const fine = { ...goodContainer, resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } } };
    expect(checkObjectPolicy(rules, dev, [deployment([fine])])).toEqual([]);
  });
});

describe('rendering helpers', () => {
  const ctx = { release: 'r', namespace: 'ns', module: 'm', version: '1.0.0', labels: { 'app.kubernetes.io/instance': 'r', team: 't' }, annotations: { note: 'n' } };
  const o = (kind: string, name: string): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name } });

  it('orders namespaces and CRDs first, then config before workloads, then by name', () => {
    const sorted = sortObjects([o('Deployment', 'b'), o('Ingress', 'a'), o('Secret', 'z'), o('CustomResourceDefinition', 'c'), o('Namespace', 'n'), o('Deployment', 'a'), o('Widget', 'w')]);
    expect(sorted.map((x) => `${x.kind}/${x.metadata.name}`)).toEqual([
      'Namespace/n', 'CustomResourceDefinition/c', 'Secret/z', 'Deployment/a', 'Deployment/b', 'Ingress/a', 'Widget/w',
    ]);
  });

  it('stamps namespace, labels and annotations, keeping labels the transformer set', () => {
    const [svc, ns, cm] = stampObjects([{ ...o('Service', 's'), metadata: { name: 's', labels: { 'app.kubernetes.io/name': 'web' } } }, o('Namespace', 'ns'), { ...o('ConfigMap', 'c'), metadata: { name: 'c', namespace: 'other' } }], ctx);
    expect(svc!.metadata).toEqual({ name: 's', namespace: 'ns', labels: { 'app.kubernetes.io/instance': 'r', team: 't', 'app.kubernetes.io/name': 'web' }, annotations: { note: 'n' } });
    expect(ns!.metadata.namespace).toBeUndefined();
    // Another namespace is kept, not silently moved: checkPlacement decides whether the platform allows it.
    expect(cm!.metadata.namespace).toBe('other');
  });

  it('flags secret values rendered outside Secrets', () => {
    const objs = [{ ...o('ConfigMap', 'c'), data: { x: 'pw-123456' } }, { ...o('Secret', 's'), stringData: { x: 'pw-123456' } }];
    expect(checkSecretLeaks(objs, [{ path: 'database.password', value: 'pw-123456' }])).toEqual([
      'secret value values.database.password would be rendered into ConfigMap c; secrets render into Secrets only',
    ]);
  });
});
