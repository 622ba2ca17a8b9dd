// The CLI side of module pinning (issue 5): a revision records the digest of
// the OCI module artifact it was rendered from. `apply` compares digests in
// @opm/kube (checkModulePin); `rollback` re-applies stored manifests and checks
// here, against the registry, that the recorded artifact is still what its tag
// points to and can still be pulled by that digest.
import type { ModuleRef } from '@opm/kube';
import { UserFacingError } from '../../errors.js';
import type { RegistryAccess } from '../registry-flags.js';

/** `oci://REG/PREFIX/NAME:TAG@DIGEST` → `oci://REG/PREFIX`. */
function catalogOfRef(ref: string, name: string): string | undefined {
  const i = ref.lastIndexOf(`/${name}:`);
  return ref.startsWith('oci://') && i > 'oci://'.length ? ref.slice(0, i) : undefined;
}

/**
 * For `opm release rollback`: verifies the module of the target revision. A
 * module without a digest came from a directory catalog: nothing is pinned.
 * The registry is the one recorded in the revision, else the configured
 * catalog (--catalog, OPM_CATALOG, opm.yaml) when that is an oci:// catalog,
 * else nothing can be checked and a warning says so.
 */
export function rollbackModuleVerifier(opts: { catalog?: string; repin: boolean; access?: RegistryAccess; warn: (s: string) => void }): (m: ModuleRef, revision: number) => Promise<void> {
  return async (m, revision) => {
    if (!m.digest) return;
    const [{ DigestMismatchError, OciCatalog, OciError }, { toCliError }, core] = await Promise.all([
      import('@opm/oci'),
      import('../registry-flags.js'),
      import('@opm/core'),
    ]);
    let url = m.ref ? catalogOfRef(m.ref, m.name) : undefined;
    if (!url) {
      const { location } = await core.resolveCatalogLocation({ flag: opts.catalog });
      if (!location.startsWith('oci://')) {
        // Revisions written before `ref` was recorded: a rollback is often urgent, so say what was not checked.
        opts.warn(
          `revision ${revision} is pinned to ${m.name} ${m.version}@${m.digest} but records no registry; not verified (pass --catalog oci://REGISTRY/PREFIX to verify it)`,
        );
        return;
      }
      url = location;
    }
    const cat = new OciCatalog(url, opts.access);
    try {
      await cat.verify(m.name, m.version, m.digest);
    } catch (e) {
      if (!(e instanceof DigestMismatchError)) throw toCliError(e);
      if (!opts.repin) {
        throw new UserFacingError(
          `rollback to revision ${revision}: ${e.finding} Refusing to roll back to a revision whose module artifact ` +
            `changed; pass --repin to roll back anyway (the stored manifests of revision ${revision}, rendered from ${m.digest}, are applied).`,
        );
      }
      opts.warn(`${m.name}:${m.version} now points to ${e.actual}; rolling back to revision ${revision}, rendered from ${e.expected} (--repin)`);
    }
    try {
      // Pulled by the recorded digest (cached when already pulled): the artifact must still exist, intact.
      await cat.fetch(m.name, m.version, { digest: m.digest });
    } catch (e) {
      if (e instanceof OciError && e.code === 'NOT_FOUND') {
        throw new UserFacingError(`rollback to revision ${revision}: module artifact ${m.ref ?? `${m.name}@${m.digest}`} is no longer in the registry: ${e.message}`);
      }
      throw toCliError(e);
    }
  };
}
