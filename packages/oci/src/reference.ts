// `oci://REGISTRY/REPOSITORY[:TAG][@DIGEST]` references, repository names and
// tags, following the OCI distribution spec grammar.
import { OciError } from './errors.js';

export interface OciReference {
  /** `host[:port]` as written (IPv6 in brackets). */
  registry: string;
  /** Repository path, possibly empty for a catalog at the registry root. */
  repository: string;
  tag?: string;
  digest?: string;
}

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST_RE = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const HOST_RE = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::[0-9]{1,5})?$/;

export function isValidRepository(s: string): boolean {
  return s.length <= 255 && REPOSITORY_RE.test(s);
}
export function isValidTag(s: string): boolean {
  return TAG_RE.test(s);
}
export function isValidDigest(s: string): boolean {
  return DIGEST_RE.test(s);
}

export function assertDigest(s: string): string {
  if (!isValidDigest(s)) throw new OciError(`invalid digest ${JSON.stringify(s)} (expected sha256:<64 hex digits>)`, 'INVALID');
  return s;
}

/**
 * Parses `oci://host[:port]/repo[:tag][@digest]`. With `allowEmptyRepository`
 * (catalog roots) `oci://host` alone is accepted.
 */
export function parseOciReference(ref: string, opts: { allowEmptyRepository?: boolean } = {}): OciReference {
  if (!ref.startsWith('oci://')) throw new OciError(`not an OCI reference: ${JSON.stringify(ref)} (expected oci://REGISTRY/REPOSITORY)`, 'INVALID');
  let rest = ref.slice('oci://'.length).replace(/\/+$/, '');
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = assertDigest(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  const registry = slash === -1 ? rest : rest.slice(0, slash);
  let repository = slash === -1 ? '' : rest.slice(slash + 1);
  if (!HOST_RE.test(registry)) throw new OciError(`invalid registry host in ${JSON.stringify(ref)}`, 'INVALID');
  let tag: string | undefined;
  const colon = repository.lastIndexOf(':');
  if (colon !== -1) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
    if (!isValidTag(tag)) throw new OciError(`invalid tag ${JSON.stringify(tag)} in ${JSON.stringify(ref)}`, 'INVALID');
  }
  if (repository === '' ? !opts.allowEmptyRepository : !isValidRepository(repository)) {
    throw new OciError(
      `invalid repository ${JSON.stringify(repository)} in ${JSON.stringify(ref)} (lowercase letters, digits, separators . _ - and /)`,
      'INVALID',
    );
  }
  const out: OciReference = { registry, repository };
  if (tag !== undefined) out.tag = tag;
  if (digest !== undefined) out.digest = digest;
  return out;
}

export function formatOciReference(r: OciReference): string {
  let s = `oci://${r.registry}`;
  if (r.repository) s += `/${r.repository}`;
  if (r.tag) s += `:${r.tag}`;
  if (r.digest) s += `@${r.digest}`;
  return s;
}

/** Host name without port or brackets. */
export function hostName(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(1, registry.indexOf(']'));
  const i = registry.lastIndexOf(':');
  return i === -1 ? registry : registry.slice(0, i);
}

/** Loopback registries may use plain HTTP: traffic never leaves the machine. */
export function isLoopbackRegistry(registry: string): boolean {
  const h = hostName(registry).toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Semver build metadata (`+build`) is not allowed in OCI tags; like Helm we
 * store `+` as `_` in the tag and map it back when listing.
 */
export function versionToTag(version: string): string {
  const tag = version.replace(/\+/g, '_');
  if (!isValidTag(tag)) throw new OciError(`version ${JSON.stringify(version)} cannot be an OCI tag`, 'INVALID');
  return tag;
}
export function tagToVersion(tag: string): string {
  return tag.replace(/_/g, '+');
}
