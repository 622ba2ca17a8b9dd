// A catalog's own provider imports the built-in provider's helpers
// (`opm.dev/providers/kubernetes`) instead of copying them: a DaemonSet
// transformer written with #Meta, #Selector and #PodTemplate renders what the
// built-in one renders plus its own additions, and one that reuses a built-in
// transformer whole does too.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReleaseFile, type KubeObject } from '../src/index.js';
import { tempCatalog, tempRelease, validateManifest } from './helpers.js';

const MODULE = `package agents

import core "core.opm.dev/v1"

#Module: {
	core.#Module
	#metadata: {name: "log-agent", version: "1.0.0"}
	#definition: {
		core.#ModuleDefinition
		#metadata: {name: "log-agent", version: "1.0.0"}
		values: image: string | *"registry.company.com/agents/fluent-bit:3.0"
		#context: _
		components: agent: {
			workload: {
				type: "daemon"
				containers: agent: {
					image: values.image
					env: NODE: fromField: "spec.nodeName"
					resources: {requests: {cpu: "50m", memory: "64Mi"}, limits: {cpu: "200m", memory: "128Mi"}}
					volumeMounts: buffer: mountPath: "/buffer"
					readinessProbe: http: {path: "/api/v1/health", port: 2020}
				}
				daemonSet: updateStrategy: rollingUpdate: maxUnavailable: "10%"
			}
			volumes: buffer: emptyDir: sizeLimit: "256Mi"
			configs: settings: data: LEVEL: "info"
		}
	}
}
`;

// Written with the helpers: what a platform team writes to change one thing about DaemonSets.
const WITH_HELPERS = `package nodeagents

import k8s "opm.dev/providers/kubernetes"

// Node agents run on every node, tainted ones too, at node-critical priority.
transformers: daemonset: {
	kind: "component"
	requires: ["workload"]
	when: {"workload.type": "daemon"}
	#in: _
	let IN = #in
	let W = #in.component.workload
	out: [if W != _|_ if W.type == "daemon" {
		apiVersion: "apps/v1"
		kind:       "DaemonSet"
		metadata: k8s.#Meta & {#in: IN, #name: "\\(IN.context.release)-\\(IN.name)"}
		spec: {
			selector: matchLabels: k8s.#Selector & {#in: IN}
			template: k8s.#PodTemplate & {#in: IN}
			template: spec: {
				priorityClassName: "system-node-critical"
				tolerations: [{operator: "Exists"}]
			}
			if W.daemonSet != _|_ {W.daemonSet}
		}
	}]
}
`;

// Reusing a built-in transformer whole and adding to what it renders.
const REUSING = `package nodeagents

import k8s "opm.dev/providers/kubernetes"

transformers: daemonset: {
	kind: "component"
	requires: ["workload"]
	when: {"workload.type": "daemon"}
	#in: _
	let IN = #in
	out: [for o in (k8s.transformers.daemonset & {#in: IN}).out {
		o
		spec: template: spec: {
			priorityClassName: "system-node-critical"
			tolerations: [{operator: "Exists"}]
		}
	}]
}
`;

const RELEASE = `package agents

import catalog "platform.company.com/catalog/log-agent:1.0.0"

#ModuleRelease & {
	#metadata: {
		name:      "logs"
		namespace: "dev-logs"
		labels: {team: "platform", owner: "platform"}
	}
	#module: catalog.#Module
}
`;

function catalogWith(provider?: string): string {
  const cat = tempCatalog('platform.cue', (s) => s);
  mkdirSync(path.join(cat, 'log-agent/1.0.0'), { recursive: true });
  writeFileSync(path.join(cat, 'log-agent/1.0.0/module.cue'), MODULE);
  if (provider) {
    mkdirSync(path.join(cat, 'providers/node-agents'), { recursive: true });
    writeFileSync(path.join(cat, 'providers/node-agents/daemonset.cue'), provider);
  }
  return cat;
}

const daemonSet = (objs: KubeObject[]) => objs.find((o) => o.kind === 'DaemonSet') as any;

let builtIn: KubeObject[];
beforeAll(async () => {
  builtIn = (await renderReleaseFile(tempRelease(RELEASE), { catalog: catalogWith() })).objects;
}, 120_000);

describe('catalog providers import the built-in provider\'s helpers', () => {
  for (const [name, provider] of [['written with #Meta, #Selector and #PodTemplate', WITH_HELPERS], ['reusing the built-in transformer', REUSING]] as const) {
    it(`a DaemonSet transformer ${name} renders the built-in DaemonSet plus its additions`, async () => {
      const r = await renderReleaseFile(tempRelease(RELEASE), { catalog: catalogWith(provider) });
      const custom = daemonSet(r.objects);
      const expected = structuredClone(daemonSet(builtIn));
      expect(expected.spec.template.spec.containers[0].readinessProbe).toEqual({ httpGet: { path: '/api/v1/health', port: 2020 } });
      expect(expected.spec.updateStrategy).toEqual({ rollingUpdate: { maxUnavailable: '10%' } });
      expected.spec.template.spec.priorityClassName = 'system-node-critical';
      expected.spec.template.spec.tolerations = [{ operator: 'Exists' }];
      expect(custom).toEqual(expected);
      await validateManifest(custom);
      // Everything else is as the built-in provider renders it.
      expect(r.objects.filter((o) => o.kind !== 'DaemonSet')).toEqual(builtIn.filter((o) => o.kind !== 'DaemonSet'));
    });
  }

  it('an unknown helper is a CUE error at the provider file, not a silent empty render', async () => {
    const broken = WITH_HELPERS.replace('k8s.#PodTemplate', 'k8s.#PodTemplat');
    const e = await renderReleaseFile(tempRelease(RELEASE), { catalog: catalogWith(broken) }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(e?.message).toMatch(/transformer daemonset \(component agent\): .*undefined field: #PodTemplat\n\s+\S+providers\/node-agents\/daemonset\.cue:\d+:\d+/);
  });
});
