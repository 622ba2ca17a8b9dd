// The author workflow: `opm mod vet` / `opm mod build` on a ModuleDefinition
// alone (no #Module written for it), rendering with its defaults and the
// examples it ships through the platform rules, and catching what every
// release would then fail on, all problems at once.
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModuleDir, vetModuleDir } from '../src/index.js';
import { BUNDLED_CATALOG_DIR } from '../src/shipped.js';

const definition = (name: string, version: string, component: string, extra = '') => `package web

import core "core.opm.dev/v1"

#Definition: {
	core.#ModuleDefinition
	#metadata: {name: "${name}", version: "${version}"}
	values: {
		image: string | *"registry.company.com/web:1"
		host:  string
	}
	debugValues: small: host: "web.example.com"
	#context: _
	components: web: {
${component}
	}
${extra}
}
`;

const GOOD = `		workload: containers: web: {
			image: values.image
			resources: {requests: {cpu: "50m", memory: "32Mi"}, limits: {cpu: "100m", memory: "64Mi"}}
			env: HOST: value: values.host
			volumeMounts: tmp: mountPath: "/tmp"
		}
		volumes: tmp: emptyDir: {}`;

function moduleDir(dirName: string, version: string, text: string): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'opm-author-')), dirName, version);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'definition.cue'), text);
  return dir;
}

describe('opm mod vet / build on a ModuleDefinition alone', () => {
  it('vets and builds a definition without a #Module, rendering its examples through the platform rules', async () => {
    const dir = moduleDir('web', '1.0.0', definition('web', '1.0.0', GOOD));
    const v = await vetModuleDir(dir, { catalog: BUNDLED_CATALOG_DIR });
    expect(v.definitionOnly).toBe(true);
    expect(v.module).toMatchObject({ name: 'web', version: '1.0.0' });
    expect(v.renders).toEqual([{ values: 'debugValues.small', objects: 1 }]);
    const r = await buildModuleDir(dir, { host: 'x.example.com' }, { catalog: BUNDLED_CATALOG_DIR });
    const dep = r.objects.find((o) => o.kind === 'Deployment') as any;
    expect(dep.spec.template.spec.containers[0].env).toEqual([{ name: 'HOST', value: 'x.example.com' }]);
  });

  it('reports everything a release would fail on, together', async () => {
    const bad = `		workload: {
			containers: web: {
				image: "docker.io/library/nginx:latest"
				resources: requests: {cpu: "2", memory: "32Mi"}
				securityContext: {privileged: true, runAsUser: 0}
				volumeMounts: data: mountPath: "/data"
			}
			containers: side: {
				image: values.image
				resources: {requests: {cpu: "500m", memory: "32Mi"}, limits: {cpu: "100m", memory: "64Mi"}}
			}
		}`;
    const dir = moduleDir('webapp', '1.0', definition('web', '1.0.0', bad));
    const err = await vetModuleDir(dir, { catalog: BUNDLED_CATALOG_DIR }).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(err).toMatch(/directory 1\.0 is not a semantic version/);
    expect(err).toMatch(/#metadata\.version 1\.0\.0 does not match its catalog directory 1\.0/);
    expect(err).toMatch(/#metadata\.name web does not match its catalog directory webapp/);
    expect(err).toMatch(/container web mounts volume data, which the component does not declare \(volumes: none\)/);
    expect(err).toMatch(/container web must not be privileged/);
    expect(err).toMatch(/image docker\.io\/library\/nginx:latest is not from an allowed registry/);
    expect(err).toMatch(/container web must set resource limits for cpu and memory/);
    expect(err).toMatch(/runAsUser 0 contradicts runAsNonRoot: true/);
    expect(err).toMatch(/container side: cpu request 500m exceeds its limit 100m/);
  });

  it('names a field the schema does not have', async () => {
    const dir = moduleDir('web', '1.0.0', definition('web', '1.0.0', `${GOOD}\n\t\treplicaz: 3`));
    const err = await vetModuleDir(dir, { catalog: BUNDLED_CATALOG_DIR }).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(err).toMatch(/replicaz: field not allowed/);
  });
});
