// A release is pinned to the module artifact it was deployed from: the
// manifest digest an OCI catalog gave for that module version, recorded in
// the revision. OCI tags can be re-pushed, so the same `name:version` may
// later resolve to other content; deploying that silently would change a
// release behind its owner's back. An apply whose module version is the one
// last recorded but whose digest differs is refused unless the user re-pins.
import type { KubeClient } from './client.js';
import { CorruptRevisionError, HistoryStore } from './history/store.js';
import type { ModuleRef } from './types.js';

export class ModuleDigestChangedError extends Error {
  constructor(
    /** What changed, without advice: previews (`opm release diff`) give their own. */
    readonly finding: string,
    readonly pinned: string,
    readonly actual: string,
    readonly revision: number,
  ) {
    super(`${finding} Refusing to deploy a changed artifact; if the change is intended, re-run with --repin to accept and record the new digest.`);
    this.name = 'ModuleDigestChangedError';
  }
}

/** The digest recorded by the latest revision of this module name and version, if that revision has one. */
export async function pinnedDigest(store: HistoryStore, module: ModuleRef): Promise<{ revision: number; digest: string } | undefined> {
  const summaries = await store.summaries();
  for (const last of [...summaries].reverse().filter((s) => s.module === module.name && s.moduleVersion === module.version)) {
    if (last.moduleDigest) return { revision: last.revision, digest: last.moduleDigest };
    try {
      // Revisions written before the digest annotation existed have it in the payload only.
      const digest = (await store.read(last.revision)).module.digest;
      return digest ? { revision: last.revision, digest } : undefined;
    } catch (e) {
      // An unreadable payload pins nothing; the revision before it may.
      if (!(e instanceof CorruptRevisionError)) throw e;
    }
  }
  return undefined;
}

/** Refuses `module` when its digest differs from the one pinned by the release's history (unless `repin`). */
export async function checkModulePin(store: HistoryStore, module: ModuleRef, repin = false): Promise<void> {
  if (!module.digest || repin) return;
  const pin = await pinnedDigest(store, module);
  if (!pin || pin.digest === module.digest) return;
  throw new ModuleDigestChangedError(
    `module ${module.name} ${module.version} changed in the catalog: release ${store.name} revision ${pin.revision} was deployed from ` +
      `${pin.digest}, but ${module.name}:${module.version} now resolves to ${module.digest}` +
      `${module.ref ? ` (${module.ref})` : ''}.`,
    pin.digest,
    module.digest,
    pin.revision,
  );
}

/** For previews (`opm release diff`): the refusal an apply of `module` would meet, if any, without throwing it. */
export async function modulePinProblem(client: KubeClient, namespace: string, name: string, module: ModuleRef): Promise<ModuleDigestChangedError | undefined> {
  try {
    await checkModulePin(new HistoryStore(client, namespace, name), module);
    return undefined;
  } catch (e) {
    if (e instanceof ModuleDigestChangedError) return e;
    throw e;
  }
}
