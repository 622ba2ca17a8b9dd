// The transformers for every workload kind and volume kind, and a catalog that
// adds its own transformer, on a module written for this test.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReleaseFile, type RenderedRelease } from '../src/index.js';
import { tempCatalog, tempRelease, validateManifest } from './helpers.js';

const DEFINITION = `package kinds

import core "core.opm.dev/v1"

#Module: {
	core.#Module
	#metadata: {name: "workload-kinds", version: "1.0.0"}
	#definition: {
		core.#ModuleDefinition
		#metadata: {name: "workload-kinds", version: "1.0.0"}
		values: {
			schedule: core.#CronType | *"*/5 * * * *"
			token:    string @secret()
		}
		#context: _
		let limits = {requests: {cpu: "50m", memory: "32Mi"}, limits: {cpu: "100m", memory: "64Mi"}}
		components: {
			agent: workload: {
				type: "daemon"
				containers: agent: {
					image: "registry.company.com/agents/node:1"
					env: NODE: fromField: "spec.nodeName"
					envFrom: [{secret: "token"}]
					resources: limits
				}
			}
			agent: secrets: token: data: TOKEN: values.token
			report: workload: {
				type:              "scheduled-task"
				schedule:          values.schedule
				concurrencyPolicy: "Forbid"
				containers: report: {image: "registry.company.com/tools/report:1", args: ["--all"], resources: limits}
			}
			queue: {
				workload: {
					type:     "stateful"
					replicas: 3
					initContainers: init: {image: "registry.company.com/tools/init:1", resources: limits}
					containers: queue: {
						image: "registry.company.com/mirror/nats:2"
						ports: client: containerPort: 4222
						resources: limits
						volumeMounts: {data: mountPath: "/data", conf: mountPath: "/etc/nats"}
					}
				}
				volumes: {
					data: persistent: {size: "1Gi", perReplica: true}
					conf: config: "conf"
				}
				configs: conf: data: "nats.conf": "port: 4222"
				expose: {type: "Headless", ports: client: port: 4222}
				autoscaling: {minReplicas: 3, maxReplicas: 3, targetMemoryUtilizationPercentage: 70}
			}
		}
	}
}
`;

const PROVIDER = `package extra

// A catalog transformer: a ServiceAccount per workload component.
transformers: "service-account": {
	kind: "component"
	#in:  _
	let IN = #in
	out: [if IN.component.workload != _|_ {
		apiVersion: "v1"
		kind:       "ServiceAccount"
		metadata: name: "\\(IN.context.release)-\\(IN.name)"
	}]
}
`;

const RELEASE = `package kinds

import catalog "platform.company.com/catalog/workload-kinds:1.0.0"

#ModuleRelease & {
	#metadata: {
		name:      "kinds"
		namespace: "dev-kinds"
		labels: {team: "platform", owner: "platform"}
	}
	#module: catalog.#Module
	values: schedule: "0 * * * *"
}
`;

let r: RenderedRelease;
beforeAll(async () => {
  const catalog = tempCatalog('platform.cue', (s) => s);
  mkdirSync(path.join(catalog, 'workload-kinds/1.0.0'), { recursive: true });
  writeFileSync(path.join(catalog, 'workload-kinds/1.0.0/module.cue'), DEFINITION);
  mkdirSync(path.join(catalog, 'providers/extra'), { recursive: true });
  writeFileSync(path.join(catalog, 'providers/extra/sa.cue'), PROVIDER);
  r = await renderReleaseFile(tempRelease(RELEASE), { catalog, secrets: { token: 'node-agent-token-1' } });
}, 120_000);

const get = (kind: string, name: string) => r.objects.find((o) => o.kind === kind && o.metadata.name === name) as any;

describe('workload kinds', () => {
  it('renders DaemonSet, CronJob, StatefulSet with claim templates, headless Service, HPA and the catalog transformer', async () => {
    expect(r.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/kinds-agent',
      'ServiceAccount/kinds-queue',
      'ServiceAccount/kinds-report',
      'Secret/kinds-agent-token',
      'ConfigMap/kinds-queue-conf',
      'Service/kinds-queue',
      'DaemonSet/kinds-agent',
      'StatefulSet/kinds-queue',
      'CronJob/kinds-report',
      'HorizontalPodAutoscaler/kinds-queue',
    ]);
    for (const o of r.objects) await validateManifest(o);
  });

  it('maps env sources, volumes and job settings', () => {
    const ds = get('DaemonSet', 'kinds-agent').spec.template.spec.containers[0];
    expect(ds.env).toEqual([{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]);
    expect(ds.envFrom).toEqual([{ secretRef: { name: 'kinds-agent-token' } }]);
    const sts = get('StatefulSet', 'kinds-queue').spec;
    expect(sts.serviceName).toBe('kinds-queue');
    expect(sts.volumeClaimTemplates).toEqual([{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' } }]);
    expect(sts.template.spec.volumes).toEqual([{ name: 'conf', configMap: { name: 'kinds-queue-conf' } }]);
    expect(sts.template.spec.initContainers[0].name).toBe('init');
    expect(get('Service', 'kinds-queue').spec.clusterIP).toBe('None');
    const cj = get('CronJob', 'kinds-report').spec;
    expect(cj).toMatchObject({ schedule: '0 * * * *', concurrencyPolicy: 'Forbid' });
    expect(cj.jobTemplate.spec.template.spec.restartPolicy).toBe('OnFailure');
    expect(get('HorizontalPodAutoscaler', 'kinds-queue').spec.scaleTargetRef.kind).toBe('StatefulSet');
    expect(get('Secret', 'kinds-agent-token').stringData).toEqual({ TOKEN: 'node-agent-token-1' });
    expect(r.objects.filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
  });
});
