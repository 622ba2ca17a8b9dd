// How much of the Kubernetes workload API a module can set. Every field of
// PodSpec, Container, the pod and container security contexts, Probe and the
// workload specs is listed from kubernetes-models' type declarations; a module
// that uses every field the schema offers (fixtures/coverage) is rendered; a
// Kubernetes field counts as settable when it appears in that render. Fields
// opm renders itself from other parts of the schema (selector, template,
// serviceName, jobTemplate, scaleTargetRef) and fields the platform or the
// cluster owns are listed and left out of the share; fields reachable only
// through the `podSpec` escape hatch are counted separately. The figures are
// printed, and every rendered object is validated against the Kubernetes schemas.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReleaseFile, type RenderedRelease } from '../src/index.js';
import { tempCatalog, tempRelease, validateManifest } from './helpers.js';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Field names of a kubernetes-models interface (`v1/PodSpec`), from its declaration file. */
function k8sFields(type: string): string[] {
  const text = readFileSync(require.resolve(`kubernetes-models/${type}`).replace(/\.c?js$/, '.d.ts'), 'utf8');
  const body = text.slice(text.indexOf('export interface I'));
  return [...new Set([...body.matchAll(/^ {4}"([A-Za-z]+)"\??:/gm)].map((m) => m[1]!))].sort();
}

// Rendered by opm from other parts of the schema (the module sets them through those).
const OPM_OWNED = new Set(['selector', 'template', 'serviceName', 'jobTemplate', 'scaleTargetRef', 'volumeClaimTemplates', 'name']);
// Owned by the platform or the cluster: set by admission or controllers, deprecated, or debugging only.
const PLATFORM_OWNED: Record<string, string[]> = {
  'v1/PodSpec': ['priority', 'ephemeralContainers', 'serviceAccount'],
  'batch/v1/JobSpec': ['managedBy', 'manualSelector'],
};
// Reachable through the typed escape hatch `workload.podSpec` only.
const ESCAPE_HATCH: Record<string, string[]> = { 'v1/PodSpec': ['nodeName', 'schedulerName', 'overhead'] };

const RELEASE = `package coverage

import catalog "platform.company.com/catalog/coverage:1.0.0"

#ModuleRelease & {
	#metadata: {
		name:      "cov"
		namespace: "dev-coverage"
		labels: {team: "platform", owner: "platform"}
	}
	#module: catalog.#Module
}
`;

let r: RenderedRelease;
beforeAll(async () => {
  // The module uses host ports and a hostPath volume on purpose: this platform lets development run privileged pods.
  // The escape hatch's pod fields are allowed for this module (platform.modules.<name>.podSpec).
  const catalog = tempCatalog('platform.cue', (s) =>
    s.replace('podSecurity: "baseline"', 'podSecurity: "privileged"').replace('environments: {', 'modules: coverage: podSpec: ["nodeName", "schedulerName", "overhead"]\n\tenvironments: {'),
  );
  mkdirSync(path.join(catalog, 'coverage/1.0.0'), { recursive: true });
  copyFileSync(path.join(HERE, 'fixtures/coverage/module.cue'), path.join(catalog, 'coverage/1.0.0/module.cue'));
  r = await renderReleaseFile(tempRelease(RELEASE), { catalog });
}, 120_000);

const objs = (kind: string) => r.objects.filter((o) => o.kind === kind) as any[];
const podSpecs = () => [
  ...['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].flatMap((k) => objs(k).map((o) => o.spec.template.spec)),
  ...objs('CronJob').map((o) => o.spec.jobTemplate.spec.template.spec),
];
const containers = () => podSpecs().flatMap((p) => [...p.containers, ...(p.initContainers ?? [])]);

/** Which Kubernetes fields of `type` appear in any of `rendered`. */
function measure(type: string, rendered: Record<string, unknown>[]) {
  const all = k8sFields(type);
  const owned = new Set([...OPM_OWNED, ...(PLATFORM_OWNED[type] ?? [])]);
  const hatch = new Set(ESCAPE_HATCH[type] ?? []);
  const counted = all.filter((f) => !owned.has(f));
  const present = new Set(rendered.flatMap((o) => Object.keys(o ?? {})));
  const typed = counted.filter((f) => present.has(f) && !hatch.has(f));
  const viaHatch = counted.filter((f) => present.has(f) && hatch.has(f));
  const missing = counted.filter((f) => !present.has(f));
  return { type, total: counted.length, typed: typed.length, viaHatch: viaHatch.length, missing, excluded: all.filter((f) => owned.has(f)) };
}

describe('workload API coverage', () => {
  it('renders every object of the coverage module valid against the Kubernetes schemas', async () => {
    expect(r.objects.length).toBeGreaterThan(10);
    for (const o of r.objects) await validateManifest(o);
    expect(objs('Service').map((s) => s.metadata.name)).toEqual(['cov-web', 'cov-web-metrics']);
    expect(objs('ServiceAccount').map((s) => s.metadata.name)).toEqual(['cov-web']);
    expect(objs('Deployment').find((d) => d.metadata.name === 'cov-web').spec.template.spec.serviceAccountName).toBe('cov-web');
    expect(objs('RoleBinding')[0].subjects).toEqual([{ kind: 'ServiceAccount', name: 'cov-web', namespace: 'dev-coverage' }]);
    const sidecar = objs('Deployment').find((d) => d.metadata.name === 'cov-web').spec.template.spec.initContainers[0];
    expect(sidecar).toMatchObject({ name: 'proxy', restartPolicy: 'Always' });
    expect(objs('DaemonSet')[0].spec.template.spec.volumes).toContainEqual({ name: 'logs', hostPath: { path: '/var/log', type: 'Directory' } });
  });

  it('renders the coverage module exactly as its golden file', async () => {
    await expect(`${JSON.stringify(r.objects, null, 2)}\n`).toMatchFileSnapshot('fixtures/coverage/golden.json');
  });

  it('a module can set at least 90% of the workload fields Kubernetes has (status and platform-owned fields aside)', () => {
    const byKind = (k: string) => objs(k).map((o) => o.spec);
    const rows = [
      measure('v1/PodSpec', podSpecs()),
      measure('v1/Container', containers()),
      measure('v1/PodSecurityContext', podSpecs().map((p) => p.securityContext)),
      measure('v1/SecurityContext', containers().map((c) => c.securityContext)),
      measure('v1/Probe', containers().flatMap((c) => [c.livenessProbe, c.readinessProbe, c.startupProbe])),
      measure('apps/v1/DeploymentSpec', byKind('Deployment')),
      measure('apps/v1/StatefulSetSpec', byKind('StatefulSet')),
      measure('apps/v1/DaemonSetSpec', byKind('DaemonSet')),
      measure('batch/v1/JobSpec', [...byKind('Job'), ...objs('CronJob').map((o) => o.spec.jobTemplate.spec)]),
      measure('batch/v1/CronJobSpec', byKind('CronJob')),
      measure('autoscaling/v2/HorizontalPodAutoscalerSpec', byKind('HorizontalPodAutoscaler')),
    ];
    let total = 0;
    let typed = 0;
    let hatch = 0;
    const lines = ['field coverage (typed schema / with the podSpec escape hatch):'];
    for (const x of rows) {
      total += x.total;
      typed += x.typed;
      hatch += x.viaHatch;
      lines.push(`  ${x.type.padEnd(44)} ${String(x.typed).padStart(2)}/${x.total}${x.viaHatch ? ` (+${x.viaHatch} escape hatch)` : ''}${x.missing.length ? `  missing: ${x.missing.join(', ')}` : ''}${x.excluded.length ? `  not counted: ${x.excluded.join(', ')}` : ''}`);
    }
    lines.push(`  total ${typed}/${total} = ${((100 * typed) / total).toFixed(1)}% typed, ${((100 * (typed + hatch)) / total).toFixed(1)}% with the escape hatch`);
    console.log(lines.join('\n'));
    expect(typed / total).toBeGreaterThanOrEqual(0.9);
    expect((typed + hatch) / total).toBe(1);
  });
});
