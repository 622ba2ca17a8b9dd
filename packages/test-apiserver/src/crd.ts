/** The apiextensions controllers: establishing CRDs and serving their resources. */
import { clone } from './json.js';
import type { ResourceDef } from './resources.js';
import { storageKey } from './resources.js';
import { CRD_CLEANUP, type ApiServerCore } from './server.js';

export function installCrdController(core: ApiServerCore, opts: { establishDelayMs: number }): void {
  core.afterWrite.push((def, obj, type) => {
    if (def.custom && type === 'DELETED') {
      // a custom resource of a terminating CRD went away: the finalizer controller may finish now
      const crdName = (def as ResourceDef & { crd?: string }).crd;
      const crd = crdName ? core.store.get('apiextensions.k8s.io/customresourcedefinitions', '', crdName) : undefined;
      const crdDef = core.defFor('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
      if (crd?.metadata.deletionTimestamp && crdDef) core.defer(() => cleanup(core, crdDef, crdName!));
      return;
    }
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
    if (obj.metadata.deletionTimestamp) {
      if ((obj.metadata.finalizers ?? []).includes(CRD_CLEANUP)) core.defer(() => cleanup(core, def, name));
      return;
    }
    const established = (obj.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True');
    // (re)serve the served versions once established (a new CRD's endpoints 404 until then)
    if (established) core.registry.setCustom(name, crdDefs(obj));
    const storedOk = (obj.status?.storedVersions ?? []).includes(storageVersion(obj));
    if (established && storedOk) return;
    core.defer(() => establish(core, def, name), opts.establishDelayMs);
  });
}

/** The CRD finalizer controller: delete every custom resource, then drop the cleanup finalizer. */
function cleanup(core: ApiServerCore, def: ResourceDef, name: string): void {
  const cur = core.store.get('apiextensions.k8s.io/customresourcedefinitions', '', name);
  if (!cur || !(cur.metadata.finalizers ?? []).includes(CRD_CLEANUP)) return;
  const d = core.registry.all().find((x) => (x as any).crd === name);
  if (d) {
    for (const { obj: cr } of core.store.list(storageKey(d))) {
      if (cr.metadata.finalizers?.length) {
        // custom resources with finalizers keep the CRD terminating until their controllers let go
        if (!cr.metadata.deletionTimestamp) core.deleteObject(d, cr, 'Background', { manager: 'kube-apiserver', dryRun: false });
        continue;
      }
      core.deleteObject(d, cr, 'Background', { manager: 'kube-apiserver', dryRun: false });
    }
    if (core.store.list(storageKey(d)).length > 0) return;
  }
  const next = clone(cur);
  next.metadata.finalizers = next.metadata.finalizers.filter((f: string) => f !== CRD_CLEANUP);
  core.systemWrite(def, next, cur, { manager: 'kube-apiserver', dryRun: false });
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
