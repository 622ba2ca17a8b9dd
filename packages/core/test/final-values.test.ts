// The module renders from the concrete final values, not from the value
// layers: a value default flowing into a schema field with a default of its
// own is not ambiguous, and an error about a value names the values involved
// and the layer each comes from.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReleaseFile } from '../src/index.js';
import { tempCatalog, tempRelease } from './helpers.js';

const MODULE = `package scaling

import core "core.opm.dev/v1"

#Module: {
	core.#Module
	#metadata: {name: "scaling", version: "1.0.0"}
	#definition: {
		core.#ModuleDefinition
		#metadata: {name: "scaling", version: "1.0.0"}
		values: {
			cpuTarget: int & >=10 & <=100 | *70
			autoscaling: {
				minReplicas: int & >=1 | *2
				maxReplicas: int & >=minReplicas | *5
			}
			budget: {
				min: int & >=0 | *1
				max: int & >=min & (int | *5)
			}
		}
		#context: _
		components: web: {
			workload: containers: web: {
				image: "registry.company.com/web:1"
				resources: limits: {cpu: "100m", memory: "64Mi"}
			}
			autoscaling: {
				minReplicas:                    values.autoscaling.minReplicas
				maxReplicas:                    values.autoscaling.maxReplicas
				targetCPUUtilizationPercentage: values.cpuTarget
			}
		}
	}
	#overrides: cpuTarget: 60
}
`;

const release = (values: string) => `package scaling

import catalog "platform.company.com/catalog/scaling:1.0.0"

#ModuleRelease & {
	#metadata: {
		name:      "scaling"
		namespace: "scaling-staging"
		labels: {team: "platform", owner: "platform"}
	}
	#module: catalog.#Module
	values: {
${values}
	}
}
`;

let catalog: string;
beforeAll(() => {
  catalog = tempCatalog('platform.cue', (s) => s);
  mkdirSync(path.join(catalog, 'scaling/1.0.0'), { recursive: true });
  writeFileSync(path.join(catalog, 'scaling/1.0.0/module.cue'), MODULE);
});

const hpa = (r: Awaited<ReturnType<typeof renderReleaseFile>>) => r.objects.find((o) => o.kind === 'HorizontalPodAutoscaler') as any;

describe('rendering from the final values', () => {
  it('a value default flowing into a schema field with its own default is the value, not an ambiguity', async () => {
    const r = await renderReleaseFile(tempRelease(release('')), { catalog });
    expect(hpa(r).spec.metrics[0].resource.target.averageUtilization).toBe(60);
    expect(hpa(r).spec).toMatchObject({ minReplicas: 2, maxReplicas: 5 });
    const set = await renderReleaseFile(tempRelease(release('\t\tcpuTarget: 90')), { catalog });
    expect(hpa(set).spec.metrics[0].resource.target.averageUtilization).toBe(90);
  });

  it('a default that no longer fits names the default, the value it conflicts with and their layers', async () => {
    const file = tempRelease(release('\t\tautoscaling: minReplicas: 8'));
    const err = await renderReleaseFile(file, { catalog }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(err).toBeDefined();
    expect(err).toMatch(/autoscaling\.maxReplicas: invalid value 5 \(out of bound >=8\)/);
    // The default that no longer fits, where it is written, and the release value it conflicts with.
    expect(err).toContain('values.autoscaling.maxReplicas = 5 (definition scaling 1.0.0 default, module.cue line 15)');
    expect(err).toContain(`values.autoscaling.minReplicas = 8 (release scaling, ${file}:13)`);
    expect(err).not.toMatch(/incomplete value/);
  });

  it('a value whose default no longer fits names the default and the values its constraint refers to', async () => {
    const file = tempRelease(release('\t\tbudget: min: 8'));
    const err = await renderReleaseFile(file, { catalog }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(err).toMatch(/values\.budget\.max: incomplete value int & >=8/);
    expect(err).toContain('its default 5 (definition scaling 1.0.0 default, module.cue line 19) does not satisfy it');
    expect(err).toContain(`values involved: values.budget.min = 8 (release scaling, ${file}:13)`);
  });
});
