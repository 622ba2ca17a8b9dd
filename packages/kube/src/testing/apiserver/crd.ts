/** The apiextensions controllers: establishing CRDs and serving their resources. */
import { clone } from './json.js';
import type { ResourceDef } from './resources.js';
import { storageKey } from './resources.js';
import type { ApiServerCore } from './server.js';

export function installCrdController(core: ApiServerCore, opts: { establishDelayMs: number }): void {
  core.afterWrite.push((def, obj, type) => {
    if (def.kind !== 'CustomResourceDefinition' || def.custom) return;
    const name = obj.metadata.name;
    if (type === 'DELETED') {
      const defs = core.registry.all().filter((d) => (d as any).crd === name);
      for (const d of defs.slice(0, 1)) {
        // deleting a CRD deletes all of its custom resources
        for (const { obj: cr } of core.store.list(storageKey(d))) {
          const latest = core.store.get(storageKey(d), d.namespaced ? cr.metadata.namespace : '', cr.metadata.name);
          if (!latest) continue;
          const rv = core.store.nextRV();
          latest.metadata.resourceVersion = String(rv);
          core.store.remove(storageKey(d), d.namespaced ? cr.metadata.namespace : '', cr.metadata.name, latest, rv);
        }
      }
      core.registry.removeCustom(name);
      return;
    }
    if (obj.metadata.deletionTimestamp) return;
    const established = (obj.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True');
    // (re)serve the served versions once established (a new CRD's endpoints 404 until then)
    if (established) core.registry.setCustom(name, crdDefs(obj));
    const storedOk = (obj.status?.storedVersions ?? []).includes(storageVersion(obj));
    if (established && storedOk) return;
    core.defer(() => establish(core, def, name), opts.establishDelayMs);
  });
}

function storageVersion(crd: any): string | undefined {
  return (crd.spec?.versions ?? []).find((v: any) => v.storage)?.name;
}

function establish(core: ApiServerCore, def: ResourceDef, name: string): void {
  const cur = core.store.get('apiextensions.k8s.io/customresourcedefinitions', '', name);
  if (!cur || cur.metadata.deletionTimestamp) return;
  const now = core.now();
  const next = clone(cur);
  const names = cur.spec.names ?? {};
  const sv = storageVersion(cur);
  next.status = {
    ...(next.status ?? {}),
    acceptedNames: {
      plural: names.plural,
      singular: names.singular ?? String(names.kind ?? '').toLowerCase(),
      kind: names.kind,
      listKind: names.listKind ?? `${names.kind}List`,
      ...(names.shortNames ? { shortNames: names.shortNames } : {}),
      ...(names.categories ? { categories: names.categories } : {}),
    },
    conditions: [
      { type: 'NamesAccepted', status: 'True', lastTransitionTime: now, reason: 'NoConflicts', message: 'no conflicts found' },
      { type: 'Established', status: 'True', lastTransitionTime: now, reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
    ],
    storedVersions: [...new Set([...(cur.status?.storedVersions ?? []), ...(sv ? [sv] : [])])],
  };
  core.registry.setCustom(name, crdDefs(cur));
  core.systemWrite(def, next, cur, { manager: 'kube-apiserver', dryRun: false, subresource: 'status' });
}

export function crdDefs(crd: any): ResourceDef[] {
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  const out: ResourceDef[] = [];
  for (const v of spec.versions ?? []) {
    if (!v.served) continue;
    out.push({
      group: spec.group,
      version: v.name,
      plural: names.plural,
      singular: names.singular ?? String(names.kind).toLowerCase(),
      kind: names.kind,
      listKind: names.listKind ?? `${names.kind}List`,
      namespaced: spec.scope === 'Namespaced',
      ...(names.shortNames ? { shortNames: names.shortNames } : {}),
      ...(names.categories ? { categories: names.categories } : {}),
      verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
      status: !!v.subresources?.status,
      generation: true,
      custom: true,
      schema: v.schema?.openAPIV3Schema,
      nameValidation: 'subdomain',
    });
  }
  return out;
}
