// The CLI must not fight the operator: a release with a ModuleRelease object
// of the same name in its namespace belongs to the operator (unless that
// ModuleRelease is suspended). `--take-ownership` suspends it first.
import type { KubeClient } from '@opm/kube';
import { API_VERSION, GROUP, KIND, VERSION } from './crd.js';
import type { ModuleReleaseObject } from './resource.js';

export class ManagedByOperatorError extends Error {
  constructor(readonly namespace: string, readonly release: string) {
    super(
      `release ${release} in namespace ${namespace} is managed by the opm operator (ModuleRelease ${namespace}/${release}, field manager opm-operator); ` +
        `change the ModuleRelease instead, or pass --take-ownership to suspend it (spec.suspend: true) and manage the release from the CLI`,
    );
    this.name = 'ManagedByOperatorError';
  }
}

const ref = (namespace: string, name: string) => ({ group: GROUP, version: VERSION, kind: KIND, namespace, name });

/** The ModuleRelease managing this release, when there is one and it is not suspended (none when the CRD is not installed). */
export async function operatorManaged(client: KubeClient, namespace: string, name: string): Promise<ModuleReleaseObject | undefined> {
  const mr = (await client.get(ref(namespace, name))) as unknown as ModuleReleaseObject | undefined;
  if (!mr || mr.spec?.suspend) return undefined;
  return mr;
}

/**
 * Refuses (ManagedByOperatorError) unless `takeOwnership`; with it, suspends the
 * ModuleRelease so the operator stops reconciling it. Returns a note for the user, if any.
 */
export async function guardOperatorOwnership(client: KubeClient, namespace: string, name: string, takeOwnership: boolean): Promise<string | undefined> {
  const mr = await operatorManaged(client, namespace, name);
  if (!mr) return undefined;
  if (!takeOwnership) throw new ManagedByOperatorError(namespace, name);
  await client.mergePatch(ref(namespace, name), { spec: { suspend: true } });
  return `ModuleRelease ${namespace}/${name} suspended (spec.suspend: true): the opm operator no longer reconciles release ${name}; set spec.suspend to false to hand it back`;
}

export { API_VERSION };
