// The spec's five releases, verbatim, rendered from the bundled catalog.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReleaseFile, sortObjects, type KubeObject, type RenderedRelease } from '../src/index.js';
import { EXAMPLES, RELEASES_DIR, opts, validateManifest } from './helpers.js';

const rendered = new Map<string, RenderedRelease>();
const find = (r: RenderedRelease, kind: string, name: string) => r.objects.find((o) => o.kind === kind && o.metadata.name === name) as KubeObject & Record<string, any>;
const kinds = (r: RenderedRelease) => r.objects.map((o) => `${o.kind}/${o.metadata.name}`);

beforeAll(async () => {
  for (const name of EXAMPLES) rendered.set(name, await renderReleaseFile(path.join(RELEASES_DIR, `${name}.cue`), await opts()));
}, 120_000);

describe('every example', () => {
  it.each(EXAMPLES)('%s: every object is valid against the Kubernetes OpenAPI schemas', async (name) => {
    const r = rendered.get(name)!;
    expect(r.objects.length).toBeGreaterThan(3);
    for (const o of r.objects) await validateManifest(o);
  });

  it.each(EXAMPLES)('%s: every object carries the namespace, release labels, standard labels and annotations, in a deterministic order', (name) => {
    const r = rendered.get(name)!;
    for (const o of r.objects) {
      if (o.kind !== 'Namespace') expect(o.metadata.namespace).toBe(r.namespace);
      const l = o.metadata.labels!;
      expect(l['app.kubernetes.io/instance']).toBe(r.name);
      expect(l['app.kubernetes.io/managed-by']).toBe('opm');
      expect(l['app.kubernetes.io/part-of']).toBe(r.module.name);
      expect(l['app.kubernetes.io/version']).toBe(r.module.version);
      expect(l['app.kubernetes.io/name']).toBeTruthy();
      expect(l.environment).toBe(r.labels.environment);
      for (const [k, v] of Object.entries(r.annotations)) expect(o.metadata.annotations?.[k]).toBe(v);
    }
    expect(sortObjects(r.objects)).toEqual(r.objects);
  });

  it.each(EXAMPLES)('%s: the result is plain data, holding nothing of the evaluation', (name) => {
    // A getter or function in the result would keep its closure's scope alive, the evaluated
    // release included, for as long as the caller keeps the result: a CLI that renders many
    // releases would hold every evaluation, and each warm render promoted the last one to old space.
    const walk = (x: unknown, at: string): void => {
      if (x === null || typeof x !== 'object') {
        expect(typeof x, at).not.toBe('function');
        return;
      }
      const proto = Object.getPrototypeOf(x);
      expect(proto === Object.prototype || proto === Array.prototype || proto === null, `${at}: plain object or array`).toBe(true);
      for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(x))) {
        if (Array.isArray(x) && k === 'length') continue;
        expect(d.get ?? d.set, `${at}.${k}: an accessor`).toBeUndefined();
        walk(d.value, `${at}.${k}`);
      }
    };
    walk(rendered.get(name)!, name);
  });

  it.each(EXAMPLES)('%s: secret values appear in Secret objects only', (name) => {
    const r = rendered.get(name)!;
    const pw = (r.finalValues.database as { password?: string } | undefined)?.password;
    if (!pw) return;
    for (const o of r.objects) if (o.kind !== 'Secret') expect(JSON.stringify(o)).not.toContain(pw);
    expect(r.secretPaths).toContain('database.password');
  });
});

describe('web-app-dev', () => {
  it('renders one replica of the dev image with monitoring and backups off', () => {
    const r = rendered.get('web-app-dev')!;
    expect(r.namespace).toBe('development');
    expect(r.environment).toBe('development');
    const d = find(r, 'Deployment', 'web-app-dev-web');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.template.spec.containers[0].image).toBe('registry.company.com/frontend/web-app:dev-latest');
    expect(d.spec.template.metadata.annotations?.['prometheus.io/scrape']).toBeUndefined();
    expect(kinds(r)).not.toContain('CronJob/web-app-dev-backup');
    expect(find(r, 'ConfigMap', 'web-app-dev-alerting').data).toMatchObject({ email: 'john.doe@company.com', severity: 'low' });
    expect(find(r, 'ConfigMap', 'web-app-dev-web-settings').data).toEqual({ APP_ENV: 'development', LOG_LEVEL: 'debug' });
    // `owner: john.doe@company.com` is not a valid label value: kept as an annotation, with a warning
    expect(d.metadata.annotations?.owner).toBe('john.doe@company.com');
    expect(d.metadata.labels?.owner).toBeUndefined();
    expect(r.warnings.join('\n')).toMatch(/label owner: "john.doe@company.com" is not a valid Kubernetes label value/);
    expect(r.warnings.join('\n')).not.toMatch(/secret/);
  });
});

describe('web-app-prod', () => {
  it('renders five replicas, detailed monitoring, daily backups, a disruption budget', () => {
    const r = rendered.get('web-app-prod')!;
    const d = find(r, 'Deployment', 'web-app-prod-web');
    expect(d.spec.replicas).toBe(5);
    expect(d.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080', 'monitoring.company.com/level': 'detailed' });
    expect(find(r, 'CronJob', 'web-app-prod-backup').spec.schedule).toBe('0 2 * * *');
    expect(find(r, 'PodDisruptionBudget', 'web-app-prod-web').spec.maxUnavailable).toBe(1);
    expect(d.metadata.annotations?.['deployment.company.com/change-request']).toBe('CR-2024-0156');
    expect(r.finalValues).toMatchObject({ replicas: 5, image: { repository: 'registry.company.com/frontend/web-app', tag: 'v1.0.0' } });
  });
});

describe('ecommerce-staging', () => {
  it('renders the database as StatefulSet + PVC + Secret, with a literal-secret warning', () => {
    const r = rendered.get('ecommerce-staging')!;
    const sts = find(r, 'StatefulSet', 'ecommerce-staging-database');
    expect(sts.spec.template.spec.containers[0].env).toContainEqual({
      name: 'POSTGRES_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'ecommerce-staging-database-credentials', key: 'password' } },
    });
    expect(find(r, 'PersistentVolumeClaim', 'ecommerce-staging-database-data').spec).toMatchObject({ resources: { requests: { storage: '50Gi' } }, storageClassName: 'encrypted-ssd' });
    expect(find(r, 'Secret', 'ecommerce-staging-database-credentials').stringData).toEqual({ username: 'ecommerce_staging_user', password: 'staging-secure-password-123' });
    expect(r.warnings.join('\n')).toMatch(/values\.database\.password is a secret written as a literal in .*ecommerce-staging\.cue:\d+/);
  });

  it('renders ingress, autoscaling, network policy, mesh/mTLS and compliance scans', () => {
    const r = rendered.get('ecommerce-staging')!;
    const ing = find(r, 'Ingress', 'ecommerce-staging-frontend');
    expect(ing.spec.rules[0].host).toBe('staging.ecommerce.company.com');
    expect(ing.spec.rules[0].http.paths.map((p: any) => p.backend.service.name)).toEqual(['ecommerce-staging-frontend', 'ecommerce-staging-backend']);
    expect(find(r, 'HorizontalPodAutoscaler', 'ecommerce-staging-backend').spec).toMatchObject({ minReplicas: 2, maxReplicas: 4 });
    expect(kinds(r)).toContain('NetworkPolicy/ecommerce-staging-networking');
    const fe = find(r, 'Deployment', 'ecommerce-staging-frontend');
    expect(fe.spec.template.metadata.annotations).toMatchObject({ 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'all-authenticated' });
    expect(find(r, 'CronJob', 'ecommerce-staging-compliance').metadata.annotations?.['compliance.company.com/standards']).toBe('pci-dss');
    expect(find(r, 'Job', 'ecommerce-staging-migrations')).toBeTruthy();
    expect(find(r, 'ConfigMap', 'ecommerce-staging-alerting').data).toMatchObject({ email: 'ecommerce-dev@company.com,platform-team@company.com', slack: '#ecommerce-staging' });
    // pagerduty: "" → no routing key Secret
    expect(kinds(r)).not.toContain('Secret/ecommerce-staging-alerting');
  });
});

describe('ecommerce-analytics', () => {
  it('scales the backend, sizes storage and cache, routes alerts to PagerDuty through a Secret', () => {
    const r = rendered.get('ecommerce-analytics')!;
    expect(r.environment).toBe('analytics');
    // the autoscaler owns the backend's replica count
    expect(find(r, 'Deployment', 'ecommerce-analytics-backend').spec.replicas).toBeUndefined();
    expect(find(r, 'HorizontalPodAutoscaler', 'ecommerce-analytics-backend').spec).toMatchObject({ minReplicas: 8, maxReplicas: 16 });
    expect(find(r, 'Deployment', 'ecommerce-analytics-frontend').spec.replicas).toBe(1);
    expect(find(r, 'PersistentVolumeClaim', 'ecommerce-analytics-database-data').spec.resources.requests.storage).toBe('500Gi');
    expect(find(r, 'Deployment', 'ecommerce-analytics-cache').spec.template.spec.containers[0].resources.limits.memory).toBe('2Gi');
    expect(find(r, 'Secret', 'ecommerce-analytics-alerting').stringData).toEqual({ 'pagerduty-routing-key': 'analytics-service-key' });
    expect(r.secretPaths).toContain('platform.monitoring.alerts.pagerduty');
    expect(find(r, 'CronJob', 'ecommerce-analytics-compliance').metadata.annotations?.['compliance.company.com/standards']).toBe('pci-dss,sox');
  });
});

describe('ecommerce-tenant-acme', () => {
  it('creates the tenant namespace first and keeps tenant annotations', () => {
    const r = rendered.get('ecommerce-tenant-acme')!;
    expect(r.objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'tenant-acme' } });
    expect(r.objects[0]!.metadata.namespace).toBeUndefined();
    const d = find(r, 'Deployment', 'ecommerce-tenant-acme-frontend');
    expect(d.metadata.annotations?.['tenant.company.com/customer-id']).toBe('cust-12345');
    expect(d.metadata.labels?.tenant).toBe('acme-corp');
    expect(d.spec.replicas).toBe(3);
    expect(find(r, 'StatefulSet', 'ecommerce-tenant-acme-database').spec.template.spec.containers[0].args).toEqual(['-c', 'max_connections=150']);
  });
});
