// Security policy as platforms know it, through real renders: Pod Security
// Standards per environment on every rendered pod, scope `security` and
// `resources` policies that take effect, and cluster-scoped kinds or other
// namespaces refused unless the platform allows them for the module.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReleaseFile } from '../src/index.js';
import { checkPodSecurity } from '../src/pod-security.js';
import { tempCatalog, tempRelease } from './helpers.js';

const MODULE = `package sec

import core "core.opm.dev/v1"

#Module: {
	core.#Module
	#metadata: {name: "sec", version: "1.0.0"}
	#definition: {
		core.#ModuleDefinition
		#metadata: {name: "sec", version: "1.0.0"}
		values: {
			user:  int | *1000
			caps:  [...string] | *[]
			host:  bool | *false
			image: string | *"registry.company.com/app:1"
			limits: bool | *true
			clusterRole: bool | *false
			node: string | *""
		}
		#context: _
		components: app: {
			workload: {
				containers: app: {
					image: values.image
					if values.limits {resources: limits: {cpu: "100m", memory: "64Mi"}}
					securityContext: {runAsUser: values.user, capabilities: add: values.caps}
					volumeMounts: logs: mountPath: "/logs"
				}
				securityContext: runAsUser: values.user
				pod: hostNetwork: values.host
				if values.node != "" {podSpec: {nodeName: values.node, schedulerName: "gang"}}
			}
			volumes: logs: [if values.host {hostPath: path: "/var/log"}, {emptyDir: {}}][0]
			if values.clusterRole {clusterRoles: read: rules: [{apiGroups: [""], resources: ["nodes"], verbs: ["get"]}]}
		}
		scopes: hardened: {
			appliesTo: ["app"]
			security: allowedRegistries: ["registry.company.com/approved/"]
			resources: requireLimits: true
		}
	}
}
`;

const release = (ns: string, values: string) => `package sec

import catalog "platform.company.com/catalog/sec:1.0.0"

#ModuleRelease & {
	#metadata: {
		name:      "sec"
		namespace: "${ns}"
		labels: {team: "platform", owner: "platform"}
		annotations: {"deployment.company.com/change-request": "CR-1", "deployment.company.com/approved-by": "x"}
	}
	#module: catalog.#Module
	values: {${values}}
}
`;

let catalog: string;
beforeAll(() => {
  catalog = tempCatalog('platform.cue', (s) => s);
  mkdirSync(path.join(catalog, 'sec/1.0.0'), { recursive: true });
  writeFileSync(path.join(catalog, 'sec/1.0.0/module.cue'), MODULE);
});

const failure = (ns: string, values: string, cat = catalog) =>
  renderReleaseFile(tempRelease(release(ns, values)), { catalog: cat }).then(
    () => '',
    (e: Error) => e.message,
  );

describe('Pod Security Standards', () => {
  it('baseline (development) refuses host access and added capabilities; restricted (production) refuses user 0 too', async () => {
    const dev = await failure('development', 'host: true, caps: ["SYS_ADMIN", "NET_ADMIN"], image: "registry.company.com/approved/app:1"');
    expect(dev).toContain('hostNetwork must not be true (Pod Security "baseline")');
    expect(dev).toContain('container app: capabilities SYS_ADMIN, NET_ADMIN must not be added (Pod Security "baseline")');
    expect(dev).toContain('volume logs: hostPath volumes are not allowed (Pod Security "baseline")');
    const prod = await failure('production', 'user: 0, image: "registry.company.com/approved/app:1"');
    expect(prod).toContain('container app: securityContext.runAsUser must not be 0 (Pod Security "restricted")');
    expect(prod).toContain('runAsUser 0 contradicts runAsNonRoot: true');
    // Baseline allows user 0 as far as the standard goes; the platform's runAsNonRoot rule still refuses it.
    expect(await failure('development', 'user: 0, image: "registry.company.com/approved/app:1"')).not.toContain('Pod Security');
  });

  it('a pod meeting the level renders', async () => {
    const r = await renderReleaseFile(tempRelease(release('production', 'image: "registry.company.com/approved/app:1"')), { catalog });
    const pod = (r.objects.find((o) => o.kind === 'Deployment') as any).spec.template.spec;
    expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(checkPodSecurity('restricted', 'x', pod)).toEqual([]);
  });

  it('checks the standard field by field', () => {
    const pod = {
      securityContext: { seccompProfile: { type: 'Unconfined' }, sysctls: [{ name: 'kernel.msgmax', value: '1' }] },
      volumes: [{ name: 'n', nfs: { server: 's', path: '/' } }],
      containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 80 }], securityContext: { procMount: 'Unmasked', seLinuxOptions: { user: 'root' } } }],
    };
    expect(checkPodSecurity('privileged', 'p', pod)).toEqual([]);
    const baseline = checkPodSecurity('baseline', 'p', pod);
    expect(baseline).toEqual([
      'p: container c: hostPort 80 is not allowed (Pod Security "baseline")',
      'p: container c: securityContext.seLinuxOptions.user must not be set (Pod Security "baseline")',
      'p: container c: securityContext.procMount must be Default (Pod Security "baseline")',
      'p: pod securityContext.seccompProfile.type must not be Unconfined (Pod Security "baseline")',
      'p: sysctl kernel.msgmax is not allowed (Pod Security "baseline")',
    ]);
    const restricted = checkPodSecurity('restricted', 'p', pod);
    expect(restricted).toEqual(expect.arrayContaining([
      'p: volume n: nfs volumes are not allowed (Pod Security "restricted")',
      'p: container c: securityContext.allowPrivilegeEscalation must be false (Pod Security "restricted")',
      'p: container c: capabilities.drop must include ALL (Pod Security "restricted")',
    ]));
  });
});

describe('scope policies take effect', () => {
  it("a scope's allowedRegistries and requireLimits apply to its components", async () => {
    const msg = await failure('production', 'limits: false');
    expect(msg).toContain('container app: image registry.company.com/app:1 is not from an allowed registry (registry.company.com/approved/)');
    expect(msg).toContain('container app must set resource limits for cpu and memory');
  });
});

describe('cluster-scoped kinds and other namespaces', () => {
  it('a ClusterRole is refused unless the platform allows it for the module', async () => {
    const msg = await failure('production', 'clusterRole: true, image: "registry.company.com/approved/app:1"');
    expect(msg).toContain('ClusterRole production-sec-app-read is cluster-scoped: the platform does not allow module sec to render ClusterRole (platform.modules.sec.clusterScoped');
    const allowing = tempCatalog('platform.cue', (s) => s.replace('environments: {', 'modules: sec: clusterScoped: ["ClusterRole", "ClusterRoleBinding"]\n\tenvironments: {'));
    mkdirSync(path.join(allowing, 'sec/1.0.0'), { recursive: true });
    writeFileSync(path.join(allowing, 'sec/1.0.0/module.cue'), MODULE);
    const r = await renderReleaseFile(tempRelease(release('production', 'clusterRole: true, image: "registry.company.com/approved/app:1"')), { catalog: allowing });
    expect(r.objects.filter((o) => o.kind.startsWith('Cluster')).map((o) => [o.kind, o.metadata.namespace])).toEqual([
      ['ClusterRole', undefined],
      ['ClusterRoleBinding', undefined],
    ]);
  });

  it('the escape hatch (workload.podSpec): each pod field is refused unless the platform allows it for the module', async () => {
    const values = 'node: "node-7", image: "registry.company.com/approved/app:1"';
    const msg = await failure('production', values);
    expect(msg).toContain("Deployment sec-app sets the pod's nodeName (workload.podSpec): the platform does not allow module sec to set it (platform.modules.sec.podSpec");
    expect(msg).toContain("Deployment sec-app sets the pod's schedulerName (workload.podSpec)");
    // Allowing one field leaves the other refused; allowing both renders them.
    const some = tempCatalog('platform.cue', (s) => s.replace('environments: {', 'modules: sec: podSpec: ["nodeName"]\n\tenvironments: {'));
    mkdirSync(path.join(some, 'sec/1.0.0'), { recursive: true });
    writeFileSync(path.join(some, 'sec/1.0.0/module.cue'), MODULE);
    const partly = await failure('production', values, some);
    expect(partly).not.toContain("pod's nodeName");
    expect(partly).toContain("sets the pod's schedulerName (workload.podSpec)");
    const all = tempCatalog('platform.cue', (s) => s.replace('environments: {', 'modules: sec: podSpec: ["nodeName", "schedulerName"]\n\tenvironments: {'));
    mkdirSync(path.join(all, 'sec/1.0.0'), { recursive: true });
    writeFileSync(path.join(all, 'sec/1.0.0/module.cue'), MODULE);
    const r = await renderReleaseFile(tempRelease(release('production', values)), { catalog: all });
    expect((r.objects.find((o) => o.kind === 'Deployment') as any).spec.template.spec).toMatchObject({ nodeName: 'node-7', schedulerName: 'gang' });
    // A field the escape hatch does not have is a schema error, not a silent pass.
    const bad = tempCatalog('platform.cue', (s) => s.replace('environments: {', 'modules: sec: podSpec: ["hostPID"]\n\tenvironments: {'));
    mkdirSync(path.join(bad, 'sec/1.0.0'), { recursive: true });
    writeFileSync(path.join(bad, 'sec/1.0.0/module.cue'), MODULE);
    expect(await failure('production', values, bad)).toMatch(/hostPID/);
  });

  it('an object a provider puts in another namespace is refused, not silently moved', async () => {
    const cat = tempCatalog('platform.cue', (s) => s);
    mkdirSync(path.join(cat, 'sec/1.0.0'), { recursive: true });
    writeFileSync(path.join(cat, 'sec/1.0.0/module.cue'), MODULE);
    mkdirSync(path.join(cat, 'providers/elsewhere'), { recursive: true });
    writeFileSync(
      path.join(cat, 'providers/elsewhere/cm.cue'),
      `package elsewhere\n\ntransformers: "shared-config": {\n\tkind: "component"\n\t#in: _\n\tout: [{apiVersion: "v1", kind: "ConfigMap", metadata: {name: "shared", namespace: "kube-system"}, data: a: "b"}]\n}\n`,
    );
    const msg = await failure('production', 'image: "registry.company.com/approved/app:1"', cat);
    expect(msg).toContain('ConfigMap shared is in namespace kube-system, not the release namespace production: the platform does not allow module sec to render into it');
  });
});
